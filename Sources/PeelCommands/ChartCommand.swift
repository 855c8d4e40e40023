import PeelSupport
import PeelData
import PeelRender
import PeelLanguage
import PeelEvaluation

/// `chart [KIND] [VALUE, ...] [by LABEL] [ci COLUMN] [mark COLUMN|NUMBER] [over COLUMN]
/// [highlight FORCE] [width N] [ascii]`: a chart drawn as text.
package struct ChartCommand: Command {
    package var kind: ChartKind = .bar
    package var values: [(String, SourceRange)] = []
    package var label: (String, SourceRange)?
    package var ci: (String, SourceRange)?
    package var mark: Arg?
    package var over: (String, SourceRange)?
    package var highlight: Arg?
    package var width: Int?
    package var ascii: Bool?
    package let range: SourceRange

    package static let usage = "chart [bar|grouped|diverging|interval|strip|line] [VALUE, ...] [by LABEL] [ci COLUMN] [mark COLUMN|NUMBER] [over COLUMN] [highlight FORCE] [width N] [ascii]"

    package static let spec = CommandSpec(
        name: "chart", kind: .stage, group: "Charts",
        usage: usage,
        summary: "Draw a chart as text: bars, grouped or diverging bars, intervals, a strip, or lines.",
        details: """
            bar        one bar per row, measured from zero; `mark` draws a rule per row (a column) or
                       through every row (a number); after `compare`, the force's bars with England
                       and Wales marked.
            grouped    two or more bars per category, one per series (after `compare`: force and
                       England and Wales); series are told apart by name and fill, not colour.
            diverging  differences centred on zero, negatives to the left (after `compare`: the
                       difference); lengths are true to scale.
            interval   each row's value with its 95% confidence interval as a whisker, sorted,
                       with `mark` as a dotted rule (the CDI picture of 43 forces).
            strip      all values as dots on one scale, with the quartiles (the spread; bands
                       come from ranks, see rank) and the `highlight`ed force.
            line       a sparkline per series (`by`) over the periods in `over`.
            A table with no rows gives "(no rows to chart)".
            `highlight FORCE` points at that force's row (any of its names works). Charts are 80
            columns wide in scripts and pipes (the terminal's width in the shell); `width N` or
            `set width = N` changes it; labels too long end in an ellipsis. `ascii` draws with
            plain characters for plain-text destinations (also `set ascii = 1`). Missing values are
            drawn as n/a, never as an empty bar. Every chart ends with its scale, unit and source.
            """,
        examples: [
            "outcomes | where kind in (\"outcome\", \"group\") | compare \"Leicestershire\" | chart",
            "outcomes | where kind in (\"outcome\", \"group\") and share != missing | compare \"Leicestershire\" | chart grouped",
            "outcomes | where kind in (\"outcome\", \"group\") | compare \"Leicestershire\" | chart diverging",
            "cdi_forces | top 1 by published_date per force | chart interval highlight \"Leicestershire\" mark 87.7",
            "outcomes_by_force | where outcome_type = 1 and force != \"England and Wales (43 territorial forces)\" and force != \"British Transport Police\" | chart strip highlight \"Kent\"",
            "cdi_forces | where force in (\"Leicestershire\", \"Kent\", \"Lancashire\") | sort published_date | chart line recording_rate_pct over inspection_type by force",
        ],
        arguments: [.keywords(ChartKind.allCases.map(\.rawValue) + ["by", "ci", "mark", "over", "highlight", "width", "ascii"]), .column],
        otherToolsNames: ["plot", "bar"], values: [.force(first: false, after: "highlight")],
        parse: { p, verb in
            var c = ChartCommand(range: verb.range)
            if let w = p.peek.word, let k = ChartKind(rawValue: w.lowercased()) {
                p.advance()
                c.kind = k
            }
            let keywords: Set<String> = ["by", "ci", "mark", "over", "highlight", "width", "ascii", "unicode"]
            if !p.atStepEnd, !(p.peek.word.map { keywords.contains($0.lowercased()) } ?? false) {
                c.values = try p.nameList("a numeric column to draw")
            }
            while !p.atStepEnd {
                if p.matchWord("by") { c.label = try p.name("a column to label the rows") }
                else if p.matchWord("ci") { c.ci = try p.name("the column of interval half-widths") }
                else if p.matchWord("mark") { c.mark = try p.arg("a column or a number to mark") }
                else if p.matchWord("over") { c.over = try p.name("the column of periods") }
                else if p.matchWord("highlight") { c.highlight = try p.arg("a force or label to highlight") }
                else if p.matchWord("ascii") { c.ascii = true }
                else if p.matchWord("unicode") { c.ascii = false }
                else if p.matchWord("width") {
                    guard case .number(let w, 0, _) = p.peek.kind, w >= 20, w <= 1000 else {
                        throw p.unexpected(expected: "a width from 20 to 1000 columns")
                    }
                    p.advance()
                    c.width = Int(w)
                } else {
                    throw ParseError.unexpectedInStep(p.peek.range, found: p.peek.kind, verb: "chart", usage: usage)
                }
            }
            return ChartCommand(kind: c.kind, values: c.values, label: c.label, ci: c.ci, mark: c.mark, over: c.over, highlight: c.highlight,
                                width: c.width, ascii: c.ascii, range: SourceRange(verb.range.start, p.previous.range.end))
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input)
        // Nothing to draw: say so rather than draw an empty frame on a made-up scale.
        if table.rowCount == 0 { return .text("(no rows to chart)") }
        let cmp = table.info.comparison
        func numeric(_ ref: (String, SourceRange)) throws -> Column {
            let c = table.columns[try requireColumn(ref.0, in: table, at: ref.1)]
            guard c.type.isNumeric else { throw CommandError.chartNotNumeric(column: c.name, holds: c.type.rawValue, at: ref.1) }
            return c
        }
        func defaultValue() throws -> Column {
            if kind == .diverging, let d = cmp?.difference, let c = table.column(d) { return c }
            if let f = cmp?.force, let c = table.column(f) { return c }
            if let v = table.info.valueColumn, let c = table.column(v) { return c }
            let nums = table.columns.filter { $0.type == .decimal }
            guard nums.count == 1 else {
                throw CommandError.chartWhichColumn(kind: kind.rawValue, example: table.columns.first { $0.type.isNumeric }?.name, at: range)
            }
            return nums[0]
        }
        var valueCols = try values.map(numeric)
        if valueCols.isEmpty {
            if kind == .grouped, let cmp, let a = table.column(cmp.force), let b = table.column(cmp.national) { valueCols = [a, b] }
            else { valueCols = [try defaultValue()] }
        }
        if kind == .grouped && valueCols.count < 2 {
            throw CommandError.groupedNeedsColumns(at: range)
        }

        // Row labels: the named column, or the identifying columns that differ between rows.
        let forceCol = table.column(table.info.forceColumn ?? "force")
        var labelCol: [String]
        if let label {
            let c = table.columns[try requireColumn(label.0, in: table, at: label.1)]
            labelCol = (0..<table.rowCount).map { c.formatted($0) ?? "n/a" }
        } else if [.interval, .strip, .line].contains(kind), let forceCol, cmp == nil {
            labelCol = (0..<table.rowCount).map { forceCol.formatted($0) ?? "n/a" }
        } else if let cmp {
            // After compare, a row is labelled by the columns that identify it, or by the measure
            // compared when a force has one row (never by the comparison's own columns).
            let allKeys = cmp.keys.compactMap { table.column($0) }
            let textKeys = allKeys.filter { $0.type == .text }
            let keys = textKeys.isEmpty ? allKeys : textKeys
            let varying = keys.filter { c in Set((0..<table.rowCount).map { c.formatted($0) }).count > 1 }
            let used = varying.isEmpty ? Array(keys.prefix(1)) : varying
            labelCol = (0..<table.rowCount).map { r in
                let parts = used.compactMap { $0.formatted(r) }
                return parts.isEmpty ? cmp.measure : parts.joined(separator: ", ")
            }
        } else {
            var candidates = ([table.info.forceColumn ?? "force"] + (table.info.keys ?? [])).compactMap { table.column($0) }.filter { $0.type == .text }
            if candidates.isEmpty { candidates = table.columns.filter { $0.type == .text && $0.name.lowercased() != "source" } }
            let varying = candidates.filter { c in Set((0..<table.rowCount).map { c.formatted($0) }).count > 1 }
            let used = varying.isEmpty ? Array(candidates.prefix(1)) : varying
            labelCol = (0..<table.rowCount).map { r in
                let parts = used.compactMap { $0.formatted(r) }
                return parts.isEmpty ? "row \(r + 1)" : parts.joined(separator: ", ")
            }
        }

        // One unit for the chart: the column's, or the rows' when they agree.
        var unit = valueCols[0].unit
        if unit == nil, let u = table.column("unit"), u.type == .text {
            let units = u.presentTexts()
            if units.count == 1 { unit = units.first } else if units.count > 1 {
                throw CommandError.mixedUnits(units: units.sorted(), at: range)
            }
        }
        if kind == .diverging, cmp != nil, valueCols[0].name == cmp?.difference { unit = valueCols[0].unit }

        var rows = Array(0..<table.rowCount)
        if kind == .interval {
            // Sorted, highest first; missing values last.
            let v = valueCols[0]
            rows.sort { a, b in
                switch (v.number(a), v.number(b)) {
                case let (x?, y?): return x != y ? x > y : a < b
                case (nil, _?): return false
                case (_?, nil): return true
                default: return a < b
                }
            }
        }
        let n = rows.count
        for c in valueCols {
            if let bad = rows.first(where: { c.number($0).map { !$0.isFinite } ?? false }) {
                throw CommandError.cannotDraw(column: c.name, value: c.formatted(bad) ?? "", label: labelCol[bad], at: range)
            }
        }
        let series = valueCols.map { c in
            ChartSeries(name: c.name, values: rows.map { c.number($0) }, scales: rows.map { c.scale($0) })
        }
        var spec = ChartSpec(kind: kind, title: "", labels: rows.map { labelCol[$0] }, series: series)
        spec.unit = unit
        spec.source = table.info.source.map(Citation.forReaders)
        spec.width = width ?? ctx.settings.width
        spec.ascii = ascii ?? ctx.settings.ascii

        // Intervals.
        if kind == .interval {
            let ciRef = ci.map { ($0.0, $0.1) } ?? table.info.ciColumn.map { ($0, range) }
            guard let ciRef else {
                throw CommandError.intervalNeedsColumn(at: range)
            }
            let c = try numeric(ciRef)
            if let bad = rows.first(where: { c.number($0).map { !($0 >= 0 && $0.isFinite) } ?? false }) {
                throw CommandError.negativeIntervalWidth(column: c.name, value: c.formatted(bad) ?? "", label: labelCol[bad], at: ciRef.1)
            }
            spec.series[0].intervals = rows.map { c.number($0) }
            spec.series[0].intervalScales = rows.map { c.scale($0) }
        }

        // The rule: a column per row, a number for every row, or (after compare) the comparator.
        if let mark {
            switch try mark.resolve(ctx) {
            case .number(let v):
                spec.marks = Array(repeating: v, count: n)
                spec.markScales = Array(repeating: NumberFormat.shortest(v).split(separator: ".").dropFirst().first?.count ?? 0, count: n)
                spec.markName = NumberFormat.shortest(v) + (unit == "%" ? "%" : unit == "pp" ? " pp" : "")
                spec.markIsConstant = true
            case .text(let name):
                let c = try numeric((name, mark.range))
                spec.marks = rows.map { c.number($0) }
                spec.markScales = rows.map { c.scale($0) }
                spec.markName = c.name
            case .list:
                throw CommandError.markOneValue(at: mark.range)
            }
        } else if kind == .bar, values.isEmpty, let nat = cmp?.national, let c = table.column(nat) {
            spec.marks = rows.map { c.number($0) }
            spec.markScales = rows.map { c.scale($0) }
            spec.markName = c.name
        }
        if kind == .diverging, let nat = cmp?.national { spec.markName = nat }

        // The highlighted rows: by force name (any alias) or by label.
        if let highlight {
            let h = try highlight.text(ctx, what: "the row to highlight")
            let names = ctx.catalog.forceNames().spellings(of: h).map { $0.lowercased() }
            let hits = (0..<n).filter { i in
                let r = rows[i]
                return names.contains(spec.labels[i].lowercased()) || (forceCol?.text(r)).map { names.contains($0.lowercased()) } == true
            }
            guard !hits.isEmpty else {
                throw CommandError.noRowToHighlight(name: h, labels: Array(Set(spec.labels)).sorted(), at: highlight.range)
            }
            spec.highlight = Set(hits)
        }

        // Titles.
        switch kind {
        case .bar: spec.title = spec.markName.map { "\(valueCols[0].name) compared with \($0)" } ?? valueCols[0].name
        case .grouped: spec.title = valueCols.map(\.name).joined(separator: " and ")
        case .diverging: spec.title = "\(valueCols[0].name)" + (cmp.map { ": \($0.force) minus \($0.national)" } ?? "")
        case .interval: spec.title = "\(valueCols[0].name) with 95% confidence intervals"
        case .strip: spec.title = "\(valueCols[0].name): the distribution of \(series[0].values.compactMap { $0 }.count) values"
        case .line: spec.title = "\(valueCols[0].name) over \(over?.0 ?? "time")"
        }

        if kind == .line {
            guard let over else {
                throw CommandError.lineNeedsPeriods(at: range)
            }
            let pc = table.columns[try requireColumn(over.0, in: table, at: over.1)]
            var periods: [String] = [], seriesNames: [String] = []
            var cells: [String: [String: Double]] = [:]
            var scales: [String: [String: Int]] = [:]
            for r in 0..<table.rowCount {
                let p = pc.formatted(r) ?? "n/a", s = labelCol[r]
                if !periods.contains(p) { periods.append(p) }
                if !seriesNames.contains(s) { seriesNames.append(s) }
                if let v = valueCols[0].number(r) {
                    cells[s, default: [:]][p] = v
                    scales[s, default: [:]][p] = valueCols[0].scale(r)
                }
            }
            spec.periods = periods
            spec.labels = seriesNames
            spec.grid = seriesNames.map { s in periods.map { cells[s]?[$0] } }
            spec.gridScales = seriesNames.map { s in periods.map { scales[s]?[$0] ?? 0 } }
            spec.series = [ChartSeries(name: valueCols[0].name, values: spec.grid.flatMap { $0 }, scales: spec.gridScales.flatMap { $0 })]
            spec.highlight = Set(seriesNames.indices.filter { i in spec.highlight.contains(where: { rows[$0] < table.rowCount && labelCol[rows[$0]] == seriesNames[i] }) })
        }
        try Interrupt.check()
        let chart = Charts.render(spec)
        try Interrupt.check()
        return .text(chart)
    }

    package var dump: String {
        "chart \(kind.rawValue)" + (values.isEmpty ? "" : " " + values.map(\.0).joined(separator: ", ")) + (label.map { " by \($0.0)" } ?? "")
            + (ci.map { " ci \($0.0)" } ?? "") + (mark.map { " mark \($0.dump)" } ?? "") + (over.map { " over \($0.0)" } ?? "")
            + (highlight.map { " highlight \($0.dump)" } ?? "") + (width.map { " width \($0)" } ?? "") + (ascii == true ? " ascii" : "")
    }
}
