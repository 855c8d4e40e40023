/// Parquet's DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT
/// encodings (what DuckDB's PARQUET_VERSION V2 and pyarrow's column_encoding write), decoded with
/// every count and width checked against the bytes there are.
package enum ParquetDelta {
    static func uleb(_ data: ArraySlice<UInt8>, _ p: inout Int) throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard p < data.endIndex else { throw ParquetFault("the delta-encoded data ends inside a number") }
            let b = data[p]
            p += 1
            guard shift < 64, shift < 63 || b & 0x7E == 0 else { throw ParquetFault("a delta-encoded number is longer than 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// `count` integers (64-bit, wrapping as the writer's arithmetic does) and where their bytes end.
    package static func binaryPacked(_ data: ArraySlice<UInt8>, count: Int) throws -> (values: [Int64], end: Int) {
        var p = data.startIndex
        let blockSize = try uleb(data, &p)
        let miniblocks = try uleb(data, &p)
        let total = try uleb(data, &p)
        let first = ThriftReader.unzigzag(try uleb(data, &p))
        guard blockSize > 0, blockSize <= 1 << 20, blockSize % 128 == 0, miniblocks > 0, miniblocks <= blockSize,
              blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw ParquetFault("a DELTA_BINARY_PACKED header has a block of \(blockSize) values in \(miniblocks) miniblocks")
        }
        guard total == UInt64(count) else { throw ParquetFault("a DELTA_BINARY_PACKED page holds \(total) values where \(count) are wanted") }
        var out = [Int64]()
        guard count > 0 else { return (out, p) }
        out.reserveCapacity(count)
        out.append(first)
        var last = first
        let perMini = Int(blockSize / miniblocks)
        while out.count < count {
            let minDelta = ThriftReader.unzigzag(try uleb(data, &p))
            guard data.endIndex - p >= Int(miniblocks) else { throw ParquetFault("the delta-encoded data ends inside a block's bit widths") }
            let widths = Array(data[p..<(p + Int(miniblocks))])
            p += Int(miniblocks)
            for w in widths {
                if out.count >= count { break }  // miniblocks with no values are not written
                let width = Int(w)
                guard width <= 64 else { throw ParquetFault("a miniblock's bit width of \(width) (at most 64)") }
                let bytes = perMini * width / 8
                guard data.endIndex - p >= bytes else { throw ParquetFault("the delta-encoded data ends inside a miniblock") }
                var acc: UInt64 = 0
                var have = 0
                var q = p
                let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
                for _ in 0..<perMini {
                    // Up to 64 bits from a stream read a byte at a time: keep the spill.
                    var v: UInt64 = 0
                    var got = 0
                    while got < width {
                        if have == 0 {
                            acc = UInt64(data[q])
                            q += 1
                            have = 8
                        }
                        let take = min(have, width - got)
                        v |= (acc & ((1 << UInt64(take)) - 1)) << UInt64(got)
                        acc >>= UInt64(take)
                        have -= take
                        got += take
                    }
                    if out.count < count {
                        last = last &+ minDelta &+ Int64(bitPattern: v & mask)
                        out.append(last)
                    }
                }
                p += bytes
            }
        }
        return (out, p)
    }

    /// DELTA_LENGTH_BYTE_ARRAY: the lengths, delta-packed, then the bytes one after another.
    package static func lengthByteArray(_ data: ArraySlice<UInt8>, count: Int) throws -> (values: [ArraySlice<UInt8>], end: Int) {
        let (lengths, start) = try binaryPacked(data, count: count)
        var p = start
        var out = [ArraySlice<UInt8>]()
        out.reserveCapacity(count)
        for n in lengths {
            guard n >= 0, n <= Int64(data.endIndex - p) else { throw ParquetFault("a value claims \(n) bytes where \(data.endIndex - p) are left in its page") }
            out.append(data[p..<(p + Int(n))])
            p += Int(n)
        }
        return (out, p)
    }

    /// DELTA_BYTE_ARRAY: each value as the length of the prefix it shares with the one before, and
    /// the rest.
    package static func byteArray(_ data: ArraySlice<UInt8>, count: Int, limit: Int) throws -> [ArraySlice<UInt8>] {
        let (prefixes, start) = try binaryPacked(data, count: count)
        let (suffixes, _) = try lengthByteArray(data[start...], count: count)
        var out = [ArraySlice<UInt8>]()
        out.reserveCapacity(count)
        var previous: ArraySlice<UInt8> = []
        var total = 0
        for (n, suffix) in zip(prefixes, suffixes) {
            guard n >= 0, n <= Int64(previous.count) else { throw ParquetFault("a value shares \(n) bytes with one of \(previous.count)") }
            let value = ArraySlice(previous.prefix(Int(n)) + suffix)
            total += value.count
            guard total <= limit else { throw ParquetFault("the page's values expand past \(limit) bytes") }
            out.append(value)
            previous = value
        }
        return out
    }

    /// BYTE_STREAM_SPLIT: byte j of value i is at j × count + i; returned in PLAIN order.
    package static func unsplit(_ data: ArraySlice<UInt8>, count: Int, width: Int) throws -> [UInt8] {
        guard width > 0, count <= data.count / width else {
            throw ParquetFault("a BYTE_STREAM_SPLIT page holds \(data.count) bytes, too few for \(count) values of \(width) bytes")
        }
        var out = [UInt8](repeating: 0, count: count * width)
        let b = data.startIndex
        for j in 0..<width {
            for i in 0..<count { out[i * width + j] = data[b + j * count + i] }
        }
        return out
    }
}
