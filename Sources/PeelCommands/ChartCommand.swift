import PeelSupport
import PeelData
import PeelRender
import PeelLanguage
import PeelEvaluation
import PeelStats

/// `chart [KIND] [VALUE, ...] [by LABEL] [ci COLUMN] [mark COLUMN|NUMBER] [over COLUMN]
/// [highlight FORCE] [width N] [ascii]`: a chart drawn as text; `chart funnel COUNT of DENOMINATOR
/// [per 1000|per 100000] [overdispersion multiplicative|additive] …`: a funnel plot.
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
    /// For a funnel plot: the count, its denominator, the rate's multiplier (nil: a proportion)
    /// and the overdispersion allowance asked for.
    package var funnel: FunnelArguments?
    package let range: SourceRange

    package enum OverdispersionChoice: String, Sendable { case multiplicative, additive }

    package struct FunnelArguments {
        package var count: (String, SourceRange)
        package var denominator: (String, SourceRange)
        package var per: Double?
        package var overdispersion: OverdispersionChoice?
    }

    /// The rates a funnel plot can be drawn per.
    package static let funnelPers: [Double] = [1000, 100000]

    package static let usage = "chart [bar|grouped|diverging|interval|strip|line|spark|xmr] [VALUE, ...] [by LABEL] [ci COLUMN] [mark COLUMN|NUMBER|national] [over COLUMN] [highlight FORCE] [width N] [ascii]"
    package static let funnelUsage = "chart funnel COUNT of DENOMINATOR [per 1000|per 100000] [overdispersion multiplicative|additive] [by LABEL] [highlight FORCE] [width N] [ascii]"

    package static let spec = CommandSpec(
        name: "chart", kind: .stage, group: "Charts",
        usage: usage + "\n       " + funnelUsage,
        summary: "Draw a chart as text: bars, grouped or diverging bars, intervals, a strip, lines over time, sparklines, an XmR control chart, or a funnel plot.",
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
            line       `chart line VALUE over PERIOD [by SERIES]`: a line chart with the periods
                       along the x axis (in time order when they are periods: years, financial
                       years, quarters, months; else in the table's order) and a y axis with a
                       scale; one marker per series (`by`, e.g. force: the force, its peers and
                       England and Wales), at most 10, named in a legend; the points of a
                       series joined by dots. A missing value is a gap, counted in a note.
                       Line and XmR charts need at least 40 columns.
            spark      a sparkline per series (`by`) over the periods in `over`, with the first
                       and last values: many series at a glance.
            xmr        `chart xmr VALUE over PERIOD`: an individuals and moving-range (XmR)
                       control chart of one series. The X chart has the points, the mean as
                       centre line and the natural process limits mean ± 2.66 × m̄R (m̄R: the
                       mean of the moving ranges |xᵢ − xᵢ₋₁|); the mR chart under it has the
                       moving ranges, m̄R and the upper limit 3.267 × m̄R. Signals are listed
                       with their periods: a point beyond a limit; a moving range above its
                       limit; 8 or more points in a row above the mean, or below it (a point on
                       the mean ends the run); 6 or more points in a row each higher than the
                       one before, or each lower (an equal value ends it). Rows with no value
                       are left out (named in a note); at least 2 values are needed, one row
                       per period, and one series (`by` giving several is an error).
            funnel     `chart funnel COUNT of DENOMINATOR`: each row's COUNT ÷ DENOMINATOR (a
                       percentage; with `per 1000` or `per 100000` a rate) against DENOMINATOR,
                       with the pooled value Σ COUNT ÷ Σ DENOMINATOR as a rule and its 95% and
                       99.8% control limits as curves (binomial for a proportion, Poisson for a
                       rate; Spiegelhalter 2005). Rows outside the 99.8% limits are named on the
                       chart, and every row outside a limit is listed under it. With a force
                       column only the 43 territorial forces are drawn (others are named in a
                       note), one row each. `overdispersion multiplicative` widens the limits by
                       √φ, `additive` adds τ² (both estimated from 10% winsorised z-scores,
                       Spiegelhalter 2005) when the spread is wider than chance allows. Rows
                       with no count or denominator, or a denominator of 0, are left out and
                       named. The x axis is logarithmic (and says so) when the largest
                       denominator is more than ten times the smallest. Funnel plots need at
                       least 40 columns. In the example the count comes from the outcomes
                       file and the denominator from the force's recorded-crime total.
            `mark national` (bar, interval, strip) takes the rule from the table's England and
            Wales row (any of its names, e.g. E&W) and leaves that row out of the chart: every
            force against the national figure, as the PEEL reports draw it.
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
            "cdi_forces | where force in (\"Leicestershire\", \"Kent\", \"Lancashire\") | sort published_date | chart spark recording_rate_pct over inspection_type by force",
            "cdi_forces | where force = \"Kent\" | chart xmr recording_rate_pct over published_date",
            "asb_incidents | where area_kind = \"force\" or force = \"England and Wales\" | change incidents over year from \"2014/15\" to \"2015/16\" | sort change_pct | chart bar change_pct by force highlight \"Leicestershire\" mark national",
            "outcomes_by_force | where outcome_type = 1 | join recorded_crime_totals on force | chart funnel offences_with_this_outcome of total_recorded_offences highlight \"Kent\"",
        ],
        arguments: [.keywords(ChartKind.allCases.map(\.rawValue) + ["by", "ci", "mark", "over", "highlight", "width", "ascii", "of", "per", "overdispersion", "multiplicative", "additive", "national"]), .column],
        otherToolsNames: ["plot", "bar"], values: [.force(first: false, after: "highlight")],
        parse: { p, verb in
            var c = ChartCommand(range: verb.range)
            if let w = p.peek.word, let k = ChartKind(rawValue: w.lowercased()) {
                p.advance()
                c.kind = k
            }
            let keywords: Set<String> = ["by", "ci", "mark", "over", "highlight", "width", "ascii", "unicode"]
            if c.kind == .funnel {
                let count = try p.name("the column of counts", help: "e.g. chart funnel charged of offences")
                guard p.matchWord("of") else {
                    throw p.unexpected(expected: "'of' and the column of denominators", help: "e.g. chart funnel \(count.0) of offences")
                }
                let den = try p.name("the column of denominators", help: "e.g. chart funnel \(count.0) of offences")
                c.funnel = FunnelArguments(count: count, denominator: den)
            } else if !p.atStepEnd, !(p.peek.word.map { keywords.contains($0.lowercased()) } ?? false) {
                c.values = try p.nameList("a numeric column to draw")
            }
            while !p.atStepEnd {
                if c.kind == .funnel, p.matchWord("per") {
                    guard case .number(let v, _, _) = p.peek.kind, ChartCommand.funnelPers.contains(v) else {
                        throw p.unexpected(expected: "1000 or 100000 (a rate per 1,000 or per 100,000)")
                    }
                    p.advance()
                    c.funnel?.per = v
                } else if c.kind == .funnel, p.matchWord("overdispersion") {
                    guard let w = p.peek.word, let o = OverdispersionChoice(rawValue: w.lowercased()) else {
                        throw p.unexpected(expected: "multiplicative or additive")
                    }
                    p.advance()
                    c.funnel?.overdispersion = o
                } else if p.matchWord("by") { c.label = try p.name("a column to label the rows") }
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
                    throw ParseError.unexpectedInStep(p.peek.range, found: p.peek.kind, verb: "chart", usage: c.kind == .funnel ? funnelUsage : usage)
                }
            }
            return ChartCommand(kind: c.kind, values: c.values, label: c.label, ci: c.ci, mark: c.mark, over: c.over, highlight: c.highlight,
                                width: c.width, ascii: c.ascii, funnel: c.funnel, range: SourceRange(verb.range.start, p.previous.range.end))
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input)
        // Nothing to draw: say so rather than draw an empty frame on a made-up scale.
        if table.rowCount == 0 { return .text("(no rows to chart)") }
        if kind == .funnel { return try runFunnel(table, ctx) }
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
        } else if [.interval, .strip, .line, .spark, .xmr].contains(kind), let forceCol, cmp == nil {
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
        // `mark national`: the England and Wales row's value as the rule, that row left out of the bars.
        var nationalMark: (value: Double, scale: Int, name: String)?
        if let mark, [.bar, .interval, .strip].contains(kind), case .text(let word) = try mark.resolve(ctx),
           word.lowercased() == "national", table.column(word) == nil {
            let label = table.info.national ?? "England and Wales"
            guard let forceCol else {
                throw CommandError.markNationalRow(national: label, forceColumn: nil, count: 0, value: valueCols[0].name, at: mark.range)
            }
            let spellings = Set((ctx.catalog.forceNames().spellings(of: label) + [label]).map { $0.lowercased() })
            let hits = rows.filter { r in forceCol.text(r).map { spellings.contains($0.lowercased()) } == true }
            guard hits.count == 1 else {
                throw CommandError.markNationalRow(national: label, forceColumn: forceCol.name, count: hits.count, value: valueCols[0].name, at: mark.range)
            }
            guard let v = valueCols[0].number(hits[0]), v.isFinite else {
                throw CommandError.markNationalRow(national: label, forceColumn: forceCol.name, count: 1, value: valueCols[0].name, at: mark.range)
            }
            nationalMark = (v, valueCols[0].scale(hits[0]), forceCol.text(hits[0]) ?? label)
            rows.removeAll { $0 == hits[0] }
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
        if let nationalMark {
            spec.marks = Array(repeating: nationalMark.value, count: n)
            spec.markScales = Array(repeating: nationalMark.scale, count: n)
            spec.markName = nationalMark.name + " (" + NumberFormat.fixed(nationalMark.value, scale: nationalMark.scale)
                + (unit == "%" ? "%" : unit == "pp" ? " pp" : "") + ")"
            spec.markIsConstant = true
        } else if let mark {
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
        case .bar: spec.title = (nationalMark?.name ?? spec.markName).map { "\(valueCols[0].name) compared with \($0)" } ?? valueCols[0].name
        case .grouped: spec.title = valueCols.map(\.name).joined(separator: " and ")
        case .diverging: spec.title = "\(valueCols[0].name)" + (cmp.map { ": \($0.force) minus \($0.national)" } ?? "")
        case .interval: spec.title = "\(valueCols[0].name) with 95% confidence intervals"
        case .strip: spec.title = "\(valueCols[0].name): the distribution of \(series[0].values.compactMap { $0 }.count) values"
        case .line, .spark: spec.title = "\(valueCols[0].name) over \(over?.0 ?? "time")"
        case .xmr: spec.title = "XmR chart: \(valueCols[0].name) over \(over?.0 ?? "time")"
        case .funnel: break
        }

        if kind == .line || kind == .xmr {
            guard spec.width >= LineRenderer.minimumWidth else {
                throw CommandError.chartTooNarrow(kind: kind == .line ? "line" : "XmR", width: spec.width, minimum: LineRenderer.minimumWidth, at: range)
            }
        }
        if [.line, .spark, .xmr].contains(kind) {
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
                    if kind != .spark, cells[s]?[p] != nil {
                        throw CommandError.chartDuplicatePeriod(series: s, period: p, column: over.0, at: range)
                    }
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
            if kind == .line, seriesNames.count > LineRenderer.maxSeries {
                throw CommandError.chartTooManySeries(count: seriesNames.count, maximum: LineRenderer.maxSeries, column: label?.0 ?? table.info.forceColumn ?? "force", at: range)
            }
            if kind == .xmr { try xmrSpec(&spec, value: valueCols[0].name, over: over.0) }
        }
        try Interrupt.check()
        let chart = Charts.render(spec)
        try Interrupt.check()
        return .text(chart)
    }

    package var dump: String {
        "chart \(kind.rawValue)" + (funnel.map { " \($0.count.0) of \($0.denominator.0)" + ($0.per.map { " per " + NumberFormat.shortest($0) } ?? "")
                + ($0.overdispersion.map { " overdispersion \($0.rawValue)" } ?? "") } ?? "")
            + (values.isEmpty ? "" : " " + values.map(\.0).joined(separator: ", ")) + (label.map { " by \($0.0)" } ?? "")
            + (ci.map { " ci \($0.0)" } ?? "") + (mark.map { " mark \($0.dump)" } ?? "") + (over.map { " over \($0.0)" } ?? "")
            + (highlight.map { " highlight \($0.dump)" } ?? "") + (width.map { " width \($0)" } ?? "") + (ascii == true ? " ascii" : "")
    }
}

extension ChartCommand {
    /// An XmR chart's one series in time order, its missing periods noted, its limits and signals.
    func xmrSpec(_ spec: inout ChartSpec, value: String, over: String) throws {
        guard spec.labels.count == 1 else {
            throw CommandError.xmrOneSeries(count: spec.labels.count, column: label?.0 ?? "force", first: spec.labels.first ?? "", at: range)
        }
        var periods = spec.periods, row = spec.grid[0], scales = spec.gridScales[0]
        if let order = ChartSpec.timeOrder(periods) {
            periods = order.map { periods[$0] }
            row = order.map { row[$0] }
            scales = order.map { scales[$0] }
        }
        let present = row.indices.filter { row[$0] != nil }
        let missing = row.indices.filter { row[$0] == nil }.map { periods[$0] }
        let xs = present.compactMap { row[$0] }
        do {
            spec.xmr = try ControlChart.xmr(xs)
        } catch .tooFew(let count) {
            throw CommandError.xmrTooFewPoints(count: count, column: value, at: range)
        } catch .notFinite {
            throw CommandError.xmrTooLarge(column: value, at: range)
        }
        spec.periods = present.map { periods[$0] }
        spec.grid = [xs]
        spec.gridScales = [present.map { scales[$0] }]
        spec.series = [ChartSeries(name: value, values: xs, scales: spec.gridScales[0])]
        if !missing.isEmpty {
            spec.notes.append("\(missing.count) with no \(value), left out (the moving range spans the gap): " + missing.joined(separator: ", "))
        }
        if spec.labels[0] != "n/a" { spec.title += " (\(spec.labels[0]))" }
    }

    /// The funnel plot: one point per territorial force (or per row), the pooled value as the
    /// target, the limits from FunnelLimits, overdispersion when asked for and needed.
    func runFunnel(_ table: Table, _ ctx: EvalContext) throws -> Output {
        guard let args = funnel else { throw CommandError.chartWhichColumn(kind: "funnel", example: nil, at: range) }
        let chartWidth = width ?? ctx.settings.width
        guard chartWidth >= FunnelRenderer.minimumWidth else {
            throw CommandError.funnelTooNarrow(width: chartWidth, minimum: FunnelRenderer.minimumWidth, at: range)
        }
        func numeric(_ ref: (String, SourceRange)) throws -> Column {
            let c = table.columns[try requireColumn(ref.0, in: table, at: ref.1)]
            guard c.type.isNumeric else { throw CommandError.chartNotNumeric(column: c.name, holds: c.type.rawValue, at: ref.1) }
            return c
        }
        let countCol = try numeric(args.count), denCol = try numeric(args.denominator)
        let scale: FunnelScale = args.per == nil ? .proportion : .rate
        let per = args.per ?? 100

        // Which rows are units, and their labels.
        let forceCol = table.column(table.info.forceColumn ?? "force").flatMap { $0.type == .text ? $0 : nil }
        let territorial = forceCol == nil ? [] : CompareCommand.territorialForces(ctx)
        let byForce = forceCol != nil && !territorial.isEmpty
        let names = ctx.catalog.forceNames()
        var labelOf: (Int) -> String
        if let label {
            let c = table.columns[try requireColumn(label.0, in: table, at: label.1)]
            labelOf = { c.formatted($0) ?? "n/a" }
        } else if let forceCol {
            labelOf = { forceCol.text($0) ?? "n/a" }
        } else if let c = table.columns.first(where: { $0.type == .text && $0.name.lowercased() != "source" }) {
            labelOf = { c.formatted($0) ?? "n/a" }
        } else {
            labelOf = { "row \($0 + 1)" }
        }
        var rows: [Int] = [], notTerritorial: [String] = [], noValue: [String] = [], zero: [String] = []
        var seen: [String: Int] = [:]
        for r in 0..<table.rowCount {
            if r & 0xFFFF == 0 { try Interrupt.check() }
            if byForce, let forceCol {
                guard let name = forceCol.text(r) else { noValue.append(labelOf(r)); continue }
                guard let force = names.match(name, in: territorial) else {
                    if !notTerritorial.contains(name) { notTerritorial.append(name) }
                    continue
                }
                if seen[force] != nil {
                    throw CommandError.funnelDuplicateUnit(label: force, column: forceCol.name, at: range)
                }
                seen[force] = r
            }
            guard let c = countCol.number(r), let d = denCol.number(r) else { noValue.append(labelOf(r)); continue }
            guard c.isFinite, d.isFinite else {
                let bad = c.isFinite ? denCol : countCol
                throw CommandError.cannotDraw(column: bad.name, value: bad.formatted(r) ?? "", label: labelOf(r), at: range)
            }
            // A count is whole, 0 or more, and small enough to be held exactly.
            guard c >= 0, c == c.rounded(), c <= 9_007_199_254_740_992 else {
                throw CommandError.funnelBadNumber(column: countCol.name, value: countCol.formatted(r) ?? "", label: labelOf(r), denominator: false, at: args.count.1)
            }
            guard d >= 0, scale == .rate || d == d.rounded() else {
                throw CommandError.funnelBadNumber(column: denCol.name, value: denCol.formatted(r) ?? "", label: labelOf(r), denominator: true, at: args.denominator.1)
            }
            if d == 0 { zero.append(labelOf(r)); continue }
            if scale == .proportion, c > d {
                throw CommandError.funnelCountOverDenominator(count: countCol.name, countValue: countCol.formatted(r) ?? "", denominator: denCol.name,
                                                             denominatorValue: denCol.formatted(r) ?? "", label: labelOf(r), at: args.count.1)
            }
            rows.append(r)
        }
        var notes: [String] = []
        if !notTerritorial.isEmpty { notes.append("left out, not territorial forces: " + notTerritorial.joined(separator: ", ")) }
        if !noValue.isEmpty { notes.append("left out, no \(countCol.name) or \(denCol.name): " + noValue.joined(separator: ", ")) }
        if !zero.isEmpty { notes.append("left out, \(denCol.name) of 0: " + zero.joined(separator: ", ")) }
        let unitName = byForce ? "force" : "row"
        guard !rows.isEmpty else {
            return .text((["(no rows to chart)"] + notes).joined(separator: "\n"))
        }

        // The target: the pooled value over the rows drawn.
        let points = rows.map { FunnelPoint(count: countCol.number($0) ?? 0, denominator: denCol.number($0) ?? 0) }
        let totalCount = points.reduce(0) { $0 + $1.count }, totalDen = points.reduce(0) { $0 + $1.denominator }
        guard totalCount.isFinite, totalDen.isFinite, totalDen > 0 else {
            throw CommandError.funnelTotalTooLarge(column: totalCount.isFinite ? denCol.name : countCol.name, at: range)
        }
        let target = totalCount / totalDen
        let allForces = byForce && rows.count == territorial.count
        let targetName = allForces ? "England and Wales" : (byForce ? "the \(rows.count) forces pooled" : "all \(rows.count) rows pooled")
        let unit = scale == .proportion ? "%" : "per " + NumberFormat.grouped(Int(per))
        let targetText = FunnelRenderer.valueText(target * per, decimals: 2) + (scale == .proportion ? "%" : " " + unit)
        notes.insert("\(targetName) \(targetText), pooled from \(countCol.name) ÷ \(denCol.name) over \(rows.count) \(unitName)s", at: 0)

        // Overdispersion, when asked for: only when the spread is wider than chance allows.
        var over: Overdispersion = .none
        if let choice = args.overdispersion {
            if let e = FunnelLimits.estimate(points, target: target, scale: scale, winsorise: 0.1) {
                let phi = NumberFormat.fixed(e.phi, scale: 2)
                let basis = "from \(e.n) \(unitName)s' 10% winsorised z-scores (Spiegelhalter 2005)"
                switch choice {
                case .multiplicative where e.phi > 1:
                    over = .multiplicative(phi: e.phi)
                    notes.append("overdispersion: multiplicative, φ = \(phi) \(basis); the limits are widened by √φ")
                case .additive where e.tau2 > 0:
                    over = .additive(tau2: e.tau2)
                    let tau = Self.significant(e.tau2.squareRoot() * per) + (scale == .proportion ? " percentage points" : " " + unit)
                    notes.append("overdispersion: additive, τ² = \(Self.significant(e.tau2)) (τ = \(tau)) \(basis); τ² is added to each \(unitName)'s variance")
                default:
                    notes.append("overdispersion: none needed, φ = \(phi) \(basis) is no more than chance allows; the limits are not widened")
                }
            } else {
                notes.append("overdispersion: cannot be estimated from \(rows.count) \(unitName)\(rows.count == 1 ? "" : "s"); the limits are not widened")
            }
        }
        let distribution = scale == .proportion ? "binomial" : "Poisson"
        let method: String
        switch over {
        case .none: method = "limits: exact \(distribution) limits with interpolation (Spiegelhalter 2005)"
        case .multiplicative: method = "limits: \(distribution) variance × φ, normal approximation (Spiegelhalter 2005)"
        case .additive: method = "limits: \(distribution) variance + τ², normal approximation (Spiegelhalter 2005)"
        }

        var chart = FunnelChart(scale: scale, points: points, target: target, targetName: targetName, per: per,
                                countName: countCol.name, denominatorName: denCol.name, overdispersion: over, method: method)
        chart.unitName = unitName
        chart.notes = notes
        let labels = rows.map(labelOf)
        let title = "Funnel plot: \(countCol.name) " + (scale == .proportion ? "of" : unit) + " \(denCol.name)"
        var spec = ChartSpec(kind: .funnel, title: title, labels: labels, series: [])
        spec.unit = unit
        spec.funnel = chart
        spec.source = table.info.source.map(Citation.forReaders)
        spec.width = chartWidth
        spec.ascii = ascii ?? ctx.settings.ascii
        if let highlight {
            let h = try highlight.text(ctx, what: "the row to highlight")
            let spellings = ctx.catalog.forceNames().spellings(of: h).map { $0.lowercased() }
            let hits = labels.indices.filter { spellings.contains(labels[$0].lowercased()) || (forceCol?.text(rows[$0])).map { spellings.contains($0.lowercased()) } == true }
            guard !hits.isEmpty else {
                throw CommandError.noRowToHighlight(name: h, labels: labels.sorted(), at: highlight.range)
            }
            spec.highlight = Set(hits)
        }
        try Interrupt.check()
        let text = Charts.render(spec)
        try Interrupt.check()
        return .text(text)
    }

    /// Three significant figures, for small estimates such as τ².
    static func significant(_ v: Double) -> String {
        guard v.isFinite, v != 0 else { return NumberFormat.shortest(v) }
        var digits = 2, m = abs(v)
        while m < 1, digits < 12 { m *= 10; digits += 1 }
        return abs(v) >= 100 ? FunnelRenderer.valueText(v, decimals: 0) : NumberFormat.fixed(v, scale: abs(v) >= 10 ? 1 : digits)
    }
}
