/// `select COLUMN, ...`: keep these columns, in this order.
struct SelectCommand: Step {
    let columns: [(String, SourceRange)]

    static let spec = CommandSpec(
        name: "select", kind: .stage, group: "Columns",
        usage: "select COLUMN, ...",
        summary: "Keep only the named columns, in the order given.",
        details: """
            Names that contain spaces or clash with a keyword go in backquotes: `crime type`.
            """,
        examples: ["outcomes | where force = \"Leicestershire\" | select outcome, share"],
        arguments: [.column],
        parse: { p, _ in
            let names = try p.nameList("a column name", help: "e.g. select outcome, share")
            try p.expectStepEnd("select")
            return SelectCommand(columns: names)
        })

    func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        var table = try requireTable(input, verb: "select")
        let picked = try columns.map { (name, range) in table.columns[try requireColumn(name, in: table, at: range)] }
        table.columns = picked
        return .table(table)
    }

    var dump: String { "select [\(columns.map(\.0).joined(separator: ", "))]" }
}
