import PeelSupport
import PeelData
import PeelEvaluation

/// `join TABLE [on COLUMN, ...]`: add the matching row of another table to each row (a left join).
package struct JoinCommand: Command {
    package let other: (String, SourceRange)
    package let on: [(String, SourceRange)]

    package static let spec = CommandSpec(
        name: "join", kind: .stage, group: "Columns",
        usage: "join TABLE [on COLUMN, ...]",
        summary: "Add the columns of another table's matching row (a left join on shared columns).",
        details: """
            Each row keeps its place and gains the other table's columns from the row with the same
            values in the `on` columns (by default the force, when both tables name forces, together
            with the columns that tell the other table's rows for one force apart, such as
            population's mid_year, when this table has them too; or else the columns both tables
            share). A table with no such column gets one from `add`: recorded crime for 2017/18
            meets the mid-2016 population, as the ONS rates for that year do, with
            `add mid_year = 2016 | join population`. Force names are
            matched through their aliases, so "Avon & Somerset" meets "Avon and Somerset"; numbers
            meet by value (1 meets 1.0). Rows with no match get missing values, and a note counts
            them; a missing key matches nothing. A column name already present gets
            the other table's name as a suffix. The other table must have one row per key.
            """,
        examples: ["cdi_forces | top 1 by published_date per force | join forces on force | select force, region, recording_rate_pct | top 3",
                   "recorded_crime_totals | add mid_year = 2016 | join population | add rate = per_1000(total_recorded_offences, population) | select force, population, rate | top 3 by rate"],
        arguments: [.table, .keywords(["on"]), .column],
        parse: { p, _ in
            let other = try p.name("a table name")
            var on: [(String, SourceRange)] = []
            if p.matchWord("on") { on = try p.nameList("a column to match on") }
            try p.expectStepEnd()
            return JoinCommand(other: other, on: on)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        var left = try requireTable(input)
        let right = try ctx.table(other.0, at: other.1)
        var keys = on.map(\.0)
        // The other table's row identity within a force that this table lacks (population's mid_year).
        var lacking: [String] = []
        if keys.isEmpty, let lf = left.info.forceColumn ?? left.column("force")?.name, right.columnIndex(lf) != nil,
           (right.info.forceColumn ?? "force").lowercased() == lf.lowercased() {
            keys = [lf]  // tables about forces meet on the force
            // ...and on the columns the other table's catalogue entry says tell a force's rows apart.
            for k in right.info.keys ?? [] where k.lowercased() != lf.lowercased() && right.columnIndex(k) != nil {
                if keys.contains(where: { $0.lowercased() == k.lowercased() }) { continue }
                if left.columnIndex(k) != nil { keys.append(k) } else { lacking.append(k) }
            }
        }
        if keys.isEmpty {
            keys = left.columns.map(\.name).filter { n in right.columnIndex(n) != nil && n.lowercased() != "source" }
            guard !keys.isEmpty else {
                throw CommandError.noSharedColumn(left: left.name, right: right.name, at: other.1)
            }
        }
        for (name, range) in on {
            _ = try requireColumn(name, in: left, at: range)
            _ = try requireColumn(name, in: right, at: range)
        }
        let names = ctx.catalog.forceNames()
        // Rows meet on shared key numbers; force names are matched through their aliases.
        let pairs = keys.map { (left.column($0)!, right.column($0)!) }
        var canonical: [Int: (String) -> String] = [:]
        for (j, k) in keys.enumerated() where k.lowercased() == (left.info.forceColumn ?? "force").lowercased() {
            canonical[j] = { names.spellings(of: $0)[0] }
        }
        let shared = SharedKeys(pairs, canonical: canonical)
        var index = [Int](repeating: -1, count: shared.count)
        for r in 0..<right.rowCount {
            if r & 0xFFFF == 0 { try Interrupt.check() }
            let id = Int(shared.right[r])
            guard id >= 0 else { continue }
            if index[id] >= 0 {
                if let k = lacking.first, let col = right.column(k) {
                    // The example names the latest value the other table has (population: 2018), with the range.
                    var lo: (value: Double, row: Int)?, hi: (value: Double, row: Int)?
                    for i in 0..<right.rowCount {
                        guard let v = col.number(i), v.isFinite else { continue }
                        if lo == nil || v < lo!.value { lo = (v, i) }
                        if hi == nil || v > hi!.value { hi = (v, i) }
                    }
                    let example = hi.flatMap { col.formatted($0.row) } ?? col.formatted(r) ?? "VALUE"
                    var span = ""
                    if let lo, let hi, lo.value < hi.value, let a = col.formatted(lo.row), let b = col.formatted(hi.row) {
                        span = " (\(right.name) has \(k) \(a) to \(b))"
                    }
                    let per = [right.info.forceColumn ?? keys[0]] + keys.dropFirst()
                    throw Diagnostic("\(right.name) has one row per \(per.joined(separator: ", ")) and \(lacking.joined(separator: ", ")), but this table has no \(k) column",
                                     at: other.1, help: "add the \(k) the rows refer to first\(span), e.g. add \(k) = \(example) | join \(right.name)")
                }
                throw CommandError.joinDuplicate(table: right.name, key: zip(keys, pairs).map { ($0, $1.1.formatted(r) ?? "missing") }, at: other.1)
            }
            index[id] = r
        }
        let matches: [Int?] = shared.left.map { $0 >= 0 && index[Int($0)] >= 0 ? index[Int($0)] : nil }
        let unmatched = matches.filter { $0 == nil }.count
        let keySet = Set(keys.map { $0.lowercased() })
        for c in right.columns where !keySet.contains(c.name.lowercased()) {
            var col = c.gather(matches)
            if left.columnIndex(col.name) != nil { col.name += "_" + right.name }
            left.columns.append(col)
        }
        if unmatched > 0 {
            left.info.footnotes.append("\(unmatched) row\(unmatched == 1 ? "" : "s") had no match in \(right.name) (on \(keys.joined(separator: ", "))), so \(unmatched == 1 ? "its" : "their") \(right.name) columns are missing")
        }
        return .table(left)
    }

    package var dump: String { "join \(other.0)" + (on.isEmpty ? "" : " on [" + on.map(\.0).joined(separator: ", ") + "]") }
}
