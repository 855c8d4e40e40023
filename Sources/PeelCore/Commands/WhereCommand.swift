/// `where CONDITION`: keep the rows for which the condition holds (missing counts as not holding).
struct WhereCommand: Step {
    let condition: Expr

    static let spec = CommandSpec(
        name: "where", kind: .stage, group: "Rows",
        usage: "where CONDITION",
        summary: "Keep the rows that meet a condition.",
        details: """
            CONDITION compares columns with values: = != < <= > >=, combined with and, or, not.
            `COLUMN in ("a", "b")` tests membership; `COLUMN ~ "text"` matches text anywhere in
            the value, ignoring case (`!~` for does not match). Text goes in double quotes;
            `= missing` and `!= missing` test for missing values. A comparison with a missing
            value is not true, so such rows are left out.
            """,
        examples: [
            "outcomes | where force = \"Leicestershire\" and share >= 2",
            "outcomes | where outcome ~ \"caution\"",
            "indicators | where force = \"England and Wales\" and unit in (\"%\", \"count\")",
        ],
        arguments: [.column],
        parse: { p, _ in
            if p.atStepEnd { throw p.unexpected(expected: "a condition", help: "e.g. where share > 5") }
            let e = try p.expression()
            try p.expectStepEnd("where")
            return WhereCommand(condition: e)
        })

    func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input, verb: "where")
        let compiler = ExprCompiler(table: table, forceNames: ctx.catalog.forceNames(), variables: ctx.variables)
        let c = try compiler.compile(try compiler.substitute(condition))
        guard c.type == .bool else {
            throw Diagnostic("'where' needs a condition, but this is \(c.type.word)", at: condition.range,
                             help: "compare it with something, e.g. where share > 5")
        }
        let rows = (0..<table.rowCount).filter { c.eval($0) == .bool(true) }
        return .table(table.gather(rows))
    }

    var dump: String { "where \(condition.dump)" }
}
