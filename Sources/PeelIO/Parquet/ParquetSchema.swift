/// The parts of Parquet's footer (FileMetaData, in parquet.thrift) that peel uses, taken from the
/// Thrift tree with every id, count and offset checked.
package enum ParquetPhysical: Int, Sendable {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7

    package var name: String {
        ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"][rawValue]
    }
}

/// What a leaf column's values mean (from its LogicalType, else its ConvertedType).
package enum ParquetMeaning: Equatable, Sendable {
    case none
    case string
    case enumeration
    case json
    case date
    case decimal(scale: Int, precision: Int)
    case integer(bits: Int, signed: Bool)
    /// `perSecond` is 1,000, 1,000,000 or 1,000,000,000.
    case timestamp(perSecond: Int64)
    case time(perSecond: Int64)
    /// A type peel does not read (its name, for the error).
    case unsupported(String)
}

/// One flat column of the file.
package struct ParquetColumnInfo: Sendable {
    package var name: String
    package var physical: ParquetPhysical
    package var typeLength: Int
    package var optional: Bool
    package var meaning: ParquetMeaning
}

package struct ParquetChunkInfo: Sendable {
    package var codec: Int
    package var valueCount: Int64
    package var start: Int
    package var length: Int
    package var physical: Int
}

package struct ParquetRowGroupInfo: Sendable {
    package var rows: Int64
    package var chunks: [ParquetChunkInfo]
}

package struct ParquetFileInfo: Sendable {
    package var rows: Int64
    package var columns: [ParquetColumnInfo]
    package var rowGroups: [ParquetRowGroupInfo]
    package var keyValues: [String: String]
    package var createdBy: String?
}

extension ParquetFileInfo {
    /// Reads FileMetaData; `dataEnd` is where the footer starts (no chunk may reach past it).
    package static func parse(_ meta: ThriftStruct, dataEnd: Int) throws -> ParquetFileInfo {
        guard let schema = meta[2]?.list?.compactMap(\.structure), !schema.isEmpty else {
            throw ParquetFault("the footer has no schema")
        }
        guard let rows = meta[3]?.int, rows >= 0 else { throw ParquetFault("the footer has no row count") }
        let root = schema[0]
        let declared = root[5]?.int ?? 0
        var columns: [ParquetColumnInfo] = []
        for element in schema.dropFirst() {
            let name = element[4]?.string ?? ""
            let children = element[5]?.int ?? 0
            let repetition = element[3]?.int ?? 0
            let label = name.isEmpty ? "(unnamed)" : name
            if children > 0 || element[1] == nil {
                throw ParquetNested(column: label, reason: "it is a group of \(children) field\(children == 1 ? "" : "s") (a struct, list or map)")
            }
            if repetition == 2 { throw ParquetNested(column: label, reason: "it is repeated (a list)") }
            guard let t = element[1]?.int, let physical = ParquetPhysical(rawValue: Int(t)) else {
                throw ParquetFault("column '\(label)' has an unknown physical type \(element[1]?.int ?? -1)")
            }
            let length = element[2]?.int ?? 0
            guard length >= 0, length <= 1 << 20 else { throw ParquetFault("column '\(label)' has a fixed length of \(length) bytes") }
            if physical == .fixedLenByteArray && length == 0 { throw ParquetFault("column '\(label)' is FIXED_LEN_BYTE_ARRAY with no length") }
            columns.append(ParquetColumnInfo(name: name, physical: physical, typeLength: Int(length), optional: repetition == 1,
                                             meaning: meaning(of: element, physical: physical)))
        }
        guard declared == Int64(columns.count) else {
            throw ParquetFault("the schema's root declares \(declared) columns but \(columns.count) follow")
        }
        var groups: [ParquetRowGroupInfo] = []
        for g in meta[4]?.list ?? [] {
            guard let group = g.structure, let chunks = group[1]?.list, let n = group[3]?.int, n >= 0 else {
                throw ParquetFault("a row group has no columns or no row count")
            }
            guard chunks.count == columns.count else {
                throw ParquetFault("a row group has \(chunks.count) columns where the schema has \(columns.count)")
            }
            var infos: [ParquetChunkInfo] = []
            for (i, c) in chunks.enumerated() {
                guard let chunk = c.structure else { throw ParquetFault("column '\(columns[i].name)' has no chunk description") }
                if let path = chunk[1]?.string, !path.isEmpty {
                    throw ParquetFault("column '\(columns[i].name)' is stored in another file (\(path)), which peel does not read")
                }
                guard let md = chunk[3]?.structure, let codec = md[4]?.int, let values = md[5]?.int, let size = md[7]?.int,
                      let dataOffset = md[9]?.int, let type = md[1]?.int else {
                    throw ParquetFault("column '\(columns[i].name)' has no chunk metadata")
                }
                if values == 0 {
                    // An empty chunk (a row group of no rows) is not read, wherever it says it is.
                    infos.append(ParquetChunkInfo(codec: Int(codec), valueCount: 0, start: 4, length: 0, physical: Int(type)))
                    continue
                }
                var start = dataOffset
                if let d = md[11]?.int, d > 0, d < dataOffset { start = d }
                guard start >= 4, size >= 0, values >= 0, start <= Int64(dataEnd), size <= Int64(dataEnd) - start else {
                    throw ParquetFault("column '\(columns[i].name)' claims bytes \(start) to \(start &+ size), outside the file's data (4 to \(dataEnd))")
                }
                infos.append(ParquetChunkInfo(codec: Int(codec), valueCount: values, start: Int(start), length: Int(size), physical: Int(type)))
            }
            groups.append(ParquetRowGroupInfo(rows: n, chunks: infos))
        }
        var sum: Int64 = 0
        for g in groups {
            let (s, o) = sum.addingReportingOverflow(g.rows)
            guard !o else { throw ParquetFault("the row groups' row counts overflow") }
            sum = s
        }
        guard sum == rows else { throw ParquetFault("the footer says \(rows) rows but its row groups hold \(sum)") }
        var kv: [String: String] = [:]
        for item in meta[5]?.list ?? [] {
            if let s = item.structure, let k = s[1]?.string { kv[k] = s[2]?.string ?? "" }
        }
        return ParquetFileInfo(rows: rows, columns: columns, rowGroups: groups, keyValues: kv, createdBy: meta[6]?.string)
    }

    static func meaning(of e: ThriftStruct, physical: ParquetPhysical) -> ParquetMeaning {
        func unit(_ u: ThriftStruct?) -> Int64? {
            guard let u else { return nil }
            if u[1] != nil { return 1_000 }
            if u[2] != nil { return 1_000_000 }
            if u[3] != nil { return 1_000_000_000 }
            return nil
        }
        if let logical = e[10]?.structure, let (id, value) = logical.fields.first {
            let s = value.structure
            switch id {
            case 1: return .string
            case 4: return .enumeration
            case 5: return .decimal(scale: Int(clamping: s?[1]?.int ?? 0), precision: Int(clamping: s?[2]?.int ?? 0))
            case 6: return .date
            case 7: return unit(s?[2]?.structure).map { .time(perSecond: $0) } ?? .unsupported("TIME")
            case 8: return unit(s?[2]?.structure).map { .timestamp(perSecond: $0) } ?? .unsupported("TIMESTAMP")
            case 10:
                return .integer(bits: Int(clamping: s?[1]?.int ?? 64), signed: s?[2]?.bool ?? true)
            case 12: return .json
            case 2: return .unsupported("MAP")
            case 3: return .unsupported("LIST")
            case 11: return .none  // UNKNOWN: always null
            case 13: return .unsupported("BSON")
            case 14: return .unsupported("UUID")
            case 15: return .unsupported("FLOAT16")
            default: return .unsupported("logical type \(id)")
            }
        }
        guard let converted = e[6]?.int else { return .none }
        switch converted {
        case 0: return .string
        case 4: return .enumeration
        case 5: return .decimal(scale: Int(clamping: e[7]?.int ?? 0), precision: Int(clamping: e[8]?.int ?? 0))
        case 6: return .date
        case 7: return .time(perSecond: 1_000)
        case 8: return .time(perSecond: 1_000_000)
        case 9: return .timestamp(perSecond: 1_000)
        case 10: return .timestamp(perSecond: 1_000_000)
        case 11: return .integer(bits: 8, signed: false)
        case 12: return .integer(bits: 16, signed: false)
        case 13: return .integer(bits: 32, signed: false)
        case 14: return .integer(bits: 64, signed: false)
        case 15: return .integer(bits: 8, signed: true)
        case 16: return .integer(bits: 16, signed: true)
        case 17: return .integer(bits: 32, signed: true)
        case 18: return .integer(bits: 64, signed: true)
        case 19: return .json
        case 20: return .unsupported("BSON")
        case 21: return .unsupported("INTERVAL")
        default: return .unsupported("converted type \(converted)")
        }
    }
}

/// A column peel cannot read because it is nested.
package struct ParquetNested: Error {
    package var column: String
    package var reason: String
}
