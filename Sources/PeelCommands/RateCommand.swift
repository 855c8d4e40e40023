import PeelSupport
import PeelData
import PeelStats
import PeelLanguage
import PeelEvaluation

/// `rate COUNT of DENOMINATOR [per N] [exact | byar]`: adds each row's rate per N with its 95%
/// Poisson confidence interval.
package struct RateCommand: Command {
    package let count: (String, SourceRange)
    package let denominator: (String, SourceRange)
    /// Events per this many of the denominator (1,000 unless given).
    package let per: Double
    package let method: RateMethod
    /// The command word, where a clash with existing columns is reported.
    package let at: SourceRange

    package static let usage = "rate COLUMN of COLUMN [per 1000 | per 100000 | per N] [exact | byar]"

    package static let spec = CommandSpec(
        name: "rate", kind: .stage, group: "Analysis",
        usage: usage,
        summary: "Add each row's rate (COUNT per 1,000 of DENOMINATOR) with its exact Poisson 95% confidence interval.",
        details: """
            Adds `rate` (COUNT ÷ DENOMINATOR × 1,000, or per 100,000 or per any whole N), `lower`
            and `upper`: the 95% confidence interval of the rate, treating the count as Poisson
            and the denominator (a population, say) as exact. The interval is Garwood's exact one
            from the chi-square distribution (lower = χ²(0.025; 2k)/2, upper = χ²(0.975; 2k+2)/2
            for a count k, each divided by the denominator), which is right for small counts and
            for 0; `byar` uses Byar's close approximation to it instead. Rows with a missing count
            or denominator, a denominator of 0 or less, or a count that is not a whole number of
            0 or more get missing values, and a note says how many. If the table already has a
            column called rate, lower or upper, rename or drop it first with `select`.
            """,
        examples: ["recorded_crime_totals | rate total_recorded_offences of population_hoc_2019 per 1000 | top 3",
                   "recorded_crime_totals | rate total_recorded_offences of population_hoc_2019 per 100000 byar | top 3 by rate | select force, rate, lower, upper"],
        arguments: [.column, .keywords(["of", "per", "exact", "byar"])],
        parse: { p, verb in
            let x = try p.name("the column of counts", help: "e.g. rate total_recorded_offences of population_hoc_2019")
            guard p.matchWord("of") else { throw p.unexpected(expected: "'of' and the denominator column", help: "e.g. rate total_recorded_offences of population_hoc_2019") }
            let n = try p.name("the denominator column")
            var per = 1000.0
            var method = RateMethod.exact
            while !p.atStepEnd {
                if p.matchWord("per") {
                    guard case .number(let v, let scale, _) = p.peek.kind, scale == 0, v >= 1, v <= 1e12 else {
                        throw p.unexpected(expected: "a whole number from 1 to 1,000,000,000,000 to give the rate per", help: "e.g. per 1000 or per 100000")
                    }
                    p.advance()
                    per = v
                } else if p.matchWord("exact") { method = .exact }
                else if p.matchWord("byar") { method = .byar }
                else { throw ParseError.unexpectedInStep(p.peek.range, found: p.peek.kind, verb: "rate", usage: usage) }
            }
            return RateCommand(count: x, denominator: n, per: per, method: method, at: verb.range)
        })

    /// The unit of the rate columns: "per 1,000", "per 100,000" (as per_1000 and per_100000 have it).
    package var unit: String {
        guard let whole = Int(exactly: per) else { return "per " + NumberFormat.shortest(per) }
        return "per " + NumberFormat.grouped(whole)
    }

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        var t = try requireTable(input)
        let a = t.columns[try requireColumn(count.0, in: t, at: count.1)]
        let b = t.columns[try requireColumn(denominator.0, in: t, at: denominator.1)]
        guard a.type.isNumeric else { throw CommandError.notNumeric(column: a.name, holds: a.type.rawValue, command: "rate", at: count.1) }
        guard b.type.isNumeric else { throw CommandError.notNumeric(column: b.name, holds: b.type.rawValue, command: "rate", at: denominator.1) }
        let added: Set<String> = ["rate", "lower", "upper"]
        let clash = t.columns.map(\.name).filter { added.contains($0.lowercased()) }
        guard clash.isEmpty else { throw CommandError.rateColumnsExist(names: clash, at: at) }

        var values: [(Double, Double, Double)?] = []
        values.reserveCapacity(t.rowCount)
        var missingInput = 0, badDenominator = 0, badCount = 0, tooLarge = 0
        for r in 0..<t.rowCount {
            if r & 255 == 0 { try Interrupt.check() }
            guard let k = a.number(r), let n = b.number(r), !k.isNaN, !n.isNaN else {
                missingInput += 1
                values.append(nil)
                continue
            }
            guard n > 0, n.isFinite else { badDenominator += 1; values.append(nil); continue }
            guard k >= 0, k <= 9_007_199_254_740_992, k == k.rounded(.down) else { badCount += 1; values.append(nil); continue }
            guard let v = Rates.rate(count: k, denominator: n, per: per, method: method) else { tooLarge += 1; values.append(nil); continue }
            values.append((v.rate, v.lower, v.upper))
        }
        // One scale for the three columns: enough decimals for about three significant figures of
        // the smallest upper limit above 0, from 1 to 10.
        let smallest = values.compactMap { $0?.2 }.filter { $0 > 0 }.min()
        let scale = smallest.map(Self.scale(for:)) ?? 1
        var rate = ColumnBuilder.decimal("rate", scale: scale, unit: unit)
        var lo = ColumnBuilder.decimal("lower", scale: scale, unit: unit)
        var hi = ColumnBuilder.decimal("upper", scale: scale, unit: unit)
        for v in values {
            rate.append(v?.0)
            lo.append(v?.1)
            hi.append(v?.2)
        }
        t.columns += [rate.build(), lo.build(), hi.build()]
        let names = ["rate", "lower", "upper"]
        t.info.note("lower, upper: \(method.words) of \(a.name) \(unit) \(b.name); \(b.name) is taken as exact", about: names)
        let skipped = missingInput + badDenominator + badCount + tooLarge
        if skipped > 0 {
            var why: [String] = []
            if missingInput > 0 { why.append("\(NumberFormat.grouped(missingInput)) with a missing \(a.name) or \(b.name)") }
            if badDenominator > 0 { why.append("\(NumberFormat.grouped(badDenominator)) with \(b.name) 0 or less") }
            if badCount > 0 { why.append("\(NumberFormat.grouped(badCount)) with \(a.name) not a whole number of 0 or more") }
            if tooLarge > 0 { why.append("\(NumberFormat.grouped(tooLarge)) with a rate too large for a number") }
            // Name the first few rows left without a rate, by force when the table has one.
            let labels = t.column(t.info.forceColumn ?? "force").map { c in
                values.indices.lazy.filter { values[$0].map { _ in false } ?? true }.prefix(5).compactMap { c.text($0) }
            } ?? []
            let named = labels.isEmpty ? "" : " (" + labels.joined(separator: ", ") + (skipped > labels.count ? ", …" : "") + ")"
            t.info.note("\(NumberFormat.grouped(skipped)) row\(skipped == 1 ? " has" : "s have") no rate\(named): " + why.joined(separator: "; "), about: names)
        }
        return .table(t)
    }

    /// Decimals for about three significant figures of `x` (> 0): 2 − ⌊log₁₀ x⌋, from 1 to 10.
    static func scale(for x: Double) -> Int {
        var scale = 2, v = x
        while v >= 10 && scale > 1 { v /= 10; scale -= 1 }
        while v < 1 && scale < 10 { v *= 10; scale += 1 }
        return scale
    }

    package var dump: String { "rate \(count.0) of \(denominator.0) per \(NumberFormat.shortest(per)) \(method.rawValue)" }
}
