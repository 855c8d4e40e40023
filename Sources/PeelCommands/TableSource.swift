import PeelSupport
import PeelData
import PeelStats
import PeelIO
import PeelRender
import PeelLanguage
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

/// A shell line that starts with `|`: the table the previous command produced, kept in the
/// session (not recomputed, so nothing is read again and no table changes).
package struct PreviousResult: Step {
    package let range: SourceRange

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let help = "a line that starts with '|' continues the table the previous command showed; start with a table instead, e.g. outcomes | top 5"
        guard let kept = ctx.state.lastResult else {
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

/// `show TABLE`: the rows of a table (the same as typing its name).
package enum ShowCommand {
    package static let spec = CommandSpec(
        name: "show", kind: .source, group: "Tables",
        usage: "show TABLE",
        summary: "Show the rows of a table (typing the table's name does the same).",
        details: """
            Prints every row of TABLE. A table's name on its own does the same, and either can
            start a pipeline: `show outcomes | top 3` is `outcomes | top 3`.
            """,
        examples: ["show crime_rates"],
        arguments: [.table],
        parse: { p, _ in
            let (name, range) = try p.name("a table name", help: "type 'tables' to list the tables")
            try p.expectStepEnd("show")
            return TableSource(name: name, range: range)
        })
}

/// `tables`: one row per table with its size, period and title.
package struct TablesCommand: Step {
    package static let spec = CommandSpec(
        name: "tables", kind: .source, group: "Tables",
        usage: "tables",
        summary: "List the tables: name, group, rows, columns, period and title.",
        details: """
            Lists every table the session knows: the bundled datasets and any you have loaded.
            The result is a table, so it can be filtered: `tables | where period ~ "2016"`.
            """,
        examples: ["tables"],
        arguments: [],
        parse: { p, _ in
            try p.expectStepEnd("tables")
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
        return .table(Table(name: "tables", columns: [name.build(), group.build(), rows.build(), cols.build(), period.build(), title.build()]))
    }

    package var dump: String { "tables" }
}
