import Foundation
import PeelSupport
import PeelIO
import PeelEvaluation

/// `save "FILE.peel"`: the session so far as a script that replays it.
package struct SaveCommand: Command {
    package let path: (String, SourceRange)

    package static let spec = CommandSpec(
        name: "save", kind: .source, group: "Output",
        usage: "save \"FILE.peel\"",
        summary: "Save the session so far as a script: replaying it reproduces the session's output.",
        details: """
            Writes every command that succeeded, in order, with the loads and settings it depends
            on (and the chart width of the terminal, so charts replay the same). Commands that
            failed are kept as comments, so nothing is lost. Replay with `peel FILE.peel`.
            """,
        examples: ["save \"/tmp/peel-example-session.peel\""],
        arguments: [],
        takesFile: true, journalled: false,
        parse: { p, _ in
            guard case .string(let f) = p.peek.kind else { throw p.unexpected(expected: "a file name in quotes", help: "e.g. save \"analysis.peel\"") }
            let t = p.advance()
            try p.expectStepEnd()
            return SaveCommand(path: (f, t.range))
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        var out = "# Saved by peel from an interactive session. Replay with: peel \(path.0)\n"
        let initial = ctx.session.initialSettings ?? Settings()
        let defaults = Settings()
        if initial.width != defaults.width { out += "set width = \(initial.width)\n" }
        if initial.format != defaults.format { out += "set format = \"\(initial.format.rawValue)\"\n" }
        if initial.ascii != defaults.ascii { out += "set ascii = 1\n" }
        var kept = 0
        for entry in ctx.session.journal {
            if entry.succeeded {
                out += entry.text + "\n"
                kept += 1
            } else {
                out += entry.text.split(separator: "\n", omittingEmptySubsequences: false).map { "# failed: " + $0 }.joined(separator: "\n") + "\n"
            }
        }
        try AtomicFile.write(out, to: path.0, at: path.1)
        return .text("saved \(kept) command\(kept == 1 ? "" : "s") to \(path.0)")
    }

    package var dump: String { "save \(quoteForDump(path.0))" }
}
