/// Snappy's raw block format (what Parquet's SNAPPY codec holds): a varint length, then literals
/// and back-references. Written here rather than linked: the format is small, and a decoder of our
/// own checks every length and offset against the bytes it has.
package enum Snappy {
    /// The most bytes a block may expand to when no limit is given.
    package static let defaultLimit = 1 << 31

    /// The expanded bytes of `input`, which must come to exactly the length it declares (and no
    /// more than `limit`).
    package static func decompress(_ input: ArraySlice<UInt8>, limit: Int = defaultLimit) throws -> [UInt8] {
        var p = input.startIndex
        let end = input.endIndex
        var length: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard p < end else { throw ParquetFault("the snappy data ends inside its length") }
            let b = input[p]
            p += 1
            guard shift <= 28 else { throw ParquetFault("the snappy length is longer than 32 bits") }
            length |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        guard length <= UInt64(limit), length <= UInt64(UInt32.max) else {
            throw ParquetFault("the snappy data declares \(length) bytes, more than the \(limit) expected")
        }
        let total = Int(length)
        // Written into place (appending a slice of the output to itself would copy it whole).
        var out = [UInt8](repeating: 0, count: total)
        var o = 0
        try out.withUnsafeMutableBufferPointer { dst in
            func take(_ n: Int) throws -> Int {
                guard end - p >= n else { throw ParquetFault("the snappy data ends early") }
                var v = 0
                for i in 0..<n { v |= Int(input[p + i]) << (8 * i) }
                p += n
                return v
            }
            while p < end {
                let tag = input[p]
                p += 1
                if tag & 3 == 0 {
                    var n = Int(tag >> 2)
                    if n >= 60 { n = try take(n - 59) }
                    n += 1
                    guard end - p >= n else { throw ParquetFault("a snappy literal runs past the end of the data") }
                    guard total - o >= n else { throw ParquetFault("the snappy data expands past its declared \(total) bytes") }
                    input.withUnsafeBufferPointer { src in
                        let from = p - input.startIndex
                        for i in 0..<n { dst[o + i] = src[from + i] }
                    }
                    o += n
                    p += n
                    continue
                }
                let n: Int
                let offset: Int
                switch tag & 3 {
                case 1:
                    n = 4 + Int((tag >> 2) & 7)
                    offset = Int(tag >> 5) << 8 | (try take(1))
                case 2:
                    n = 1 + Int(tag >> 2)
                    offset = try take(2)
                default:
                    n = 1 + Int(tag >> 2)
                    offset = try take(4)
                }
                guard offset > 0, offset <= o else { throw ParquetFault("a snappy back-reference points before the start of the data") }
                guard total - o >= n else { throw ParquetFault("the snappy data expands past its declared \(total) bytes") }
                // Byte by byte: a reference may overlap what it writes (a run).
                let from = o - offset
                for i in 0..<n { dst[o + i] = dst[from + i] }
                o += n
            }
        }
        guard o == total else { throw ParquetFault("the snappy data expands to \(o) bytes, not the \(total) it declares") }
        return out
    }

    /// A snappy block of `input`: greedy matching of 4-byte sequences through a hash table.
    package static func compress(_ input: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(input.count / 2 + 16)
        var n = UInt64(input.count)
        while n >= 0x80 {
            out.append(UInt8(n & 0x7F) | 0x80)
            n >>= 7
        }
        out.append(UInt8(n))
        let count = input.count
        func literal(_ from: Int, _ to: Int) {
            var start = from
            while start < to {
                // Literals of up to 2^16 bytes keep the length to two bytes.
                let len = min(to - start, 1 << 16)
                let m = len - 1
                if m < 60 { out.append(UInt8(m) << 2) } else if m < 256 {
                    out.append(60 << 2)
                    out.append(UInt8(m))
                } else {
                    out.append(61 << 2)
                    out.append(UInt8(m & 0xFF))
                    out.append(UInt8(m >> 8))
                }
                out.append(contentsOf: input[start..<(start + len)])
                start += len
            }
        }
        func copy(offset: Int, length: Int) {
            var left = length
            while left > 0 {
                // Leave at least 4 for a last piece so every piece is 4 to 64 bytes.
                var len = min(left, 64)
                if left - len > 0 && left - len < 4 { len = left - 4 }
                if offset < 1 << 16 {
                    out.append(UInt8(len - 1) << 2 | 2)
                    out.append(UInt8(offset & 0xFF))
                    out.append(UInt8(offset >> 8))
                } else {
                    out.append(UInt8(len - 1) << 2 | 3)
                    for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: offset >> (8 * i))) }
                }
                left -= len
            }
        }
        guard count >= 8 else {
            literal(0, count)
            return out
        }
        let bits = 14
        var table = [Int](repeating: -1, count: 1 << bits)
        func word(_ i: Int) -> UInt32 {
            UInt32(input[i]) | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2]) << 16 | UInt32(input[i + 3]) << 24
        }
        func hash(_ w: UInt32) -> Int { Int((w &* 0x1E35_A7BD) >> UInt32(32 - bits)) }
        var i = 0
        var pending = 0
        while i + 4 <= count {
            let w = word(i)
            let h = hash(w)
            let candidate = table[h]
            table[h] = i
            // Offsets stay below 2^32 and matches are real (the table may hold another word).
            if candidate >= 0, i - candidate < Int(UInt32.max), word(candidate) == w {
                var len = 4
                while i + len < count && input[candidate + len] == input[i + len] { len += 1 }
                literal(pending, i)
                copy(offset: i - candidate, length: len)
                i += len
                pending = i
            } else {
                i += 1
            }
        }
        literal(pending, count)
        return out
    }
}
