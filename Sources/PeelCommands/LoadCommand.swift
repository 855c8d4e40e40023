import Foundation
import PeelSupport
import PeelData
import PeelIO
import PeelEvaluation
import PeelLanguage

/// `load FILE [as NAME] [delimiter D] [missing M, ...] [skip bad rows]`: a CSV, TSV or .gz file as a table.
package struct LoadCommand: Command {
    package let path: (String, SourceRange)
    package let name: (String, SourceRange)?
    package var options = CSVOptions()

    package static let usage = "load FILE [as NAME] [delimiter D] [missing M, ...] [skip bad rows]"

    package static let spec = CommandSpec(
        name: "load", kind: .source, group: "Tables",
        usage: usage,
        summary: "Load a CSV, TSV or gzip-compressed file as a table, inferring column types.",
        details: """
            FILE is a path in quotes, relative to the directory peel was started in. The table is
            named NAME, or after the file (`data/force rates.csv` → force_rates).
            The reader detects the delimiter (comma, tab, semicolon or |) and whether the first row
            is a header; it accepts RFC 4180 quoting, UTF-8 with or without a byte order mark, CRLF or
            LF line ends, and gzip. Each column's type is inferred from all its values: integer,
            decimal, percentage (84.1% is read as 84.1 with unit %), date (2018-06-30 or 30/06/2018)
            or text. Thousands separators (1,662) are read as numbers; codes with leading zeros
            (0123) stay text. Empty fields and the markers - .. n/a NA * are missing values: never
            zero, and never a reason to read a numeric column as text. `missing` replaces those
            markers with your own. A row with the wrong number of fields stops the load with its
            line number, unless `skip bad rows` is given: then the good rows are loaded and the bad
            ones are listed. Rows in which every field is missing are left out and counted.
            The file is never modified. Loading a table again under the same name replaces it.
            """,
        examples: ["load \"datasets/cdi_forces.csv\" as cdi_copy"],
        arguments: [.keywords(["as", "delimiter", "missing", "skip"])],
        takesFile: true,
        parse: { p, _ in
            guard case .string(let file) = p.peek.kind else {
                throw p.unexpected(expected: "a file name in quotes", help: "e.g. load \"rates.csv\" as rates")
            }
            let fileToken = p.advance()
            var step = LoadCommand(path: (file, fileToken.range), name: nil)
            while !p.atStepEnd {
                if p.matchWord("as") {
                    step = LoadCommand(path: step.path, name: try p.name("a table name"), options: step.options)
                } else if p.matchWord("delimiter") {
                    let (d, r) = try p.text("a delimiter, e.g. \",\" or tab")
                    switch d.lowercased() {
                    case "tab", "\\t", "\t": step.options.delimiter = 9
                    default:
                        guard d.utf8.count == 1 else { throw ParseError.delimiterNotOneCharacter(r) }
                        step.options.delimiter = d.utf8.first
                    }
                } else if p.matchWord("missing") {
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
                    step.options.skipBadRows = true
                } else {
                    throw ParseError.unexpectedInStep(p.peek.range, found: p.peek.kind, verb: "load", usage: usage)
                }
            }
            return step
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let (file, range) = path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDir) else {
            throw CommandError.noSuchFile(file: file, at: range)
        }
        if isDir.boolValue { throw CommandError.isDirectory(file: file, writing: false, at: range) }
        let tableName = name?.0 ?? Self.tableName(for: file)
        if ctx.commands.isCommand(tableName) {
            throw CommandError.tableNameIsCommand(name: tableName, file: file, at: name?.1 ?? range)
        }
        if let existing = ctx.catalog.resolve(tableName), ctx.catalog.isBundled(existing) {
            throw CommandError.bundledTableName(name: existing, file: file, at: name?.1 ?? range)
        }
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
        } catch FileBytes.Failure.unreadable(let why) {
            throw CommandError.unreadable(file: file, why: why, at: range)
        } catch FileBytes.Failure.notRegular(let what) {
            throw CommandError.notRegularFile(file: file, what: what, at: range)
        } catch FileBytes.Failure.changed {
            throw CommandError.changedWhileReading(file: file, at: range)
        }
        for w in result.warnings { ctx.warn(w) }
        var table = result.table
        table.info.source = file
        table.info.group = "loaded"
        table.info.title = "loaded from \(file)"
        if table.columnIndex("force") != nil { table.info.forceColumn = "force" }
        ctx.catalog.add(table)
        return .text(Self.summary(result, table: table, file: file))
    }

    /// One line naming the table, its size and each column's type and missing count; then anything skipped.
    package static func summary(_ r: CSVResult, table: Table, file: String) -> String {
        let cols = table.columns.map { c -> String in
            var t = c.type.rawValue
            if let u = c.unit { t += " \(u)" }
            let m = c.missing.count(upTo: c.count)
            if m > 0 { t += ", \(m) missing" }
            return "\(c.name) (\(t))"
        }
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var out = "loaded \(table.name): \(plural(table.rowCount, "row")), \(plural(table.columns.count, "column")): " + cols.joined(separator: "; ") + "\n"
        if !r.hadHeader { out += "note: the first row holds data, not names, so the columns are called column_1, column_2, …\n" }
        for (from, to) in r.renamed {
            out += from == "(empty)" ? "note: a column with no name is called \(to)\n" : "note: a second column named \(from) is called \(to)\n"
        }
        if r.emptyRows > 0 { out += "note: \(r.emptyRows) row\(r.emptyRows == 1 ? "" : "s") with no values left out\n" }
        if !r.skipped.isEmpty {
            out += "skipped \(r.skipped.count) bad row\(r.skipped.count == 1 ? "" : "s"):\n"
            for (line, reason) in r.skipped.prefix(10) { out += "  \(file):\(line): \(reason)\n" }
            if r.skipped.count > 10 { out += "  … and \(r.skipped.count - 10) more\n" }
        }
        return out
    }

    /// A table name from a file name: `data/Force rates 2018.csv.gz` → `Force_rates_2018`.
    package static func tableName(for path: String) -> String {
        var base = String(path.split(separator: "/").last ?? "table")
        for ext in [".gz", ".csv", ".tsv", ".txt"] where base.lowercased().hasSuffix(ext) { base = String(base.dropLast(ext.count)) }
        var out = String(base.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        if out.first?.isNumber ?? true { out = "t_" + out }
        return out
    }

    package var dump: String {
        "load \(quoteForDump(path.0))" + (name.map { " as \($0.0)" } ?? "")
            + (options.delimiter.map { " delimiter \($0)" } ?? "") + (options.skipBadRows ? " skip bad rows" : "")
    }
}
