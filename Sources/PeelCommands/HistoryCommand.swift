import PeelSupport
import PeelEvaluation

/// `history [N]`: the commands typed so far (in the shell, including earlier sessions).
package struct HistoryCommand: Command {
    package let count: Int?

    package static let spec = CommandSpec(
        name: "history", kind: .source, group: "Help",
        usage: "history [N]",
        summary: "List the commands typed so far (the last N), oldest first.",
        details: """
            In the shell this is the history kept between sessions (Up arrow and Ctrl-R search it);
            a line typed with a leading space is not kept. In a script it lists the script's
            commands so far. A command of this session that gave a result is marked with the
            result's number (`[3]`: `_3` uses it). To keep a session as a script you can
            replay, use `save`.
            """,
        examples: ["history 5"],
        arguments: [],
        parse: { p, _ in
            var n: Int?
            if case .number(let v, 0, _) = p.peek.kind, v >= 1, v <= 1e9 { p.advance(); n = Int(v) }
            try p.expectStepEnd()
            return HistoryCommand(count: n)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let all = ctx.session.history.isEmpty ? ctx.session.journal.map(\.text) : ctx.session.history
        // The result each line gave (`[3]`, so `_3` can be used), matched from the latest back
        // against this session's commands.
        var cellOf = [Int: Int]()
        var done = ctx.session.journal.filter { $0.cell != nil }
        for i in all.indices.reversed() {
            guard let last = done.last else { break }
            if last.text == all[i] { cellOf[i] = last.cell; done.removeLast() }
        }
        let shown = count.map { Array(all.suffix($0)) } ?? all
        let first = all.count - shown.count + 1
        let width = String(all.count).count
        var out = ""
        for (i, line) in shown.enumerated() {
            let cell = cellOf[first + i - 1].map { "  [\($0)]" } ?? ""
            out += DisplayWidth.padLeft(String(first + i), width) + "  " + line.replacingAll("\n", with: "\n" + String(repeating: " ", count: width + 2)) + cell + "\n"
        }
        return .text(out.isEmpty ? "no history yet\n" : out)
    }

    package var dump: String { Self.spec.name + (count.map { " \($0)" } ?? "") }
}
