import Foundation

/// How to read a delimited file.
public struct CSVOptions: Sendable {
    /// The field separator; nil detects it from the first line (`,` `\t` `;` `|`).
    public var delimiter: UInt8?
    /// Values that mean "no value", compared ignoring case. Empty fields are always missing.
    public var missingMarkers: [String] = ["-", "..", "n/a", "NA", "*"]
    /// Load the good rows and report the bad ones instead of stopping at the first.
    public var skipBadRows = false
    /// Checked as the file is read: true stops the load (Ctrl-C), leaving every table as it was.
    public var isInterrupted: @Sendable () -> Bool = { false }
    /// Told how far the read has got (0 to 1), now and then, so a terminal can show progress.
    public var progress: @Sendable (Double) -> Void = { _ in }
    public init() {}
}

/// A table read from a file, with what the reader noticed on the way.
public struct CSVResult {
    public var table: Table
    /// Rows left out (only with `skipBadRows`): the line and the reason.
    public var skipped: [(line: Int, reason: String)] = []
    /// Column names that were empty or repeated in the header and were renamed.
    public var renamed: [(from: String, to: String)] = []
    /// Rows in which every field was empty or a missing marker, left out.
    public var emptyRows = 0
    public var delimiter: UInt8
    public var hadHeader: Bool
}

/// An RFC 4180 reader over bytes: quoted fields, doubled quotes, CRLF or LF, optional BOM and gzip.
/// Each column is dictionary-encoded while reading; types are then inferred from the distinct values.
public enum CSVReader {
    public static func read(_ raw: [UInt8], name: String, fileName: String, options: CSVOptions = CSVOptions()) throws -> CSVResult {
        try raw.withUnsafeBufferPointer { try read($0, name: name, fileName: fileName, options: options) }
    }

    /// Reads CSV (or gzip-compressed CSV) from bytes the caller keeps alive, e.g. a mapped file.
    public static func read(_ raw: UnsafeBufferPointer<UInt8>, name: String, fileName: String, options: CSVOptions = CSVOptions()) throws -> CSVResult {
        if Gzip.isGzip(raw) {
            let text = try Gzip.decompress(raw, name: fileName, isInterrupted: options.isInterrupted,
                                           progress: { options.progress($0 * 0.3) })
            return try text.withUnsafeBufferPointer { try readText($0, name: name, fileName: fileName, options: options) }
        }
        return try readText(raw, name: name, fileName: fileName, options: options)
    }

    static func readText(_ bytes: UnsafeBufferPointer<UInt8>, name: String, fileName: String, options: CSVOptions) throws -> CSVResult {
        // Large well-formed files: the parallel reader, which also makes sure there are no NUL bytes.
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        let delim = options.delimiter ?? detectDelimiter(bytes, from: i)
        if let fast = try FastCSV.parse(bytes, from: i, delimiter: delim, name: name, fileName: fileName, options: options) { return fast }
        if let nul = bytes.count == 0 ? nil : memchr(bytes.baseAddress!, 0, bytes.count).map({ UnsafeRawPointer($0) - UnsafeRawPointer(bytes.baseAddress!) }) {
            let line = bytes[..<nul].reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
            throw Diagnostic("the file contains NUL bytes, so it is not a text file", file: fileName, line: line,
                             help: "is this a spreadsheet (.xlsx/.ods)? export it as CSV first")
        }
        return try parse(bytes, name: name, fileName: fileName, options: options)
    }

    static func interrupted(_ fileName: String) -> Diagnostic {
        Diagnostic("interrupted: \(fileName) was not loaded, and every table is as it was", file: fileName)
    }

    /// Reads a CSV file that must be well formed (bundled data); the table alone.
    public static func table(_ bytes: [UInt8], name: String, fileName: String) throws -> Table {
        try read(bytes, name: name, fileName: fileName).table
    }

    static func detectDelimiter(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "|")]
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var i = start
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { inQuotes.toggle() }
            else if !inQuotes {
                if c == 10 { break }
                if let k = candidates.firstIndex(of: c) { counts[k] += 1 }
            }
            i += 1
        }
        let best = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        return counts[best] > 0 ? candidates[best] : UInt8(ascii: ",")
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>, name: String, fileName: String, options: CSVOptions) throws -> CSVResult {
        var i = 0
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        let delim = options.delimiter ?? detectDelimiter(b, from: i)
        let quote = UInt8(ascii: "\"")

        var interners: [ByteInterner] = []
        var codes: [[Int32]] = []
        var header: [String]?
        var width = 0
        var skipped: [(Int, String)] = []
        var line = 1
        var scratch: [UInt8] = []
        var record: [(Int, Int, Bool)] = []  // field start, end, needs unescaping
        var recordLine = 1

        /// The text of a line of the file (for error excerpts), found by counting newlines.
        func lineText(_ n: Int) -> String {
            var k = 0, seen = 1
            while k < b.count, seen < n { if b[k] == 10 { seen += 1 }; k += 1 }
            var e = k
            while e < b.count, b[e] != 10, e - k < 400 { e += 1 }
            if e > k, b[e - 1] == 13 { e -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: b[k..<e]), as: UTF8.self)
        }

        func fieldCopy(_ f: (Int, Int, Bool)) -> [UInt8] {
            var out: [UInt8] = []
            _ = fieldBytes(f) { p in out = Array(p); return 0 }
            return out
        }

        func fieldBytes(_ f: (Int, Int, Bool), _ body: (UnsafeBufferPointer<UInt8>) -> Int32) -> Int32 {
            var (s, e) = (f.0, f.1)
            let escaped = f.2
            if escaped {
                scratch.removeAll(keepingCapacity: true)
                var k = s
                while k < e {
                    scratch.append(b[k])
                    k += b[k] == quote ? 2 : 1
                }
                return scratch.withUnsafeBufferPointer(body)
            }
            while s < e, b[s] == 32 { s += 1 }
            while e > s, b[e - 1] == 32 { e -= 1 }
            return body(UnsafeBufferPointer(rebasing: b[s..<e]))
        }

        func finishRecord() throws {
            defer { record.removeAll(keepingCapacity: true) }
            if record.count == 1, record[0].0 == record[0].1 { return }  // a blank line
            if header == nil {
                header = record.map { f in
                    let bytes = fieldCopy(f)
                    return String(decoding: bytes, as: UTF8.self)
                }
                width = record.count
                interners = (0..<width).map { _ in ByteInterner() }
                codes = Array(repeating: [], count: width)
                return
            }
            guard record.count == width else {
                let reason = "expected \(width) fields, found \(record.count)"
                if options.skipBadRows { skipped.append((recordLine, reason)); return }
                throw Diagnostic(reason, file: fileName, line: recordLine, excerpt: lineText(recordLine),
                                 help: "check the quoting on that line, or load with 'skip bad rows' to leave such rows out")
            }
            for (j, f) in record.enumerated() {
                codes[j].append(fieldBytes(f) { interners[j].intern($0) })
            }
            if codes[0].count & 0xFFFF == 0 {
                if options.isInterrupted() { throw CSVReader.interrupted(fileName) }
                options.progress(Double(i) / Double(max(1, b.count)))
            }
        }

        // The scanner: one pass over the bytes.
        var fieldStart = i
        while i <= b.count {
            if i == b.count {
                if fieldStart < i || !record.isEmpty {
                    var e = i
                    if e > fieldStart, b[e - 1] == 13 { e -= 1 }
                    record.append((fieldStart, e, false))
                    try finishRecord()
                }
                break
            }
            let c = b[i]
            if c == quote, i == fieldStart || b[fieldStart..<i].allSatisfy({ $0 == 32 }) {
                // A quoted field: find the closing quote (a doubled quote is a literal quote).
                let open = i
                var k = i + 1
                var escaped = false
                var closed = false
                while k < b.count {
                    if b[k] == quote {
                        if k + 1 < b.count, b[k + 1] == quote { escaped = true; k += 2; continue }
                        closed = true
                        break
                    }
                    if b[k] == 10 { line += 1 }
                    k += 1
                }
                guard closed else {
                    throw Diagnostic("a quoted field is never closed", file: fileName, line: recordLine, excerpt: lineText(recordLine),
                                     help: "the quote opened on line \(recordLine) has no closing quote before the end of the file")
                }
                var after = k + 1
                while after < b.count, b[after] == 32 { after += 1 }
                guard after == b.count || b[after] == delim || b[after] == 10 || b[after] == 13 else {
                    throw Diagnostic("unexpected text after a closing quote", file: fileName, line: line, excerpt: lineText(line),
                                     help: "inside a quoted field, write a quote as two quotes (\"\")")
                }
                record.append((open + 1, k, escaped))
                i = after
                if i < b.count, b[i] == 13 { i += 1 }
                if i < b.count, b[i] == delim {
                    i += 1
                    fieldStart = i
                    if i == b.count { record.append((i, i, false)); try finishRecord() }
                } else {
                    if i < b.count, b[i] == 10 { i += 1; line += 1 }
                    try finishRecord()
                    recordLine = line
                    fieldStart = i
                }
                continue
            }
            if c == delim {
                record.append((fieldStart, i, false))
                i += 1
                fieldStart = i
                continue
            }
            if c == 10 {
                var e = i
                if e > fieldStart, b[e - 1] == 13 { e -= 1 }
                record.append((fieldStart, e, false))
                try finishRecord()
                i += 1
                line += 1
                recordLine = line
                fieldStart = i
                continue
            }
            if c == quote {
                throw Diagnostic("a quote inside an unquoted field", file: fileName, line: line, excerpt: lineText(line),
                                 help: "quote the whole field and double the inner quote (\"\")")
            }
            i += 1
        }

        guard let names = header else {
            throw Diagnostic("the file is empty", file: fileName, line: 1, help: "a CSV file needs a header row naming its columns")
        }
        return try assemble(names: names, interners: &interners, codes: &codes, skipped: skipped, delimiter: delim,
                        name: name, fileName: fileName, options: options)
    }

    /// Names the columns, infers each column's type from its distinct values, and builds the table.
    static func assemble(names headerNames: [String], interners: inout [ByteInterner], codes: inout [[Int32]], skipped: [(Int, String)],
                         delimiter delim: UInt8, name: String, fileName: String, options: CSVOptions) throws -> CSVResult {
        var names = headerNames
        let width = names.count

        // No header when every value of the first row looks like data (numbers or dates).
        let markers = Set(options.missingMarkers.map { $0.lowercased() } + [""])
        let hadHeader = !names.allSatisfy { n in
            switch ValueKind.classify(n, markers: markers) {
            case .integer, .decimal, .percent, .date: return true
            default: return false
            }
        }
        if !hadHeader {
            for j in 0..<width {
                let code = Array(names[j].utf8).withUnsafeBufferPointer { interners[j].intern($0) }
                codes[j].insert(code, at: 0)
            }
            names = (1...max(1, width)).map { "column_\($0)" }
        }
        var renamed: [(String, String)] = []
        var seen = Set<String>()
        for j in names.indices {
            var n = names[j]
            if n.isEmpty { n = "column_\(j + 1)" }
            var candidate = n
            var k = 2
            while seen.contains(candidate.lowercased()) { candidate = "\(n)_\(k)"; k += 1 }
            if candidate != names[j] { renamed.append((names[j].isEmpty ? "(empty)" : names[j], candidate)) }
            seen.insert(candidate.lowercased())
            names[j] = candidate
        }

        // Classify each column's distinct values once.
        var strings: [[String]] = []
        var kinds: [[ValueKind]] = []
        for j in 0..<width {
            var col: [String] = []
            for k in 0..<interners[j].count {
                guard let s = String(validating: interners[j].bytes(k), as: UTF8.self) else {
                    let row = codes[j].firstIndex(of: Int32(k)).map { $0 + 1 } ?? 0
                    throw Diagnostic("column '\(names[j])' holds text that is not valid UTF-8 (data row \(row))", file: fileName,
                                     help: "save the file as UTF-8 (in Excel: CSV UTF-8)")
                }
                col.append(s)
            }
            strings.append(col)
            kinds.append(col.map { ValueKind.classify($0, markers: markers) })
        }

        // Rows in which every value is missing (such as a trailing `NA,NA,NA`) carry nothing: drop them.
        let rowCount = codes.first?.count ?? 0
        let missingCode = kinds.map { k in k.map { $0 == .missing } }
        var keep: [Int] = []
        // A column with no missing value at all means no row can be empty: skip the scan.
        if missingCode.allSatisfy({ $0.contains(true) }) {
            keep.reserveCapacity(rowCount)
            for r in 0..<rowCount where (0..<width).contains(where: { !missingCode[$0][Int(codes[$0][r])] }) { keep.append(r) }
        } else {
            keep = Array(0..<rowCount)
        }
        let emptyRows = rowCount - keep.count
        if emptyRows > 0 { for j in 0..<width { codes[j] = keep.map { codes[j][$0] } } }

        var columns: [Column] = []
        for j in 0..<width {
            columns.append(buildColumn(name: names[j], codes: codes[j], strings: strings[j], kinds: kinds[j]))
        }
        let table = Table(name: name, columns: columns)
        return CSVResult(table: table, skipped: skipped, renamed: renamed, emptyRows: emptyRows, delimiter: delim, hadHeader: hadHeader)
    }

    /// Infers a column's type from its distinct values and builds its typed storage.
    static func buildColumn(name: String, codes: [Int32], strings: [String], kinds: [ValueKind]) -> Column {
        let distinct = strings.count
        var anyInt = false, anyDec = false, anyPct = false, anyDate = false, anyText = false
        for k in kinds {
            switch k {
            case .missing: break
            case .integer: anyInt = true
            case .decimal: anyDec = true
            case .percent: anyPct = true
            case .date: anyDate = true
            case .text: anyText = true
            }
        }
        let present = anyInt || anyDec || anyPct || anyDate || anyText
        let isMissing = kinds.map { $0 == .missing }
        let anyMissing = isMissing.contains(true)
        let missing = anyMissing ? MissingMask(codes.map { isMissing[Int($0)] }) : MissingMask()
        if anyText || !present || (anyDate && (anyInt || anyDec || anyPct)) {
            // Text: a dictionary of the distinct present values (the reader's own codes when none is missing).
            if !anyMissing { return Column(name: name, data: .text(codes: codes, dictionary: strings.isEmpty ? [""] : strings), missing: missing) }
            var remap = [Int32](repeating: 0, count: distinct)
            var dict: [String] = []
            for k in 0..<distinct where !isMissing[k] {
                remap[k] = Int32(dict.count)
                dict.append(strings[k])
            }
            if dict.isEmpty { dict = [""] }
            return Column(name: name, data: .text(codes: codes.map { remap[Int($0)] }, dictionary: dict), missing: missing)
        }
        if anyDate {
            let days = kinds.map { k -> Int32 in if case .date(let d) = k { return d }; return 0 }
            return Column(name: name, data: .date(codes.map { days[Int($0)] }), missing: missing)
        }
        if anyInt && !anyDec && !anyPct {
            let ints = kinds.map { k -> Int64 in if case .integer(let v) = k { return v }; return 0 }
            return Column(name: name, data: .integer(codes.map { ints[Int($0)] }), missing: missing)
        }
        var values = [Double](repeating: 0, count: distinct)
        var scales = [UInt8](repeating: 0, count: distinct)
        var maxScale = 0
        for (k, kind) in kinds.enumerated() {
            switch kind {
            case .integer(let v): values[k] = Double(v)
            case .decimal(let v, let s), .percent(let v, let s): values[k] = v; scales[k] = UInt8(s); maxScale = max(maxScale, s)
            default: break
            }
        }
        let uniform = (0..<distinct).allSatisfy { isMissing[$0] || Int(scales[$0]) == maxScale }
        return Column(name: name, unit: anyPct ? "%" : nil, data: .decimal(codes.map { values[Int($0)] }, scale: maxScale),
                      missing: missing, rowScales: uniform ? nil : codes.map { scales[Int($0)] })
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
