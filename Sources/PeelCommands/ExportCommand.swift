import Foundation
import PeelSupport
import PeelIO
import PeelRender
import PeelEvaluation
import PeelLanguage

/// `export "FILE" [as FORMAT] [append]`: this command's result to a file, written whole or not at all.
package struct ExportCommand: Command {
    package let path: (String, SourceRange)
    package let format: OutputFormat?
    package let append: Bool

    package static let spec = CommandSpec(
        name: "export", kind: .stage, group: "Output",
        usage: "export \"FILE\" [as FORMAT] [append]",
        summary: "Write this command's result to a file (format from the extension), whole or not at all.",
        details: """
            The format is the one `as FORMAT` names, else the one an earlier `| format` chose, else the
            file's extension (.csv .tsv .md .json .html .tex .txt). Without `as FORMAT`, any other
            extension, or none, is refused before anything runs (spreadsheets, .xlsx and .ods, are not
            written yet: a .csv file opens in any spreadsheet program). The file is written to a
            temporary file and renamed into place, so an error or an interruption leaves the old file
            as it was, and a file replaced keeps its permissions (and owner, where allowed). `append`
            adds to the end of the file the same way, keeping its bytes exactly (ending its last line
            first); a CSV or TSV file keeps its one header, and one that is not this table's is
            refused. A terminal, /dev/null, /dev/stdout or a named pipe is written to directly (in the
            session's format when the name has no extension). Every row is written: nothing is cut
            short.
            """,
        examples: ["recorded_crime_totals | export \"/tmp/peel-example-totals.csv\""],
        arguments: [.keywords(["as", "append"])],
        takesFile: true,
        parse: { p, _ in
            guard case .string(let f) = p.peek.kind else { throw p.unexpected(expected: "a file name in quotes", help: "e.g. export \"results.csv\"") }
            let t = p.advance()
            var format: OutputFormat?
            var append = false
            while !p.atStepEnd {
                if p.matchWord("as") {
                    let (n, r) = try p.name("a format")
                    guard let fm = OutputFormat(rawValue: n.lowercased()) else { throw ParseError.unknownFormat(r, name: n, formats: OutputFormat.allCases.map(\.rawValue), suggest: false) }
                    format = fm
                } else if p.matchWord("append") { append = true }
                else { throw ParseError.unexpectedInStep(p.peek.range, found: p.peek.kind, verb: "export", usage: "export \"FILE\" [as FORMAT] [append]") }
            }
            if format == nil { try checkExtension(f, at: t.range) }
            return ExportCommand(path: (f, t.range), format: format, append: append)
        })

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
            throw ParseError.exportNoExtension(range, path: path, stem: stem, extensions: OutputFormat.fileExtensions)
        }
        throw ParseError.exportUnknownExtension(range, path: path, ext: ext, stem: stem, extensions: OutputFormat.fileExtensions)
    }

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        // `as FORMAT`, else a preceding `| format`, else the file's extension (a terminal or a
        // pipe without one: the session's format, as the screen would get).
        let byName = OutputFormat.forFile(path.0) ?? (AtomicFile.target(path.0) == .passThrough ? ctx.settings.format : .text)
        guard let input, let result = try ResultWriter.render(input, named: format, otherwise: byName, settings: ctx.settings) else {
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
        return .text("wrote \(rows) row\(rows == 1 ? "" : "s") to \(path.0) (\(format.rawValue)\(append ? ", appended" : ""))")
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

    package var dump: String { "export \(quoteForDump(path.0))" + (format.map { " as \($0.rawValue)" } ?? "") + (append ? " append" : "") }
}
