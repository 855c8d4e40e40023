import PeelRender

/// Renders a result the one way the screen, `output "FILE"` and `export "FILE"` all write it:
/// one rule picks the format, and a table gets its sources line when the session asks for one.
public enum ResultWriter {
    /// A result ready to write.
    public struct Rendered {
        /// The table in its format, or the step's text as it is.
        public var text: String
        public var format: OutputFormat
        /// True for a table (in a data format only tables are data; other words go to stderr).
        public var isTable: Bool
        /// The table's rows (0 for text).
        public var rows: Int
    }

    /// The format a result is written in: the one named for this write (`export … as FORMAT`),
    /// else the one a step chose (`| format markdown`), else `otherwise` (the file's extension,
    /// or the session's format).
    public static func format(of output: Output, named: OutputFormat?, otherwise: OutputFormat) -> OutputFormat {
        if let named { return named }
        if case .table(_, let chosen?) = output { return chosen }
        return otherwise
    }

    /// `output` rendered in the format `format(of:named:otherwise:)` picks; nil for a step that
    /// produced nothing (`set`).
    /// `fenceText`: for a file, text (a chart, a message) in Markdown goes in a fenced block, so
    /// the document shows it as drawn. `fit` (the screen in the shell only, never a file): a table
    /// in the session's format is fitted to the window; one whose format a step chose
    /// (`| format text`, `show T wide`) is not.
    public static func render(_ output: Output, named: OutputFormat? = nil, otherwise: OutputFormat, settings: Settings,
                              fenceText: Bool = false, fit: TableFit? = nil) throws -> Rendered? {
        let format = format(of: output, named: named, otherwise: otherwise)
        switch output {
        case .table(let t, let chosen):
            var body = try TableRenderer.render(t, format: format, fit: chosen == nil && named == nil ? fit : nil)
            if settings.sources, !format.isData { body += Provenance.line(for: t, format: format) }
            return Rendered(text: body, format: format, isTable: true, rows: t.rowCount)
        case .text(let s):
            if fenceText, format == .markdown {
                return Rendered(text: Self.fenced(s), format: format, isTable: false, rows: 0)
            }
            return Rendered(text: fit.map { $0.wrap(s) } ?? s, format: format, isTable: false, rows: 0)
        case .nothing:
            return nil
        }
    }

    /// Text in a Markdown code block, with a fence longer than any run of backticks inside it.
    public static func fenced(_ s: String) -> String {
        var longest = 0, run = 0
        for c in s { if c == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + "text\n" + s + (s.hasSuffix("\n") ? "" : "\n") + fence + "\n"
    }
}
