import PeelSupport
import PeelStats
import PeelLanguage
import PeelEvaluation

/// `interval X of N`: a proportion with its Wilson 95% confidence interval.
package struct IntervalCommand: Command {
    package let x: Arg
    package let n: Arg

    package static let spec = CommandSpec(
        name: "interval", kind: .source, group: "Analysis",
        usage: "interval X of N",
        summary: "A proportion (X of N) as a percentage with its Wilson 95% confidence interval.",
        details: """
            The Wilson score interval, which stays within 0 to 100% and behaves well for small
            samples and proportions near 0 or 100% (an audit of 93 rape reports, say). For a whole
            column of counts, use the `proportion` verb.
            """,
        examples: ["interval 84 of 93"],
        arguments: [.keywords(["of"])],
        parse: { p, _ in
            let x = try p.arg("a count")
            guard p.matchWord("of") else { throw p.unexpected(expected: "'of' and the number it is out of", help: "e.g. interval 84 of 93") }
            let n = try p.arg("the number it is out of")
            try p.expectStepEnd()
            return IntervalCommand(x: x, n: n)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let a = try x.number(ctx), b = try n.number(ctx)
        for (v, arg) in [(a, x), (b, n)] where !TestCommand.isCount(v) {
            throw CommandError.countNotWhole(value: v, example: "interval 84 of 93", at: arg.range)
        }
        guard Significance.wilson(a, of: b) != nil else {
            throw CommandError.proportionOutOfRange(at: SourceRange.covering(x.range, n.range))
        }
        var t = ProportionCommand.table(counts: [(a, b)], label: "\(NumberFormat.shortest(a)) of \(NumberFormat.shortest(b))")
        t.info.footnotes = ["Wilson score 95% confidence interval"]
        return .table(t)
    }

    package var dump: String { "interval \(x.dump) of \(n.dump)" }
}
