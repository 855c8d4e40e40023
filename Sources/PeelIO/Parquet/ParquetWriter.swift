import PeelSupport
import PeelData

/// Writes a table as one Parquet file: every column OPTIONAL (a missing value is a null),
/// integer → INT64, decimal → DOUBLE (its display scale and unit kept in key-value metadata as
/// `peel.scale.NAME` and `peel.unit.NAME`), text and periods → BYTE_ARRAY STRING as shown
/// (dictionary-encoded when values repeat), date → INT32 DATE. Row groups of up to 1,048,576 rows,
/// data pages (version 1) of up to 65,536 rows each.
package enum ParquetWriter {
    package static let rowsPerGroup = 1 << 20
    package static let rowsPerPage = 1 << 16

    package static func write(_ table: Table, codec: ParquetCodec = .zstd, fileName: String,
                              rowsPerGroup: Int = rowsPerGroup, rowsPerPage: Int = rowsPerPage) throws -> [UInt8] {
        do {
            return try build(table, codec: codec, rowsPerGroup: max(1, rowsPerGroup), rowsPerPage: max(1, rowsPerPage))
        } catch let f as ParquetFault {
            throw ParquetError(file: fileName, "cannot be written: " + f.message)
        }
    }

    static func build(_ table: Table, codec: ParquetCodec, rowsPerGroup: Int, rowsPerPage: Int) throws -> [UInt8] {
        var out: [UInt8] = ParquetReader.magic
        let rows = table.rowCount
        var schema: [ThriftStruct] = [ThriftStruct([4: .string("schema"), 5: .i32(table.columns.count)])]
        var keyValues: [ThriftStruct] = []
        for c in table.columns {
            var e = ThriftStruct([3: .i32(1), 4: .string(c.name)])
            switch c.data {
            case .integer: e[1] = .i32(ParquetPhysical.int64.rawValue)
            case .decimal(_, let scale):
                e[1] = .i32(ParquetPhysical.double.rawValue)
                keyValues.append(ThriftStruct([1: .string("peel.scale.\(c.name)"), 2: .string(String(scale))]))
            case .text:
                e[1] = .i32(ParquetPhysical.byteArray.rawValue)
                e[6] = .i32(0)
                e[10] = .structure(ThriftStruct([1: .structure(ThriftStruct())]))
            case .date:
                e[1] = .i32(ParquetPhysical.int32.rawValue)
                e[6] = .i32(6)
                e[10] = .structure(ThriftStruct([6: .structure(ThriftStruct())]))
            }
            if let u = c.unit, !u.isEmpty { keyValues.append(ThriftStruct([1: .string("peel.unit.\(c.name)"), 2: .string(u)])) }
            schema.append(e)
        }
        var groups: [ThriftStruct] = []
        var start = 0
        while start < rows {
            let end = min(rows, start + rowsPerGroup)
            var chunks: [ThriftStruct] = []
            var groupBytes = 0
            let groupStart = out.count
            for c in table.columns {
                let (meta, uncompressed) = try writeChunk(c, rows: start..<end, codec: codec, rowsPerPage: rowsPerPage, into: &out)
                groupBytes += uncompressed
                chunks.append(ThriftStruct([2: .int(Int64(meta.offset)), 3: .structure(meta.data)]))
            }
            groups.append(ThriftStruct([1: .structs(chunks), 2: .int(Int64(groupBytes)), 3: .int(Int64(end - start)),
                                        5: .int(Int64(groupStart)), 6: .int(Int64(out.count - groupStart))]))
            start = end
        }
        var meta = ThriftStruct([1: .i32(1), 2: .structs(schema), 3: .int(Int64(rows)), 4: .structs(groups),
                                 6: .string("peel")])
        if !keyValues.isEmpty { meta[5] = .structs(keyValues) }
        var w = ThriftWriter()
        w.writeStruct(meta)
        guard w.bytes.count < Int(Int32.max) else { throw ParquetFault("the footer is too large") }
        out += w.bytes
        let n = UInt32(w.bytes.count)
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: n >> (8 * UInt32(i)))) }
        out += ParquetReader.magic
        return out
    }

    /// Appends a page (its header, then `body` compressed); returns the bytes before and after compression.
    static func page(_ header: ThriftStruct, body: [UInt8], codec: ParquetCodec, into out: inout [UInt8]) throws -> (Int, Int) {
        let packed = try codec.compress(body)
        guard body.count < Int(Int32.max), packed.count < Int(Int32.max) else { throw ParquetFault("a page would be over 2 GiB") }
        var h = header
        h[2] = .i32(body.count)
        h[3] = .i32(packed.count)
        var w = ThriftWriter()
        w.writeStruct(h)
        out += w.bytes
        out += packed
        return (w.bytes.count + body.count, w.bytes.count + packed.count)
    }

    static func le32(_ v: UInt32, _ out: inout [UInt8]) {
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }

    static func le64(_ v: UInt64, _ out: inout [UInt8]) {
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    static func byteArray(_ s: String, _ out: inout [UInt8]) throws {
        let u = s.utf8
        guard u.count < Int(Int32.max) else { throw ParquetFault("a text is over 2 GiB") }
        le32(UInt32(u.count), &out)
        out.append(contentsOf: u)
    }

    /// One column chunk of the rows `range`: a dictionary page for repeated text, then data pages.
    static func writeChunk(_ c: Column, rows range: Range<Int>, codec: ParquetCodec, rowsPerPage: Int,
                           into out: inout [UInt8]) throws -> (meta: (offset: Int, data: ThriftStruct), uncompressed: Int) {
        let chunkStart = out.count
        var uncompressed = 0
        var encodings: Set<Int> = [0, 3]
        var dictionaryOffset: Int?
        var local: [Int32] = []
        var useDictionary = false
        var physical = ParquetPhysical.int64
        switch c.data {
        case .integer: physical = .int64
        case .decimal: physical = .double
        case .date: physical = .int32
        case .text(let codes, let dict):
            physical = .byteArray
            // Which entries these rows use, numbered in first-use order.
            local = [Int32](repeating: -1, count: dict.count)
            var used: [Int] = []
            for r in range where !c.missing[r] {
                let k = Int(codes[r])
                if local[k] < 0 {
                    local[k] = Int32(used.count)
                    used.append(k)
                }
            }
            useDictionary = !used.isEmpty && used.count <= max(1, range.count / 2)
            if useDictionary {
                var body: [UInt8] = []
                for k in used { try byteArray(dict[k], &body) }
                dictionaryOffset = out.count
                let header = ThriftStruct([1: .i32(2), 7: .structure(ThriftStruct([1: .i32(used.count), 2: .i32(0)]))])
                let (u, _) = try page(header, body: body, codec: codec, into: &out)
                uncompressed += u
                encodings.insert(8)
            }
        }
        let dataOffset = out.count
        var pageStart = range.lowerBound
        while pageStart < range.upperBound {
            let pageEnd = min(range.upperBound, pageStart + rowsPerPage)
            let levels = (pageStart..<pageEnd).map { c.missing[$0] ? UInt32(0) : 1 }
            let encodedLevels = RLEHybrid.encode(levels, bitWidth: 1)
            var body: [UInt8] = []
            le32(UInt32(encodedLevels.count), &body)
            body += encodedLevels
            let present = (pageStart..<pageEnd).filter { !c.missing[$0] }
            switch c.data {
            case .integer(let v): for r in present { le64(UInt64(bitPattern: v[r]), &body) }
            case .decimal(let v, _): for r in present { le64(v[r].bitPattern, &body) }
            case .date(let d): for r in present { le32(UInt32(bitPattern: d[r]), &body) }
            case .text(let codes, let dict):
                if useDictionary {
                    let indices = present.map { UInt32(local[Int(codes[$0])]) }
                    let width = RLEHybrid.bitWidth(UInt64(indices.max() ?? 0))
                    body.append(UInt8(width))
                    body += RLEHybrid.encode(indices, bitWidth: width)
                } else {
                    for r in present { try byteArray(dict[Int(codes[r])], &body) }
                }
            }
            let header = ThriftStruct([1: .i32(0), 5: .structure(ThriftStruct([1: .i32(pageEnd - pageStart), 2: .i32(useDictionary ? 8 : 0),
                                                                                 3: .i32(3), 4: .i32(3)]))])
            let (u, _) = try page(header, body: body, codec: codec, into: &out)
            uncompressed += u
            pageStart = pageEnd
        }
        var meta = ThriftStruct([1: .i32(physical.rawValue), 2: .list(encodings.sorted().map { .i32($0) }, elementType: 5),
                                 3: .list([.string(c.name)], elementType: 8), 4: .i32(codec.rawValue),
                                 5: .int(Int64(range.count)), 6: .int(Int64(uncompressed)), 7: .int(Int64(out.count - chunkStart)),
                                 9: .int(Int64(dataOffset))])
        if let d = dictionaryOffset { meta[11] = .int(Int64(d)) }
        return ((chunkStart, meta), uncompressed)
    }
}
