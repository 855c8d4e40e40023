import PeelSupport
import PeelData

/// The sources line under a result: who published its figures (`Citation.forReaders`), and when.
package enum Provenance {
    package static func line(for t: Table, format: OutputFormat) -> String {
        guard let s = t.info.source, !s.isEmpty else { return "" }
        let cited = Citation.forReaders(s)
        let text = Citation.sentence("Source: " + (t.info.period.map { Citation.clause(cited) + "; period: " + $0 } ?? cited))
        switch format {
        case .markdown: return "\n" + TableRenderer.markdownEscape(text) + "\n"
        case .html: return "<p class=\"source\">" + TableRenderer.htmlEscape(text) + "</p>\n"
        case .latex: return "% " + text + "\n"
        default: return TextWrap.wrap(text, width: 100, rest: "  ") + "\n"
        }
    }
}
