import PeelData
import PeelEvaluation

/// `tables`: one row per table with its size, title, group and period (the longest last, so that
/// the first columns fit a narrow window).
package struct TablesCommand: Command {
    package static let spec = CommandSpec(
        name: "tables", kind: .source, group: "Tables",
        usage: "tables",
        summary: "List the tables: name, rows, columns, title, group and period.",
        details: """
            Lists every table the session knows: the bundled datasets and any you have loaded.
            The result is a table, so it can be filtered: `tables | where period ~ "2016"`.
            """,
        examples: ["tables"],
        arguments: [],
        parse: { p, _ in
            try p.expectStepEnd()
            return TablesCommand()
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        var name = ColumnBuilder.text("table")
        var group = ColumnBuilder.text("group")
        var rows = ColumnBuilder.integer("rows")
        var cols = ColumnBuilder.integer("columns")
        var period = ColumnBuilder.text("period")
        var title = ColumnBuilder.text("title")
        for n in ctx.catalog.names {
            guard let s = try ctx.catalog.summary(n) else { continue }
            name.append(n)
            group.append(s.group)
            rows.append(Double(s.rows))
            cols.append(Double(s.columns))
            period.append(s.period)
            title.append(s.title)
        }
        return .table(Table(name: Self.spec.name, columns: [name.build(), rows.build(), cols.build(), title.build(), group.build(), period.build()]))
    }

    package var dump: String { Self.spec.name }
}
