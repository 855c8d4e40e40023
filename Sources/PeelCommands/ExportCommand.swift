import Foundation
import PeelSupport
import PeelData
import PeelIO
import PeelRender
import PeelEvaluation
import PeelLanguage

/// `export "FILE" [as FORMAT] [sheet NAME] [append]`: this command's result to a file, written whole
/// or not at all. A .xlsx or .ods name writes a workbook (`WorkbookWriter`), any other the text of
/// a format.
package struct ExportCommand: Command {
    package let path: (String, SourceRange)
    package let format: OutputFormat?
    package let append: Bool
    /// The sheet's name, for a workbook (nil: named after the table).
    package let sheet: (String, SourceRange)?
    /// The compression of a Parquet file (nil: ZSTD).
    package let codec: ParquetCodec?

    package init(path: (String, SourceRange), format: OutputFormat?, append: Bool, sheet: (String, SourceRange)? = nil,
                 codec: ParquetCodec? = nil) {
        self.path = path
        self.format = format
        self.append = append
        self.sheet = sheet
        self.codec = codec
    }

    static let usage = "export \"FILE\" [as FORMAT] [sheet NAME] [codec zstd|snappy|none] [append]"

    /// The extensions export writes: the text formats', the workbooks' and Parquet's.
    package static let fileExtensions = OutputFormat.fileExtensions + [".xlsx", ".ods", ".parquet"]

    package static let spec = CommandSpec(
        name: "export", kind: .stage, group: "Output",
        usage: usage,
        summary: "Write this command's result to a file (format from the extension), whole or not at all.",
        details: """
            The format is the one `as FORMAT` names, else the one an earlier `| format` chose, else the
            file's extension (.csv .tsv .md .json .html .tex .txt). A .xlsx or .ods name writes a
            workbook of one sheet, named after the table or by `sheet NAME` (1 to 31 characters, none
            of : \\ / ? * [ ], not starting or ending with '): a bold header row, numbers as numbers
            showing the column's decimals, a % column as percentages (84.1 is stored as 0.841 and shown
            as 84.1%), dates as dates (yyyy-mm-dd), text as text, and a missing value as an empty cell.
            A workbook is always written whole: an existing file is replaced, other sheets and all,
            and `append` and `as FORMAT` are refused for it; a chart or other text cannot go in one.
            Any other extension, or none, is refused before anything runs. The file is written to a
            temporary file and renamed into place, so an error or an interruption leaves the old file
            as it was, and a file replaced keeps its permissions (and owner, where allowed). `append`
            adds to the end of the file the same way, keeping its bytes exactly (ending its last line
            first); a CSV or TSV file keeps its one header, and one that is not this table's is
            refused. A terminal, /dev/null, /dev/stdout or a named pipe is written to directly (in the
            session's format when the name has no extension). Every row is written: nothing is cut
            short.
            A .parquet name writes a Parquet file (one row group per 1,048,576 rows), always whole:
            integer columns as INT64, decimal as DOUBLE (the column's decimals and unit kept in the
            file's key-value metadata, peel.scale.NAME and peel.unit.NAME, so peel reads them back),
            text and periods as UTF-8 strings as shown (dictionary-encoded when values repeat),
            dates as DATE, and a missing value as a null. `codec zstd` (the default), `codec snappy`
            or `codec none` sets the compression; `append`, `sheet` and `as FORMAT` are refused
            for it. Per-row decimals (17 beside 11.1) are not kept: every value gets the column's.
            """,
        examples: ["recorded_crime_totals | export \"/tmp/peel-example-totals.csv\"",
                   "cdi_rates | export \"/tmp/peel-example-rates.xlsx\" sheet \"Rates\"",
                   "cdi_rates | export \"/tmp/peel-example-rates.parquet\" codec snappy"],
        arguments: [.keywords(["as", "sheet", "codec", "append"])],
        takesFile: true,
        parse: { p, _ in
            guard case .string(let f) = p.peek.kind else { throw p.unexpected(expected: "a file name in quotes", help: "e.g. export \"results.csv\"") }
            let t = p.advance()
            var format: (OutputFormat, SourceRange)?
            var append: SourceRange?
            var sheet: (String, SourceRange)?
            var codec: (ParquetCodec, SourceRange)?
            while !p.atStepEnd {
                let word = p.peek.range
                if p.matchWord("as") {
                    let (n, r) = try p.name("a format")
                    guard let fm = OutputFormat(rawValue: n.lowercased()) else { throw ParseError.unknownFormat(r, name: n, formats: OutputFormat.allCases.map(\.rawValue), suggest: false) }
                    format = (fm, r)
                } else if p.matchWord("sheet") {
                    sheet = try p.text("a sheet name", help: "e.g. export \"rates.xlsx\" sheet \"Rates\"")
                } else if p.matchWord("codec") {
                    let (n, r) = try p.name("a codec: zstd, snappy or none")
                    guard let c = ParquetCodec.writable.first(where: { $0.0 == n.lowercased() })?.1 else {
                        throw Diagnostic("'\(n)' is not a codec peel writes", at: r,
                                         help: "write codec zstd (the default), codec snappy or codec none")
                    }
                    codec = (c, r)
                } else if p.matchWord("append") { append = word }
                else { throw ParseError.unexpectedInStep(p.peek.range, found: p.peek.kind, verb: "export", usage: usage) }
            }
            try checkParquet(f, format: format, sheet: sheet, append: append, codec: codec)
            if !ParquetReader.isParquet(f) {
                try checkWorkbook(f, at: t.range, format: format, sheet: sheet, append: append)
                if format == nil, WorkbookWriter.format(of: f) == nil { try checkExtension(f, at: t.range) }
            }
            return ExportCommand(path: (f, t.range), format: format?.0, append: append != nil, sheet: sheet, codec: codec?.0)
        })

    /// What a workbook's name allows, checked before anything runs: a good sheet name, no
    /// `append` (a workbook is written whole) and no `as FORMAT` (it is always a workbook); and
    /// `sheet NAME` only for a workbook.
    package static func checkWorkbook(_ path: String, at range: SourceRange, format: (OutputFormat, SourceRange)?,
                                      sheet: (String, SourceRange)?, append: SourceRange?) throws {
        let base = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        let stem = base.lastIndex(of: ".").map { String(path.dropLast(base.distance(from: $0, to: base.endIndex))) } ?? path
        guard let workbook = WorkbookWriter.format(of: path) else {
            if let (_, r) = sheet {
                throw Diagnostic("sheet names a sheet of a workbook, and '\(path)' is not one", at: r,
                                 help: "export to a .xlsx or .ods file for a workbook, e.g. export \"\(stem).xlsx\", or leave out sheet")
            }
            return
        }
        let ext = workbook.rawValue
        if let (f, r) = format {
            throw Diagnostic("a .\(ext) file is always written as a workbook, not as \(f.rawValue)", at: r,
                             help: "leave out `as \(f.rawValue)`, or name the file for the format, e.g. export \"\(stem).\(f == .markdown ? "md" : f == .latex ? "tex" : f == .text || f == .box ? "txt" : f.rawValue)\"")
        }
        if let r = append {
            throw Diagnostic("append cannot add to a workbook: a .\(ext) file is written whole, one sheet, replacing the file", at: r,
                             help: "export each table to its own file, or append to a .csv file instead")
        }
        if let (name, r) = sheet, let problem = WorkbookWriter.sheetNameProblem(name) {
            throw Diagnostic(problem.message, at: r, help: problem.help)
        }
    }

    /// What a Parquet file's name allows: `codec`, and none of `append`, `sheet` or `as FORMAT`
    /// (it is written whole, as Parquet); and `codec` only for one.
    package static func checkParquet(_ path: String, format: (OutputFormat, SourceRange)?, sheet: (String, SourceRange)?,
                                     append: SourceRange?, codec: (ParquetCodec, SourceRange)?) throws {
        guard ParquetReader.isParquet(path) else {
            if let (_, r) = codec {
                throw Diagnostic("codec sets the compression of a Parquet file, and '\(path)' is not one", at: r,
                                 help: "export to a .parquet file, or leave out codec")
            }
            return
        }
        if let (f, r) = format {
            throw Diagnostic("a .parquet file is always written as Parquet, not as \(f.rawValue)", at: r, help: "leave out `as \(f.rawValue)`")
        }
        if let r = append {
            throw Diagnostic("append cannot add to a Parquet file: it is written whole, replacing the file", at: r,
                             help: "stack the tables first (load them as one), or append to a .csv file instead")
        }
        if let (_, r) = sheet {
            throw Diagnostic("sheet names a sheet of a workbook, and '\(path)' is a Parquet file", at: r, help: "leave out sheet")
        }
    }

    /// Refuses a file name whose extension names no format export writes (without `as FORMAT`,
    /// `rates.xlsx` would otherwise get plain text under a spreadsheet's name).
    /// (A terminal, /dev/null, /dev/stdout or a named pipe needs no extension: it gets the
    /// session's format, as the screen would.)
    package static func checkExtension(_ path: String, at range: SourceRange) throws {
        guard OutputFormat.forFile(path) == nil else { return }
        switch AtomicFile.target(path) {
        case .missing, .regular, .directory: break
        case .passThrough, .refused: return  // written with the session's format, or refused with the reason when it runs
        }
        let base = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        let dot = base.lastIndex(of: ".")
        let ext = dot.flatMap { $0 == base.startIndex ? nil : String(base[base.index(after: $0)...]) } ?? ""
        let stem = dot.flatMap { $0 == base.startIndex ? nil : String(path.dropLast(base.distance(from: $0, to: base.endIndex))) } ?? path
        if ext.isEmpty {
            throw ParseError.exportNoExtension(range, path: path, stem: stem, extensions: fileExtensions)
        }
        if ["xls", "xlsm", "xlsb", "numbers", "fods"].contains(ext.lowercased()) {
            throw Diagnostic("export cannot write '.\(ext)' files: the workbooks it writes are .xlsx and .ods", at: range,
                             help: "export \"\(stem).xlsx\" makes a workbook Excel, LibreOffice and Numbers open")
        }
        throw ParseError.exportUnknownExtension(range, path: path, ext: ext, stem: stem, extensions: fileExtensions)
    }

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        if let workbook = WorkbookWriter.format(of: path.0) { return try writeWorkbook(input, workbook) }
        if ParquetReader.isParquet(path.0) { return try writeParquet(input) }
        // `as FORMAT`, else a preceding `| format`, else the file's extension (a terminal or a
        // pipe without one: the session's format, as the screen would get).
        let byName = OutputFormat.forFile(path.0) ?? (AtomicFile.target(path.0) == .passThrough ? ctx.settings.format : .text)
        guard let input, let result = try ResultWriter.render(input, named: format, otherwise: byName, settings: ctx.settings, fenceText: true) else {
            throw CommandError.nothingToExport(at: path.1)
        }
        let format = result.format
        let rows = result.rows
        var bytes = Array(result.text.utf8)
        // `append` to a file: its bytes are kept exactly as they are (never decoded and re-encoded),
        // its last line is ended first, and a data file keeps its one header, which must be this
        // table's. (A terminal or a pipe has nothing to read back: the text is written to it.)
        if append, AtomicFile.target(path.0) == .regular, let data = FileManager.default.contents(atPath: path.0), !data.isEmpty {
            var existing = [UInt8](data)
            if format == .csv || format == .tsv, let nl = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                let ours = Array(bytes[..<nl])
                let theirs = Self.firstLine(existing)
                guard theirs == ours else {
                    let show = { (b: [UInt8]) in String(decoding: b, as: UTF8.self) }
                    throw CommandError.appendHeaderMismatch(file: path.0, theirs: show(theirs), ours: show(ours), at: path.1)
                }
                bytes.removeSubrange(...nl)
            }
            if let last = existing.last, last != UInt8(ascii: "\n"), last != UInt8(ascii: "\r") {
                existing += Self.usesCRLF(existing) ? [13, 10] : [10]
            }
            bytes = existing + bytes
        }
        try AtomicFile.write(bytes: bytes, to: path.0, at: path.1)
        let what = result.isTable ? "\(rows) row\(rows == 1 ? "" : "s")" : (format == .markdown ? "the text, in a fenced block," : "the text")
        return .text("wrote \(what) to \(path.0) (\(format.rawValue)\(append ? ", appended" : ""))")
    }

    /// The table as a workbook of one sheet, written whole or not at all.
    func writeWorkbook(_ input: Output?, _ workbook: Workbook.Format) throws -> Output {
        let table: Table
        switch input {
        case .table(let t, _)?: table = t
        case .text?:
            let base = String(path.0.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
            let stem = base.lastIndex(of: ".").map { String(path.0.dropLast(base.distance(from: $0, to: base.endIndex))) } ?? path.0
            throw Diagnostic("a workbook holds a table, and this result is text (a chart is text)", at: path.1,
                             help: "export it to .txt or .md, e.g. export \"\(stem).txt\"; for the chart's figures in a workbook, export the table before the chart")
        case .nothing?, nil: throw CommandError.nothingToExport(at: path.1)
        }
        let name = sheet?.0 ?? WorkbookWriter.defaultSheetName(table.name)
        let bytes: [UInt8]
        do {
            bytes = try WorkbookWriter.write(table, headers: table.columns.map(TableRenderer.header), sheetName: name,
                                             as: workbook, fileName: path.0)
        } catch let e as WorkbookError {
            // Nothing was written: say so where the file is named.
            throw Diagnostic("cannot write '\(path.0)': " + (e.part.map { "\($0) " } ?? "") + e.message, at: path.1,
                             help: e.help.map { $0 + "; the file was not touched" } ?? "the file was not touched")
        }
        try AtomicFile.write(bytes: bytes, to: path.0, at: path.1)
        let rows = table.rowCount
        return .text("wrote \(rows) row\(rows == 1 ? "" : "s") to \(path.0) (\(workbook.rawValue), sheet '\(name)')")
    }

    /// The table as a Parquet file, written whole or not at all.
    func writeParquet(_ input: Output?) throws -> Output {
        let table: Table
        switch input {
        case .table(let t, _)?: table = t
        case .text?:
            throw Diagnostic("a Parquet file holds a table, and this result is text (a chart is text)", at: path.1,
                             help: "export the table before the chart, or the text to a .txt file")
        case .nothing?, nil: throw CommandError.nothingToExport(at: path.1)
        }
        let c = codec ?? .zstd
        let bytes: [UInt8]
        do {
            bytes = try ParquetWriter.write(table, codec: c, fileName: path.0)
        } catch let e as ParquetError {
            throw Diagnostic("cannot write '\(path.0)': " + e.message, at: path.1, help: "the file was not touched")
        }
        try AtomicFile.write(bytes: bytes, to: path.0, at: path.1)
        let rows = table.rowCount
        return .text("wrote \(rows) row\(rows == 1 ? "" : "s") to \(path.0) (parquet, \(c.name))")
    }

    /// The first line of a file's bytes, without its line end or a UTF-8 byte-order mark.
    package static func firstLine(_ bytes: [UInt8]) -> [UInt8] {
        var line = Array(bytes.prefix { $0 != UInt8(ascii: "\n") })
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        return line
    }

    /// True when the file's first line ends with CR LF (its missing last line end is written so).
    package static func usesCRLF(_ bytes: [UInt8]) -> Bool {
        guard let nl = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return false }
        return nl > 0 && bytes[nl - 1] == 13
    }

    /// A chart or other text may be exported.
    package var acceptsText: Bool { true }

    package var dump: String {
        "export \(quoteForDump(path.0))" + (format.map { " as \($0.rawValue)" } ?? "") + (sheet.map { " sheet \(quoteForDump($0.0))" } ?? "")
            + (codec.map { c in " codec " + (ParquetCodec.writable.first { $0.1 == c }?.0 ?? "zstd") } ?? "")
            + (append ? " append" : "")
    }
}
