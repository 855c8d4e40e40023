/// `top N [by COLUMN]`: the first N rows (optionally of the rows ordered by COLUMN, largest first).
struct TopCommand: Step {
    let count: Int
    let by: (String, SourceRange)?

    static let spec = CommandSpec(
        name: "top", kind: .stage, group: "Rows",
        usage: "top N [by COLUMN]",
        summary: "Keep the first N rows, or the N largest by a column.",
        details: """
            `top N` keeps the first N rows as they stand, so it usually follows `sort`.
            `top N by COLUMN` orders by COLUMN, largest first, then keeps N; rows with a missing
            value in COLUMN come last.
            """,
        examples: ["outcomes | where force = \"Leicestershire\" and kind = \"outcome\" | top 3 by share"],
        arguments: [.keywords(["by"]), .column],
        parse: { p, _ in
            guard case .number(let v, let scale, let text) = p.peek.kind else {
                throw p.unexpected(expected: "a number of rows", help: "e.g. top 5")
            }
            guard scale == 0, v >= 0, v <= 1e12 else {
                throw Diagnostic("top needs a whole number of rows, not \(text)", at: p.peek.range)
            }
            p.advance()
            var by: (String, SourceRange)?
            if p.matchWord("by") { by = try p.name("a column name") }
            try p.expectStepEnd("top")
            return TopCommand(count: Int(v), by: by)
        })

    func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        var table = try requireTable(input, verb: "top")
        if let (name, range) = by {
            let col = table.columns[try requireColumn(name, in: table, at: range)]
            table = table.gather(SortCommand.order(table.rowCount, by: [(col, true)]))
        }
        return .table(table.gather(Array(0..<min(count, table.rowCount))))
    }

    var dump: String { "top \(count)" + (by.map { " by \($0.0)" } ?? "") }
}
