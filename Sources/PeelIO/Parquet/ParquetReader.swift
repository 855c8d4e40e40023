import Foundation
import PeelSupport
import PeelData

/// A Parquet file read as a table, with what was done to read it.
package struct ParquetResult: Sendable {
    package var table: Table
    package var rowGroups: Int
    /// One sentence each: columns renamed, values read as missing, types converted.
    package var notes: [String]
}

/// Reads flat Parquet files: required and optional columns of any physical type but INT96, in
/// PLAIN, dictionary, DELTA or BYTE_STREAM_SPLIT encoding, in version 1 and 2 data pages,
/// uncompressed or compressed with SNAPPY, GZIP or ZSTD. Every offset, length and count is checked against the bytes there are.
package enum ParquetReader {
    package static let magic: [UInt8] = Array("PAR1".utf8)

    /// Whether a file's name says Parquet (.parquet, .parq, .pq).
    package static func isParquet(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".parquet") || lower.hasSuffix(".parq") || lower.hasSuffix(".pq")
    }

    /// The table in `bytes` (the whole file); `fileName` names it in errors.
    package static func read(_ bytes: [UInt8], fileName: String, tableName: String,
                             isInterrupted: () -> Bool = { false }) throws -> ParquetResult {
        do {
            return try readChecked(bytes, fileName: fileName, tableName: tableName, isInterrupted: isInterrupted)
        } catch let f as ParquetFault {
            throw ParquetError(file: fileName, f.message, help: f.help ?? ParquetFault.damaged)
        } catch let n as ParquetNested {
            throw ParquetError(file: fileName, part: "column '\(n.column)'", "is nested: \(n.reason); peel reads flat tables only",
                               help: "flatten it first, e.g. in DuckDB: COPY (SELECT UNNEST(…) …) TO 'flat.parquet'")
        }
    }

    static func readChecked(_ bytes: [UInt8], fileName: String, tableName: String, isInterrupted: () -> Bool) throws -> ParquetResult {
        let n = bytes.count
        guard n >= 12, Array(bytes[0..<4]) == magic, Array(bytes[(n - 4)...]) == magic else {
            let head = String(decoding: bytes.prefix(4).map { $0 >= 32 && $0 < 127 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            if n >= 4, Array(bytes[0..<4]) == magic {
                throw ParquetError(file: fileName, "is cut short: a Parquet file ends with PAR1, and this one does not (it holds \(n) bytes)",
                                   help: "the file was not written to the end; copy or write it again")
            }
            throw ParquetError(file: fileName, n == 0 ? "is empty: it holds no Parquet data" : "is not a Parquet file: it does not start and end with PAR1" + (n >= 4 ? " (it starts with \"\(head)\")" : ""),
                               help: "a CSV or other text file saved under a .parquet name? rename it for what it is and load that")
        }
        let footerLength = Int(bytes[n - 8]) | Int(bytes[n - 7]) << 8 | Int(bytes[n - 6]) << 16 | Int(bytes[n - 5]) << 24
        guard footerLength > 0, footerLength <= n - 12 else {
            throw ParquetFault("the footer claims \(footerLength) bytes, but the file holds only \(n - 12) between its magic numbers")
        }
        let footerStart = n - 8 - footerLength
        var reader = ThriftReader(bytes[footerStart..<(n - 8)])
        let meta = try reader.readStruct()
        let info = try ParquetFileInfo.parse(meta, dataEnd: footerStart)
        guard info.rows <= Int64(Limits.maxRows) else { throw DataFileError.tooManyRows(file: fileName, limit: Limits.maxRows) }
        guard info.columns.count <= Table.maxColumns else {
            throw ParquetFault("the file has \(info.columns.count) columns; a table may have at most \(Table.maxColumns)")
        }
        guard !info.columns.isEmpty else { throw ParquetError(file: fileName, "holds no columns") }
        var notes: [String] = []
        var columns: [Column] = []
        var names: Set<String> = []
        for (i, c) in info.columns.enumerated() {
            var decoder = try ColumnDecoder(c, file: fileName, rows: Int(info.rows))
            for group in info.rowGroups {
                if isInterrupted() { throw CSVReader.interrupted(tableName) }
                let chunk = group.chunks[i]
                do {
                    try decoder.readChunk(bytes, chunk, rows: Int(group.rows))
                } catch let f as ParquetFault {
                    throw ParquetError(file: fileName, part: "column '\(c.name)'", f.message, help: f.help ?? ParquetFault.damaged)
                }
            }
            var column = try decoder.finish(scale: info.keyValues["peel.scale.\(c.name)"].flatMap { Int($0) }, notes: &notes)
            column.unit = info.keyValues["peel.unit.\(c.name)"].flatMap { $0.isEmpty ? nil : $0 }
            // Names as a CSV header would give them: none empty, none twice.
            var name = c.name.trimmingCharacters(in: .whitespaces)
            if name.isEmpty {
                name = "column_\(i + 1)"
                notes.append("a column with no name is called \(name)")
            }
            if names.contains(name) {
                var k = 2
                while names.contains("\(name)_\(k)") { k += 1 }
                notes.append("a second column named \(name) is called \(name)_\(k)")
                name = "\(name)_\(k)"
            }
            names.insert(name)
            column.name = name
            columns.append(column.detectingPeriods())
        }
        return ParquetResult(table: Table(name: tableName, columns: columns), rowGroups: info.rowGroups.count, notes: notes)
    }
}

/// What a column's values become while reading: whole numbers, reals or text codes.
enum ColumnKind {
    case integer, real, text
}

/// Reads one column's chunks, row group by row group, into row-aligned storage.
struct ColumnDecoder {
    let info: ParquetColumnInfo
    let file: String
    let kind: ColumnKind
    let unsigned: Bool
    /// DECIMAL's scale, for values read as reals from bytes.
    let decimalScale: Int
    var ints: [Int64] = []
    var reals: [Double] = []
    var codes: [Int32] = []
    var dictionary: [String] = []
    var lookup: [ArraySlice<UInt8>: Int32] = [:]
    /// Row flags, true where the value is null (kept only for optional columns).
    var missing: [Bool] = []
    var anyMissing = false
    /// The current chunk's dictionary, converted.
    var dictInts: [Int64]?
    var dictReals: [Double]?
    var dictCodes: [Int32]?

    init(_ info: ParquetColumnInfo, file: String, rows: Int) throws {
        self.info = info
        self.file = file
        let part = "column '\(info.name)'"
        func refuse(_ what: String) -> ParquetError {
            ParquetError(file: file, part: part, "is \(what), which peel does not read",
                         help: "convert that column first (to text, numbers or a date), or leave it out")
        }
        var unsigned = false
        var decimalScale = 0
        switch (info.physical, info.meaning) {
        case (_, .unsupported(let name)): throw refuse("of type \(name)")
        case (.int96, _): throw refuse("INT96 (an old timestamp form)")
        case (.boolean, _): kind = .integer
        case (.int32, .integer(_, let signed)), (.int64, .integer(_, let signed)):
            kind = .integer
            unsigned = !signed
        case (.int32, _), (.int64, _): kind = .integer
        case (.float, _), (.double, _): kind = .real
        case (.byteArray, .decimal(let s, _)), (.fixedLenByteArray, .decimal(let s, _)):
            kind = .real
            decimalScale = s
        case (.byteArray, _), (.fixedLenByteArray, _): kind = .text
        }
        if case .decimal(let s, _) = info.meaning, s < 0 || s > 38 { throw ParquetError(file: file, part: part, "has a DECIMAL scale of \(s)") }
        self.unsigned = unsigned
        self.decimalScale = decimalScale
        let capacity = min(rows, 1 << 24)
        switch kind {
        case .integer: ints.reserveCapacity(capacity)
        case .real: reals.reserveCapacity(capacity)
        case .text: codes.reserveCapacity(capacity)
        }
    }

    var count: Int {
        switch kind {
        case .integer: return ints.count
        case .real: return reals.count
        case .text: return codes.count
        }
    }

    mutating func readChunk(_ file: [UInt8], _ chunk: ParquetChunkInfo, rows: Int) throws {
        guard chunk.physical == info.physical.rawValue else {
            throw ParquetFault("its chunk says physical type \(chunk.physical), the schema \(info.physical.name)")
        }
        guard let codec = ParquetCodec(rawValue: chunk.codec) else { throw ParquetFault("is compressed with an unknown codec (\(chunk.codec))", help: "write the file again with ZSTD, SNAPPY or no compression") }
        guard chunk.valueCount == Int64(rows) else {
            throw ParquetFault("a chunk holds \(chunk.valueCount) values for a row group of \(rows) rows")
        }
        dictInts = nil
        dictReals = nil
        dictCodes = nil
        let end = chunk.start + chunk.length
        var position = chunk.start
        let target = count + rows
        while count < target {
            guard position < end else { throw ParquetFault("a chunk ends after \(count) of \(target) values") }
            var headerReader = ThriftReader(file[position..<end])
            let header = try headerReader.readStruct()
            position += headerReader.consumed
            guard let type = header[1]?.int, let rawSize = header[2]?.int, let size = header[3]?.int, size >= 0, rawSize >= 0,
                  size <= Int64(end - position) else {
                throw ParquetFault("a page header is incomplete, or its page runs past the chunk")
            }
            let body = file[position..<(position + Int(size))]
            position += Int(size)
            switch type {
            case 2:
                guard let h = header[7]?.structure, let n = h[1]?.int, n >= 0 else { throw ParquetFault("a dictionary page has no header") }
                let encoding = h[2]?.int ?? 0
                guard encoding == 0 || encoding == 2 else {
                    throw ParquetFault("a dictionary page is in \(encodingName(encoding)), not PLAIN", help: "write the file again with a current writer (pyarrow, DuckDB)")
                }
                let data = try codec.decompress(body, size: Int(rawSize))
                try readDictionary(data[...], count: Int(n))
            case 0:
                guard let h = header[5]?.structure, let n = h[1]?.int, let encoding = h[2]?.int else {
                    throw ParquetFault("a data page has no header")
                }
                guard n >= 0, n <= Int64(target - count) else { throw ParquetFault("a data page holds \(n) values, more than the \(target - count) left in its row group") }
                let data = try codec.decompress(body, size: Int(rawSize))
                var rest = data[...]
                var present = [Bool]()
                if info.optional {
                    let levelEncoding = h[3]?.int ?? 3
                    guard levelEncoding == 3 else {
                        throw ParquetFault("definition levels are in \(encodingName(levelEncoding)), which peel does not read", help: "write the file again with a current writer (pyarrow, DuckDB)")
                    }
                    guard rest.count >= 4 else { throw ParquetFault("a data page ends before its definition levels") }
                    let b = rest.startIndex
                    let length = Int(rest[b]) | Int(rest[b + 1]) << 8 | Int(rest[b + 2]) << 16 | Int(rest[b + 3]) << 24
                    guard length <= rest.count - 4 else { throw ParquetFault("the definition levels claim \(length) bytes of a \(rest.count)-byte page") }
                    let levels = try RLEHybrid.decode(rest[(b + 4)..<(b + 4 + length)], bitWidth: 1, count: Int(n), limit: 1)
                    present = levels.map { $0 == 1 }
                    rest = rest[(b + 4 + length)...]
                }
                try readValues(rest, encoding: encoding, rows: Int(n), present: present)
            case 3:
                guard let h = header[8]?.structure, let n = h[1]?.int, let nulls = h[2]?.int, let encoding = h[4]?.int,
                      let defLength = h[5]?.int, n >= 0, nulls >= 0, nulls <= n, defLength >= 0 else {
                    throw ParquetFault("a version 2 data page has no header")
                }
                guard n <= Int64(target - count) else { throw ParquetFault("a data page holds \(n) values, more than the \(target - count) left in its row group") }
                let repLength = h[6]?.int ?? 0
                guard repLength == 0 else { throw ParquetFault("a page has repetition levels in a flat column") }
                guard defLength <= Int64(body.count) else { throw ParquetFault("the definition levels claim \(defLength) bytes of a \(body.count)-byte page") }
                let levelBytes = body.prefix(Int(defLength))
                let valueBytes = body.dropFirst(Int(defLength))
                let compressed = h[7]?.bool ?? true
                let data: [UInt8]
                if compressed && codec != .uncompressed {
                    data = try codec.decompress(valueBytes, size: Int(rawSize) - Int(defLength))
                } else {
                    data = Array(valueBytes)
                }
                var present = [Bool]()
                if info.optional {
                    let levels = try RLEHybrid.decode(levelBytes, bitWidth: 1, count: Int(n), limit: 1)
                    present = levels.map { $0 == 1 }
                    let nullCount = present.lazy.filter { !$0 }.count
                    guard nullCount == Int(nulls) else { throw ParquetFault("a page says \(nulls) nulls but its levels mark \(nullCount)") }
                } else if nulls > 0 {
                    throw ParquetFault("a required column's page holds \(nulls) nulls")
                }
                try readValues(data[...], encoding: encoding, rows: Int(n), present: present)
            default:
                continue  // index pages and pages of kinds to come: not needed
            }
        }
    }

    func encodingName(_ e: Int64) -> String {
        switch e {
        case 0: return "PLAIN"
        case 2: return "PLAIN_DICTIONARY"
        case 3: return "RLE"
        case 4: return "BIT_PACKED"
        case 5: return "DELTA_BINARY_PACKED"
        case 6: return "DELTA_LENGTH_BYTE_ARRAY"
        case 7: return "DELTA_BYTE_ARRAY"
        case 8: return "RLE_DICTIONARY"
        case 9: return "BYTE_STREAM_SPLIT"
        default: return "encoding \(e)"
        }
    }

    mutating func readDictionary(_ data: ArraySlice<UInt8>, count: Int) throws {
        switch kind {
        case .integer: dictInts = try plainInts(data, count: count).values
        case .real: dictReals = try plainReals(data, count: count).values
        case .text: dictCodes = try plainTexts(data, count: count).values
        }
    }

    /// Appends `rows` rows: the values of those present (all, for a required column).
    mutating func readValues(_ page: ArraySlice<UInt8>, encoding pageEncoding: Int64, rows: Int, present: [Bool]) throws {
        let values = present.isEmpty ? rows : present.lazy.filter { $0 }.count
        var data = page
        var encoding = pageEncoding
        if encoding == 9 {
            // BYTE_STREAM_SPLIT: put the bytes back in PLAIN order, then read them so.
            let width: Int
            switch info.physical {
            case .int32, .float: width = 4
            case .int64, .double: width = 8
            case .fixedLenByteArray: width = info.typeLength
            default: throw ParquetFault("values are in BYTE_STREAM_SPLIT, which a \(info.physical.name) column cannot be")
            }
            data = try ParquetDelta.unsplit(page, count: values, width: width)[...]
            encoding = 0
        }
        let delta = encoding == 5 || encoding == 6 || encoding == 7
        if encoding == 5 && info.physical != .int32 && info.physical != .int64 {
            throw ParquetFault("values are in DELTA_BINARY_PACKED, which a \(info.physical.name) column cannot be")
        }
        if (encoding == 6 || encoding == 7) && info.physical != .byteArray && !(encoding == 7 && info.physical == .fixedLenByteArray) {
            throw ParquetFault("values are in \(encodingName(encoding)), which a \(info.physical.name) column cannot be")
        }
        func byteStrings() throws -> [ArraySlice<UInt8>] {
            if encoding == 6 { return try ParquetDelta.lengthByteArray(data, count: values).values }
            return try ParquetDelta.byteArray(data, count: values, limit: Limits.maxDecompressedBytes)
        }
        let dictionaryEncoded = encoding == 2 || encoding == 8
        var indices: [UInt32] = []
        if dictionaryEncoded {
            let size: Int
            switch kind {
            case .integer: size = dictInts?.count ?? -1
            case .real: size = dictReals?.count ?? -1
            case .text: size = dictCodes?.count ?? -1
            }
            guard size >= 0 else { throw ParquetFault("a dictionary-encoded page comes before any dictionary page") }
            if values > 0 {
                guard let width = data.first else { throw ParquetFault("a dictionary-encoded page has no bit width") }
                guard size > 0 else { throw ParquetFault("a page refers to an empty dictionary") }
                indices = try RLEHybrid.decode(data.dropFirst(), bitWidth: Int(width), count: values, limit: UInt32(clamping: size - 1))
            }
        } else if encoding != 0 && !delta && !(encoding == 3 && info.physical == .boolean) {
            throw ParquetFault("values are in \(encodingName(encoding)), which peel does not read (it reads PLAIN, dictionary, DELTA and BYTE_STREAM_SPLIT encodings)",
                               help: "write the file again with PLAIN or dictionary encoding (pyarrow's defaults; DuckDB: PARQUET_VERSION V1)")
        }
        func spread<T>(_ got: [T], into out: inout [T], filler: T) throws {
            if present.isEmpty {
                out.append(contentsOf: got)
                missing.append(contentsOf: repeatElement(false, count: rows))
                return
            }
            // The fillers first, then each present value into its row (got holds one per present row).
            let base = out.count
            out.append(contentsOf: repeatElement(filler, count: rows))
            guard got.count == values, present.count == rows else { throw ParquetFault("a page decodes to \(got.count) values where \(values) are wanted") }
            out.withUnsafeMutableBufferPointer { o in
                got.withUnsafeBufferPointer { g in
                    var k = 0
                    for i in 0..<rows where present[i] {
                        o[base + i] = g[k]
                        k += 1
                    }
                }
            }
            missing += present.map { !$0 }
            if values < rows { anyMissing = true }
        }
        switch kind {
        case .integer:
            let got: [Int64]
            if dictionaryEncoded, let d = dictInts { got = indices.map { d[Int($0)] } }
            else if encoding == 5 {
                let raw = try ParquetDelta.binaryPacked(data, count: values).values
                if info.physical == .int32 {
                    got = raw.map { v in
                        let w = UInt32(truncatingIfNeeded: v)
                        return unsigned ? Int64(w) : Int64(Int32(bitPattern: w))
                    }
                } else { got = raw }
            } else if encoding == 3 {
                // Booleans run-length encoded (version 2 pages): a 4-byte length, then the runs.
                guard data.count >= 4 else { throw ParquetFault("a page of booleans ends before its length") }
                let b = data.startIndex
                let length = Int(data[b]) | Int(data[b + 1]) << 8 | Int(data[b + 2]) << 16 | Int(data[b + 3]) << 24
                guard length <= data.count - 4 else { throw ParquetFault("a page of booleans claims \(length) bytes of \(data.count)") }
                got = try RLEHybrid.decode(data[(b + 4)..<(b + 4 + length)], bitWidth: 1, count: values, limit: 1).map { Int64($0) }
            } else { got = try plainInts(data, count: values).values }
            try spread(got, into: &ints, filler: 0)
        case .real:
            let got: [Double]
            if dictionaryEncoded, let d = dictReals { got = indices.map { d[Int($0)] } }
            else if delta { got = try byteStrings().map { Self.bigEndianDecimal($0, scale: decimalScale) } }
            else { got = try plainReals(data, count: values).values }
            try spread(got, into: &reals, filler: 0)
        case .text:
            let got: [Int32]
            if dictionaryEncoded, let d = dictCodes { got = indices.map { d[Int($0)] } }
            else if delta { got = try intern(try byteStrings()) }
            else { got = try plainTexts(data, count: values).values }
            try spread(got, into: &codes, filler: 0)
        }
    }

    /// `count` values of `width` bytes each must fit.
    func need(_ data: ArraySlice<UInt8>, count: Int, width: Int) throws {
        guard count <= data.count / width else {
            throw ParquetFault("a page holds \(data.count) bytes, too few for \(count) values of \(width) bytes")
        }
    }

    func plainInts(_ data: ArraySlice<UInt8>, count: Int) throws -> (values: [Int64], Void) {
        var out = [Int64]()
        out.reserveCapacity(count)
        let b = data.startIndex
        switch info.physical {
        case .boolean:
            guard count <= data.count * 8 else { throw ParquetFault("a page holds \(data.count) bytes, too few for \(count) booleans") }
            for i in 0..<count { out.append(Int64((data[b + (i >> 3)] >> UInt8(i & 7)) & 1)) }
        case .int32:
            try need(data, count: count, width: 4)
            data.withUnsafeBytes { raw in
                for i in 0..<count {
                    let v = raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian
                    out.append(unsigned ? Int64(v) : Int64(Int32(bitPattern: v)))
                }
            }
        case .int64:
            try need(data, count: count, width: 8)
            data.withUnsafeBytes { raw in
                for i in 0..<count { out.append(Int64(bitPattern: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self).littleEndian)) }
            }
        default: throw ParquetFault("a \(info.physical.name) column read as whole numbers")
        }
        return (out, ())
    }

    func plainReals(_ data: ArraySlice<UInt8>, count: Int) throws -> (values: [Double], Void) {
        var out = [Double]()
        out.reserveCapacity(count)
        switch info.physical {
        case .float:
            try need(data, count: count, width: 4)
            data.withUnsafeBytes { raw in
                for i in 0..<count {
                    let f = Float(bitPattern: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian)
                    // The float's own shortest digits (1.1, not 1.100000023841858).
                    out.append(f.isFinite ? Double(f.description) ?? Double(f) : Double(f))
                }
            }
        case .double:
            try need(data, count: count, width: 8)
            data.withUnsafeBytes { raw in
                for i in 0..<count { out.append(Double(bitPattern: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self).littleEndian)) }
            }
        case .fixedLenByteArray, .byteArray:
            try eachBytes(data, count: count) { out.append(Self.bigEndianDecimal($0, scale: decimalScale)) }
        default: throw ParquetFault("a \(info.physical.name) column read as numbers")
        }
        return (out, ())
    }

    /// A DECIMAL's unscaled two's-complement big-endian bytes, divided by 10^scale.
    static func bigEndianDecimal(_ bytes: ArraySlice<UInt8>, scale: Int) -> Double {
        // A negative value is read as its magnitude (invert and add one), so that no precision
        // goes in subtracting 2^(8n) from a huge unsigned number.
        let negative = (bytes.first ?? 0) & 0x80 != 0
        var v = 0.0
        for b in bytes { v = v * 256 + Double(negative ? ~b : b) }
        if negative { v = -(v + 1) }
        return v / pow(10, Double(scale))
    }

    /// Calls `body` with each of `count` byte strings: length-prefixed (BYTE_ARRAY) or fixed.
    func eachBytes(_ data: ArraySlice<UInt8>, count: Int, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        var p = data.startIndex
        let end = data.endIndex
        if info.physical == .fixedLenByteArray {
            let w = info.typeLength
            try need(data, count: count, width: w)
            for _ in 0..<count {
                try body(data[p..<(p + w)])
                p += w
            }
            return
        }
        for i in 0..<count {
            guard end - p >= 4 else { throw ParquetFault("a page ends after \(i) of \(count) values") }
            let length = Int(data[p]) | Int(data[p + 1]) << 8 | Int(data[p + 2]) << 16 | Int(data[p + 3]) << 24
            p += 4
            guard length <= end - p else { throw ParquetFault("a value claims \(length) bytes where \(end - p) are left in its page") }
            try body(data[p..<(p + length)])
            p += length
        }
    }

    /// Each text's code, adding those not seen before.
    /// The code of one text, added to the column's dictionary the first time it is seen.
    static func code(of s: ArraySlice<UInt8>, lookup: inout [ArraySlice<UInt8>: Int32], dictionary: inout [String]) throws -> Int32 {
        if let code = lookup[s] { return code }
        guard let text = String(validating: s, as: UTF8.self) else {
            throw ParquetFault("holds text that is not valid UTF-8 (value \(dictionary.count + 1) of those read)")
        }
        guard dictionary.count < Int(Int32.max) else { throw ParquetFault("holds too many distinct texts") }
        let code = Int32(dictionary.count)
        dictionary.append(text)
        lookup[Array(s)[...]] = code
        return code
    }

    mutating func intern(_ strings: [ArraySlice<UInt8>]) throws -> [Int32] {
        var out = [Int32]()
        out.reserveCapacity(strings.count)
        for s in strings { out.append(try Self.code(of: s, lookup: &lookup, dictionary: &dictionary)) }
        return out
    }

    mutating func plainTexts(_ data: ArraySlice<UInt8>, count: Int) throws -> (values: [Int32], Void) {
        var out = [Int32]()
        out.reserveCapacity(count)
        // Local copies, so the closure below does not capture `self` (moved back when done).
        var lookup = self.lookup
        var dictionary = self.dictionary
        defer {
            self.lookup = lookup
            self.dictionary = dictionary
        }
        try eachBytes(data, count: count) { s in
            out.append(try Self.code(of: s, lookup: &lookup, dictionary: &dictionary))
        }
        return (out, ())
    }

    /// The column, typed by what its values mean.
    mutating func finish(scale stored: Int?, notes: inout [String]) throws -> Column {
        let mask = anyMissing ? MissingMask(missing) : MissingMask()
        let part = "column '\(info.name)'"
        func textColumn(_ codes: [Int32], _ dict: [String]) -> Column {
            Column(name: info.name, data: .text(codes: codes, dictionary: dict.isEmpty ? [""] : dict), missing: mask)
        }
        switch kind {
        case .text:
            return textColumn(codes, dictionary)
        case .real:
            var values = reals
            var bad = 0
            var flags = missing
            for i in values.indices where !values[i].isFinite && !(flags.isEmpty ? false : flags[i]) {
                values[i] = 0
                if flags.isEmpty { flags = [Bool](repeating: false, count: values.count) }
                flags[i] = true
                bad += 1
            }
            if bad > 0 { notes.append("\(bad) value\(bad == 1 ? "" : "s") of \(info.name) that \(bad == 1 ? "is" : "are") not a number (NaN or infinite) read as missing") }
            let m = bad > 0 ? MissingMask(flags) : mask
            let scale: Int
            if case .decimal(let s, _) = info.meaning { scale = min(s, 12) } else { scale = stored.map { max(0, min($0, 12)) } ?? Self.inferScale(values, missing: m) }
            return Column(name: info.name, data: .decimal(values, scale: scale), missing: m)
        case .integer:
            if info.physical == .boolean {
                return textColumn(ints.map { Int32($0) }, ["false", "true"])
            }
            switch info.meaning {
            case .decimal(let s, _):
                let p = pow(10, Double(s))
                return Column(name: info.name, data: .decimal(ints.map { Double($0) / p }, scale: min(s, 12)), missing: mask)
            case .date:
                let (low, high) = Self.dayRange
                var days = [Int32]()
                days.reserveCapacity(ints.count)
                for (i, v) in ints.enumerated() {
                    if !missing.isEmpty && missing[i] { days.append(0); continue }
                    guard v >= Int64(low), v <= Int64(high) else {
                        throw ParquetError(file: file, part: part, "holds a date \(v) days from 1970-01-01, outside the years 1 to 9999")
                    }
                    days.append(Int32(v))
                }
                return Column(name: info.name, data: .date(days), missing: mask)
            case .timestamp(let perSecond):
                return try timestamps(perSecond: perSecond, mask: mask, notes: &notes)
            case .time(let perSecond):
                var dict: [String] = []
                var seen: [Int64: Int32] = [:]
                var out = [Int32]()
                out.reserveCapacity(ints.count)
                for (i, v) in ints.enumerated() {
                    if !missing.isEmpty && missing[i] { out.append(0); continue }
                    if let c = seen[v] { out.append(c); continue }
                    guard v >= 0, v < 86_400 * perSecond else { throw ParquetError(file: file, part: part, "holds a time of day \(v) past midnight") }
                    let c = Int32(dict.count)
                    dict.append(Self.clock(v, perSecond: perSecond))
                    seen[v] = c
                    out.append(c)
                }
                return textColumn(out, dict)
            default:
                if unsigned && info.physical == .int64 && ints.contains(where: { $0 < 0 }) {
                    notes.append("\(info.name) holds whole numbers past 9,223,372,036,854,775,807, so it is read as decimal (and may be rounded)")
                    return Column(name: info.name, data: .decimal(ints.map { Double(UInt64(bitPattern: $0)) }, scale: 0), missing: mask)
                }
                return Column(name: info.name, data: .integer(ints), missing: mask)
            }
        }
    }

    /// 0001-01-01 and 9999-12-31 as days from 1970-01-01: the dates peel holds.
    static let dayRange: (Int32, Int32) = (-719_162, 2_932_896)

    /// hh:mm:ss, with the fraction when there is one.
    static func clock(_ v: Int64, perSecond: Int64) -> String {
        let seconds = v / perSecond
        let fraction = v % perSecond
        func two(_ x: Int64) -> String { x < 10 ? "0\(x)" : "\(x)" }
        var out = "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        if fraction != 0 {
            let digits = perSecond == 1_000 ? 3 : perSecond == 1_000_000 ? 6 : 9
            var f = String(fraction)
            f = String(repeating: "0", count: max(0, digits - f.count)) + f
            while f.last == "0" { f.removeLast() }
            out += "." + f
        }
        return out
    }

    /// Timestamps: a date column when every value is at midnight, else text (2019-03-01 14:05:00).
    mutating func timestamps(perSecond: Int64, mask: MissingMask, notes: inout [String]) throws -> Column {
        let perDay = 86_400 * perSecond
        let (low, high) = Self.dayRange
        var days = [Int32]()
        var within = [Int64]()
        days.reserveCapacity(ints.count)
        var midnight = true
        for (i, v) in ints.enumerated() {
            if !missing.isEmpty && missing[i] {
                days.append(0)
                within.append(0)
                continue
            }
            // Floor division: an instant before 1970 belongs to the day it falls in.
            var d = v / perDay
            var r = v % perDay
            if r < 0 {
                d -= 1
                r += perDay
            }
            guard d >= Int64(low), d <= Int64(high) else {
                throw ParquetError(file: file, part: "column '\(info.name)'", "holds a timestamp outside the years 1 to 9999")
            }
            if r != 0 { midnight = false }
            days.append(Int32(d))
            within.append(r)
        }
        if midnight { return Column(name: info.name, data: .date(days), missing: mask) }
        notes.append("\(info.name) holds times of day, so it is read as text (yyyy-mm-dd hh:mm:ss)")
        var dict: [String] = []
        var seen: [String: Int32] = [:]
        var out = [Int32]()
        out.reserveCapacity(days.count)
        for i in days.indices {
            if !missing.isEmpty && missing[i] { out.append(0); continue }
            let s = CivilDate.iso(days[i]) + " " + Self.clock(within[i], perSecond: perSecond)
            if let c = seen[s] { out.append(c); continue }
            let c = Int32(dict.count)
            dict.append(s)
            seen[s] = c
            out.append(c)
        }
        return Column(name: info.name, data: .text(codes: out, dictionary: dict.isEmpty ? [""] : dict), missing: mask)
    }

    /// The fewest decimals (up to 10) that show every value as written.
    static func inferScale(_ values: [Double], missing: MissingMask) -> Int {
        var scale = 0
        for (i, v) in values.enumerated() where !missing[i] {
            while scale < 10 {
                let p = pow(10, Double(scale)) * v
                if abs(p - p.rounded()) <= 1e-9 * max(1, abs(p)) { break }
                scale += 1
            }
            if scale == 10 { break }
        }
        return scale
    }
}
