/// `rank COLUMN [asc] [per GROUP, ...]`: each row's rank, position and the Annex A band.
struct RankCommand: Step {
    let column: (String, SourceRange)
    let ascending: Bool
    let per: [(String, SourceRange)]

    static let spec = CommandSpec(
        name: "rank", kind: .stage, group: "Analysis",
        usage: "rank COLUMN [asc] [per COLUMN, ...]",
        summary: "Rank the rows by a column, with ties, positions and the inspectorate's banding.",
        details: """
            Adds `rank` (1 = highest; with `asc`, 1 = lowest), `position` ("=5th highest of 43"
            when tied) and `band`: the top and bottom 25 percent of the ranked rows are "one of the
            highest" and "one of the lowest", the rest "broadly in line" (Annex A of the PEEL 2016
            report). Tied values share a rank (1, 2, 2, 4), so they share a band. Rows with a missing
            value are not ranked; a note says how many were left out and which. The rows come out in
            rank order. With `per GROUP`, ranks within each group.
            """,
        examples: ["cdi_forces | top 1 by published_date per force | rank recording_rate_pct | select force, recording_rate_pct, position, band | top 5"],
        arguments: [.column, .keywords(["asc", "per"])],
        parse: { p, _ in
            let column = try p.name("a numeric column to rank by", help: "e.g. rank recording_rate_pct")
            var asc = false
            var per: [(String, SourceRange)] = []
            while !p.atStepEnd {
                if p.matchWord("asc") { asc = true }
                else if p.matchWord("desc") { asc = false }
                else if p.matchWord("per") { per = try p.nameList("a column to group by") }
                else { throw Diagnostic("unexpected \(p.peek.kind.description) in rank", at: p.peek.range, help: "usage: rank COLUMN [asc] [per COLUMN, ...]") }
            }
            return RankCommand(column: column, ascending: asc, per: per)
        })

    func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input, verb: "rank")
        let col = table.columns[try requireColumn(column.0, in: table, at: column.1)]
        guard col.type.isNumeric else { throw Diagnostic("'\(col.name)' holds \(col.type.rawValue); rank needs numbers", at: column.1) }
        let groupCols = try per.map { table.columns[try requireColumn($0.0, in: table, at: $0.1)] }
        let grouped = table.groupRows(by: groupCols).groups
        let order = grouped.map(\.key)
        let groups = Dictionary(grouped.map { ($0.key, $0.rows) }, uniquingKeysWith: { a, _ in a })
        var rank = [Int?](repeating: nil, count: table.rowCount)
        var position = [String?](repeating: nil, count: table.rowCount)
        var band = [String?](repeating: nil, count: table.rowCount)
        var missing: [Int] = []
        var outRows: [Int] = []
        for k in order {
            let rows = groups[k]!
            let present = rows.filter { col.number($0) != nil }
            missing += rows.filter { col.number($0) == nil }
            let values = present.map { col.number($0)! }
            for (i, r) in present.enumerated() {
                let v = values[i]
                let fromTop = 1 + values.filter { ascending ? $0 < v : $0 > v }.count
                let fromBottom = 1 + values.filter { ascending ? $0 > v : $0 < v }.count
                let tied = values.filter { $0 == v }.count > 1
                rank[r] = fromTop
                position[r] = (tied ? "=" : "") + Ranking.ordinal(fromTop) + (ascending ? " lowest" : " highest") + " of \(values.count)"
                let b = Ranking.band(rankFromTop: fromTop, rankFromBottom: fromBottom, of: values.count)
                band[r] = ascending ? (b == "one of the highest" ? "one of the lowest" : b == "one of the lowest" ? "one of the highest" : b) : b
            }
            outRows += present.sorted { (rank[$0]!, $0) < (rank[$1]!, $1) } + rows.filter { col.number($0) == nil }
        }
        var out = table.gather(outRows)
        var rb = ColumnBuilder.integer("rank"), pb = ColumnBuilder.text("position"), bb = ColumnBuilder.text("band")
        for r in outRows {
            rb.append(rank[r].map(Double.init))
            pb.append(position[r])
            bb.append(band[r])
        }
        out.columns += [rb.build(), pb.build(), bb.build()]
        out.info.note("rank 1 = \(ascending ? "lowest" : "highest") \(col.name); the top and bottom 25 percent are 'one of the highest' / 'one of the lowest' (Annex A, PEEL 2016); tied values share a rank", about: ["rank", "position", "band"])
        if !missing.isEmpty {
            let label = table.column(table.info.forceColumn ?? "force").map { c in missing.compactMap { c.text($0) } } ?? []
            out.info.footnotes.append("\(missing.count) row\(missing.count == 1 ? "" : "s") not ranked for a missing \(col.name)" + (label.isEmpty ? "" : ": " + label.joined(separator: ", ")))
        }
        return .table(out)
    }

    var dump: String { "rank \(column.0)" + (ascending ? " asc" : "") + (per.isEmpty ? "" : " per [" + per.map(\.0).joined(separator: ", ") + "]") }
}
