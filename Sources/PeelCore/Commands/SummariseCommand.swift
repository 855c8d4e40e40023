/// `summarise AGGREGATE, ... [by COLUMN, ...]`: one row per group with counts and statistics.
struct SummariseCommand: Step {
    struct Aggregate {
        var function: String
        var column: (String, SourceRange)?
        var alias: String?
        var range: SourceRange
        var outputName: String { alias ?? (column.map { "\(function)_\($0.0)" } ?? function) }
    }
    let aggregates: [Aggregate]
    let by: [(String, SourceRange)]

    static let functions = ["count", "sum", "mean", "median", "min", "max", "q1", "q3", "share"]

    static let spec = CommandSpec(
        name: "summarise", kind: .stage, group: "Analysis",
        usage: "summarise AGGREGATE [as NAME], ... [by COLUMN, ...]",
        summary: "Group rows and aggregate: count, sum, mean, median, min, max, quartiles, share of total.",
        details: """
            AGGREGATE is `count` (rows), or one of sum, mean, median, min, max, q1, q3 (quartiles)
            or share (the group's sum as a percentage of the total) applied to a numeric column:
            `mean(rate)`. Missing values are skipped, and a note counts them. Quartiles and the
            median interpolate between values (Excel QUARTILE.INC, Python's "inclusive" method).
            Without `by`, the whole table is one group. `summarize` is the same command.
            """,
        examples: ["cdi_forces | top 1 by published_date per force | join forces on force | summarise count, mean(recording_rate_pct), min(recording_rate_pct), max(recording_rate_pct) by region"],
        arguments: [.keywords(functions + ["by", "as"]), .column],
        aliases: ["summarize"],
        parse: { p, _ in
            var aggs: [Aggregate] = []
            var by: [(String, SourceRange)] = []
            repeat {
                let (fn, fr) = try p.name("an aggregate such as count or mean(COLUMN)")
                let f = fn.lowercased()
                guard functions.contains(f) else {
                    throw Diagnostic("unknown aggregate '\(fn)'", at: fr, help: Suggest.closest(to: f, in: functions).map { "did you mean '\($0)'?" } ?? "aggregates: " + functions.joined(separator: ", "))
                }
                var col: (String, SourceRange)?
                if p.match(.leftParen) {
                    col = try p.name("a column name")
                    _ = try p.consume(.rightParen, "')'")
                } else if f != "count" {
                    throw p.unexpected(expected: "'(' and a column: \(f)(COLUMN)")
                }
                var alias: String?
                if p.matchWord("as") { alias = try p.name("a name for the result").0 }
                aggs.append(Aggregate(function: f, column: col, alias: alias, range: SourceRange(fr.start, p.previous.range.end)))
            } while p.match(.comma)
            if p.matchWord("by") { by = try p.nameList("a column to group by") }
            try p.expectStepEnd("summarise")
            return SummariseCommand(aggregates: aggs, by: by)
        })

    func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input, verb: "summarise")
        let groupCols = try by.map { table.columns[try requireColumn($0.0, in: table, at: $0.1)] }
        let aggCols: [Column?] = try aggregates.map { a in
            guard let c = a.column else { return nil }
            let col = table.columns[try requireColumn(c.0, in: table, at: c.1)]
            guard col.type.isNumeric else { throw Diagnostic("\(a.function) needs a numeric column; '\(col.name)' holds \(col.type.rawValue)", at: c.1) }
            return col
        }
        var grouped = table.groupRows(by: groupCols).groups
        // Without `by`, an empty table is still one group: count 0.
        if groupCols.isEmpty && grouped.isEmpty { grouped = [([], [])] }
        let order = grouped.map(\.key)
        let groups = Dictionary(grouped.map { ($0.key, $0.rows) }, uniquingKeysWith: { a, _ in a })
        var keyOut = groupCols.map { c -> ColumnBuilder in c.type.isNumeric ? (c.type == .integer ? .integer(c.name) : .decimal(c.name, scale: c.scale, unit: c.unit)) : .text(c.name) }
        var outs: [ColumnBuilder] = aggregates.enumerated().map { i, a in
            let c = aggCols[i]
            switch a.function {
            case "count": return .integer(a.outputName)
            case "share": return .decimal(a.outputName, scale: 1, unit: "%")
            case "mean", "median", "q1", "q3": return .decimal(a.outputName, scale: min((c?.scale ?? 0) + 1, 2), unit: c?.unit)
            default: return c?.type == .integer ? .integer(a.outputName, unit: c?.unit) : .decimal(a.outputName, scale: c?.scale ?? 0, unit: c?.unit)
            }
        }
        var skipped = [Int](repeating: 0, count: aggregates.count)
        // Each column's numbers unpacked once.
        let numbers: [[Double]?] = aggCols.map { $0?.doubles() }
        let totals: [Double] = aggCols.indices.map { i in
            guard let c = aggCols[i], let v = numbers[i] else { return 0 }
            return (0..<table.rowCount).reduce(0) { c.missing[$1] ? $0 : $0 + v[$1] }
        }
        for k in order {
            let rows = groups[k]!
            for (i, part) in k.enumerated() {
                if groupCols[i].type.isNumeric { keyOut[i].append(part == "\u{0}" ? nil : Double(part)) } else { keyOut[i].append(part == "\u{0}" ? nil : part) }
            }
            for (i, a) in aggregates.enumerated() {
                guard let c = aggCols[i] else { outs[i].append(Double(rows.count)); continue }
                let column = numbers[i]!
                let vals = c.missing.isEmpty ? rows.map { column[$0] } : rows.compactMap { c.missing[$0] ? nil : column[$0] }
                skipped[i] += rows.count - vals.count
                let v: Double?
                switch a.function {
                case "count": v = Double(vals.count)
                case "sum": v = vals.isEmpty ? nil : vals.reduce(0, +)
                case "mean": v = Summary.mean(vals)
                case "median": v = Summary.median(vals)
                case "min": v = vals.min()
                case "max": v = vals.max()
                case "q1": v = Summary.quantile(vals, 0.25)
                case "q3": v = Summary.quantile(vals, 0.75)
                default: v = totals[i] == 0 || vals.isEmpty ? nil : vals.reduce(0, +) / totals[i] * 100
                }
                // min and max keep the digits the value was written with.
                if a.function == "min" || a.function == "max", let v, let r = rows.first(where: { c.number($0) == v }), c.type == .decimal {
                    outs[i].append(v, scale: c.scale(r))
                } else {
                    outs[i].append(v)
                }
            }
        }
        var info = TableInfo()
        info.source = table.info.source
        info.period = table.info.period
        info.notes = table.info.notes
        for (i, a) in aggregates.enumerated() where skipped[i] > 0 {
            info.footnotes.append("\(a.outputName): \(skipped[i]) missing value\(skipped[i] == 1 ? "" : "s") of \(a.column!.0) skipped")
        }
        if aggregates.contains(where: { ["median", "q1", "q3"].contains($0.function) }) {
            info.footnotes.append("quartiles and medians interpolate between values (Excel QUARTILE.INC)")
        }
        return .table(Table(name: table.name, columns: keyOut.map { $0.build() } + outs.map { $0.build() }, info: info))
    }

    var dump: String {
        let parts: [String] = aggregates.map { a in
            let call = a.column.map { "\(a.function)(\($0.0))" } ?? a.function
            return call + (a.alias.map { " as \($0)" } ?? "")
        }
        let groups = by.isEmpty ? "" : " by [" + by.map(\.0).joined(separator: ", ") + "]"
        return "summarise " + parts.joined(separator: ", ") + groups
    }
}
