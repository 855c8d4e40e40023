import PeelSupport
import PeelStats
import PeelEvaluation
import PeelLanguage

/// `top N [by COLUMN] [per GROUP, ...]` and `bottom N …` (spec in `BottomCommand`): the first N
/// rows, or the N largest (smallest) by a column, overall or within each group; ties at the cut
/// are kept and stated.
package struct TopCommand: Command {
    package let count: Int
    package let by: (String, SourceRange)?
    package let per: [(String, SourceRange)]
    package let bottom: Bool

    package static let spec = makeSpec(
        name: "top", bottom: false, otherToolsNames: ["head", "limit"],
        summary: "Keep the first N rows, or the N largest by a column (ties kept and stated).",
        details: """
            `top N` keeps the first N rows as they stand, so it usually follows `sort`.
            `top N by COLUMN` orders by COLUMN, largest first, and keeps N rows; rows tied with
            the Nth are kept too, and a note says so. Rows with a missing value in COLUMN come
            last. With `per GROUP`, it keeps N rows within each group: `top 1 by published_date
            per force` is each force's latest row.
            """,
        examples: ["outcomes | where force = \"Leicestershire\" and kind = \"outcome\" | top 3 by share",
                   "cdi_forces | top 1 by published_date per force | top 5 by recording_rate_pct | select force, recording_rate_pct"])

    /// The spec this step was read from: `top`'s, or `bottom`'s (the same step, ordered the other way).
    package var spec: CommandSpec { bottom ? BottomCommand.spec : Self.spec }

    /// The spec of `top` or `bottom`: one grammar and one step, the words and the order differing.
    package static func makeSpec(name verb: String, bottom: Bool, otherToolsNames: [String] = [],
                                summary: String, details: String, examples: [String]) -> CommandSpec {
        CommandSpec(
            name: verb, kind: .stage, group: "Rows",
            usage: "\(verb) N [by COLUMN] [per COLUMN, ...]",
            summary: summary,
            details: details,
            examples: examples,
            arguments: [.keywords(["by", "per"]), .column],
            otherToolsNames: otherToolsNames,
            parse: { p, _ in
                guard case .number(let v, let scale, let text) = p.peek.kind else {
                    throw p.unexpected(expected: "a number of rows", help: "e.g. \(verb) 5")
                }
                guard scale == 0, v >= 0, v <= 1e12 else {
                    throw ParseError.rowCountNotWhole(p.peek.range, verb: verb, text: text)
                }
                p.advance()
                var by: (String, SourceRange)?
                var per: [(String, SourceRange)] = []
                while !p.atStepEnd {
                    if p.matchWord("by") { by = try p.name("a column name") }
                    else if p.matchWord("per") { per = try p.nameList("a column to group by") }
                    else { throw ParseError.unexpectedInStep(p.peek.range, found: p.peek.kind, verb: verb, usage: "\(verb) N [by COLUMN] [per COLUMN, ...]") }
                }
                if bottom && by == nil {
                    throw ParseError.needsOrderColumn(p.previous.range, verb: verb)
                }
                return TopCommand(count: Int(v), by: by, per: per, bottom: bottom)
            })
    }

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        var table = try requireTable(input)
        let col = try by.map { table.columns[try requireColumn($0.0, in: table, at: $0.1)] }
        let groupCols = try per.map { table.columns[try requireColumn($0.0, in: table, at: $0.1)] }
        // Groups in order of first appearance.
        let grouped = table.groupRows(by: groupCols).groups
        let order = grouped.map(\.key)
        let groups = Dictionary(grouped.map { ($0.key, $0.rows) }, uniquingKeysWith: { a, _ in a })
        var keep: [Int] = []
        var ties: [String] = []
        for k in order {
            try Interrupt.check()
            var rows = groups[k]!
            if let col {
                rows = rows.filter { !bottom || !col.isMissing($0) }
                rows = try SortCommand.order(rows.count, by: [(col.gather(rows), !bottom)]).map { rows[$0] }
            }
            var taken = Array(rows.prefix(count))
            if let col, count > 0, rows.count > count, let last = taken.last, let v = col.number(last) ?? nil as Double? {
                let extra = rows.dropFirst(count).prefix { col.number($0) == v }
                if !extra.isEmpty {
                    taken += extra
                    let place = Ranking.ordinal(count)
                    ties.append((k.isEmpty || k == [] ? "" : k.joined(separator: ", ") + ": ")
                                + "\(extra.count + 1 + taken.dropLast(extra.count).filter { col.number($0) == v }.count - 1) rows tie for \(place) place (\(col.name) = \(col.formatted(last)!)), so \(taken.count) are kept")
                }
            }
            keep += taken
        }
        table = table.gather(keep)
        table.info.footnotes += ties
        return .table(table)
    }

    package var dump: String {
        spec.name + " \(count)" + (by.map { " by \($0.0)" } ?? "") + (per.isEmpty ? "" : " per [" + per.map(\.0).joined(separator: ", ") + "]")
    }
}
