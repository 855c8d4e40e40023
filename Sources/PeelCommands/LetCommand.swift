import PeelSupport
import PeelData
import PeelLanguage
import PeelEvaluation

/// `let NAME = PIPELINE`: keeps a pipeline's result as a table of the session.
package struct LetCommand: Command {
    package let name: (String, SourceRange)
    package let pipeline: Statement

    package static let usage = "let NAME = PIPELINE"

    package static let spec = CommandSpec(
        name: "let", kind: .source, group: "Tables",
        usage: usage,
        summary: "Keep a pipeline's result as a named table, to use like any other.",
        details: """
            The result of PIPELINE becomes the table NAME for the rest of the session: `tables`
            lists it (group "this session", with the pipeline that made it), Tab completes it and
            its columns, and it can start a pipeline, be joined or described like any table; its
            source, notes and force column come with it. A later `let` of the same name replaces
            it, and says so. A bundled table's name or a command's cannot be used. `save` keeps
            the `let`, so a replayed script makes the table again.
            Every result is also kept by number: `_` is the last result and `_3` result 3 (the
            shell shows the number before each result); `_ | chart` draws the last table.
            """,
        examples: [
            "let charged = outcomes_by_force | where outcome_type = 1; charged | top 3 by pct_of_offences | select force, pct_of_offences",
        ],
        arguments: [.rename, .table],
        parse: { p, verb in try LetCommand.read(&p) })

    /// `NAME = PIPELINE`, the pipeline read with the standard commands.
    static func read(_ p: inout Parser) throws -> any Step {
        let registry: CommandRegistry = CommandRegistry.standard
        var word: String? = p.peek.word
        if word == nil, case .quotedIdentifier(let q) = p.peek.kind { word = q }
        guard let word else {
            throw p.unexpected(expected: "a name for the result", help: "e.g. let kent = outcomes_by_force | where force = \"Kent\"")
        }
        let nameRange = p.peek.range
        let isCommand = registry.command(named: word) != nil
        if isCommand || EvalContext.cellNumber(word, last: 0) != nil {
            throw ParseError.letNameTaken(nameRange, name: word, isCommand: isCommand)
        }
        p.advance()
        _ = try p.consume(.equal, "'=' and the pipeline whose result to keep", help: "e.g. let \(word) = outcomes | where kind = \"outcome\"")
        let inner = try p.statement(registry: registry)
        return LetCommand(name: (word, nameRange), pipeline: inner)
    }

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        if ctx.catalog.isBundled(name.0) {
            throw CommandError.letNameBundled(name: name.0, at: name.1)
        }
        let output = try pipeline.evaluate(ctx)
        guard case .table(var table, _)? = output else {
            throw CommandError.letNeedsTable(name: name.0, at: pipeline.range)
        }
        let replaced = ctx.catalog.names.contains(name.0)
        table.name = name.0
        table.info.group = "this session"
        let typed = ctx.session.runningText.map(Self.pipelineText) ?? pipeline.dump
        table.info.title = typed
        table.info.notes.append("made in this session by: let \(name.0) = \(typed)")
        ctx.catalog.add(table)
        let size = "\(table.rowCount) row\(table.rowCount == 1 ? "" : "s"), \(table.columns.count) column\(table.columns.count == 1 ? "" : "s")"
        return .text("\(name.0): \(size)" + (replaced ? " (replaces the earlier \(name.0))" : "") + "\n")
    }

    /// `let x = outcomes | top 3` → `outcomes | top 3`.
    static func pipelineText(_ command: String) -> String {
        guard let eq = command.firstIndex(of: "=") else { return command }
        return command[command.index(after: eq)...].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    package var dump: String { "let \(name.0) = (\(pipeline.dump))" }
}
