import PeelLanguage
import PeelEvaluation

/// `show TABLE [wide]`: the rows of a table (the same as typing its name); `wide`, every column
/// even in a window too narrow for them.
package enum ShowCommand {
    package static let spec = CommandSpec(
        name: "show", kind: .source, group: "Tables",
        usage: "show TABLE [wide]",
        summary: "Show the rows of a table (typing the table's name does the same); wide: every column.",
        details: """
            Prints every row of TABLE. A table's name on its own does the same, and either can
            start a pipeline: `show outcomes | top 3` is `outcomes | top 3`. In the interactive
            shell a table wider than the window shows the columns that fit and names the rest;
            `show TABLE wide` shows them all, uncut (`set fit off` does so for every result).
            """,
        examples: ["show crime_rates", "show crime_rates wide"],
        arguments: [.table, .keywords(["wide"])],
        parse: { p, _ in
            let (name, range) = try p.name("a table name", help: "type 'tables' to list the tables")
            let wide = p.matchWord("wide")
            try p.expectStepEnd()
            let source = TableSource(name: name, range: range)
            return wide ? WideStep(source: source) as any Step : source
        })
}

/// A step whose table is shown whole on the screen: the session's format, chosen explicitly, so
/// that it is not fitted to the window.
package struct WideStep: Step {
    package let source: any Step

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let out = try source.run(input, ctx)
        guard case .table(let t, let chosen) = out else { return out }
        return .table(t, format: chosen ?? ctx.settings.format)
    }

    package var dump: String { source.dump + " wide" }
}
