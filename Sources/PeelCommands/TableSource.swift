import PeelSupport
import PeelEvaluation

/// A table name at the start of a pipeline: its rows.
package struct TableSource: Step {
    package let name: String
    package let range: SourceRange

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        .table(try ctx.table(name, at: range))
    }

    package var dump: String { "table(\(name))" }
}
