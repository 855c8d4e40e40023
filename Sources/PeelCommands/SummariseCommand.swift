import PeelSupport
import PeelData
import PeelStats
import PeelEvaluation
import PeelLanguage

/// `summarise AGGREGATE, ... [by COLUMN, ...]`: one row per group with counts and statistics.
package struct SummariseCommand: Command {
    package struct Aggregate {
        package var function: String
        package var column: (String, SourceRange)?
        package var alias: String?
        package var range: SourceRange
        package var outputName: String { alias ?? (column.map { "\(function)_\($0.0)" } ?? function) }
    }
    package let aggregates: [Aggregate]
    package let by: [(String, SourceRange)]

    package static let functions = ["count", "sum", "mean", "median", "min", "max", "q1", "q3", "share"]

    package static let spec = CommandSpec(
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
                    throw ParseError.unknownAggregate(fr, name: fn, aggregates: functions)
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
            try p.expectStepEnd()
            return SummariseCommand(aggregates: aggs, by: by)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input)
        let groupCols = try by.map { table.columns[try requireColumn($0.0, in: table, at: $0.1)] }
        let aggCols: [Column?] = try aggregates.map { a in
            guard let c = a.column else { return nil }
            let col = table.columns[try requireColumn(c.0, in: table, at: c.1)]
            guard col.type.isNumeric else { throw CommandError.aggregateNotNumeric(function: a.function, column: col.name, holds: col.type.rawValue, at: c.1) }
            return col
        }
        // Every output column needs its own name.
        var taken = Set(groupCols.map { $0.name.lowercased() })
        for a in aggregates where !taken.insert(a.outputName.lowercased()).inserted {
            throw CommandError.resultNameClash(name: a.outputName, function: a.function, column: a.column?.0, at: a.range)
        }
        let g = table.groupIDs(by: groupCols)
        // Without `by`, an empty table is still one group: count 0.
        let groupCount = groupCols.isEmpty ? 1 : g.count
        var outs: [ColumnBuilder] = aggregates.enumerated().map { i, a in
            let c = aggCols[i]
            switch a.function {
            case "count": return .integer(a.outputName)
            case "share": return .decimal(a.outputName, scale: 1, unit: "%")
            case "mean", "median", "q1", "q3": return .decimal(a.outputName, scale: min((c?.scale ?? 0) + 1, 2), unit: c?.unit)
            default: return c?.type == .integer ? .integer(a.outputName, unit: c?.unit) : .decimal(a.outputName, scale: c?.scale ?? 0, unit: c?.unit)
            }
        }
        // Each group's key values, exactly as in its first row.
        let keyColumns = groupCols.map { $0.gather(g.firstRows) }
        // Rows of each group, made only for the statistics that need the values sorted.
        var rowsByGroup: [[Int]]?
        func groupRows(_ id: Int) -> [Int] {
            if rowsByGroup == nil {
                rowsByGroup = groupCols.isEmpty ? [Array(0..<table.rowCount)] : table.groupRows(by: groupCols).groups.map(\.rows)
            }
            return rowsByGroup![id]
        }
        /// " (in the group force = Kent)", naming a group in an error.
        func group(_ id: Int) -> [CommandError.Key] {
            zip(groupCols, keyColumns).map { ($0.name, $1.formatted(id) ?? "missing") }
        }
        var skipped = [Int](repeating: 0, count: aggregates.count)
        for (i, a) in aggregates.enumerated() {
            try Interrupt.check()
            guard let c = aggCols[i] else {
                var counts = [Int](repeating: 0, count: groupCount)
                for id in g.ids { counts[Int(id)] += 1 }
                for v in counts { outs[i].append(Double(v)) }
                continue
            }
            let acc = GroupAccumulator(c, g.ids, groups: groupCount, extremes: a.function == "min" || a.function == "max")
            skipped[i] = acc.skipped
            let total = acc.total
            for id in 0..<groupCount {
                if id & 0xFFFF == 0 { try Interrupt.check() }
                let n = acc.counts[id]
                switch a.function {
                case "count": outs[i].append(Double(n))
                case "sum":
                    if n == 0 { outs[i].append(nil as Double?) } else if c.type == .integer {
                        guard let exact = acc.intSums[id] else {
                            throw CommandError.sumTooLarge(column: c.name, whole: true, group: group(id), at: a.range)
                        }
                        outs[i].append(int: exact)
                    } else {
                        guard acc.sums[id].isFinite else {
                            throw CommandError.sumTooLarge(column: c.name, whole: false, group: group(id), at: a.range)
                        }
                        outs[i].append(acc.sums[id])
                    }
                case "mean":
                    if n == 0 { outs[i].append(nil as Double?) } else if let exact = acc.intSums.isEmpty ? nil : acc.intSums[id] {
                        outs[i].append(Double(exact) / Double(n))
                    } else if acc.sums[id].isFinite {
                        outs[i].append(acc.sums[id] / Double(n))
                    } else {
                        // The sum overflowed (values near 1e308): the mean of halves does not.
                        outs[i].append(Summary.mean(groupRows(id).compactMap { c.number($0) }))
                    }
                case "min", "max":
                    // min and max keep the digits the value was written with.
                    let r = a.function == "min" ? acc.minRows[id] : acc.maxRows[id]
                    if r < 0 { outs[i].append(nil as Double?) } else if case .integer(let v) = c.data {
                        outs[i].append(int: v[r])
                    } else {
                        outs[i].append(c.number(r), scale: c.scale(r))
                    }
                case "median", "q1", "q3":
                    let vals = groupRows(id).compactMap { c.number($0) }
                    let q = a.function == "median" ? 0.5 : a.function == "q1" ? 0.25 : 0.75
                    outs[i].append(a.function == "median" ? Summary.median(vals) : Summary.quantile(vals, q))
                default:
                    guard total.isFinite else {
                        throw CommandError.shareTotalTooLarge(column: c.name, at: a.range)
                    }
                    outs[i].append(total == 0 || n == 0 ? nil : acc.sums[id] / total * 100)
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
        return .table(Table(name: table.name, columns: keyColumns + outs.map { $0.build() }, info: info))
    }

    package var dump: String {
        let parts: [String] = aggregates.map { a in
            let call = a.column.map { "\(a.function)(\($0.0))" } ?? a.function
            return call + (a.alias.map { " as \($0)" } ?? "")
        }
        let groups = by.isEmpty ? "" : " by [" + by.map(\.0).joined(separator: ", ") + "]"
        return "summarise " + parts.joined(separator: ", ") + groups
    }
}

/// Per-group count, sum and (when asked) the rows holding the first minimum and maximum, in one
/// pass over a numeric column (missing values skipped and counted). Sums add in row order, as a
/// list would.
package struct GroupAccumulator {
    package var counts: [Int]
    package var sums: [Double]
    /// For an integer column, each group's exact sum, and whether it passed 2^63 (then nil).
    package var intSums: [Int64?] = []
    package var minRows: [Int]
    package var maxRows: [Int]
    package var skipped = 0
    /// The sum over all groups, added in row order.
    package var total = 0.0

    package init(_ c: Column, _ ids: [Int32], groups: Int, extremes: Bool) {
        var counts = [Int](repeating: 0, count: groups)
        var sums = [Double](repeating: 0, count: groups)
        var minRows = [Int](repeating: -1, count: groups)
        var maxRows = [Int](repeating: -1, count: groups)
        var mins = [Double](repeating: 0, count: groups)
        var maxs = [Double](repeating: 0, count: groups)
        let missing = c.missing
        let anyMissing = !missing.isEmpty
        var skipped = 0, total = 0.0
        func run(_ value: (Int) -> Double, _ n: Int) {
            counts.withUnsafeMutableBufferPointer { counts in
                sums.withUnsafeMutableBufferPointer { sums in
                    ids.withUnsafeBufferPointer { ids in
                        for r in 0..<n {
                            if anyMissing && missing[r] { skipped += 1; continue }
                            let g = Int(ids[r])
                            let v = value(r)
                            total += v
                            counts[g] += 1
                            sums[g] += v
                            if extremes {
                                if minRows[g] < 0 || v < mins[g] { mins[g] = v; minRows[g] = r }
                                if maxRows[g] < 0 || v > maxs[g] { maxs[g] = v; maxRows[g] = r }
                            }
                        }
                    }
                }
            }
        }
        var intSums: [Int64?] = []
        switch c.data {
        case .integer(let v):
            // Whole numbers add in whole numbers too (exact past 2^53, overflow caught), in the
            // same pass as the counts and the sums in doubles; extremes are then compared as
            // whole numbers.
            var exact = [Int64](repeating: 0, count: groups)
            var overflowed = [Bool](repeating: false, count: groups)
            if extremes { v.withUnsafeBufferPointer { p in run({ Double(p[$0]) }, p.count) } }
            v.withUnsafeBufferPointer { v in
                ids.withUnsafeBufferPointer { ids in
                    exact.withUnsafeMutableBufferPointer { exact in
                        overflowed.withUnsafeMutableBufferPointer { over in
                            counts.withUnsafeMutableBufferPointer { counts in
                                sums.withUnsafeMutableBufferPointer { sums in
                                    for r in 0..<min(v.count, ids.count) {
                                        if anyMissing && missing[r] { if !extremes { skipped += 1 }; continue }
                                        let g = Int(ids[r])
                                        let (t, o) = exact[g].addingReportingOverflow(v[r])
                                        exact[g] = t
                                        if o { over[g] = true }
                                        if !extremes {
                                            let d = Double(v[r])
                                            total += d
                                            counts[g] += 1
                                            sums[g] += d
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if extremes {
                for r in 0..<v.count where !(anyMissing && missing[r]) {
                    let g = Int(ids[r])
                    if v[r] < v[minRows[g]] { minRows[g] = r }
                    if v[r] > v[maxRows[g]] { maxRows[g] = r }
                }
            }
            intSums = (0..<groups).map { overflowed[$0] ? nil : exact[$0] }
        case .decimal(let v, _): v.withUnsafeBufferPointer { p in run({ p[$0] }, p.count) }
        default: break
        }
        (self.counts, self.sums, self.minRows, self.maxRows, self.skipped, self.total) = (counts, sums, minRows, maxRows, skipped, total)
        self.intSums = intSums
    }
}
