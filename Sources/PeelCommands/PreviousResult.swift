import PeelSupport
import PeelEvaluation

/// A shell line that starts with `|`: the table the previous command produced, kept in the
/// session (not recomputed, so nothing is read again and no table changes).
package struct PreviousResult: Step {
    package let range: SourceRange

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        guard let kept = ctx.session.lastResult else {
            throw CommandError.nothingToContinue(at: range)
        }
        guard let table = kept.table else {
            throw CommandError.previousNotTable(previous: kept.text, at: range)
        }
        return .table(table)
    }

    package var dump: String { "previous" }
}
