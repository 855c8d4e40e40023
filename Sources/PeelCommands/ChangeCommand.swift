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
    package let over: (String, SourceRange)
    package let from: Arg
    package let to: Arg
    package let recorded: Arg?
    package let range: SourceRange

    package static let usage = "change VALUE [of DENOMINATOR] over COLUMN from A to B [recorded N]"

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
            """,
        examples: [
            "cdi_rates | where force = \"Leicestershire\" | change rate over inspection from \"2017 inspection\" to \"2018 re-inspection\"",
        ],
        arguments: [.column, .keywords(["of", "over", "from", "to", "recorded"])],
        parse: { p, verb in
            let value = try p.name("a value column", help: "e.g. change rate over inspection from \"2017 inspection\" to \"2018 re-inspection\"")
            var den: (String, SourceRange)?
            if p.matchWord("of") { den = try p.name("the denominator column") }
            guard p.matchWord("over") else { throw p.unexpected(expected: "'over' and the column naming the periods", help: "usage: \(usage)") }
            let over = try p.name("the column naming the periods or inspections")
            guard p.matchWord("from") else { throw p.unexpected(expected: "'from' and the earlier period", help: "usage: \(usage)") }
            let from = try p.arg("the earlier period")
            guard p.matchWord("to") else { throw p.unexpected(expected: "'to' and the later period", help: "usage: \(usage)") }
            let to = try p.arg("the later period")
            var recorded: Arg?
            if p.matchWord("recorded") { recorded = try p.arg("the number of crimes recorded a year") }
            try p.expectStepEnd()
            return ChangeCommand(value: value, denominator: den, over: over, from: from, to: to, recorded: recorded,
                                 range: SourceRange(verb.range.start, p.previous.range.end))
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input)
        let vi = try requireColumn(value.0, in: table, at: value.1)
        let v = table.columns[vi]
        guard v.type.isNumeric else { throw CommandError.notNumeric(column: v.name, holds: v.type.rawValue, command: "change", at: value.1) }
        let di = try denominator.map { try requireColumn($0.0, in: table, at: $0.1) }
        let oi = try requireColumn(over.0, in: table, at: over.1)
        let overCol = table.columns[oi]
        let a = try from.text(ctx, what: "the earlier period"), b = try to.text(ctx, what: "the later period")
        let periods = overCol.presentTexts()
        for (p, arg) in [(a, from), (b, to)] where !periods.contains(p) {
            throw CommandError.noPeriodRows(column: overCol.name, period: p, periods: periods.sorted(), at: arg.range)
        }
        let ci = table.info.ciColumn.flatMap { table.column($0) }
        let volume: Double? = try recorded.map {
            guard case .number(let n) = try $0.resolve(ctx), n >= 1, n <= 1e12, n == n.rounded() else {
                throw CommandError.recordedNotWhole(at: $0.range)
            }
            return n
        }

        // The measure's identity: the other key columns (and the force), not the period column.
        var skip: Set<String> = [overCol.name, v.name, "source", "period", "ci", "unit"]
        if let di { skip.insert(table.columns[di].name) }
        if let c = table.info.ciColumn { skip.insert(c) }
        var keyNames = (table.info.forceColumn.map { [$0] } ?? []) + (table.info.keys ?? table.columns.filter { $0.type == .text }.map(\.name))
        keyNames = keyNames.filter { !skip.contains($0) && table.column($0) != nil }
        var seenKey = Set<String>()
        keyNames = keyNames.filter { seenKey.insert($0).inserted }
        let keyCols = keyNames.compactMap { table.column($0) }

        // Rows grouped by their identity; in each group, the row of each of the two periods.
        let ids = table.groupIDs(by: keyCols)
        var rowA = [Int](repeating: -1, count: ids.count), rowB = rowA
        var order: [Int] = []
        for r in 0..<table.rowCount {
            if r & 0xFFFF == 0 { try Interrupt.check() }
            guard let p = overCol.formatted(r), p == a || p == b else { continue }
            let g = Int(ids.ids[r])
            if rowA[g] < 0 && rowB[g] < 0 { order.append(g) }
            if p == a {
                if rowA[g] >= 0 { throw duplicate(keyCols, r, keyNames, p) }
                rowA[g] = r
            } else {
                if rowB[g] >= 0 { throw duplicate(keyCols, r, keyNames, p) }
                rowB[g] = r
            }
        }

        let isPercent = v.unit == "%" || di != nil
        let changeUnit = isPercent ? "pp" : v.unit
        var keyOut = keyNames.map { ColumnBuilder.text($0) }
        var aOut = ColumnBuilder.decimal(a, scale: di == nil ? v.scale : 1, unit: isPercent ? "%" : v.unit)
        var bOut = ColumnBuilder.decimal(b, scale: di == nil ? v.scale : 1, unit: isPercent ? "%" : v.unit)
        var cOut = ColumnBuilder.decimal("change", scale: di == nil ? v.scale : 1, unit: changeUnit)
        var pOut = ColumnBuilder.decimal("p", scale: 12)
        var finding = ColumnBuilder.text("finding")
        var extra = ColumnBuilder.integer("extra_crimes_a_year")
        var notes: [String] = []
        var anyTest = false
        for g in order {
            let ra = rowA[g] >= 0 ? rowA[g] : nil, rb = rowB[g] >= 0 ? rowB[g] : nil
            let any = ra ?? rb!
            let k = keyCols.map { $0.formatted(any) }
            for (i, part) in k.enumerated() { keyOut[i].append(part) }
            var x: Double?, y: Double?, test: TestResult?
            var scale = v.scale
            if let di {
                let d = table.columns[di]
                if let ra, let rb, let n1 = v.number(ra), let d1 = d.number(ra), let n2 = v.number(rb), let d2 = d.number(rb), d1 > 0, d2 > 0 {
                    x = n1 / d1 * 100
                    y = n2 / d2 * 100
                    test = Significance.twoProportions(n1, of: d1, n2, of: d2)
                }
                scale = 1
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
            let delta = x.flatMap { x in y.map { NumberFormat.exactDifference($0, x, scale: scale) } }
            cOut.append(delta, scale: scale)
            pOut.append(test?.p)
            if test != nil { anyTest = true }
            finding.append(delta.map { Self.finding($0, unit: changeUnit, scale: scale, test: test, better: table.info.better) })
            if let volume, let delta, let y, y > 0, isPercent {
                let reported = volume / (y / 100)
                let e = delta / 100 * reported
                extra.append(e.rounded())
                notes.append("extra crimes a year (\(k.compactMap { $0 }.joined(separator: ", "))): crimes reported a year = \(Self.grouped(volume)) recorded ÷ \(NumberFormat.fixed(y, scale: scale))% = \(Self.grouped(reported.rounded())); × \(NumberFormat.fixed(delta, scale: scale)) pp = \(Self.grouped(e.rounded())) (about \(Self.grouped((e / 100).rounded() * 100)))")
            } else {
                extra.append(nil as Double?)
            }
        }
        var columns = keyOut.map { $0.build() } + [aOut.build(), bOut.build(), cOut.build()]
        if anyTest { columns.append({ var c = pOut.build(); c.isPValue = true; return c }()) }
        columns.append(finding.build())
        if volume != nil { columns.append(extra.build()) }
        var info = TableInfo()
        info.title = "\(v.name): \(a) to \(b)"
        info.source = table.info.source
        info.period = table.info.period
        if anyTest {
            info.footnotes.append(di != nil ? "p: two-sided two-proportion z-test (pooled); significant when p < 0.05"
                : "p: two-sided z-test of the change, standard errors from the 95% intervals (half-width ÷ 1.959964, the 97.5th percentile of the normal); significant when p < 0.05")
        }
        info.footnotes += notes
        return .table(Table(name: table.name, columns: columns, info: info))
    }

    package func duplicate(_ cols: [Column], _ row: Int, _ names: [String], _ p: String) -> CommandError {
        .changeDuplicate(over: over.0, period: p, key: zip(names, cols).map { ($0, $1.formatted(row) ?? "missing") }, at: range)
    }

    /// "statistically significant improvement of 8.3 pp", "decrease of 1.2 pp (not statistically significant)".
    package static func finding(_ delta: Double, unit: String?, scale: Int, test: TestResult?, better: String?) -> String {
        let size = NumberFormat.fixed(abs(delta), scale: scale) + (unit.map { $0 == "%" ? "%" : " \($0)" } ?? "")
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
        "change \(value.0)" + (denominator.map { " of \($0.0)" } ?? "") + " over \(over.0) from \(from.dump) to \(to.dump)" + (recorded.map { " recorded \($0.dump)" } ?? "")
    }
}
