import Foundation
import PeelSupport
import PeelData

/// How to read a delimited file.
public struct CSVOptions: Sendable {
    /// The field separator; nil detects it from the first line (`,` `\t` `;` `|`).
    public var delimiter: UInt8?
    /// Values that mean "no value", compared ignoring case and the spaces around them; each such
    /// value is kept as the reason it is missing (`Column.missingReasons`). Empty fields are always
    /// missing. By default the publishers' markers (`MissingMarkers.standard`: `..` `[c]` `[x]` …).
    public var missingMarkers: [String] = MissingMarkers.standard.map(\.marker)
    /// Load the good rows and report the bad ones instead of stopping at the first.
    public var skipBadRows = false
    /// Checked as the file is read: true stops the load (Ctrl-C), leaving every table as it was.
    public var isInterrupted: @Sendable () -> Bool = { false }
    /// Told how far the read has got (0 to 1), now and then, so a terminal can show progress.
    public var progress: @Sendable (Double) -> Void = { _ in }
    /// The smallest input (bytes) read by the parallel reader for quote-free files; smaller ones
    /// use the general reader. Both give the same table; tests and fuzzing lower this to compare them.
    public var fastPathMinimum = 1 << 20
    /// The parallel reader gives each core at least this many bytes (lowered by tests, as above).
    public var chunkBytes = 4 << 20
    /// The input is a read-only private mapping of a file: the parallel reader may hand back pages
    /// it has finished with (the system re-reads them from the file if they are needed again), so
    /// memory stays well below the file's size. Never set for bytes held in ordinary memory.
    public var releaseReadPages = false
    public init() {}

    /// The two readings the readers' differential check compares (FuzzCSV and the corpus replay
    /// test): `flags` picks the delimiter (bits 0–1: sniffed, comma, semicolon, tab), whether bad
    /// rows are skipped (bit 2) and the parallel reader's chunk size in bytes (bits 3–7, plus 1).
    /// The first forces the general reader, the second the parallel one on any input.
    package static func differentialPair(flags: UInt8) -> (general: CSVOptions, parallel: CSVOptions) {
        var general = CSVOptions()
        general.delimiter = [nil, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")][Int(flags & 3)]
        general.skipBadRows = flags & 4 != 0
        general.fastPathMinimum = Int.max
        var parallel = general
        parallel.fastPathMinimum = 0
        parallel.chunkBytes = 1 + Int(flags >> 3)
        return (general, parallel)
    }
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
    /// Columns read as text although nearly all their values are numbers: the column, the first
    /// value that is not, its data row (0-based, before empty rows are dropped) and why.
    public var textBecause: [(column: String, value: String, row: Int, reason: String)] = []
    /// The same, located: `FILE:LINE` warnings with the line, for the load to show.
    public var warnings: [Diagnostic] = []
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
            let text = try Gzip.decompress(raw, name: fileName, table: name, isInterrupted: options.isInterrupted,
                                           progress: { options.progress($0 * 0.3) })
            var inMemory = options
            inMemory.releaseReadPages = false  // the text is ordinary memory, not a file mapping
            return try text.withUnsafeBufferPointer { try readText($0, name: name, fileName: fileName, options: inMemory) }
        }
        return try readText(raw, name: name, fileName: fileName, options: options)
    }

    /// Text that is not UTF-8, found while reading; `readText` turns it into a located error.
    package struct InvalidUTF8: Error {
        package var column: String?
    }

    package static func readText(_ bytes: UnsafeBufferPointer<UInt8>, name: String, fileName: String, options: CSVOptions) throws -> CSVResult {
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw DataFileError.utf16(FileLocation(file: fileName, line: 1))
        }
        do {
            var r = try readUTF8(bytes, name: name, fileName: fileName, options: options)
            if !r.textBecause.isEmpty {
                let lines = recordLines(bytes, delimiter: r.delimiter, skippedLines: Set(r.skipped.map(\.line)),
                                        wanted: Set(r.textBecause.map { $0.row + (r.hadHeader ? 1 : 0) }))
                for t in r.textBecause {
                    let (line, text) = lines[t.row + (r.hadHeader ? 1 : 0)] ?? (0, "")
                    let warning = DataFileError.readAsText(FileLocation(file: fileName, line: line > 0 ? line : nil), excerpt: line > 0 ? text : nil,
                                                           column: t.column, value: t.value, reason: t.reason)
                    r.warnings.append(warning.diagnostic)
                }
            }
            return r
        } catch let e as InvalidUTF8 {
            throw invalidUTF8(bytes, column: e.column, fileName: fileName)
        }
    }

    /// The line on which each wanted record starts (record 0 is the first non-blank one), and the
    /// text of that line, found by scanning the file as the reader does (quotes, CR/LF/CRLF,
    /// blank lines). Records on `skippedLines` (bad rows left out) are not counted.
    package static func recordLines(_ b: UnsafeBufferPointer<UInt8>, delimiter: UInt8, skippedLines: Set<Int>, wanted: Set<Int>) -> [Int: (Int, String)] {
        var out: [Int: (Int, String)] = [:]
        var i = 0
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        var line = 1, record = 0
        let maxWanted = wanted.max() ?? -1
        while i < b.count, record <= maxWanted {
            let startLine = line, start = i
            var inQuotes = false
            var blank = true
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") { inQuotes.toggle() }
                let end = c == 10 || (c == 13 && (i + 1 == b.count || b[i + 1] != 10))
                if c == 10 || c == 13 { if end || inQuotes { if end { line += 1 } } }
                if end && !inQuotes { i += 1; break }
                if c != 13 && c != 10 { blank = false }
                i += 1
            }
            if blank || skippedLines.contains(startLine) { continue }
            if wanted.contains(record) {
                var e = start
                while e < b.count, b[e] != 10, b[e] != 13, e - start < 100_000 { e += 1 }
                out[record] = (startLine, String(decoding: UnsafeBufferPointer(rebasing: b[start..<e]), as: UTF8.self))
            }
            record += 1
        }
        return out
    }

    /// The first byte of `bytes` that is not valid UTF-8, as an error at `FILE:LINE:COL` (for
    /// scripts); `what` names the text ("the script").
    public static func invalidUTF8(_ bytes: [UInt8], what: String, fileName: String) -> DataFileError {
        bytes.withUnsafeBufferPointer { invalidUTF8($0, part: .text(what), fileName: fileName) }
    }

    /// The first byte that is not part of valid UTF-8, as `FILE:LINE:COL` with the line and a caret.
    package static func invalidUTF8(_ b: UnsafeBufferPointer<UInt8>, column: String?, fileName: String) -> DataFileError {
        invalidUTF8(b, part: column.map { .column($0) } ?? .header, fileName: fileName)
    }

    package static func invalidUTF8(_ b: UnsafeBufferPointer<UInt8>, part: DataFileError.Part, fileName: String) -> DataFileError {
        var i = 0
        var bad = b.count
        while i < b.count {
            let c = b[i]
            let n = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0
            var ok = n > 0 && i + n <= b.count
            if ok && n > 1 {
                for k in 1..<n where b[i + k] & 0xC0 != 0x80 { ok = false }
                if ok, n > 2 {
                    let v = (UInt32(c & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F)
                    if n == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) { ok = false }
                    if n == 4 && ((c == 0xF0 && b[i + 1] < 0x90) || (c == 0xF4 && b[i + 1] > 0x8F)) { ok = false }
                }
            }
            if !ok { bad = i; break }
            i += n
        }
        var line = 1, lineStart = 0
        for k in 0..<bad where b[k] == 10 || (b[k] == 13 && (k + 1 >= b.count || b[k + 1] != 10)) {
            line += 1
            lineStart = k + 1
        }
        var lineEnd = bad
        while lineEnd < b.count, b[lineEnd] != 10, b[lineEnd] != 13, lineEnd - lineStart < 100_000 { lineEnd += 1 }
        let before = String(decoding: UnsafeBufferPointer(rebasing: b[lineStart..<bad]), as: UTF8.self)
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[lineStart..<lineEnd]), as: UTF8.self)
        return .invalidUTF8(FileLocation(file: fileName, line: line, column: before.count), excerpt: text, part: part)
    }

    package static func readUTF8(_ bytes: UnsafeBufferPointer<UInt8>, name: String, fileName: String, options: CSVOptions) throws -> CSVResult {
        // Large well-formed files: the parallel reader, which also makes sure there are no NUL bytes.
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        let delim = options.delimiter ?? detectDelimiter(bytes, from: i)
        // The parallel reader counts line ends as it goes and applies the row limit itself (a
        // separate pass would read every page of a mapped file at once).
        if let fast = try FastCSV.parse(bytes, from: i, delimiter: delim, name: name, fileName: fileName, options: options) { return fast }
        try checkRowLimit(bytes, fileName: fileName)
        if let nul = bytes.count == 0 ? nil : memchr(bytes.baseAddress!, 0, bytes.count).map({ UnsafeRawPointer($0) - UnsafeRawPointer(bytes.baseAddress!) }) {
            let line = bytes[..<nul].reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
            throw DataFileError.nulBytes(FileLocation(file: fileName, line: line))
        }
        return try parse(bytes, name: name, fileName: fileName, options: options)
    }

    /// The row limit for the general reader, checked before any parsing by counting line ends
    /// (fast: memchr): more than `Limits.maxRows` + 1 of them is refused.
    package static func checkRowLimit(_ bytes: UnsafeBufferPointer<UInt8>, fileName: String) throws {
        guard bytes.count > Limits.maxRows, let base = bytes.baseAddress else { return }
        var lines = 0, i = 0
        while i < bytes.count, let p = memchr(base + i, 0x0A, bytes.count - i) {
            lines += 1
            if lines > Limits.maxRows + 1 {
                throw DataFileError.tooManyRows(file: fileName, limit: Limits.maxRows)
            }
            i = UnsafePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self)) - base + 1
        }
    }

    package static func tooWide(_ width: Int, _ fileName: String) -> DataFileError {
        .tooWide(FileLocation(file: fileName, line: 1), columns: width, limit: Table.maxColumns)
    }

    /// Ctrl-C or SIGTERM stopped the load of table `name`. It names the table (what the user
    /// asked for), not the file; the session puts it at the command that was loading.
    package static func interrupted(_ name: String) -> DataFileError {
        .interrupted(table: name)
    }

    /// Reads a CSV file that must be well formed (bundled data); the table alone.
    public static func table(_ bytes: [UInt8], name: String, fileName: String) throws -> Table {
        try read(bytes, name: name, fileName: fileName).table
    }

    package static func detectDelimiter(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
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

    package static func parse(_ b: UnsafeBufferPointer<UInt8>, name: String, fileName: String, options: CSVOptions) throws -> CSVResult {
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
            while k < b.count, seen < n {
                if b[k] == 10 || (b[k] == 13 && (k + 1 == b.count || b[k + 1] != 10)) { seen += 1 }
                k += 1
            }
            var e = k
            while e < b.count, b[e] != 10, b[e] != 13, e - k < 400 { e += 1 }
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
            // A blank line (or one of spaces) holds no record.
            if record.count == 1, !record[0].2, (record[0].0..<record[0].1).allSatisfy({ b[$0] == 32 || b[$0] == 9 }) { return }
            if header == nil {
                header = try record.map { f in
                    guard let name = String(validating: fieldCopy(f), as: UTF8.self) else { throw InvalidUTF8() }
                    return name
                }
                width = record.count
                if width > Table.maxColumns { throw CSVReader.tooWide(width, fileName) }
                interners = (0..<width).map { _ in ByteInterner() }
                codes = Array(repeating: [], count: width)
                return
            }
            guard record.count == width else {
                if options.skipBadRows { skipped.append((recordLine, DataFileError.fieldCountReason(expected: width, found: record.count))); return }
                throw DataFileError.fieldCount(FileLocation(file: fileName, line: recordLine), excerpt: lineText(recordLine),
                                               expected: width, found: record.count)
            }
            for (j, f) in record.enumerated() {
                codes[j].append(fieldBytes(f) { interners[j].intern($0) })
            }
            if codes[0].count & 0xFFFF == 0 {
                if options.isInterrupted() { throw CSVReader.interrupted(name) }
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
                    if b[k] == 10 || (b[k] == 13 && (k + 1 == b.count || b[k + 1] != 10)) { line += 1 }
                    k += 1
                }
                guard closed else {
                    throw DataFileError.unclosedQuote(FileLocation(file: fileName, line: recordLine), excerpt: lineText(recordLine))
                }
                var after = k + 1
                while after < b.count, b[after] == 32 { after += 1 }
                guard after == b.count || b[after] == delim || b[after] == 10 || b[after] == 13 else {
                    throw DataFileError.textAfterClosingQuote(FileLocation(file: fileName, line: line), excerpt: lineText(line))
                }
                record.append((open + 1, k, escaped))
                i = after
                if i < b.count, b[i] == 13 {
                    i += 1
                    if i == b.count || b[i] != 10 { line += 1 }  // a line ending in a lone CR (old Mac files)
                }
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
            // A line ends at LF, CRLF, or a CR on its own (old Mac files, or a mixture).
            if c == 10 || (c == 13 && (i + 1 == b.count || b[i + 1] != 10)) {
                var e = i
                if c == 10, e > fieldStart, b[e - 1] == 13 { e -= 1 }
                record.append((fieldStart, e, false))
                try finishRecord()
                i += 1
                line += 1
                recordLine = line
                fieldStart = i
                continue
            }
            if c == quote {
                throw DataFileError.quoteInUnquotedField(FileLocation(file: fileName, line: line), excerpt: lineText(line))
            }
            i += 1
        }

        guard let names = header else {
            throw DataFileError.empty(FileLocation(file: fileName, line: 1))
        }
        return try assemble(names: names, interners: &interners, codes: &codes, skipped: skipped, delimiter: delim,
                        name: name, fileName: fileName, options: options)
    }

    /// Names the columns, infers each column's type from its distinct values, and builds the table.
    package static func assemble(names headerNames: [String], interners: inout [ByteInterner], codes: inout [[Int32]], skipped: [(Int, String)],
                         delimiter delim: UInt8, name: String, fileName: String, options: CSVOptions) throws -> CSVResult {
        var names = headerNames
        let width = names.count

        // No header when every value of the first row looks like data (numbers or dates).
        let markers = Set(options.missingMarkers.map { ValueKind.trimmed($0).lowercased() } + [""])
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
                    throw InvalidUTF8(column: names[j])
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
        var emptyRows = 0
        // A column with no missing value at all means no row can be empty: skip the scan.
        if missingCode.allSatisfy({ $0.contains(true) }) {
            keep.reserveCapacity(rowCount)
            for r in 0..<rowCount where (0..<width).contains(where: { !missingCode[$0][Int(codes[$0][r])] }) { keep.append(r) }
            emptyRows = rowCount - keep.count
        }

        // A column of numbers with a stray word or a number too big to hold is read as text; say
        // which value did it, so a typing slip in the data is not silently a text column.
        var textBecause: [(column: String, value: String, row: Int, reason: String)] = []
        for j in 0..<width {
            var numbers = 0
            var odd: [Int] = []
            for (k, kind) in kinds[j].enumerated() {
                switch kind {
                case .integer, .decimal, .percent: numbers += 1
                case .text: odd.append(k)
                default: break
                }
            }
            guard !odd.isEmpty else { continue }
            let overflow = odd.filter { k in
                let u = Array(ValueKind.trimmed(strings[j][k]).utf8)
                return ValueKind.number(u).map { $0.1 == 0 || !$0.0.isFinite } ?? false
            }
            // `1,5`: a number with a decimal comma (not a thousands separator).
            let decimalComma = odd.filter { k in
                let t = strings[j][k]
                guard let c = t.firstIndex(of: ","), t.filter({ $0 == "," }).count == 1 else { return false }
                let a = t[..<c].drop { $0 == "-" }, b = t[t.index(after: c)...]
                return !a.isEmpty && !b.isEmpty && b.count != 3 && a.allSatisfy(\.isASCII) && a.allSatisfy(\.isNumber) && b.allSatisfy(\.isASCII) && b.allSatisfy(\.isNumber)
            }
            // Mostly numbers with a few words (4 words among 10,000 numbers, say): warn too.
            guard !overflow.isEmpty || decimalComma.count == odd.count || (numbers >= 2 && numbers >= 2 * odd.count) else { continue }
            let pick = overflow.first ?? odd[0]
            let row = codes[j].firstIndex(of: Int32(pick)) ?? 0
            let tooBig = overflow.first.map { ValueKind.number(Array(ValueKind.trimmed(strings[j][$0]).utf8)).map { !$0.0.isFinite } ?? false } ?? false
            let reason = tooBig ? "is too large for a number (the largest is about 1.8 × 10^308)"
                : !overflow.isEmpty ? "is too large for a whole number (the largest is 9,223,372,036,854,775,807)"
                : decimalComma.count == odd.count ? "looks like a number with a decimal comma; peel reads numbers written with a decimal point (1.5)"
                : odd.count > 1 ? "is not a number (nor are \(odd.count - 1) other value\(odd.count == 2 ? "" : "s") of \(odd.count + numbers))"
                : "is not a number"
            textBecause.append((names[j], strings[j][pick], row, reason))
        }
        if emptyRows > 0 { for j in 0..<width { codes[j] = keep.map { codes[j][$0] } } }

        var columns: [Column] = []
        for j in 0..<width {
            columns.append(buildColumn(name: names[j], codes: codes[j], strings: strings[j], kinds: kinds[j]).detectingPeriods())
            codes[j] = []  // the column holds its own (or these same) codes now
        }
        let table = Table(name: name, columns: columns)
        var result = CSVResult(table: table, skipped: skipped, renamed: renamed, emptyRows: emptyRows, delimiter: delim, hadHeader: hadHeader)
        result.textBecause = textBecause
        return result
    }

    /// Infers a column's type from its distinct values and builds its typed storage, with the
    /// reason for each value missing by a marker (`[c]`, `..`) when any is. The missing flags and
    /// the reasons come from one pass over the rows; a column with nothing missing needs none.
    package static func buildColumn(name: String, codes: [Int32], strings: [String], kinds: [ValueKind]) -> Column {
        let isMissing = kinds.map { $0 == .missing }
        guard isMissing.contains(true) else {
            return typedColumn(name: name, codes: codes, strings: strings, kinds: kinds, isMissing: isMissing, missing: MissingMask())
        }
        let (reasonOf, markers) = markerCodes(strings: strings, kinds: kinds)
        let (flags, reasons) = rowPass(codes: codes, isMissing: isMissing, reasonOf: reasonOf, markers: markers)
        var column = typedColumn(name: name, codes: codes, strings: strings, kinds: kinds, isMissing: isMissing, missing: MissingMask(flags))
        column.missingReasons = reasons
        return column
    }

    /// Why each row is missing: the marker each missing distinct value is (spelled as the column
    /// first wrote it, spaces trimmed), as one code per row. Nil when no row holds a marker (empty
    /// fields are missing with no reason). A column with more than 255 different markers keeps
    /// the first 255.
    package static func missingReasons(codes: [Int32], strings: [String], kinds: [ValueKind]) -> MissingReasons? {
        let (reasonOf, markers) = markerCodes(strings: strings, kinds: kinds)
        guard reasonOf != nil else { return nil }
        return rowPass(codes: codes, isMissing: kinds.map { $0 == .missing }, reasonOf: reasonOf, markers: markers).reasons
    }

    /// Each distinct value's marker number (0: present or empty), and the markers in the order the
    /// column first wrote them; nil when no distinct value is a marker.
    private static func markerCodes(strings: [String], kinds: [ValueKind]) -> ([UInt8]?, [String]) {
        var reasonOf: [UInt8]?
        var markers: [String] = []
        var index: [String: UInt8] = [:]
        for (k, kind) in kinds.enumerated() where kind == .missing && k < strings.count {
            let spelled = ValueKind.trimmed(strings[k])
            guard !spelled.isEmpty else { continue }
            let key = spelled.lowercased()
            var code = index[key]
            if code == nil, markers.count < Int(UInt8.max) {
                markers.append(spelled)
                code = UInt8(markers.count)
                index[key] = code
            }
            guard let code else { continue }
            if reasonOf == nil { reasonOf = [UInt8](repeating: 0, count: kinds.count) }
            reasonOf![k] = code
        }
        return (reasonOf, markers)
    }

    /// One pass over the rows, on raw buffers: each row's missing flag and, when the column has
    /// markers, its marker number. Markers that occur only on rows left out (rows of nothing but
    /// markers) are dropped and the others renumbered; no marker left gives no reasons.
    private static func rowPass(codes: [Int32], isMissing: [Bool], reasonOf: [UInt8]?, markers: [String]) -> (flags: [Bool], reasons: MissingReasons?) {
        var flags = [Bool](largeRepeating: false, count: codes.count)
        guard let reasonOf else {
            isMissing.withUnsafeBufferPointer { m in
                codes.withUnsafeBufferPointer { c in
                    flags.withUnsafeMutableBufferPointer { out in
                        for i in 0..<c.count {
                            let k = Int(c[i])
                            out[i] = k >= 0 && k < m.count && m[k]
                        }
                    }
                }
            }
            return (flags, nil)
        }
        var used = [Bool](repeating: false, count: Int(UInt8.max) + 1)
        var rows = [UInt8](repeating: 0, count: codes.count)
        isMissing.withUnsafeBufferPointer { m in
            reasonOf.withUnsafeBufferPointer { r in
                codes.withUnsafeBufferPointer { c in
                    flags.withUnsafeMutableBufferPointer { out in
                        rows.withUnsafeMutableBufferPointer { why in
                            used.withUnsafeMutableBufferPointer { u in
                                for i in 0..<c.count {
                                    let k = Int(c[i])
                                    guard k >= 0, k < m.count, k < r.count else { continue }
                                    out[i] = m[k]
                                    let v = r[k]
                                    why[i] = v
                                    u[Int(v)] = true
                                }
                            }
                        }
                    }
                }
            }
        }
        var markers = markers
        let kept = markers.indices.filter { used[$0 + 1] }
        if kept.isEmpty { return (flags, nil) }
        if kept.count < markers.count {
            var renumber = [UInt8](repeating: 0, count: markers.count + 1)
            for (n, k) in kept.enumerated() { renumber[k + 1] = UInt8(n + 1) }
            rows = rows.map { renumber[Int($0)] }
            markers = kept.map { markers[$0] }
        }
        return (flags, MissingReasons(codes: rows, markers: markers))
    }

    /// `codes.map { values[Int($0)] }` in one pass over raw buffers; a code out of range gives
    /// the zero value.
    private static func lookUp<T: Numeric>(_ codes: [Int32], in values: [T]) -> [T] {
        [T](largeUninitializedCapacity: codes.count) { out, n in
            codes.withUnsafeBufferPointer { c in
                values.withUnsafeBufferPointer { v in
                    for i in 0..<c.count {
                        let k = Int(c[i])
                        (out.baseAddress! + i).initialize(to: k >= 0 && k < v.count ? v[k] : 0)
                    }
                }
            }
            n = codes.count
        }
    }

    private static func typedColumn(name: String, codes: [Int32], strings: [String], kinds: [ValueKind], isMissing: [Bool], missing: MissingMask) -> Column {
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
        let anyMissing = isMissing.contains(true)
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
            return Column(name: name, data: .integer(lookUp(codes, in: ints)), missing: missing)
        }
        var values = [Double](repeating: 0, count: distinct)
        var scales = [UInt8](repeating: 0, count: distinct)
        var maxScale = 0
        for (k, kind) in kinds.enumerated() {
            switch kind {
            case .integer(let v): values[k] = Double(v)
            case .decimal(let v, let s), .percent(let v, let s): values[k] = v; scales[k] = UInt8(clamping: s); maxScale = max(maxScale, s)
            default: break
            }
        }
        let uniform = (0..<distinct).allSatisfy { isMissing[$0] || Int(scales[$0]) == maxScale }
        return Column(name: name, unit: anyPct ? "%" : nil, data: .decimal(codes.map { values[Int($0)] }, scale: maxScale),
                      missing: missing, rowScales: uniform ? nil : codes.map { scales[Int($0)] })
    }
}

extension String {
    package func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
