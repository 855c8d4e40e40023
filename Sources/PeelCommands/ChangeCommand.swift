import PeelSupport
import PeelData
import PeelStats
import PeelLanguage
import PeelEvaluation

/// `change VALUE over COLUMN from A to B [recorded N]`: the change between two periods or inspections,
/// tested for significance, with the extra crimes a year it implies when a volume is known.
package struct ChangeCommand: Command {
    /// A value column, or counts `numerator of denominator`.
    package let value: (String, SourceRange)
    package let denominator: (String, SourceRange)?
    /// `per POPULATION [N]`: counts over an exposure (a population), as a rate per N (1,000).
    package let exposure: (String, SourceRange)?
    package let per: Double
    package let over: (String, SourceRange)
    /// nil for every step: each period against the one before.
    package let from: Arg?
    package let to: Arg?
    package let recorded: Arg?
    package let range: SourceRange

    package static let usage = "change VALUE [of DENOMINATOR | per POPULATION [N]] over COLUMN [from A to B] [recorded N]"

    package static let spec = CommandSpec(
        name: "change", kind: .stage, group: "Analysis",
        usage: usage,
        summary: "The change between two periods or inspections, with its significance.",
        details: """
            For each measure (rows matched on the table's other identifying columns), sets the value
            where COLUMN is A beside the value where it is B, and the change B − A (in percentage
            points between percentages). When the table has 95% confidence intervals, the change is
            tested with a z-test whose standard errors come from the intervals (half-width ÷ 1.959964, the 97.5th percentile of the normal);
            with counts, `VALUE of DENOMINATOR`, with a two-proportion z-test. The finding says
            "statistically significant" (p < 0.05) or not; where a higher value is better (recording
            rates), an increase is an improvement.
            `recorded N` estimates the extra crimes recorded a year, as HMICFRS does: crimes reported
            a year = N recorded ÷ the new recording rate; extra crimes = change × crimes reported.
            A note shows the arithmetic.
            On counts (a column of whole numbers of 0 or more, with no interval or denominator),
            adds change_pct, p from the exact conditional test of two Poisson counts (given a + b,
            b is binomial(a + b, ½); two-sided by doubling the smaller tail) and z = 2(√b − √a), the
            square-root test crime analysts use, a note counting |z| > 3. `per POPULATION [N]`
            makes each period's rate per N (1,000 unless given) over that period's own population,
            and tests it with p₀ = the later population ÷ both. Without `from A to B`, every step:
            one row per measure for each period against the one before, in time order.
            """,
        examples: [
            "cdi_rates | where force = \"Leicestershire\" | change rate over inspection from \"2017 inspection\" to \"2018 re-inspection\"",
        ],
        arguments: [.column, .keywords(["of", "per", "over", "from", "to", "recorded"])],
        parse: { p, verb in try ChangeCommand.read(&p, verb) })

    package static func read(_ p: inout Parser, _ verb: Token) throws -> any Step {
        let value = try p.name("a value column", help: "e.g. change rate over inspection from \"2017 inspection\" to \"2018 re-inspection\"")
        var den: (String, SourceRange)?, exposure: (String, SourceRange)?
        var per = 1000.0
        if p.matchWord("of") { den = try p.name("the denominator column") }
        else if p.matchWord("per") {
            exposure = try p.name("the population column", help: "e.g. change incidents per population over year from \"2014/15\" to \"2015/16\"")
            if case .number(let n, 0, _) = p.peek.kind {
                guard n >= 1, n <= 1e9 else { throw p.unexpected(expected: "a rate base from 1 to 1,000,000,000 (1000 for per 1,000)", help: "usage: \(usage)") }
                per = n
                _ = p.advance()
            }
        }
        guard p.matchWord("over") else { throw p.unexpected(expected: "'over' and the column naming the periods", help: "usage: \(usage)") }
        let over = try p.name("the column naming the periods or inspections")
        var from: Arg?, to: Arg?
        if p.matchWord("from") {
            from = try p.arg("the earlier period")
            guard p.matchWord("to") else { throw p.unexpected(expected: "'to' and the later period", help: "usage: \(usage)") }
            to = try p.arg("the later period")
        }
        var recorded: Arg?
        if p.matchWord("recorded") { recorded = try p.arg("the number of crimes recorded a year") }
        try p.expectStepEnd()
        return ChangeCommand(value: value, denominator: den, exposure: exposure, per: per, over: over, from: from, to: to,
                             recorded: recorded, range: SourceRange(verb.range.start, p.previous.range.end))
    }

    /// One comparison: a measure's row at the earlier period and at the later one.
    struct Pair {
        var group: Int
        var rowA: Int?
        var rowB: Int?
        var labelA: String
        var labelB: String
    }

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input)
        let vi = try requireColumn(value.0, in: table, at: value.1)
        let v = table.columns[vi]
        guard v.type.isNumeric else { throw CommandError.notNumeric(column: v.name, holds: v.type.rawValue, command: "change", at: value.1) }
        let di = try denominator.map { try requireColumn($0.0, in: table, at: $0.1) }
        let ei = try exposure.map { try requireColumn($0.0, in: table, at: $0.1) }
        if let ei, let exposure {
            let e = table.columns[ei]
            guard e.type.isNumeric else { throw CommandError.notNumeric(column: e.name, holds: e.type.rawValue, command: "change", at: exposure.1) }
        }
        let oi = try requireColumn(over.0, in: table, at: over.1)
        let overCol = table.columns[oi]
        let ci = table.info.ciColumn.flatMap { table.column($0) }
        // Counts: whole numbers of 0 or more, with no interval and no denominator; tested as Poisson.
        let isCounts = di == nil && ci == nil && v.type == .integer && (0..<table.rowCount).allSatisfy { v.number($0).map { $0 >= 0 } ?? true }
        if ei != nil, !isCounts, let exposure {
            throw CommandError.changePerNeedsCounts(column: v.name, at: exposure.1)
        }
        let volume: Double? = try recorded.map {
            guard case .number(let n) = try $0.resolve(ctx), n >= 1, n <= 1e12, n == n.rounded() else {
                throw CommandError.recordedNotWhole(at: $0.range)
            }
            return n
        }

        // The measure's identity: the other key columns (and the force), not the period column.
        var skip: Set<String> = [overCol.name, v.name, "source", "period", "ci", "unit", "note", "notes"]
        if let di { skip.insert(table.columns[di].name) }
        if let ei { skip.insert(table.columns[ei].name) }
        if let c = table.info.ciColumn { skip.insert(c) }
        var keyNames = (table.info.forceColumn.map { [$0] } ?? []) + (table.info.keys ?? table.columns.filter { $0.type == .text }.map(\.name))
        keyNames = keyNames.filter { !skip.contains($0) && table.column($0) != nil }
        var seenKey = Set<String>()
        keyNames = keyNames.filter { seenKey.insert($0).inserted }
        let keyCols = keyNames.compactMap { table.column($0) }
        let ids = table.groupIDs(by: keyCols)

        var pairs: [Pair] = []
        let a: String, b: String
        if let from, let to {
            a = try from.text(ctx, what: "the earlier period")
            b = try to.text(ctx, what: "the later period")
            let periods = overCol.presentTexts()
            for (p, arg) in [(a, from), (b, to)] where !periods.contains(p) {
                throw CommandError.noPeriodRows(column: overCol.name, period: p, periods: periods.sorted(), at: arg.range)
            }
            // Rows grouped by their identity; in each group, the row of each of the two periods.
            var slot = [Int](repeating: -1, count: ids.count)
            for r in 0..<table.rowCount {
                if r & 0xFFFF == 0 { try Interrupt.check() }
                guard let p = overCol.formatted(r), p == a || p == b else { continue }
                let g = Int(ids.ids[r])
                if slot[g] < 0 { slot[g] = pairs.count; pairs.append(Pair(group: g, rowA: nil, rowB: nil, labelA: a, labelB: b)) }
                if p == a {
                    if pairs[slot[g]].rowA != nil { throw duplicate(keyCols, r, keyNames, p) }
                    pairs[slot[g]].rowA = r
                } else {
                    if pairs[slot[g]].rowB != nil { throw duplicate(keyCols, r, keyNames, p) }
                    pairs[slot[g]].rowB = r
                }
            }
        } else {
            // Every step: in each group, its rows in time order, each against the one before.
            guard let order = overCol.rowsInPeriodOrder() else { throw CommandError.changeStepsNeedPeriods(column: overCol.name, at: over.1) }
            var rows = [[Int]](repeating: [], count: ids.count)
            var groupOrder: [Int] = []
            for r in order where overCol.formatted(r) != nil {
                let g = Int(ids.ids[r])
                if rows[g].isEmpty { groupOrder.append(g) }
                if let last = rows[g].last, overCol.formatted(last) == overCol.formatted(r) {
                    throw duplicate(keyCols, r, keyNames, overCol.formatted(r) ?? "")
                }
                rows[g].append(r)
            }
            // Groups in the order the table first lists them.
            var firstRow = [Int](repeating: Int.max, count: ids.count)
            for r in 0..<table.rowCount { let g = Int(ids.ids[r]); firstRow[g] = min(firstRow[g], r) }
            groupOrder.sort { firstRow[$0] < firstRow[$1] }
            for g in groupOrder where rows[g].count > 1 {
                for k in 1..<rows[g].count {
                    let ra = rows[g][k - 1], rb = rows[g][k]
                    pairs.append(Pair(group: g, rowA: ra, rowB: rb, labelA: overCol.formatted(ra) ?? "", labelB: overCol.formatted(rb) ?? ""))
                }
            }
            guard !pairs.isEmpty else { throw CommandError.changeNoSteps(column: overCol.name, at: over.1) }
            a = "from_value"; b = "to_value"
        }
        let steps = from == nil

        let isPercent = v.unit == "%" || di != nil
        let exposureCol = ei.map { table.columns[$0] }
        let rateUnit = "per " + NumberFormat.grouped(Int(exactly: per) ?? 1000)
        let changeUnit = isPercent ? "pp" : (exposureCol != nil ? rateUnit : v.unit)
        let valueUnit = isPercent ? "%" : (exposureCol != nil ? rateUnit : v.unit)
        let scaleOut = di == nil && exposureCol == nil ? v.scale : (exposureCol != nil ? 2 : 1)
        var keyOut = keyNames.map { ColumnBuilder.text($0) }
        var fromOut = ColumnBuilder.text("from"), toOut = ColumnBuilder.text("to")
        var countA = ColumnBuilder.integer(steps ? "from_count" : "\(a) count"), countB = ColumnBuilder.integer(steps ? "to_count" : "\(b) count")
        var aOut = ColumnBuilder.decimal(a, scale: scaleOut, unit: valueUnit)
        var bOut = ColumnBuilder.decimal(b, scale: scaleOut, unit: valueUnit)
        var cOut = ColumnBuilder.decimal("change", scale: scaleOut, unit: changeUnit)
        var pctOut = ColumnBuilder.decimal("change_pct", scale: 1, unit: "%")
        var pOut = ColumnBuilder.decimal("p", scale: 12)
        var zOut = ColumnBuilder.decimal("z", scale: 2)
        var finding = ColumnBuilder.text("finding")
        var extra = ColumnBuilder.integer("extra_crimes_a_year")
        var notes: [String] = []
        var anyTest = false, anyZ = false, flagged = 0, noExposure = 0, roundedApart = 0
        for (n, pair) in pairs.enumerated() {
            if n & 0xFFF == 0 { try Interrupt.check() }
            let ra = pair.rowA, rb = pair.rowB
            let any = ra ?? rb!
            let k = keyCols.map { $0.formatted(any) }
            for (i, part) in k.enumerated() { keyOut[i].append(part) }
            fromOut.append(pair.labelA); toOut.append(pair.labelB)
            var x: Double?, y: Double?, test: TestResult?, z: Double?, poissonP: Double?
            var scale = v.scale
            if let di {
                let d = table.columns[di]
                if let ra, let rb, let n1 = v.number(ra), let d1 = d.number(ra), let n2 = v.number(rb), let d2 = d.number(rb), d1 > 0, d2 > 0 {
                    x = n1 / d1 * 100
                    y = n2 / d2 * 100
                    test = Significance.twoProportions(n1, of: d1, n2, of: d2)
                }
                scale = 1
            } else if isCounts {
                let ca = ra.flatMap { v.number($0) }, cb = rb.flatMap { v.number($0) }
                countA.append(int: ra.flatMap { Self.whole(v, $0) })
                countB.append(int: rb.flatMap { Self.whole(v, $0) })
                if let e = exposureCol {
                    let ea = ra.flatMap { e.number($0) }, eb = rb.flatMap { e.number($0) }
                    if let ca, let cb, let ea, let eb, ea > 0, eb > 0, ea.isFinite, eb.isFinite {
                        x = ca / ea * per
                        y = cb / eb * per
                        poissonP = CountTest.twoCounts(ca, cb, exposureA: ea, exposureB: eb)
                    } else if ca != nil, cb != nil { noExposure += 1 }
                    scale = 2
                } else {
                    x = ca; y = cb
                    if let ca, let cb {
                        poissonP = CountTest.twoCounts(ca, cb)
                        z = CountTest.squareRootZ(ca, cb)
                    }
                    scale = 0
                }
            } else {
                x = ra.flatMap { v.number($0) }
                y = rb.flatMap { v.number($0) }
                if let ra, let rb { scale = max(v.scale(ra), v.scale(rb)) }
                if let x, let y, let ci, let ra, let rb {
                    test = Significance.fromIntervals(x, ci: ci.number(ra), y, ci: ci.number(rb))
                }
            }
            aOut.append(x, scale: scale)
            bOut.append(y, scale: scale)
            // Values as written differ on their digits (9.1 − 12.1 is −3.0); rates and percentages
            // computed here differ unrounded (rounding each first could move the change by a unit).
            let computed = di != nil || (isCounts && exposureCol != nil)
            let delta = x.flatMap { x in y.map { computed ? $0 - x : NumberFormat.exactDifference($0, x, scale: scale) } }
            cOut.append(delta, scale: scale)
            if computed, let d = delta, let x, let y,
               NumberFormat.fixed(d, scale: scale) != NumberFormat.fixed(NumberFormat.exactDifference(y, x, scale: scale), scale: scale) {
                roundedApart += 1
            }
            pctOut.append(x.flatMap { x in y.flatMap { y in x > 0 ? (y - x) / x * 100 : nil } })
            if let poissonP { test = TestResult(difference: delta ?? 0, standardError: .nan, z: z ?? .nan, p: poissonP) }
            pOut.append(test?.p)
            zOut.append(z)
            if test != nil { anyTest = true }
            if z != nil { anyZ = true }
            if let z, abs(z) > 3 { flagged += 1 }
            let unitWords = isCounts && exposureCol == nil ? nil : changeUnit
            finding.append(delta.map { Self.finding($0, unit: unitWords, scale: scale, test: test, better: table.info.better, counts: isCounts && exposureCol == nil) })
            if let volume, let delta, let y, y > 0, isPercent {
                let reported = volume / (y / 100)
                let e = delta / 100 * reported
                extra.append(e.rounded())
                notes.append("extra crimes a year (\(k.compactMap { $0 }.joined(separator: ", "))): crimes reported a year = \(Self.grouped(volume)) recorded ÷ \(NumberFormat.fixed(y, scale: scale))% = \(Self.grouped(reported.rounded())); × \(NumberFormat.fixed(delta, scale: scale)) pp = \(Self.grouped(e.rounded())) (about \(Self.grouped((e / 100).rounded() * 100)))")
            } else {
                extra.append(nil as Double?)
            }
        }
        var columns = keyOut.map { $0.build() }
        if steps { columns += [fromOut.build(), toOut.build()] }
        if exposureCol != nil { columns += [countA.build(), countB.build()] }
        columns += [aOut.build(), bOut.build(), cOut.build()]
        if isCounts { columns.append(pctOut.build()) }
        if anyTest { columns.append({ var c = pOut.build(); c.isPValue = true; return c }()) }
        if anyZ { columns.append(zOut.build()) }
        columns.append(finding.build())
        if volume != nil { columns.append(extra.build()) }
        var info = TableInfo()
        info.title = steps ? "\(v.name): each step over \(overCol.name)" : "\(v.name): \(a) to \(b)"
        info.source = table.info.source
        info.period = table.info.period
        if let e = exposureCol {
            info.footnotes.append("\(a == "from_value" ? "values" : "\(a) and \(b)"): \(v.name) \(rateUnit) of \(e.name), each period's count over that period's \(e.name)")
        }
        if anyTest {
            if isCounts {
                info.footnotes.append(exposureCol != nil
                    ? "p: the exact conditional test of two Poisson counts: given a + b, b is binomial with p₀ = the later \(exposureCol!.name) ÷ both periods' \(exposureCol!.name); two-sided by doubling the smaller tail; significant when p < 0.05"
                    : "p: the exact conditional test of two Poisson counts: given a + b, b is binomial(a + b, ½); two-sided by doubling the smaller tail; significant when p < 0.05")
            } else {
                info.footnotes.append(di != nil ? "p: two-sided two-proportion z-test (pooled); significant when p < 0.05"
                    : "p: two-sided z-test of the change, standard errors from the 95% intervals (half-width ÷ 1.959964, the 97.5th percentile of the normal); significant when p < 0.05")
            }
        }
        if anyZ {
            info.footnotes.append("z: the square-root test z = 2(√b − √a) of counts a then b; |z| > 3 is a notable change (\(flagged) of \(pairs.count) here)")
        }
        if roundedApart > 0 {
            info.footnotes.append("change: worked out from the unrounded values, so in \(roundedApart) \(roundedApart == 1 ? "row" : "rows") it differs in the last digit from the difference of the rounded values shown")
        }
        if noExposure > 0 {
            info.footnotes.append("\(noExposure) \(noExposure == 1 ? "row has" : "rows have") counts but no \(exposureCol!.name) above 0 in both periods, so no rate")
        }
        info.footnotes += notes
        return .table(Table(name: table.name, columns: columns, info: info))
    }

    /// A whole-number column's value as stored (2^63 − 1 has no exact Double).
    static func whole(_ column: Column, _ row: Int) -> Int64? {
        guard case .integer(let values) = column.data, values.indices.contains(row), !column.missing[row] else { return nil }
        return values[row]
    }

    package func duplicate(_ cols: [Column], _ row: Int, _ names: [String], _ p: String) -> CommandError {
        .changeDuplicate(over: over.0, period: p, key: zip(names, cols).map { ($0, $1.formatted(row) ?? "missing") }, at: range)
    }

    /// "statistically significant improvement of 8.3 pp", "decrease of 1.2 pp (not statistically significant)".
    package static func finding(_ delta: Double, unit: String?, scale: Int, test: TestResult?, better: String?, counts: Bool = false) -> String {
        let size = (counts ? NumberFormat.count(abs(delta)) : NumberFormat.fixed(abs(delta), scale: scale)) + (unit.map { $0 == "%" ? "%" : " \($0)" } ?? "")
        let word: String
        if delta == 0 { word = "no change" }
        else if better == "higher" { word = delta > 0 ? "improvement" : "deterioration" }
        else if better == "lower" { word = delta < 0 ? "improvement" : "deterioration" }
        else { word = delta > 0 ? "increase" : "decrease" }
        if delta == 0 { return word }
        guard let test else { return "\(word) of \(size)" }
        return test.significant ? "statistically significant \(word) of \(size)" : "\(word) of \(size), not statistically significant"
    }

    /// 8300 → "8,300".
    package static func grouped(_ v: Double) -> String {
        let s = NumberFormat.fixed(v, scale: 0)
        var out = ""
        for (i, ch) in s.reversed().enumerated() {
            if i > 0, i % 3 == 0, ch != "-" { out.append(",") }
            out.append(ch)
        }
        return String(out.reversed())
    }

    package var dump: String {
        "change \(value.0)" + (denominator.map { " of \($0.0)" } ?? "") + (exposure.map { " per \($0.0)" + (per == 1000 ? "" : " \(NumberFormat.shortest(per))") } ?? "") + " over \(over.0)" + (from.map { " from \($0.dump)" } ?? "") + (to.map { " to \($0.dump)" } ?? "") + (recorded.map { " recorded \($0.dump)" } ?? "")
    }
}
