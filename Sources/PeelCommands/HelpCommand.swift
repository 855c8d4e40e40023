import PeelSupport
import PeelEvaluation

/// `help` and `help COMMAND`, written from the command registry.
package struct HelpCommand: Command {
    package let topic: String?
    package let range: SourceRange?

    package static let spec = CommandSpec(
        name: "help", kind: .source, group: "Help",
        usage: "help [COMMAND]",
        summary: "List the commands, or explain one with its usage and examples.",
        details: """
            `help` lists every command with a one-line summary. `help COMMAND` shows how to
            write the command, what it does, and examples you can type as they are.
            `help tables` (or `help data`) describes the tables loaded: their groups, sources
            and periods.
            """,
        examples: ["help compare"],
        arguments: [.command],
        parse: { p, _ in
            if p.atStepEnd { return HelpCommand(topic: nil, range: nil) }
            let (topic, range) = try p.text("a command name")
            try p.expectStepEnd()
            return HelpCommand(topic: topic, range: range)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let reg = ctx.commands as? CommandRegistry ?? .standard
        guard let topic else { return .text(Self.overview(reg)) }
        if [TablesCommand.spec.name, "data"].contains(topic.lowercased()) { return .text(try Self.data(ctx)) }
        guard let cmd = reg.command(named: topic) else {
            throw CommandError.noHelp(topic: topic, commands: reg.names(), at: range)
        }
        return .text(Self.page(cmd))
    }

    package static func overview(_ reg: CommandRegistry) -> String {
        var out = "peel: explore police inspection data. Commands chain with '|':\n"
        out += "  outcomes | where kind in (\"outcome\", \"group\") | compare \"Leicestershire\" | chart\n"
        let width = (reg.commands.map { $0.name.count }.max() ?? 8) + 2
        for g in reg.groups {
            out += "\n\(g):\n"
            for c in reg.commands where c.group == g {
                out += "  " + DisplayWidth.padRight(c.name, width) + c.summary
                    + (c.aliases.isEmpty ? "" : " (also: " + c.aliases.joined(separator: ", ") + ")") + "\n"
            }
        }
        out += "\nType 'help COMMAND' for its usage and examples, 'tables' for the data.\n"
        return out
    }

    /// `help tables` / `help data`: what is loaded, by group, with each table's source and period.
    package static func data(_ ctx: EvalContext) throws -> String {
        var out = "The tables (`tables` lists them as a table; `describe TABLE` gives columns and caveats):\n"
        var groups: [String] = []
        var byGroup: [String: [String]] = [:]
        for name in ctx.catalog.names {
            guard let s = try ctx.catalog.summary(name) else { continue }
            let g = s.group ?? "other"
            if byGroup[g] == nil { groups.append(g) }
            byGroup[g, default: []].append(name)
        }
        for g in groups {
            out += "\n\(g):\n"
            for name in byGroup[g]! {
                let s = try ctx.catalog.summary(name)!
                out += "  \(name) (\(s.rows) rows): \(s.title ?? "")\n"
                if let src = ctx.catalog.source(of: name) { out += TextWrap.wrap("source: " + src, width: 96, first: "    ", rest: "      ") + "\n" }
                if let p = s.period { out += TextWrap.wrap("period: " + p, width: 96, first: "    ", rest: "      ") + "\n" }
            }
        }
        out += "\nLoad your own with: load \"file.csv\" as NAME. Licence of the bundled data: Open Government Licence v3.0.\n"
        return out
    }

    package static func page(_ c: CommandSpec) -> String {
        var out = "usage: \(c.usage)\n\n\(c.summary)\n\n"
        if !c.aliases.isEmpty { out += "also written: " + c.aliases.joined(separator: ", ") + "\n\n" }
        out += c.details.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
            .joined(separator: "\n").replacingAll("  \n", with: "\n") + "\n"
        if !c.examples.isEmpty {
            out += "\nexamples:\n"
            for e in c.examples { out += "  \(e)\n" }
        }
        return out
    }

    package var dump: String { "help(\(topic ?? ""))" }
}
