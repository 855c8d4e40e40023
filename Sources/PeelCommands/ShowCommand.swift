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
            try p.expectStepEnd()
            return TableSource(name: name, range: range)
        })
}
