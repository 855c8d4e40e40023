import PeelSupport
import PeelData
import PeelStats
import PeelLanguage
import PeelEvaluation

/// `test A ci CA vs B ci CB` and `test X of N vs Y of M`: is the difference statistically significant?
package struct TestCommand: Command {
    package enum Operand {
        case rate(Arg, ci: Arg?)
        case counts(Arg, of: Arg)
    }
    package let left: Operand
    package let right: Operand
    package let range: SourceRange

    package static let spec = CommandSpec(
        name: "test", kind: .source, group: "Analysis",
        usage: "test RATE [ci HALFWIDTH] vs RATE [ci HALFWIDTH]  |  test X of N vs Y of M",
        summary: "Test whether two rates (with 95% intervals) or two proportions (counts) differ significantly.",
        details: """
            With rates and 95% confidence-interval half-widths, as inspection reports print them
            (84.1 ± 1.71), a z-test: standard errors are the half-widths ÷ 1.959964 (the 97.5th percentile of the normal); a rate without an
            interval is taken as exact. With counts (556 of 611), the pooled two-proportion z-test.
            Prints both values, the difference (second minus first, in percentage points), z, the
            two-sided p-value and "statistically significant" or "not statistically significant" at
            the 95% level. Values can be `$variables`.
            """,
        examples: ["test 75.8 ci 1.94 vs 84.1 ci 1.71", "test 556 of 611 vs 220 of 244"],
        arguments: [.keywords(["ci", "of", "vs"])],
        parse: { p, verb in
            func operand() throws -> Operand {
                let a = try p.arg("a rate or a count", help: "e.g. test 75.8 ci 1.94 vs 84.1 ci 1.71")
                if p.matchWord("of") { return .counts(a, of: try p.arg("the number it is out of")) }
                if p.matchWord("ci") { return .rate(a, ci: try p.arg("the interval's half-width")) }
                return .rate(a, ci: nil)
            }
            let l = try operand()
            guard p.matchWord("vs") else { throw p.unexpected(expected: "'vs' and the second value", help: "e.g. test 75.8 ci 1.94 vs 84.1 ci 1.71") }
            let r = try operand()
            try p.expectStepEnd()
            return TestCommand(left: l, right: r, range: SourceRange(verb.range.start, p.previous.range.end))
        })

    /// A whole number of things: 0 to 2^53 (past that a double does not hold every whole number).
    package static func isCount(_ v: Double) -> Bool { v >= 0 && v <= 9_007_199_254_740_992 && v == v.rounded() }

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        func number(_ a: Arg) throws -> Double { try a.number(ctx) }
        var first = ColumnBuilder.text("first"), second = ColumnBuilder.text("second")
        var diff = ColumnBuilder.decimal("difference", scale: 1, unit: "pp")
        var z = ColumnBuilder.decimal("z", scale: 2)
        var p = ColumnBuilder.decimal("p", scale: 12)
        var words = ColumnBuilder.text("significance")
        let result: TestResult
        var note: String
        switch (left, right) {
        case (.rate(let a, let ca), .rate(let b, let cb)):
            let x = try number(a), y = try number(b)
            let cx = try ca.map(number), cy = try cb.map(number)
            for (c, arg) in [(cx, ca), (cy, cb)] {
                if let c, let arg, !(c >= 0 && c.isFinite) {
                    throw CommandError.negativeHalfWidth(value: c, at: arg.range)
                }
            }
            guard let t = Significance.fromIntervals(x, ci: cx, y, ci: cy) else {
                throw CommandError.testNeedsInterval(at: range)
            }
            result = t
            func show(_ v: Double, _ c: Double?) -> String { NumberFormat.shortest(v) + (c.map { " ± " + NumberFormat.shortest($0) } ?? "") }
            first.append(show(x, cx))
            second.append(show(y, cy))
            let scale = [a, b].compactMap { arg -> Int? in if case .number(let v) = arg.value { return NumberFormat.shortest(v).split(separator: ".").dropFirst().first?.count ?? 0 }; return nil }.max() ?? 1
            diff = ColumnBuilder.decimal("difference", scale: scale, unit: "pp")
            diff.append(NumberFormat.exactDifference(y, x, scale: scale))
            note = "z-test: standard errors from the 95% intervals (half-width ÷ 1.959964, the 97.5th percentile of the normal)" + (cx == nil || cy == nil ? "; a value without an interval is taken as exact" : "")
        case (.counts(let a, let n), .counts(let b, let m)):
            let x1 = try number(a), n1 = try number(n), x2 = try number(b), n2 = try number(m)
            for (v, arg) in [(x1, a), (n1, n), (x2, b), (n2, m)] where !TestCommand.isCount(v) {
                throw CommandError.countNotWhole(value: v, example: "test 556 of 611 vs 220 of 244", at: arg.range)
            }
            guard x1 >= 0, x2 >= 0, n1 > 0, n2 > 0, x1 <= n1, x2 <= n2 else {
                throw CommandError.countsOutOfRange(at: range)
            }
            guard let t = Significance.twoProportions(x1, of: n1, x2, of: n2) else {
                throw CommandError.proportionsUntestable(at: range)
            }
            result = t
            first.append("\(NumberFormat.shortest(x1)) of \(NumberFormat.shortest(n1)) (\(NumberFormat.fixed(x1 / n1 * 100, scale: 1))%)")
            second.append("\(NumberFormat.shortest(x2)) of \(NumberFormat.shortest(n2)) (\(NumberFormat.fixed(x2 / n2 * 100, scale: 1))%)")
            diff.append(t.difference)
            note = "pooled two-proportion z-test"
        default:
            throw CommandError.unlikeValues(at: range)
        }
        z.append(result.z)
        p.append(result.p)
        words.append(result.words)
        var pc = p.build()
        pc.isPValue = true
        var info = TableInfo()
        info.footnotes = [note + "; two-sided; significant at the 95% level when p < 0.05"]
        return .table(Table(name: Self.spec.name, columns: [first.build(), second.build(), diff.build(), z.build(), pc, words.build()], info: info))
    }

    package var dump: String { Self.spec.name }
}
