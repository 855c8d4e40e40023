import PeelSupport
import PeelData
import PeelStats
import PeelEvaluation
import PeelLanguage
import PeelIO

/// `rank COLUMN [asc] [per GROUP, ...]`: each row's rank, position and the Annex A band.
package struct RankCommand: Command {
    package let column: (String, SourceRange)
    package let ascending: Bool
    package let per: [(String, SourceRange)]

    package static let spec = CommandSpec(
        name: "rank", kind: .stage, group: "Analysis",
        usage: "rank COLUMN [asc] [per COLUMN, ...]",
        summary: "Rank the rows by a column, with ties, positions and the inspectorate's banding.",
        details: """
            Adds `rank` (1 = highest; with `asc`, 1 = lowest), `position` ("=5th highest of 43"
            when tied) and `band`: the top and bottom 25 percent of the ranked rows are "one of the
            highest" and "one of the lowest", the rest "broadly in line" (Annex A of the PEEL 2016
            report). Tied values share a rank (1, 2, 2, 4), and a tie is banded by that shared
            position: with n rows ranked, position p is "one of the highest" when p ≤ n/4 and "one
            of the lowest" when n + 1 − p ≤ n/4, so "=4th highest of 8" is broadly in line even
            when the tie runs down to 8th. When a tie spans the edge of a quarter, a note says so.
            The same rule bands `compare` and `compare each`. Rows with a missing value are not
            ranked; a note says how many were left out and which. In a table of forces, rows that
            are not territorial forces (British Transport Police, regions, England and Wales) are
            not ranked among them, and a note names them. The rows come out in rank order
            (tied rows in table order). With `per GROUP`, ranks within each group.
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
                else { throw ParseError.unexpectedInStep(p.peek.range, found: p.peek.kind, verb: "rank", usage: "rank COLUMN [asc] [per COLUMN, ...]") }
            }
            return RankCommand(column: column, ascending: asc, per: per)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input)
        let col = table.columns[try requireColumn(column.0, in: table, at: column.1)]
        guard col.type.isNumeric else { throw CommandError.notNumeric(column: col.name, holds: col.type.rawValue, command: "rank", at: column.1) }
        let groupCols = try per.map { table.columns[try requireColumn($0.0, in: table, at: $0.1)] }
        let n = table.rowCount
        var rank = [Int](repeating: 0, count: n)
        // Positions and bands as dictionary codes: one string per distinct position, not per row.
        var position = [Int32](repeating: -1, count: n)
        var band = [Int32](repeating: -1, count: n)
        var positions: [String] = []
        var codeOfText: [String: Int32] = [:]
        let bandWords = [Ranking.Band.highest, .inLine, .lowest].map { Ranking.words($0, ascending: ascending) }
        var missing: [Int] = []
        var outRows: [Int] = []
        outRows.reserveCapacity(n)
        var straddles: [String] = []
        var straddleCount = 0
        let end = ascending ? "lowest" : "highest"
        // In a table of forces, rows that are not territorial forces (British Transport Police,
        // regions, England and Wales) are not ranked among them (a group of such rows alone is).
        var notForce = [Bool](repeating: false, count: n)
        var isForce = [Bool](repeating: false, count: n)
        var notForceWords = ""
        if let fc = table.column(table.info.forceColumn ?? "force"), fc.type == .text {
            let rows = ForceRows(fc, names: ctx.catalog.forceNames(), territorial: CompareCommand.territorialForces(ctx))
            if rows.known, !rows.forces.isEmpty, !rows.others.isEmpty {
                let others = Set(rows.others.map(\.label)), forces = rows.territorialSet
                for r in 0..<n {
                    guard let l = fc.text(r) else { continue }
                    if others.contains(l) { notForce[r] = true } else if forces.contains(l) { isForce[r] = true }
                }
                notForceWords = rows.othersWords
            }
        }
        var leftOutNotForce = 0
        for group in table.groupRows(by: groupCols).groups {
            try Interrupt.check()
            var present: [Int] = []
            var values: [Double] = []
            var absent: [Int] = []
            var others: [Int] = []
            let mixed = group.rows.contains { isForce[$0] } && group.rows.contains { notForce[$0] }
            for r in group.rows {
                if mixed && notForce[r] { others.append(r); continue }
                if let v = col.number(r), !v.isNaN { present.append(r); values.append(v) } else { absent.append(r) }
            }
            missing += absent
            leftOutNotForce += others.count
            absent += others
            let places = Ranking.places(values, descending: !ascending)
            var noted = Set<Int>()
            var codeOfRank: [Int: Int32] = [:]
            for (i, r) in present.enumerated() {
                guard let p = places[i] else { continue }
                rank[r] = p.rank
                if let c = codeOfRank[p.rank] { position[r] = c } else {
                    // Each distinct text once in the dictionary (groups share "1st highest of 43").
                    let text = Ranking.position(rank: p.rank, of: p.of, tied: p.isTied, from: end)
                    let c = codeOfText[text] ?? Int32(positions.count)
                    if c == Int32(positions.count) { positions.append(text); codeOfText[text] = c }
                    codeOfRank[p.rank] = c
                    position[r] = c
                }
                band[r] = p.band == .highest ? 0 : p.band == .inLine ? 1 : 2
                if p.straddles, noted.insert(p.rank).inserted {
                    straddleCount += 1
                    guard straddles.count < 3 else { continue }
                    let label = groupCols.isEmpty ? "" : " (" + zip(groupCols, group.key).map { "\($0.name) = \($1 == "\u{0}" ? "missing" : $1)" }.joined(separator: ", ") + ")"
                    straddles.append(Ranking.straddleNote(p, ascending: ascending, what: "rows") + label)
                }
            }
            // Rank order; a stable sort keeps table order within a tie.
            var order = Array(present.indices)
            order.sort { (places[$0]!.rank, $0) < (places[$1]!.rank, $1) }
            outRows += order.map { present[$0] }
            outRows += absent
        }
        var out = table.gather(outRows)
        let ranks = Column.pick(rank, outRows), pcodes = Column.pick(position, outRows), bcodes = Column.pick(band, outRows)
        let unranked = MissingMask(ranks.map { $0 == 0 })
        out.columns += [
            Column(name: "rank", data: .integer(ranks.map(Int64.init)), missing: unranked),
            Column(name: "position", data: .text(codes: pcodes.map { max($0, 0) }, dictionary: positions.isEmpty ? [""] : positions), missing: unranked),
            Column(name: "band", data: .text(codes: bcodes.map { max($0, 0) }, dictionary: bandWords), missing: unranked),
        ]
        out.info.note("rank 1 = \(ascending ? "lowest" : "highest") \(col.name); the top and bottom 25 percent are 'one of the highest' / 'one of the lowest' (Annex A, PEEL 2016); tied values share a rank and are banded by it", about: ["rank", "position", "band"])
        for s in straddles { out.info.note(s, about: ["band"]) }
        if straddleCount > straddles.count {
            let more = straddleCount - straddles.count
            out.info.note("and \(more) more tie\(more == 1 ? "" : "s") span\(more == 1 ? "s" : "") the edge of a quarter in other groups, banded the same way", about: ["band"])
        }
        if leftOutNotForce > 0 {
            out.info.note("not ranked among the forces, as not territorial forces: " + notForceWords, about: ["rank", "position", "band"])
        }
        if !missing.isEmpty {
            let label = table.column(table.info.forceColumn ?? "force").map { c in missing.prefix(20).compactMap { c.text($0) } } ?? []
            out.info.footnotes.append("\(missing.count) row\(missing.count == 1 ? "" : "s") not ranked for a missing \(col.name)"
                + (label.isEmpty ? "" : ": " + label.joined(separator: ", ") + (missing.count > label.count ? ", …" : "")))
        }
        return .table(out)
    }

    package var dump: String { "rank \(column.0)" + (ascending ? " asc" : "") + (per.isEmpty ? "" : " per [" + per.map(\.0).joined(separator: ", ") + "]") }
}
