import PeelSupport
import PeelData
import PeelStats
import PeelEvaluation

/// `proportion X of N`: adds each row's percentage and Wilson 95% interval.
package struct ProportionCommand: Command {
    package let x: (String, SourceRange)
    package let n: (String, SourceRange)

    package static let spec = CommandSpec(
        name: "proportion", kind: .stage, group: "Analysis",
        usage: "proportion COLUMN of COLUMN",
        summary: "Add each row's percentage (X of N) with its Wilson 95% confidence interval.",
        details: """
            Adds `pct`, `lower` and `upper` (percentages, the Wilson score 95% interval). Rows with
            a missing count, or a denominator of 0, get missing values.
            """,
        examples: ["cdi_audits | where audit ~ \"timeliness\" | proportion numerator of denominator | select audit, numerator, denominator, pct, lower, upper"],
        arguments: [.column, .keywords(["of"])],
        parse: { p, _ in
            let x = try p.name("the column of counts")
            guard p.matchWord("of") else { throw p.unexpected(expected: "'of' and the denominator column", help: "e.g. proportion numerator of denominator") }
            let n = try p.name("the denominator column")
            try p.expectStepEnd()
            return ProportionCommand(x: x, n: n)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        var t = try requireTable(input)
        let a = t.columns[try requireColumn(x.0, in: t, at: x.1)], b = t.columns[try requireColumn(n.0, in: t, at: n.1)]
        let extra = Self.table(counts: (0..<t.rowCount).map { (a.number($0) ?? .nan, b.number($0) ?? .nan) }, label: nil)
        t.columns += extra.columns
        if let i = t.columnIndex("pct") { t.columns[i].ratio = Ratio(numerator: a.name, denominator: b.name, factor: 100) }
        t.info.footnotes.append("lower, upper: Wilson score 95% confidence interval")
        return .table(t)
    }

    /// pct, lower, upper columns for the given counts (NaN = missing), with an optional label column first.
    package static func table(counts: [(Double, Double)], label: String?) -> Table {
        var l = ColumnBuilder.text("proportion")
        var pct = ColumnBuilder.decimal("pct", scale: 1, unit: "%")
        var lo = ColumnBuilder.decimal("lower", scale: 1, unit: "%")
        var hi = ColumnBuilder.decimal("upper", scale: 1, unit: "%")
        for (x, n) in counts {
            l.append(label)
            if let (a, b) = Significance.wilson(x, of: n) {
                pct.append(x / n * 100)
                lo.append(a)
                hi.append(b)
            } else {
                pct.append(nil as Double?)
                lo.append(nil as Double?)
                hi.append(nil as Double?)
            }
        }
        return Table(name: Self.spec.name, columns: (label == nil ? [] : [l.build()]) + [pct.build(), lo.build(), hi.build()])
    }

    package var dump: String { "proportion \(x.0) of \(n.0)" }
}
