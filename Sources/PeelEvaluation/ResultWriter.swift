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
    public static func render(_ output: Output, named: OutputFormat? = nil, otherwise: OutputFormat, settings: Settings) throws -> Rendered? {
        let format = format(of: output, named: named, otherwise: otherwise)
        switch output {
        case .table(let t, _):
            var body = try TableRenderer.render(t, format: format)
            if settings.sources, !format.isData { body += Provenance.line(for: t, format: format) }
            return Rendered(text: body, format: format, isTable: true, rows: t.rowCount)
        case .text(let s):
            return Rendered(text: s, format: format, isTable: false, rows: 0)
        case .nothing:
            return nil
        }
    }
}
