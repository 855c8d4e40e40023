import PeelSupport
import PeelEvaluation

/// A shell line that starts with `|`: the table the previous command produced, kept in the
/// session (not recomputed, so nothing is read again and no table changes).
package struct PreviousResult: Step {
    package let range: SourceRange

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let help = "a line that starts with '|' continues the table the previous command showed; start with a table instead, e.g. outcomes | top 5"
        guard let kept = ctx.session.lastResult else {
            throw Diagnostic("nothing to continue: no command has produced a table yet", at: range, help: help)
        }
        guard let table = kept.table else {
            var shown = kept.text.split(separator: "\n").first.map(String.init) ?? kept.text
            if shown.count > 40 { shown = String(shown.prefix(39)) + "…" }
            throw Diagnostic("nothing to continue: the previous command (\(shown)) did not produce a table", at: range, help: help)
        }
        return .table(table)
    }

    package var dump: String { "previous" }
}
