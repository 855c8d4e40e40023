/// `chart [bar] [VALUE] [by LABEL] [mark COLUMN]`: a horizontal bar chart drawn as text.
struct ChartCommand: Step {
    let value: (String, SourceRange)?
    let label: (String, SourceRange)?
    let mark: (String, SourceRange)?
    let range: SourceRange

    static let usage = "chart [bar] [VALUE] [by LABEL] [mark COLUMN]"

    static let spec = CommandSpec(
        name: "chart", kind: .stage, group: "Charts",
        usage: usage,
        summary: "Draw a horizontal bar chart as text, with the national value marked.",
        details: """
            One bar per row, measured from zero, labelled by LABEL and showing VALUE.
            `mark COLUMN` draws that column's value on each row as a vertical rule.
            After `compare`, `chart` alone draws the force's values as bars and marks the
            England and Wales value on each. Charts are 80 columns wide, so output is the
            same on screen, in a pipe and in a replayed script; labels longer than a third of
            the width end in an ellipsis.
            """,
        examples: [
            "outcomes | where kind in (\"outcome\", \"group\") | compare \"Leicestershire\" | chart",
            "crime_rates | where force = \"Leicestershire\" | chart rate by crime_type",
        ],
        arguments: [.keywords(["bar", "by", "mark"]), .column],
        parse: { p, verb in
            _ = p.matchWord("bar")
            var value: (String, SourceRange)?
            var label: (String, SourceRange)?
            var mark: (String, SourceRange)?
            if !p.atStepEnd, !p.peek.isWord("by"), !p.peek.isWord("mark") { value = try p.name("a numeric column") }
            while !p.atStepEnd {
                if p.matchWord("by") { label = try p.name("a column to label the bars") }
                else if p.matchWord("mark") { mark = try p.name("a numeric column to mark") }
                else { throw Diagnostic("unexpected \(p.peek.kind.description) in chart", at: p.peek.range, help: "usage: \(usage)") }
            }
            return ChartCommand(value: value, label: label, mark: mark, range: SourceRange(verb.range.start, p.previous.range.end))
        })

    func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input, verb: "chart")
        let cmp = table.info.comparison
        func numeric(_ ref: (String, SourceRange)) throws -> Column {
            let c = table.columns[try requireColumn(ref.0, in: table, at: ref.1)]
            guard c.type.isNumeric else { throw Diagnostic("'\(c.name)' holds text; a bar needs numbers", at: ref.1) }
            return c
        }
        let valueCol: Column
        if let value { valueCol = try numeric(value) }
        else if let f = cmp?.force, let c = table.column(f) { valueCol = c }
        else if let v = table.info.valueColumn, let c = table.column(v) { valueCol = c }
        else {
            let nums = table.columns.filter { $0.type == .decimal }
            guard nums.count == 1 else {
                throw Diagnostic("chart cannot tell which column to draw", at: range, help: "name it, e.g. chart " + (table.columns.first { $0.type.isNumeric }?.name ?? "VALUE") + " by " + (table.columns.first { $0.type == .text }?.name ?? "LABEL"))
            }
            valueCol = nums[0]
        }
        let markCol: Column?
        if let mark { markCol = try numeric(mark) }
        else if value == nil, let n = cmp?.national { markCol = table.column(n) }
        else { markCol = nil }

        // Labels: the named column, or the identifying columns that differ between rows.
        let labels: [String]
        if let label {
            let c = table.columns[try requireColumn(label.0, in: table, at: label.1)]
            labels = (0..<table.rowCount).map { c.formatted($0) ?? "n/a" }
        } else {
            // Without a comparison, rows of several forces are told apart by the force column too.
            let force = cmp == nil ? [table.info.forceColumn ?? "force"] : []
            var candidates = (force + (cmp?.keys ?? table.info.keys ?? [])).compactMap { table.column($0) }.filter { $0.type == .text }
            if candidates.isEmpty {
                candidates = table.columns.filter { $0.type == .text && $0.name.lowercased() != "source" }
            }
            let varying = candidates.filter { c in Set((0..<table.rowCount).map { c.formatted($0) }).count > 1 }
            let used = varying.isEmpty ? Array(candidates.prefix(1)) : varying
            labels = (0..<table.rowCount).map { r in
                let parts = used.compactMap { $0.formatted(r) }
                return parts.isEmpty ? "row \(r + 1)" : parts.joined(separator: ", ")
            }
        }
        var unit = valueCol.unit
        if unit == nil, let u = table.column("unit"), u.type == .text {
            let units = Set((0..<table.rowCount).compactMap { u.text($0) })
            if units.count == 1 { unit = units.first } else if units.count > 1 {
                throw Diagnostic("these rows are in different units (\(units.sorted().joined(separator: ", "))), so one chart would mislead",
                                 at: range, help: "filter to one unit first, e.g. where unit = \"\(units.sorted()[0])\"")
            }
        }
        let n = table.rowCount
        var spec = BarChartSpec(
            title: markCol.map { "\(valueCol.name) compared with \($0.name)" } ?? valueCol.name,
            labels: labels,
            values: (0..<n).map { valueCol.number($0) },
            scales: (0..<n).map { valueCol.scale($0) },
            marks: markCol.map { m in (0..<n).map { m.number($0) } },
            markScales: markCol.map { m in (0..<n).map { m.scale($0) } },
            valueName: valueCol.name, markName: markCol?.name, unit: unit, source: table.info.source)
        if let u = unit { spec.title += " (\(u))" }
        spec.width = ctx.settings.width
        spec.ascii = ctx.settings.ascii
        return .text(BarChart.render(spec))
    }

    var dump: String {
        "chart" + (value.map { " \($0.0)" } ?? "") + (label.map { " by \($0.0)" } ?? "") + (mark.map { " mark \($0.0)" } ?? "")
    }
}
