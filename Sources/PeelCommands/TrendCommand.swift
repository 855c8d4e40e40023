import PeelSupport
import PeelData
import PeelStats
import PeelLanguage
import PeelEvaluation

/// The rows of a table laid out as series: groups (by a column, or by force when the table has
/// several forces), and the distinct periods in time order. Shared by `trend` and `rolling`.
package struct SeriesLayout {
    /// The column groups were formed by, or nil for one group.
    package var groupColumn: Column?
    /// The groups: their label and, for each period (by position in `periods`), the row or nil.
    package var groups: [(label: String?, rows: [Int?])]
    /// The period labels in time order.
    package var periods: [String]
    /// The Period of each entry of `periods`, when the column has periods.
    package var spans: [Period]?
    /// How groups were formed, for the note.
    package var grouping: String

    package init(_ table: Table, value: Column, over overCol: Column, by: (String, SourceRange)?, range: SourceRange) throws {
        var gcol: Column?
        if let by {
            gcol = table.columns[try requireColumn(by.0, in: table, at: by.1)]
        } else if let f = table.info.forceColumn, let c = table.column(f), c.name != overCol.name, c.presentTexts().count > 1 {
            gcol = c
        }
        groupColumn = gcol
        grouping = gcol.map { by == nil ? "one row per \($0.name) (the table's force column)" : "one row per \($0.name)" } ?? "one series (the whole table)"

        // Each row's period position in time order (or by text / number order without periods).
        let n = table.rowCount
        var position = [Int](repeating: -1, count: n)
        if let p = overCol.validPeriods, let rank = overCol.periodRanks(), case .text(let codes, let dict) = overCol.data {
            let distinct = Set(rank).sorted()
            var label = [String](repeating: "", count: distinct.count), span = [Period?](repeating: nil, count: distinct.count)
            var index: [Int32: Int] = [:]
            for (i, r) in distinct.enumerated() { index[r] = i }
            for r in 0..<n where !overCol.isMissing(r) {
                let c = Int(codes[r])
                guard c >= 0, c < rank.count, let i = index[rank[c]] else { continue }
                position[r] = i
                if span[i] == nil { span[i] = p[c]; label[i] = dict[c] }
            }
            let used = label.indices.filter { span[$0] != nil }
            var remap = [Int](repeating: -1, count: label.count)
            for (k, i) in used.enumerated() { remap[i] = k }
            for r in 0..<n where position[r] >= 0 { position[r] = remap[position[r]] }
            periods = used.map { label[$0] }
            spans = used.compactMap { span[$0] }
        } else if overCol.type.isNumeric {
            let values = Set((0..<n).compactMap { overCol.number($0) }).sorted()
            var index: [Double: Int] = [:]
            for (i, v) in values.enumerated() { index[v] = i }
            var label = [String](repeating: "", count: values.count)
            for r in 0..<n { if let v = overCol.number(r), let i = index[v] { position[r] = i; label[i] = overCol.formatted(r) ?? "" } }
            periods = label
            spans = nil
        } else {
            let texts = overCol.presentTexts().sorted()
            var index: [String: Int] = [:]
            for (i, t) in texts.enumerated() { index[t] = i }
            for r in 0..<n { if let t = overCol.text(r), let i = index[t] { position[r] = i } }
            periods = texts
            spans = nil
        }

        groups = []
        let rowGroups = table.groupRows(by: gcol.map { [$0] } ?? [])
        for g in rowGroups.groups {
            try Interrupt.check()
            var rows = [Int?](repeating: nil, count: periods.count)
            for r in g.rows where position[r] >= 0 {
                if rows[position[r]] != nil {
                    throw CommandError.seriesDuplicatePeriod(over: overCol.name, period: periods[position[r]],
                                                             group: gcol.map { "\($0.name) = \($0.formatted(r) ?? "missing")" }, at: range)
                }
                rows[position[r]] = r
            }
            groups.append((gcol.flatMap { c in g.rows.first.flatMap { c.formatted($0) } } ?? (gcol == nil ? nil : "missing"), rows))
        }
    }
}

/// `trend VALUE over PERIOD [by COLUMN]`: one row per series, its first and last values, the
/// change, the largest rise and fall between periods, and a sparkline.
package struct TrendCommand: Command {
    package let value: (String, SourceRange)
    package let over: (String, SourceRange)
    package let by: (String, SourceRange)?
    package let range: SourceRange

    package static let usage = "trend VALUE over PERIOD [by COLUMN]"

    package static let spec = CommandSpec(
        name: "trend", kind: .stage, group: "Analysis",
        usage: usage,
        summary: "One row per series: first and last values, change, largest rise and fall, sparkline.",
        details: """
            Reads VALUE in the order of PERIOD (in time order when PERIOD holds periods, else in
            text or number order) and gives one row per group: with `by COLUMN`, per value of
            COLUMN; without it, per force when the table has a force column with several forces;
            otherwise one row. Columns: first_period and first_value (the first period with a
            value), last_period and last_value, change = last − first, pct_change = change ÷
            |first| × 100 (missing when first is 0), largest_rise (the biggest increase from one
            value to the next, with the period it rose to in rise_to), largest_fall and fall_to
            likewise, points (the values present) and spark, a sparkline drawn on the group's own
            scale (its lowest value the lowest bar, its highest the highest; a missing value is a
            space; plain characters `_.-~=*^#` with `set ascii = 1`). Missing values are skipped,
            never read as zero. A group with two rows for one period is an error: keep one measure
            first (where …). A note says how the groups were formed and the sparklines' scale.
            """,
        examples: [
            "cdi_rates | where crime_group = \"all crime\" | trend rate over inspection | top 3",
        ],
        arguments: [.column, .keywords(["over", "by"])],
        parse: { p, verb in
            let value = try p.name("a value column", help: "e.g. trend offences over quarter")
            guard p.matchWord("over") else { throw p.unexpected(expected: "'over' and the column naming the periods", help: "usage: \(usage)") }
            let over = try p.name("the column naming the periods")
            var by: (String, SourceRange)?
            if p.matchWord("by") { by = try p.name("the column to group by") }
            try p.expectStepEnd()
            return TrendCommand(value: value, over: over, by: by, range: SourceRange(verb.range.start, p.previous.range.end))
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input)
        let v = table.columns[try requireColumn(value.0, in: table, at: value.1)]
        guard v.type.isNumeric else { throw CommandError.notNumeric(column: v.name, holds: v.type.rawValue, command: "trend", at: value.1) }
        let overCol = table.columns[try requireColumn(over.0, in: table, at: over.1)]
        let layout = try SeriesLayout(table, value: v, over: overCol, by: by, range: range)
        let ascii = ctx.settings.ascii

        var groupOut = ColumnBuilder.text(layout.groupColumn?.name ?? "series")
        var firstP = ColumnBuilder.text("first_period"), lastP = ColumnBuilder.text("last_period")
        var firstV = ColumnBuilder.decimal("first_value", scale: v.scale, unit: v.unit)
        var lastV = ColumnBuilder.decimal("last_value", scale: v.scale, unit: v.unit)
        var change = ColumnBuilder.decimal(Series.changeColumn, scale: v.scale, unit: v.unit)
        var pct = ColumnBuilder.decimal("pct_change", scale: 1, unit: "%")
        var rise = ColumnBuilder.decimal("largest_rise", scale: v.scale, unit: v.unit), riseTo = ColumnBuilder.text("rise_to")
        var fall = ColumnBuilder.decimal("largest_fall", scale: v.scale, unit: v.unit), fallTo = ColumnBuilder.text("fall_to")
        var points = ColumnBuilder.integer("points")
        var spark = ColumnBuilder.text("spark")
        for g in layout.groups {
            try Interrupt.check()
            let values: [Double?] = g.rows.map { r in r.flatMap { v.number($0) }.flatMap { $0.isFinite ? $0 : nil } }
            let scale = g.rows.compactMap { $0 }.map { v.scale($0) }.max() ?? v.scale
            groupOut.append(g.label ?? "all")
            let ends = Series.ends(values)
            firstP.append(ends.map { layout.periods[$0.first.0] })
            firstV.append(ends?.first.1, scale: scale)
            lastP.append(ends.map { layout.periods[$0.last.0] })
            lastV.append(ends?.last.1, scale: scale)
            let d = ends.map { NumberFormat.exactDifference($0.last.1, $0.first.1, scale: scale) }
            change.append(d.flatMap { $0.isFinite ? $0 : nil }, scale: scale)
            pct.append(ends.flatMap { Series.percentChange(from: $0.first.1, to: $0.last.1) })
            let up = Series.largestRise(values), down = Series.largestFall(values)
            rise.append(up.map { NumberFormat.exactDifference($0.change, 0, scale: scale) }, scale: scale)
            riseTo.append(up.map { layout.periods[$0.to] })
            fall.append(down.map { NumberFormat.exactDifference($0.change, 0, scale: scale) }, scale: scale)
            fallTo.append(down.map { layout.periods[$0.to] })
            points.append(int: Int64(values.compactMap { $0 }.count))
            spark.append(Series.sparkline(values, ascii: ascii))
        }
        var info = TableInfo()
        info.title = "\(v.name) over \(overCol.name)"
        info.source = table.info.source
        info.period = table.info.period
        let first = layout.periods.first ?? "", last = layout.periods.last ?? ""
        info.footnotes.append("groups: \(layout.grouping); \(layout.periods.count) periods, \(first) to \(last)")
        info.footnotes.append("spark: one character per period, each series on its own scale (its lowest value the lowest bar, its highest the highest); a space is a missing value")
        return .table(Table(name: table.name, columns: [groupOut, firstP, firstV, lastP, lastV, change, pct, rise, riseTo, fall, fallTo, points, spark].map { $0.build() }, info: info))
    }

    package var dump: String {
        "trend \(value.0) over \(over.0)" + (by.map { " by \($0.0)" } ?? "")
    }
}
