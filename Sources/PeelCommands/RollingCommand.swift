import PeelSupport
import PeelData
import PeelStats
import PeelLanguage
import PeelEvaluation

/// `rolling VALUE over PERIOD window N [by COLUMN] [sum|mean]`: the sum or mean of each series'
/// last N consecutive periods, beside every row.
package struct RollingCommand: Command {
    package let value: (String, SourceRange)
    package let over: (String, SourceRange)
    package let window: Double
    package let windowRange: SourceRange
    package let by: (String, SourceRange)?
    package let mean: Bool
    package let range: SourceRange

    package static let usage = "rolling VALUE over PERIOD window N [by COLUMN] [sum|mean]"

    package static let spec = CommandSpec(
        name: "rolling", kind: .stage, group: "Analysis",
        usage: usage,
        summary: "The sum or mean of the last N periods of each series (a rolling total).",
        details: """
            Adds VALUE_rolling_N: for each row, the sum (or with `mean`, the mean) of VALUE over
            the N periods of its series ending at the row's period, and `window`, which names them
            ("4 quarters to 2018/19 Q4"). Series are formed as `trend` forms them (by COLUMN, else
            by force when there are several). The value is missing when the window starts before
            the series, holds a missing value, or spans a gap (a period missing from the
            sequence of months or quarters). N is a whole number from 1 to the number of periods.
            Periods that are rolling years already are refused: adding rolling totals counts
            each month more than once. A mean is shown with one more decimal than VALUE (as
            `summarise mean` shows it). A note states the window.
            """,
        examples: [
            "cdi_rates | where crime_group = \"all crime\" | rolling rate over inspection window 2 mean | select force, inspection, rate, rate_rolling_2, window | top 4",
        ],
        arguments: [.column, .keywords(["over", "window", "by", "sum", "mean"])],
        parse: { p, verb in
            let value = try p.name("a value column", help: "e.g. rolling offences over quarter window 4")
            guard p.matchWord("over") else { throw p.unexpected(expected: "'over' and the column naming the periods", help: "usage: \(usage)") }
            let over = try p.name("the column naming the periods")
            guard p.matchWord("window") else { throw p.unexpected(expected: "'window' and the number of periods", help: "usage: \(usage)") }
            guard case .number(let w, _, _) = p.peek.kind else { throw p.unexpected(expected: "the number of periods in the window", help: "e.g. window 4") }
            let wr = p.peek.range
            p.advance()
            var by: (String, SourceRange)?
            var mean = false
            while !p.atStepEnd {
                if p.matchWord("by") { by = try p.name("the column to group by") }
                else if p.matchWord("mean") { mean = true }
                else if p.matchWord("sum") { mean = false }
                else { throw ParseError.unexpectedInStep(p.peek.range, found: p.peek.kind, verb: "rolling", usage: usage) }
            }
            return RollingCommand(value: value, over: over, window: w, windowRange: wr, by: by, mean: mean,
                                  range: SourceRange(verb.range.start, p.previous.range.end))
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input)
        let v = table.columns[try requireColumn(value.0, in: table, at: value.1)]
        guard v.type.isNumeric else { throw CommandError.notNumeric(column: v.name, holds: v.type.rawValue, command: "rolling", at: value.1) }
        let overCol = table.columns[try requireColumn(over.0, in: table, at: over.1)]
        if let p = overCol.validPeriods, p.contains(where: { $0.kind == .rollingYear }) {
            throw CommandError.rollingOverRolling(over: overCol.name, at: over.1)
        }
        let layout = try SeriesLayout(table, value: v, over: overCol, by: by, range: range)
        let np = layout.periods.count
        // An empty table (a filter that matched nothing) gets the new columns and no rows.
        guard window >= 1, window == window.rounded(), let n = Int(exactly: window), np == 0 || n <= np else {
            throw CommandError.rollingWindow(window: NumberFormat.fixed(window, scale: window == window.rounded() ? 0 : 2), periods: np, at: windowRange)
        }
        // Consecutive periods: each starts the month after the one before ends.
        var consecutive = [Bool](repeating: true, count: np)
        var unit = n == 1 ? "period" : "periods"
        if let s = layout.spans {
            for j in 1..<max(np, 1) where j < np { consecutive[j] = Int(s[j].first) == Int(s[j - 1].last) + 1 }
            let kinds = Set(s.map(\.kind))
            if kinds == [.quarter] { unit = n == 1 ? "quarter" : "quarters" }
            else if kinds == [.month] { unit = n == 1 ? "month" : "months" }
            else if kinds == [.financialYear] || kinds == [.calendarYear] { unit = n == 1 ? "year" : "years" }
        }
        let name = "\(v.name)_rolling_\(n)"
        var out = [Double?](repeating: nil, count: table.rowCount)
        var label = [String?](repeating: nil, count: table.rowCount)
        for g in layout.groups {
            try Interrupt.check()
            let values: [Double?] = g.rows.map { r in r.flatMap { v.number($0) } }
            let rolled = Series.rolling(values, window: n, mean: mean, consecutive: consecutive)
            for (i, r) in g.rows.enumerated() {
                guard let r else { continue }
                out[r] = rolled[i]
                label[r] = "\(n) \(unit) to \(layout.periods[i])"
            }
        }
        var col = ColumnBuilder.decimal(name, scale: mean ? min(12, v.scale + 1) : v.scale, unit: v.unit)  // a mean gets one more decimal, as summarise shows it
        var win = ColumnBuilder.text("window")
        for r in 0..<table.rowCount {
            col.append(out[r])
            win.append(label[r])
        }
        var columns = table.columns.filter { $0.name != name && $0.name != "window" }
        columns += [col.build(), win.build()]
        var info = table.info
        info.footnotes.append("\(name): the \(mean ? "mean" : "sum") of \(v.name) over \(n) consecutive \(unit) ending at each row's \(overCol.name), per series (\(layout.grouping)); missing when the window starts before the series, has a gap or a missing value")
        return .table(Table(name: table.name, columns: columns, info: info))
    }

    package var dump: String {
        "rolling \(value.0) over \(over.0) window \(NumberFormat.fixed(window, scale: 0))" + (by.map { " by \($0.0)" } ?? "") + (mean ? " mean" : "")
    }
}
