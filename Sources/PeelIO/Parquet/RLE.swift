/// Parquet's RLE/bit-packed hybrid encoding of small integers (definition levels, dictionary
/// indices, booleans): runs of one value, and groups of eight values packed `bitWidth` bits each,
/// least significant bit first.
package enum RLEHybrid {
    /// Decodes `count` values of `bitWidth` bits (0 to 32) from `bytes`. A stream that ends before
    /// `count` values, or that holds a value past `limit` (when given), is an error.
    package static func decode(_ bytes: ArraySlice<UInt8>, bitWidth: Int, count: Int, limit: UInt32? = nil) throws -> [UInt32] {
        guard bitWidth >= 0, bitWidth <= 32 else { throw ParquetFault("a bit width of \(bitWidth) (at most 32)") }
        guard count >= 0 else { throw ParquetFault("a negative count of values") }
        var out = [UInt32]()
        out.reserveCapacity(min(count, bytes.count * 8 + 64))
        var p = bytes.startIndex
        let end = bytes.endIndex
        let byteWidth = (bitWidth + 7) / 8
        let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
        while out.count < count {
            var header: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard p < end else { throw ParquetFault("the RLE data ends after \(out.count) of \(count) values") }
                let b = bytes[p]
                p += 1
                guard shift <= 56 else { throw ParquetFault("an RLE run header is longer than 64 bits") }
                header |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { break }
                shift += 7
            }
            let left = count - out.count
            if header & 1 == 0 {
                let run = header >> 1
                guard end - p >= byteWidth else { throw ParquetFault("the RLE data ends inside a run's value") }
                var v: UInt64 = 0
                for i in 0..<byteWidth { v |= UInt64(bytes[p + i]) << (8 * UInt64(i)) }
                p += byteWidth
                guard v <= mask else { throw ParquetFault("an RLE run's value \(v) is wider than \(bitWidth) bits") }
                if let limit, v > UInt64(limit), run > 0 { throw ParquetFault("a value \(v) past the largest allowed, \(limit)") }
                let n = Int(min(run, UInt64(left)))
                out.append(contentsOf: repeatElement(UInt32(v), count: n))
                if run == 0 { continue }
            } else {
                let groups = header >> 1
                guard groups <= UInt64(Int.max / 8) else { throw ParquetFault("an RLE bit-packed run is too long") }
                let values = Int(groups) * 8
                let n = min(values, left)
                // Only the bytes that hold the values still wanted need be there.
                let need = (n * bitWidth + 7) / 8
                guard end - p >= need else { throw ParquetFault("the RLE data ends inside a bit-packed run") }
                var acc: UInt64 = 0
                var have = 0
                var q = p
                for _ in 0..<n {
                    while have < bitWidth {
                        acc |= UInt64(bytes[q]) << UInt64(have)
                        q += 1
                        have += 8
                    }
                    let v = UInt32(acc & mask)
                    if let limit, v > limit { throw ParquetFault("a value \(v) past the largest allowed, \(limit)") }
                    out.append(v)
                    acc = bitWidth == 64 ? 0 : acc >> UInt64(bitWidth)
                    have -= bitWidth
                }
                // Skip the whole run's bytes (as far as they go: the last run may be cut short).
                let full = Int(groups) * bitWidth
                p = min(end, p + full)
            }
        }
        return out
    }

    /// The hybrid encoding of `values` (each below 2^bitWidth): runs of eight or more equal values
    /// as runs, the rest bit-packed.
    package static func encode(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        var out = [UInt8]()
        func varint(_ v: UInt64) {
            var v = v
            while v >= 0x80 {
                out.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            out.append(UInt8(v))
        }
        var pending: [UInt32] = []
        func flush() {
            guard !pending.isEmpty else { return }
            while pending.count % 8 != 0 { pending.append(0) }
            varint(UInt64(pending.count / 8) << 1 | 1)
            var acc: UInt64 = 0
            var have = 0
            for v in pending {
                acc |= UInt64(v) << UInt64(have)
                have += bitWidth
                while have >= 8 {
                    out.append(UInt8(acc & 0xFF))
                    acc >>= 8
                    have -= 8
                }
            }
            if have > 0 { out.append(UInt8(acc & 0xFF)) }
            pending.removeAll(keepingCapacity: true)
        }
        let byteWidth = (bitWidth + 7) / 8
        var i = 0
        while i < values.count {
            let v = values[i]
            var j = i + 1
            while j < values.count && values[j] == v { j += 1 }
            var run = j - i
            if run >= 8 {
                // Fill the open bit-packed group first: runs may only start between groups.
                while pending.count % 8 != 0 {
                    pending.append(v)
                    run -= 1
                }
                if run >= 8 {
                    flush()
                    varint(UInt64(run) << 1)
                    for b in 0..<byteWidth { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(b)))) }
                } else {
                    pending.append(contentsOf: repeatElement(v, count: run))
                }
            } else {
                pending.append(contentsOf: repeatElement(v, count: run))
            }
            i = j
        }
        flush()
        return out
    }

    /// Bits needed for values up to `maxValue`.
    package static func bitWidth(_ maxValue: UInt64) -> Int { maxValue == 0 ? 0 : 64 - maxValue.leadingZeroBitCount }
}
