import Foundation
import PeelSupport
import PeelData
import PeelIO
import PeelEvaluation
import PeelLanguage

/// `load FILE [as NAME] [options]`: a CSV, TSV or .gz file as a table; many CSV files at once (a
/// pattern such as `DIR/*-street.csv`, or a zip archive's CSV entries) as one table with a
/// `source_file` column; or one sheet of a workbook (.xlsx, .xlsm, .ods, .xls).
package struct LoadCommand: Command {
    package let path: (String, SourceRange)
    package var name: (String, SourceRange)?
    package var options = CSVOptions()
    /// Which sheet, header row and cells of a workbook (`sheet`, `header row`, `range`).
    package var sheetOptions = SheetOptions()
    /// Which entries of a zip archive (`files "*-street.csv"`); nil reads every CSV entry.
    package var files: (String, SourceRange)?

    package init(path: (String, SourceRange), name: (String, SourceRange)? = nil, options: CSVOptions = CSVOptions()) {
        self.path = path
        self.name = name
        self.options = options
    }

    package static let usage = "load FILE [as NAME] [delimiter D] [missing M, ...] [skip bad rows] [files PATTERN] [sheet NAME|N] [header row N] [range CELLS]"

    /// The words that may follow the file, for Tab.
    package static let keywords = ["as", "delimiter", "missing", "skip", "files", "sheet", "header", "range"]

    package static let spec = CommandSpec(
        name: "load", kind: .source, group: "Tables",
        usage: usage,
        summary: "Load a CSV, TSV or gzip file, many CSV files at once (a pattern or a .zip), a workbook sheet or a Parquet file as a table.",
        details: """
            FILE is a path in quotes, relative to the directory peel was started in. The table is
            named NAME, or after the file (`data/force rates.csv` → force_rates).
            The reader detects the delimiter (comma, tab, semicolon or |) and whether the first row
            is a header; it accepts RFC 4180 quoting, UTF-8 with or without a byte order mark, CRLF or
            LF line ends, and gzip. Each column's type is inferred from all its values: integer,
            decimal, percentage (84.1% is read as 84.1 with unit %), date (2018-06-30 or 30/06/2018)
            or text. Thousands separators (1,662) are read as numbers; codes with leading zeros
            (0123) stay text; padded numbers ( 2863 ) and -00 are numbers. Empty fields and the
            publishers' markers (.. : - [x] [c] [z] [u] [low] [w] * n/a NA, N/A - data not provided,
            N/A - offence code expired; any case) are missing values: never zero, and never a reason
            to read a numeric column as text. Each marker is kept as the reason, and `describe`
            counts them ("3 × '[c]' confidential"). `missing` replaces those markers with your own. A row with the wrong number of fields stops the load with its
            line number, unless `skip bad rows` is given: then the good rows are loaded and the bad
            ones are listed. Rows in which every field is missing are left out and counted.
            Many files as one table: a FILE with wildcards (`*` any run of characters, `?` one
            character, `[abc]` one of those, in any part of the path) loads every file it matches,
            and a .zip archive loads every .csv or .tsv file inside it, in any folder (`files
            PATTERN` picks entries instead, matched against each entry's file name, or against its
            path when PATTERN holds a /). The files are stacked in sorted order under a first
            column, source_file, that names each row's file: its path from the pattern's
            directory (2019-01-city-of-london-street.csv), or the archive's name and the entry's
            path inside it (2019-01.zip:2019-01/2019-01-city-of-london-street.csv). Columns are
            matched by name; a file that lacks a column has it missing, and every file whose
            header differs from the first file's is named with the difference. A column that is
            integer in one file and decimal in another is decimal; numbers in one and text in
            another make it text, with a note naming the files.
            Workbooks (.xlsx, .xlsm, .ods, .xls): the table is found in the first sheet that holds
            one, or in `sheet NAME` (its name exactly, in quotes) or `sheet N` (1 is the first
            sheet); `header row N` says which row holds the column names, and `range "A5:H50"`
            which cells to read. The summary says which sheet and rows were read and what was left
            out (title rows, notes, footnote marks); numbers, percentages (a cell formatted as % is
            read ×100 with unit %), dates and text come from the cells' own types.
            Parquet files (.parquet, .parq, .pq): each column has the type the file gives it:
            integers (signed or unsigned, 8 to 64 bits; unsigned past Int64 as decimal), DECIMAL
            as decimals with the file's scale, FLOAT and DOUBLE as decimals (with the decimals peel
            wrote, else as many as the values need; NaN is missing), DATE as dates, TIMESTAMP as
            dates when all are at midnight, else as text (2019-03-01 14:05:00), TIME and BOOLEAN
            as text, strings as text; a null is missing. PLAIN, dictionary, DELTA and
            BYTE_STREAM_SPLIT pages (version 1 and 2), uncompressed or in SNAPPY, GZIP or ZSTD, are
            read; nested columns, INT96 and other codecs are refused, naming the column.
            Forces: a column of force names (`force`, or any column in which the forces are
            recognised: LEICESTERSHIRE, Leicestershire3, Leicestershire Police, leicestershire,
            E23000021) is the table's force column; when some rows are not territorial forces
            (British Transport Police, fraud bodies, regions, countries, the England and Wales
            total) a column area_kind after it says what each row is, and the summary counts them.
            Periods: a text column whose every value is a period (2017/18, 2017-18, 2017/18 Q1,
            2019-01, Jan 2019, year ending March 2018, 12 months to 30 June 2016) has the period
            type: it sorts and compares in time order.
            The file is never modified. Loading a table again under the same name replaces it;
            nothing is loaded unless every file is read.
            """,
        examples: [
            "load \"datasets/cdi_forces.csv\" as cdi_copy",
            "load \"Tests/GoldenTests/Fixtures/multifile/2019-*-city-of-london-street.csv\" as street",
            "load \"Tests/GoldenTests/Fixtures/multifile/synthetic-folders.zip\" files \"*-street.csv\" as street",
            "load \"Tests/GoldenTests/Fixtures/parquet/synthetic-forces.parquet\" as pf",
        ],
        arguments: [.keywords(keywords)],
        takesFile: true,
        parse: { p, _ in try parse(&p) })

    /// Reads the arguments after `load`; options that do not fit the file (a sheet of a CSV file,
    /// a delimiter for a workbook, entries of a file that is no archive) are refused here.
    package static func parse(_ p: inout Parser) throws -> LoadCommand {
        guard case .string(let file) = p.peek.kind else {
            throw p.unexpected(expected: "a file name in quotes", help: "e.g. load \"rates.csv\" as rates")
        }
        let fileToken = p.advance()
        var step = LoadCommand(path: (file, fileToken.range))
        var csvWords: [(String, SourceRange)] = []
        var sheetWords: [(String, SourceRange)] = []
        var seen: Set<String> = []
        while !p.atStepEnd {
            let word = p.peek
            func once(_ w: String) throws {
                guard seen.insert(w).inserted else {
                    throw Diagnostic("'\(w)' is given twice", at: word.range, help: "give each option once: " + usage)
                }
            }
            if p.matchWord("as") {
                step.name = try p.name("a table name")
            } else if p.matchWord("delimiter") {
                csvWords.append(("delimiter", word.range))
                let (d, r) = try p.text("a delimiter, e.g. \",\" or tab")
                switch d.lowercased() {
                case "tab", "\\t", "\t": step.options.delimiter = 9
                default:
                    guard d.utf8.count == 1 else { throw ParseError.delimiterNotOneCharacter(r) }
                    step.options.delimiter = d.utf8.first
                }
            } else if p.matchWord("missing") {
                csvWords.append(("missing", word.range))
                var markers: [String] = []
                let paren = p.match(.leftParen)
                repeat {
                    guard case .string(let m) = p.peek.kind else { throw p.unexpected(expected: "a missing-value marker in quotes", help: "e.g. missing \"-\", \"n/a\"") }
                    p.advance()
                    markers.append(m)
                } while p.match(.comma)
                if paren { _ = try p.consume(.rightParen, "')'") }
                step.options.missingMarkers = markers
            } else if p.matchWord("skip") {
                guard p.matchWord("bad"), p.matchWord("rows") else { throw p.unexpected(expected: "'bad rows' after 'skip'") }
                csvWords.append(("skip bad rows", word.range))
                step.options.skipBadRows = true
            } else if p.matchWord("files") {
                try once("files")
                guard case .string(let pattern) = p.peek.kind else {
                    throw p.unexpected(expected: "a pattern in quotes for the archive's entries", help: "e.g. files \"*-street.csv\"")
                }
                let t = p.advance()
                guard !pattern.isEmpty else { throw Diagnostic("the pattern is empty", at: t.range, help: "e.g. files \"*-street.csv\"") }
                step.files = (pattern, t.range)
                guard MultiFile.isZip(file) else {
                    throw Diagnostic("'files' picks entries of a zip archive, and '\(file)' is not one (its name does not end in .zip)", at: word.range,
                                     help: "to load many CSV files, put the pattern in the path: load \"DIR/*-street.csv\"")
                }
            } else if p.matchWord("sheet") {
                try once("sheet")
                sheetWords.append(("sheet", word.range))
                let t = p.peek
                switch t.kind {
                case .string(let s), .identifier(let s), .quotedIdentifier(let s):
                    p.advance()
                    guard !s.isEmpty else { throw Diagnostic("the sheet name is empty", at: t.range, help: "write sheet \"Table 1\", or sheet 1 for the first sheet") }
                    step.sheetOptions.sheet = .name(s)
                case .number(let v, _, let text):
                    p.advance()
                    guard let n = Int(exactly: v), n >= 1, n <= 65_535 else {
                        throw Diagnostic("'\(text)' is not a sheet number: sheets are counted from 1", at: t.range,
                                         help: "write sheet 1 for the first sheet, or the sheet's name in quotes")
                    }
                    step.sheetOptions.sheet = .index(n)
                default:
                    throw p.unexpected(expected: "a sheet's name in quotes or its number", help: "e.g. sheet \"Table P1\" or sheet 2")
                }
            } else if p.matchWord("header") {
                try once("header row")
                sheetWords.append(("header row", word.range))
                guard p.matchWord("row") else { throw p.unexpected(expected: "'row' after 'header'", help: "e.g. header row 5") }
                let t = p.peek
                guard case .number(let v, _, let text) = t.kind else {
                    throw p.unexpected(expected: "the header's row number", help: "e.g. header row 5 (1 is the sheet's first row)")
                }
                p.advance()
                guard let n = Int(exactly: v), n >= 1, n <= 1_048_576 else {
                    throw Diagnostic("'\(text)' is not a row number: rows are counted from 1, as the spreadsheet shows them", at: t.range,
                                     help: "e.g. header row 5")
                }
                step.sheetOptions.headerRow = n
            } else if p.matchWord("range") {
                try once("range")
                sheetWords.append(("range", word.range))
                let (text, r) = try p.text("cells in quotes", help: "e.g. range \"A5:H50\"")
                guard let cells = CellRange.parse(text) else {
                    throw Diagnostic("'\(text)' is not a cell range; write it like A5:H50", at: r,
                                     help: "a column's letters and a row's number at each corner: range \"A5:H50\"")
                }
                step.sheetOptions.range = cells
            } else {
                throw ParseError.unexpectedInStep(p.peek.range, found: p.peek.kind, verb: "load", usage: usage)
            }
        }
        // Options for one kind of file given for another.
        if ParquetReader.isParquet(file), !Glob.hasWildcards(file) {
            for (words, kind) in [(csvWords, "CSV files"), (sheetWords, "workbooks")] {
                if let (w, r) = words.first {
                    throw Diagnostic("'\(w)' is for \(kind), and '\(file)' is a Parquet file", at: r,
                                     help: "leave out '\(w)'; peel reads a Parquet file's columns with the types the file gives them")
                }
            }
        }
        let workbook = WorkbookLoad.format(of: file) != nil && !MultiFile.isZip(file)
        if !workbook, let (w, r) = sheetWords.first {
            throw Diagnostic("'\(w)' is for workbooks (.xlsx, .xlsm, .ods, .xls), and '\(file)' is read as \(MultiFile.isZip(file) ? "a zip archive of CSV files" : "a CSV file")", at: r,
                             help: "leave out '\(w)', or load the workbook itself")
        }
        if workbook, let (w, r) = csvWords.first {
            throw Diagnostic("'\(w)' is for CSV files, and '\(file)' is a workbook", at: r,
                             help: "leave out '\(w)'; peel reads a workbook's cells as they are typed")
        }
        return step
    }

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let (file, range) = path
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: file, isDirectory: &isDir)
        // A pattern: many files (a file whose name holds `*` or `[` is read as that file).
        if !exists && Glob.hasWildcards(file) { return try runMany(ctx, pattern: true) }
        guard exists else { throw CommandError.noSuchFile(file: file, at: range) }
        if isDir.boolValue { throw CommandError.isDirectory(file: file, writing: false, at: range) }
        if MultiFile.isZip(file) { return try runMany(ctx, pattern: false) }
        let tableName = try checkedName(ctx)
        if WorkbookLoad.format(of: file) != nil { return try runWorkbook(ctx, tableName: tableName) }
        if ParquetReader.isParquet(file) { return try runParquet(ctx, tableName: tableName) }
        var opts = options
        opts.isInterrupted = Interrupt.isRequested
        let report = ctx.catalog.progress
        opts.progress = { report(tableName, $0) }
        defer { report(tableName, nil) }
        let result: CSVResult
        do {
            result = try FileBytes.withContents(file) { bytes, mapped in
                var o = opts
                o.releaseReadPages = mapped
                return try CSVReader.read(bytes, name: tableName, fileName: file, options: o)
            }
        } catch let f as FileBytes.Failure {
            throw CommandError.reading(file, f, at: range)
        }
        for w in result.warnings { ctx.warn(w) }
        var table = result.table
        let areaNote = Self.keep(&table, from: file, title: "loaded from \(file)", ctx)
        return .text(Self.summary(result, table: table, file: file) + Self.moreNotes(table, areaNote))
    }

    /// The table's name (given, or made from the file's), refused when it is a command's or a
    /// bundled table's.
    private func checkedName(_ ctx: EvalContext) throws -> String {
        let (file, range) = path
        let tableName = name?.0 ?? Self.tableName(for: file)
        if ctx.commands.isCommand(tableName) {
            throw CommandError.tableNameIsCommand(name: tableName, file: file, at: name?.1 ?? range)
        }
        if let existing = ctx.catalog.resolve(tableName), ctx.catalog.isBundled(existing) {
            throw CommandError.bundledTableName(name: existing, file: file, at: name?.1 ?? range)
        }
        return tableName
    }

    /// Many files as one table: those a pattern matches, or a zip archive's CSV entries.
    private func runMany(_ ctx: EvalContext, pattern: Bool) throws -> Output {
        let (file, range) = path
        let tableName = try checkedName(ctx)
        var opts = options
        opts.isInterrupted = Interrupt.isRequested
        let report = ctx.catalog.progress
        defer { report(tableName, nil) }
        let result: MultiFileResult
        let sources: [MultiFile.Source]
        do {
            if pattern {
                // Errors name each file by the path it was opened by (the pattern's directory and its name).
                sources = try Glob.expand(file).files.map { MultiFile.Source(path: $0.path, name: $0.name, fileName: $0.path) }
            } else {
                let base = file.split(separator: "/").last.map(String.init) ?? file
                sources = [MultiFile.Source(path: file, name: base, fileName: file)]
            }
            result = try MultiFile.load(sources, pattern: file, filter: files?.0, tableName: tableName, options: opts,
                                        progress: { report(tableName, $0) })
        } catch let e as MultiFileError {
            // About the path as a whole: at the path (or, for entries, at the pattern that picked them).
            var d = e.diagnostic
            if case .noEntries(_, let filter, _, _) = e, filter != nil, let f = files { d.range = f.1 } else { d.range = range }
            throw d
        }
        for w in result.warnings { ctx.warn(w) }
        var table = result.table
        let what = Self.plural(result.files.count, "file")
            + (pattern ? " matching \(file)" : " in \(file)")
        let areaNote = Self.keep(&table, from: file, title: "loaded from \(what)", ctx)
        return .text(Self.summary(result, table: table, what: what) + Self.moreNotes(table, areaNote))
    }

    /// One sheet of a workbook.
    private func runWorkbook(_ ctx: EvalContext, tableName: String) throws -> Output {
        let (file, _) = path
        var o = sheetOptions
        o.isInterrupted = Interrupt.isRequested
        let result = try WorkbookLoad.load(path: file, fileName: file, tableName: tableName, options: o)
        for w in result.warnings { ctx.warn(w) }
        var table = result.table
        table.name = tableName
        // The sheet's own title line, when it has one ("Table P1: Police recorded crime by …").
        let title = table.info.title ?? "loaded from \(file), sheet '\(result.sheetName)'"
        let areaNote = Self.keep(&table, from: file, title: title, ctx)
        return .text(Self.summary(result, table: table) + Self.moreNotes(table, areaNote))
    }

    /// A Parquet file: its columns with the types the file gives them.
    private func runParquet(_ ctx: EvalContext, tableName: String) throws -> Output {
        let (file, range) = path
        let result: ParquetResult
        do {
            result = try FileBytes.withContents(file) { bytes, _ in
                try ParquetReader.read(Array(bytes), fileName: file, tableName: tableName, isInterrupted: Interrupt.isRequested)
            }
        } catch let f as FileBytes.Failure {
            throw CommandError.reading(file, f, at: range)
        }
        var table = result.table
        let areaNote = Self.keep(&table, from: file, title: "loaded from \(file)", ctx)
        var out = "loaded \(table.name) from \(Self.plural(result.rowGroups, "row group")): \(Self.shape(table))\n"
        for n in result.notes { out += "note: \(n)\n" }
        return .text(out + Self.moreNotes(table, areaNote))
    }

    /// Notes every kind of load adds: which rows are not forces, and which columns hold markers.
    package static func moreNotes(_ table: Table, _ areaNote: String?) -> String {
        var out = areaNote.map { "note: \($0)\n" } ?? ""
        let marked = table.columns.filter { $0.missingReasons != nil }.map(\.name)
        if !marked.isEmpty {
            out += "note: \(marked.count == 1 ? marked[0] + " holds" : "\(marked.count) columns hold") publishers' missing-value markers ([c], .., …): "
                + "missing, never zero; `describe \(table.name)` counts them\n"
        }
        return out
    }

    /// A column's type as the summary shows it.
    package static func typeLabel(_ c: Column) -> String {
        c.typeName
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    /// `N rows, M columns: a (text); b (integer, 2 missing); …`
    static func shape(_ table: Table) -> String {
        let cols = table.columns.map { c -> String in
            var t = typeLabel(c)
            if let u = c.unit { t += " \(u)" }
            let m = c.missing.count(upTo: c.count)
            if m > 0 { t += ", \(m) missing" }
            return "\(c.name) (\(t))"
        }
        return "\(plural(table.rowCount, "row")), \(plural(table.columns.count, "column")): " + cols.joined(separator: "; ")
    }

    /// What every load does last: the table's source, group and title, its force column and
    /// `area_kind`, then into the catalogue. Returns the note on which rows are not forces.
    package static func keep(_ table: inout Table, from file: String, title: String, _ ctx: EvalContext) -> String? {
        table.info.source = file
        table.info.group = "loaded"
        table.info.title = title
        let note = markForces(&table, ctx)
        ctx.catalog.add(table)
        return note
    }

    /// Finds the force column (one named `force`, or the text column of recognised forces in any of
    /// the forms publishers use) and marks rows that are not territorial forces; the note says what.
    package static func markForces(_ table: inout Table, _ ctx: EvalContext) -> String? {
        let names = ctx.catalog.forceNames()
        guard let f = table.column("force")?.name ?? names.detectForceColumn(table) else { return nil }
        table.info.forceColumn = f
        let marked = names.markAreas(table, forceColumn: f)
        table = marked.table
        return marked.note
    }

    /// One line naming the table, its size and each column's type and missing count; then anything skipped.
    package static func summary(_ r: CSVResult, table: Table, file: String) -> String {
        var out = "loaded \(table.name): \(shape(table))\n"
        if !r.hadHeader { out += "note: the first row holds data, not names, so the columns are called column_1, column_2, …\n" }
        for (from, to) in r.renamed {
            out += from == "(empty)" ? "note: a column with no name is called \(to)\n" : "note: a second column named \(from) is called \(to)\n"
        }
        if r.emptyRows > 0 { out += "note: \(r.emptyRows) row\(r.emptyRows == 1 ? "" : "s") with no values left out\n" }
        out += skippedLines(r.skipped.map { (file, $0.line, $0.reason) })
        return out
    }

    /// Many files: the table, how many files, its shape; then a note for each difference between
    /// the files, and the bad rows skipped.
    package static func summary(_ r: MultiFileResult, table: Table, what: String) -> String {
        var out = "loaded \(table.name) from \(what): \(shape(table))\n"
        for n in r.notes { out += "note: \(n)\n" }
        out += skippedLines(r.skipped)
        return out
    }

    /// A workbook's sheet: which sheet and rows were read, the shape, and what was done to find the table.
    package static func summary(_ r: SheetTableResult, table: Table) -> String {
        let rows = r.range.firstRow + 1 == r.range.lastRow + 1 ? "row \(r.range.firstRow + 1)" : "rows \(r.range.firstRow + 1)–\(r.range.lastRow + 1)"
        var out = "loaded \(table.name) from sheet '\(r.sheetName)' (\(rows), header row \(r.headerRow)): \(shape(table))\n"
        for n in r.notes { out += "note: \(n)\n" }
        return out
    }

    private static func skippedLines(_ skipped: [(file: String, line: Int, reason: String)]) -> String {
        guard !skipped.isEmpty else { return "" }
        var out = "skipped \(skipped.count) bad row\(skipped.count == 1 ? "" : "s"):\n"
        for (file, line, reason) in skipped.prefix(10) { out += "  \(file):\(line): \(reason)\n" }
        if skipped.count > 10 { out += "  … and \(skipped.count - 10) more\n" }
        return out
    }

    /// A table name from a file name: `data/Force rates 2018.csv.gz` → `Force_rates_2018`; from a
    /// pattern, its plain words (`data/*-street.csv` → `street`, else the directory's name).
    package static func tableName(for path: String) -> String {
        var base = String(path.split(separator: "/").last ?? "table")
        for ext in [".gz", ".csv", ".tsv", ".txt", ".zip", ".xlsx", ".xlsm", ".ods", ".xls", ".parquet", ".parq", ".pq"] where base.lowercased().hasSuffix(ext) {
            base = String(base.dropLast(ext.count))
        }
        var out = String(base.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        if Glob.hasWildcards(path) {
            // Wildcards leave runs of `_`: keep the words between them.
            out = out.split(separator: "_").joined(separator: "_")
            if out.isEmpty {
                let dirs = path.split(separator: "/").dropLast().filter { !Glob.hasWildcards($0) && $0 != "." && $0 != ".." }
                out = dirs.last.map { String($0.map { $0.isLetter || $0.isNumber ? $0 : "_" }) } ?? "files"
            }
        }
        if out.first?.isNumber ?? true { out = "t_" + out }
        return out
    }

    /// The command as it re-parses to the same load (for `save` and tests).
    package var dump: String {
        func q(_ s: String) -> String { "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\"" }
        var out = "load \(q(path.0))"
        if let files { out += " files \(q(files.0))" }
        switch sheetOptions.sheet {
        case .name(let n)?: out += " sheet \(q(n))"
        case .index(let i)?: out += " sheet \(i)"
        case nil: break
        }
        if let h = sheetOptions.headerRow { out += " header row \(h)" }
        if let r = sheetOptions.range { out += " range \(q(r.text))" }
        if let name { out += " as \(name.0)" }
        if let d = options.delimiter { out += d == 9 ? " delimiter tab" : " delimiter \(q(String(decoding: [d], as: UTF8.self)))" }
        if options.missingMarkers != CSVOptions().missingMarkers { out += " missing " + options.missingMarkers.map(q).joined(separator: ", ") }
        if options.skipBadRows { out += " skip bad rows" }
        return out
    }
}
