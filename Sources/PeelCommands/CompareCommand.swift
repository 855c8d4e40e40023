import OrderedCollections
import PeelSupport
import PeelData
import PeelStats
import PeelIO
import PeelLanguage
import PeelRender
import PeelEvaluation

/// `compare FORCE [to OTHER] [by COLUMN, ...] [on VALUE]`: a force beside England and Wales (or
/// another force, its region, a peer group or the mean of all forces), with the difference, ratio and
/// direction; where every force is in the table, its rank and the inspectorate's banding; where the
/// values have confidence intervals, whether the difference is statistically significant.
package struct CompareCommand: Command {
    package let force: Arg
    package let other: Arg?
    package let by: [(String, SourceRange)]?
    package let on: (String, SourceRange)?
    /// Forces left out of the national, regional, mean or peer figure and the ranking (`excluding`).
    package var excluding: Arg? = nil
    package let range: SourceRange

    package static let usage = "compare FORCE [to national | to OTHER | to region | to mean | to (FORCE, ...)] [excluding (FORCE, ...)] [by COLUMN, ...] [on VALUE]"

    package static let spec = CommandSpec(
        name: "compare", kind: .stage, group: "Analysis",
        usage: usage,
        summary: "Set a force beside England and Wales: values, difference, ratio, direction, rank and band.",
        details: """
            For each measure or category, shows FORCE's value, the comparator's value, the difference
            FORCE minus comparator (in percentage points, pp, between percentages; otherwise in the
            measure's unit), the ratio FORCE ÷ comparator, and whether FORCE is higher or lower.
            The comparator is England and Wales (`to national`) unless `to` names another: a force,
            `region` (the forces of FORCE's region), `mean` (the unweighted mean of all forces), or
            a bracketed list of forces (a peer group; a `$variable` holding a list works too).
            When the table has no England and Wales row, it is made from the 43 territorial
            forces' rows (British Transport Police, regions and totals are never forces, and are
            named as left out); every force needs a row. When the value is a ratio of counts in
            the table (made by pct, per_1000 or per_100000 of two columns, proportion's pct, or a
            catalogue rate), the national, regional and peer figures are pooled: the sum of the
            numerators over the sum of the denominators, as the inspectorate computes them;
            otherwise they are unweighted means of the forces' values, missing values left out.
            The note says which, with the sums or the number of forces, and whether FORCE is
            included. Against a pooled figure, the force's counts are tested (exact binomial for
            a percentage, exact Poisson for a rate) and a `limits` column places it against the
            95% and 99.8% funnel limits (as chart funnel draws them). `excluding (FORCE, ...)`
            leaves forces out of the comparator and the ranking, as Annex A does with forces
            whose data are unreliable, and makes England and Wales from the forces even when the
            table has a row. A national row is checked against what the forces pool to, with a
            warning when they differ by more than rounding.
            When the table holds every one of the 43 forces, each row also gets FORCE's position
            ("5th highest of 43") and the banding of Annex A of the PEEL 2016 report: forces ranked,
            the top and bottom 25 percent "one of the highest" / "one of the lowest", the rest
            "broadly in line". Forces with a missing value are left out of the ranking, and a note
            says which.
            When the table has 95% confidence intervals (describe shows them), the difference is
            tested (z-test, standard errors from the intervals; the national figure, which has no
            interval, is taken as exact; a force without one is not tested, whichever side it is
            on) and called "statistically significant" or not.
            A mean is kept unrounded for the difference and shown with at least one more decimal
            than the values. Tied forces share a position and are banded by it, as in `rank`; a
            note says when a tie spans the edge of a quarter.
            Rows are matched on their identity: the force plus the descriptive columns (text,
            dates, and whole numbers named as codes such as outcome_type or year), never a measure;
            a descriptive column with one value per force describes the force and is left out. A
            bundled table names its identity in the catalogue; for any other table a note says
            which columns were matched (`describe` shows them as "row id"); `by` names them. Two
            rows of one force with the same identity stop compare; a comparator with no row for
            an identity gives n/a and a note. The value is the table's main value column (or the
            one named with `on`). Any name a force
            goes by is accepted: "Met", "Heddlu Dyfed-Powys", "E&W".
            `compare each` compares every force in turn: one row per force and measure, with a
            `force` column first, which is the 43-force table of a report's annex.
            """,
        examples: [
            "outcomes | where kind in (\"outcome\", \"group\") | compare \"Leicestershire\"",
            "cdi_forces | where inspection_type = \"inspection\" | compare \"Leicestershire\" to mean",
            "outcomes_by_force | where outcome_type = 1 | compare \"Kent\" to region",
            "outcomes_by_force | where outcome_type = 1 | compare each | top 5 by pct_of_offences",
            "outcomes_detail | add charged = if(outcome_type = 1, offences, 0) | summarise sum(charged) as charged, sum(offences) as offences by force | add share = pct(charged, offences) | compare \"Leicestershire\" excluding (\"Dorset\")",
        ],
        arguments: [.force, .keywords(["to", "excluding", "by", "on", "national", "region", "mean"])],
        values: [.force(first: true, after: "to", words: ["national", "mean", "region"]), .force(first: false, after: "excluding")],
        parse: { p, verb in
            let force = try p.arg("a force name", help: "e.g. compare \"Leicestershire\"")
            var other: Arg?
            var by: [(String, SourceRange)]?
            var on: (String, SourceRange)?
            var excluding: Arg?
            while !p.atStepEnd {
                if p.matchWord("to") {
                    other = try p.arg("what to compare with: a force, region, mean or (a list of forces)", help: "e.g. to \"England and Wales\"")
                } else if p.matchWord("by") {
                    by = try p.nameList("a column name")
                } else if p.matchWord("on") {
                    on = try p.name("a numeric column name")
                } else if p.matchWord("excluding") {
                    excluding = try p.arg("the forces to leave out: a force or (a list of forces)", help: "e.g. excluding (\"Dorset\", \"Kent\")")
                } else {
                    throw ParseError.unexpectedInStep(p.peek.range, found: p.peek.kind, verb: "compare", usage: usage)
                }
            }
            var c = CompareCommand(force: force, other: other, by: by, on: on, range: SourceRange(verb.range.start, p.previous.range.end))
            c.excluding = excluding
            return c
        })

    /// What the force is compared with.
    package enum Comparator {
        /// A row of the table: another force, or the table's own England and Wales row.
        case area(String)
        /// A figure made from several forces' rows.
        case group(Group)
    }

    /// A figure made from forces' rows: England and Wales, a region, all forces or a peer group.
    package struct Group {
        package enum Kind { case national, region, all, peers }
        package var kind: Kind
        /// The column heading ("England and Wales", "mean of 43 forces").
        package var label: String
        /// The forces' labels as the table writes them.
        package var forces: [String]
        /// Pooled from the counts (sum of numerators over sum of denominators) rather than the
        /// unweighted mean of the forces' values.
        package var pooled: Bool
    }

    /// A group's comparator rows with a value, their widest scale, and their mean at each scale asked
    /// for (the same for every force compared whose row has that scale).
    struct PresentRows {
        var rows: [Int]
        var scale: Int
        var means: [Int: DecimalMean?] = [:]
    }

    /// What `compare each` works out once per identity group and comparator and reuses for every
    /// force: the comparator's rows (by force) in the group, and for a pooled figure its sums.
    package final class GroupCache {
        var pooled: [String: [(rows: [(String, Int)], sum: (value: Double?, numerator: Double, denominator: Double, used: [Int], missing: [Int]))?]] = [:]
        var present: [String: [PresentRows?]] = [:]
        /// By identity group: the territorial forces with no place in its ranking.
        var unranked: [Int: [String]] = [:]
        package init() {}
    }

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input)
        let prepared = try Prepared(table, command: self, ctx)
        if case .text(let w) = force.value, w.lowercased() == "each" { return .table(try compareEach(prepared, ctx)) }
        let forceName = try Self.resolveArea(force.text(ctx, what: "the force"), force.range, in: prepared.forceCol, names: prepared.names)
        return .table(try compareOne(prepared, forceName: forceName, ctx))
    }

    /// What every comparison in one table needs, worked out once: the columns, each row's identity
    /// group, and in each group the row of each force.
    package struct Prepared {
        package let table: Table
        package let forceIndex: Int
        package let forceCol: Column
        package let valueIndex: Int
        package let valueCol: Column
        package let unitIndex: Int?
        package let identity: RowIdentity
        /// True when the identity was named with `by`.
        package let named: Bool
        /// Each row's identity group, and in each group the row of each force.
        package let group: [Int32]
        package let rowOf: [[String: Int]]
        /// Each force's rows, in table order.
        package let rowsOfForce: [String: [Int]]
        /// Forces with two rows of one identity: the error to give, unless a worse one comes first.
        package let duplicates: [String: CommandError]
        package let names: ForceNames
        /// The labels of the table that name territorial forces (every label when peel does not
        /// know the forces).
        package let territorial: Set<String>
        /// What each label of the force column stands for.
        package let forceRows: ForceRows
        /// The counts behind the value, when it is a ratio of two columns still in the table.
        package let pooled: PooledRatio?
        /// Why the value is a ratio but cannot be pooled.
        package let pooledReason: String?
        /// Forces left out on request (`excluding`), as the table writes them.
        package let excluded: [String]
        /// Places among the territorial forces, by group, when every one of them is in the table.
        package let places: [[String: Ranking.Place]]?
        /// Each row's place among the forces of its group (its force's), when ranked.
        package let placeOfRow: [Ranking.Place?]

        package init(_ table: Table, command c: CompareCommand, _ ctx: EvalContext) throws {
            self.table = table
            guard let fi = table.columnIndex(table.info.forceColumn ?? "force") else {
                throw CommandError.noForceColumn(table: table.name, at: c.range)
            }
            forceIndex = fi
            forceCol = table.columns[fi]
            names = ctx.catalog.forceNames()
            let canonicalForces = CompareCommand.territorialForces(ctx)
            forceRows = ForceRows(table.columns[fi], names: names, territorial: canonicalForces)
            territorial = canonicalForces.isEmpty ? [] : forceRows.territorialSet
            valueIndex = try CompareCommand.valueColumn(table, on: c.on, by: c.by, range: c.range, force: c.force)
            valueCol = table.columns[valueIndex]
            (pooled, pooledReason) = PooledRatio.find(table.columns[valueIndex], in: table)
            if let ex = c.excluding {
                let items: [VariableValue]
                switch try ex.resolve(ctx) {
                case .list(let l): items = l
                case let v: items = [v]
                }
                excluded = try items.map { item in
                    guard case .text(let s) = item else { throw CommandError.peerGroupNotNames(at: ex.range) }
                    return try CompareCommand.resolveArea(s, ex.range, in: table.columns[fi], names: ctx.catalog.forceNames())
                }
            } else {
                excluded = []
            }
            unitIndex = table.columnIndex("unit")
            var skip: Set<Int> = [valueIndex]
            if let u = unitIndex { skip.insert(u) }
            if let ci = table.info.ciColumn.flatMap({ table.columnIndex($0) }) { skip.insert(ci) }
            if let by = c.by {
                let cols = try by.map { try requireColumn($0.0, in: table, at: $0.1) }
                for (i, b) in zip(cols, by) where i == fi || i == valueIndex {
                    throw CommandError.byIsForceOrValue(column: b.0, isForce: i == fi, at: b.1)
                }
                identity = RowIdentity(columns: cols, perForce: [], catalogued: false)
                named = true
            } else {
                identity = table.rowIdentity(force: fi, skip: skip)
                named = false
            }
            let ids = table.groupIDs(by: identity.columns.map { table.columns[$0] })
            group = ids.ids
            var rowOf = [[String: Int]](repeating: [:], count: ids.count)
            var duplicates: [String: CommandError] = [:]
            var rowsOfForce: [String: [Int]] = [:]
            let identityColumns = identity.columns
            func duplicate(_ f: String, _ row: Int) {
                // Reported once the comparator is known to exist (its absence is the likelier mistake).
                if duplicates[f] == nil {
                    let key = identityColumns.map { (table.columns[$0].name, table.columns[$0].formatted(row) ?? "missing") }
                    duplicates[f] = .compareDuplicate(force: f, key: key, at: c.range)
                }
            }
            if case .text(let codes, let dict) = forceCol.data, case let cells = ids.count.multipliedReportingOverflow(by: dict.count),
               !cells.overflow, cells.partialValue <= 1 << 25 {
                // By dictionary code: a group × force table of rows, each force's name hashed
                // once per group rather than several times per row. Entries spelled alike count
                // as one force.
                var first: [String: Int] = [:]
                var canon = [Int](repeating: 0, count: dict.count)
                for k in dict.indices {
                    if let f = first[dict[k]] { canon[k] = f } else { first[dict[k]] = k; canon[k] = k }
                }
                let width = dict.count
                var slot = [Int32](repeating: -1, count: ids.count * width)
                var byCode = [[Int]](repeating: [], count: width)
                for row in 0..<table.rowCount {
                    if row & 0xFFFF == 0 { try Interrupt.check() }
                    if forceCol.missing[row] { continue }
                    let k = canon[Int(codes[row])]
                    let at = Int(ids.ids[row]) * width + k
                    if slot[at] >= 0 { duplicate(dict[k], row); continue }
                    slot[at] = Int32(row)
                    byCode[k].append(row)
                }
                for g in 0..<ids.count {
                    for k in 0..<width where slot[g * width + k] >= 0 { rowOf[g][dict[k]] = Int(slot[g * width + k]) }
                }
                for k in 0..<width where !byCode[k].isEmpty { rowsOfForce[dict[k]] = byCode[k] }
            } else {
                for row in 0..<table.rowCount {
                    if row & 0xFFFF == 0 { try Interrupt.check() }
                    guard let f = forceCol.text(row) else { continue }
                    let g = Int(ids.ids[row])
                    if rowOf[g][f] != nil { duplicate(f, row); continue }
                    rowOf[g][f] = row
                    rowsOfForce[f, default: []].append(row)
                }
            }
            self.rowOf = rowOf
            self.duplicates = duplicates
            self.rowsOfForce = rowsOfForce
            // Ranking needs every territorial force in the table (those excluded on request apart).
            if forceRows.known && forceRows.absent.isEmpty {
                let forces = territorial.subtracting(excluded).sorted()
                let valueCol = self.valueCol
                var placeOfRow = [Ranking.Place?](repeating: nil, count: table.rowCount)
                places = rowOf.map { byForce in
                    let rows = forces.map { byForce[$0] }
                    let values = rows.map { r in r.flatMap { valueCol.number($0) } ?? .nan }
                    var out: [String: Ranking.Place] = [:]
                    for (k, p) in Ranking.places(values).enumerated() {
                        guard let p else { continue }
                        out[forces[k]] = p
                        if let r = rows[k] { placeOfRow[r] = p }
                    }
                    return out
                }
                self.placeOfRow = placeOfRow
            } else {
                places = nil
                placeOfRow = []
            }
        }

        package var identityWords: String { identity.words(in: table, force: forceIndex) }
    }

    /// `compare each`: every force in turn, one block of rows per force, with a `force` column first.
    package func compareEach(_ p: Prepared, _ ctx: EvalContext) throws -> Table {
        let fc = p.forceCol
        // Each force once, in the order the table first names it.
        var forces = OrderedSet<String>()
        for r in 0..<fc.count {
            if let f = fc.text(r), p.territorial.isEmpty || p.territorial.contains(f) { forces.append(f) }
        }
        guard !forces.isEmpty else { throw CommandError.noForcesToCompare(table: p.table.name, at: force.range) }
        var parts: [Table] = []
        let cache = GroupCache()
        for f in forces {
            try Interrupt.check()
            parts.append(try compareOne(p, forceName: f, ctx, cache: cache))
        }
        let valueName = p.valueCol.name
        let labels = Set(parts.compactMap { $0.info.comparison?.national })
        var renamed: [Table] = []
        for (f, var t) in zip(forces, parts) {
            let k = t.info.comparison?.keys.count ?? 0
            let hasUnit = t.columns.count > k && t.columns[k].name == "unit" && t.info.comparison != nil && p.unitIndex != nil
            let vi = k + (hasUnit ? 1 : 0)
            t.columns[vi].name = valueName
            if labels.count > 1 { t.columns[vi + 1].name = "comparator" }
            t.columns.insert(Column(name: "force", data: .text(codes: [Int32](repeating: 0, count: t.rowCount), dictionary: [f])), at: 0)
            renamed.append(t)
        }
        var out = try Table.concatenate(Self.sameColumns(renamed))
        out.info = parts[0].info
        out.info.footnotes = []
        var kept = Set<String>()
        for t in parts {
            for n in t.info.footnotes where !kept.contains(n) && !n.contains(": the unweighted mean") && !n.contains(": pooled from ") {
                kept.insert(n)
                out.info.note(n, about: t.info.footnoteColumns[n] ?? [])
            }
        }
        if case .group(let g) = try comparator(ctx, p, forceName: forces[0]) {
            // One note for all: the first force's, with the force's name taken out.
            let first = parts[0].info.footnotes.first { $0.hasPrefix(g.label + ": ") }
            if g.pooled, g.kind == .region, let pooled = p.pooled {
                out.info.note("comparator: each force's region, pooled from \(pooled.words) over the region's forces, the force included", about: ["comparator", "difference", "ratio"] + Array(labels))
            } else if g.pooled, let first, let r = first.range(of: ", \(forces[0]) included") {
                out.info.note(first.replacingCharacters(in: r, with: ", each force included"), about: ["comparator", "difference", "ratio"] + Array(labels))
            } else if !g.pooled {
                out.info.note("the comparator is an unweighted mean of forces' values (missing values left out)", about: ["comparator", "difference", "ratio"] + Array(labels))
            }
        }
        out.info.title = "each force compared with \(labels.count == 1 ? labels.first! : "its comparator"): \(valueName)"
        out.info.comparison = nil
        return out
    }

    /// Tables with the union of their columns, in order: a force whose rows could not be tested
    /// (no interval, no counts) lacks the `p` column others have, and gets it with missing values.
    package static func sameColumns(_ tables: [Table]) -> [Table] {
        var names: [String] = []
        var template: [String: Column] = [:]
        for t in tables {
            var at = 0
            for c in t.columns {
                if let i = names.firstIndex(of: c.name) { at = i + 1; continue }
                names.insert(c.name, at: at)
                template[c.name] = c
                at += 1
            }
        }
        return tables.map { t in
            if t.columns.map(\.name) == names { return t }
            var out = t
            out.columns = names.map { n in
                t.column(n) ?? template[n]!.gather([Int?](repeating: nil, count: t.rowCount))
            }
            return out
        }
    }

    package func compareOne(_ p: Prepared, forceName: String, _ ctx: EvalContext, cache: GroupCache? = nil) throws -> Table {
        let table = p.table, info = table.info
        let valueCol = p.valueCol
        let keyIndexes = p.identity.columns
        let ciCol = info.ciColumn.flatMap { table.column($0) }
        let comparator = try comparator(ctx, p, forceName: forceName)
        if let d = p.duplicates[forceName] ?? p.duplicates.sorted(by: { $0.key < $1.key }).first?.value { throw d }
        let ranked = p.places != nil && p.territorial.contains(forceName)

        let unit = valueCol.unit
        func differenceUnit(_ u: String?) -> String? { u == "%" ? "pp" : u }
        var keyRows: [Int] = []
        var unitOut = ColumnBuilder.text("unit")
        var diffUnitOut = ColumnBuilder.text("difference_unit")
        let otherLabel: String
        switch comparator {
        case .area(let n): otherLabel = n
        case .group(let g): otherLabel = g.label
        }
        // The comparator's identity for the cache: its label and its forces (peers exclude the force).
        var cacheKey = ""
        if case .group(let g) = comparator { cacheKey = g.label + "\u{0}" + g.forces.joined(separator: "\u{1}") }
        // Taken out of the cache while in use, so adding to them copies nothing.
        // One slot per identity group.
        var pooledCache = cache?.pooled.removeValue(forKey: cacheKey) ?? Array(repeating: nil, count: p.rowOf.count)
        var presentCache = cache?.present.removeValue(forKey: cacheKey) ?? Array(repeating: nil, count: p.rowOf.count)
        defer {
            cache?.pooled[cacheKey] = pooledCache
            cache?.present[cacheKey] = presentCache
        }
        var a = ColumnBuilder.decimal(forceName, scale: valueCol.scale, unit: unit)
        var b = ColumnBuilder.decimal(otherLabel, scale: valueCol.scale, unit: unit)
        var d = ColumnBuilder.decimal("difference", scale: valueCol.scale, unit: differenceUnit(unit))
        var ratio = ColumnBuilder.decimal("ratio", scale: 2)
        var direction = ColumnBuilder.text("direction")
        var position = ColumnBuilder.text("position")
        var band = ColumnBuilder.text("band")
        var pValue = ColumnBuilder.decimal("p", scale: 12)
        var significance = ColumnBuilder.text("significance")
        var limits = ColumnBuilder.text("limits")
        var anyCountTest = false, anyLimits = false
        var anyTest = false
        var footnotes: [String] = []
        var leftOut: Set<String> = []
        var meanCounts: Set<Int> = []
        var unmatched: [String] = []
        var straddleNotes: [String] = [], straddleCount = 0
        var untested: Set<String> = []
        // Pooled figures: the forces left out for a missing count, and the sums (one identity group).
        var poolMissing = Set<String>()
        var poolSums: [(Double, Double, Int)] = []
        // A national row that disagrees with what its forces pool to.
        var nationalMismatch: [(row: Int, given: Double, pooled: Double, scale: Int)] = []

        func describeKey(_ row: Int) -> String {
            keyIndexes.map { "\(table.columns[$0].name) = \(table.columns[$0].formatted(row) ?? "missing")" }.joined(separator: ", ")
        }

        for row in p.rowsOfForce[forceName] ?? [] {
            if keyRows.count & 0xFFF == 0 { try Interrupt.check() }
            keyRows.append(row)
            let g = Int(p.group[row])
            // The group's rows by force, looked at only when not already cached.
            var rows: [String: Int] { p.rowOf[g] }
            let x = valueCol.number(row)
            let xScale = valueCol.scale(row)
            var y: Double?
            var yScale = xScale
            var yRow: Int?
            var diff: Double?
            var diffScale = xScale
            switch comparator {
            case .area(let n):
                yRow = rows[n]
                if yRow == nil { unmatched.append(describeKey(row)) }
                y = yRow.flatMap { valueCol.number($0) }
                if let r = yRow { yScale = valueCol.scale(r) }
                diffScale = max(xScale, yScale)
                if let x, let y { diff = NumberFormat.exactDifference(x, y, scale: diffScale) }
                // The table's own national row, checked against what its forces pool to.
                if let pooled = p.pooled, let y, let r = yRow, !p.territorial.contains(n), p.forceRows.known, p.forceRows.absent.isEmpty,
                   case .notForce(.nationalTotal, _) = p.names.recognise(n) {
                    let byForce = rows
                    let sum = pooled.pool(p.forceRows.forces.compactMap { byForce[$0] })
                    if sum.missing.isEmpty, let v = sum.value {
                        // A published (rounded) figure may differ by rounding; a computed one may not.
                        var half = 0.5
                        for _ in 0..<min(yScale, 12) { half /= 10 }
                        if !Self.showsExactly(y, scale: yScale) { half = 0 }
                        if abs(v - y) > half * 1.0001 + 1e-9 * abs(v) { nationalMismatch.append((r, y, v, yScale)) }
                    }
                }
            case .group(let grp) where grp.pooled:
                let pooled = p.pooled!
                let entry = pooledCache[g] ?? {
                    let forceRows = grp.forces.compactMap { f in rows[f].map { (f, $0) } }
                    let made = (forceRows, pooled.pool(forceRows.map(\.1)))
                    if cache != nil { pooledCache[g] = made }
                    return made
                }()
                let (forceRows, sum) = entry
                let missingRows = Set(sum.missing)
                for (f, r) in forceRows where missingRows.contains(r) { poolMissing.insert(f) }
                meanCounts.insert(sum.used.count)
                poolSums.append((sum.numerator, sum.denominator, sum.used.count))
                // One decimal more than the forces' values, kept unrounded for the difference.
                yScale = valueCol.scale + 1
                diffScale = max(xScale, yScale)
                if let v = sum.value {
                    y = v
                    if let x { diff = NumberFormat.exactDifference(x, v, scale: diffScale) }
                }
            case .group(let grp):
                var present: PresentRows, fresh = false
                if let known = presentCache[g] { present = known } else {
                    let made = grp.forces.compactMap { rows[$0] }.filter { !valueCol.isMissing($0) }
                    present = PresentRows(rows: made, scale: made.map { valueCol.scale($0) }.max() ?? valueCol.scale)
                    fresh = true
                }
                meanCounts.insert(present.rows.count)
                let meanScale = max(present.scale, xScale)
                let mean: DecimalMean?
                if let known = present.means[meanScale] { mean = known } else {
                    mean = DecimalMean(present.rows.compactMap { valueCol.number($0) }, scale: meanScale)
                    present.means[meanScale] = mean
                    fresh = true
                }
                // Written back only when something new was worked out.
                if fresh, cache != nil { presentCache[g] = present }
                if let m = mean {
                    y = m.value
                    yScale = m.displayScale
                    diffScale = max(xScale, yScale)
                    if let x { diff = m.difference(from: x) }
                } else {
                    yScale = valueCol.scale + 1
                }
            }
            // A computed value (a pct of counts) holds more digits than it shows: show as many as
            // the difference, so that the columns add up on the page.
            let shownScale = x.map { Self.showsExactly($0, scale: xScale) } ?? true ? xScale : diffScale
            a.append(x, scale: shownScale)
            b.append(y, scale: yScale)
            d.append(diff, scale: diffScale)
            if let x, let y, let diff {
                ratio.append(y != 0 ? x / y : nil)
                direction.append(diff > 0 ? "higher" : diff < 0 ? "lower" : "same")
            } else {
                ratio.append(nil)
                direction.append(nil as String?)
            }
            if let u = p.unitIndex {
                let ru = table.columns[u].text(row)
                unitOut.append(ru)
                diffUnitOut.append(differenceUnit(ru))
            }
            // Significance, where intervals are known. Both sides are treated alike: a force
            // without an interval is not tested, whichever side it is on; only the national
            // figure, which has none, is taken as exact.
            // Against a pooled figure, the force's own counts are tested: exact binomial for a
            // percentage, exact Poisson for a rate; and placed against the funnel's limits.
            var countTest: (p: Double, words: String)?
            var limitsWord: String?
            if case .group(let grp) = comparator, grp.pooled, let pooled = p.pooled, let y,
               let cnt = pooled.numerator.number(row), let den = pooled.denominator.number(row) {
                let proportion = pooled.ratio.factor == 100
                let target = y / pooled.ratio.factor
                countTest = proportion ? CountTest.proportion(count: cnt, of: den, nationalProportion: target)
                                       : CountTest.rate(count: cnt, denominator: den, nationalRate: target)
                limitsWord = FunnelRenderer.limitsWords(count: cnt, denominator: den, target: target,
                                                        scale: proportion ? .proportion : .rate, overdispersion: .none)
            }
            if case .group(let grp) = comparator, grp.pooled {
                limits.append(limitsWord)
                if limitsWord != nil { anyLimits = true }
            }
            if let t = countTest {
                pValue.append(t.p)
                significance.append(t.words)
                anyTest = true
                anyCountTest = true
            } else if let ci = ciCol, let x, let y, let cx = ci.number(row) {
                let cy = yRow.flatMap { ci.number($0) }
                if case .area(let n) = comparator, cy != nil || !p.territorial.contains(n) || p.territorial.isEmpty,
                   let t = Significance.fromIntervals(y, ci: cy, x, ci: cx) {
                    pValue.append(t.p)
                    significance.append(t.words)
                    anyTest = true
                    if cy == nil, !footnotes.contains(where: { $0.hasPrefix("the comparator") }) {
                        footnotes.append("the national figure has no confidence interval, so it is taken as exact in the test")
                    }
                } else {
                    if case .area(let n) = comparator, cy == nil { untested.insert(n) }
                    pValue.append(nil)
                    significance.append(nil as String?)
                }
            } else {
                if ciCol != nil, x != nil, y != nil, case .area(let n) = comparator {
                    untested.insert(ciCol?.number(row) == nil ? forceName : n)
                }
                pValue.append(nil)
                significance.append(nil as String?)
            }
            // Rank and band among all forces.
            if ranked, let allPlaces = p.places {
                // The forces with no place in this group are the same for every force compared.
                let absent: [String]
                if let known = cache?.unranked[g] { absent = known } else {
                    let places = allPlaces[g]
                    absent = p.territorial.filter { places[$0] == nil && !p.excluded.contains($0) }
                    if let cache { cache.unranked[g] = absent }
                }
                if !absent.isEmpty { leftOut.formUnion(absent) }
                if x != nil, let place = p.placeOfRow[row] {
                    position.append(Ranking.position(rank: place.rank, of: place.of, tied: place.isTied))
                    band.append(place.band.rawValue)
                    if place.straddles {
                        straddleCount += 1
                        if straddleCount <= 3 {
                            let k = keyIndexes.isEmpty ? "" : " (\(describeKey(row)))"
                            straddleNotes.append(Ranking.straddleNote(place, ascending: false, what: "forces") + k)
                        }
                    }
                } else {
                    position.append(nil as String?)
                    band.append(nil as String?)
                }
            }
        }
        if case .area(let n) = comparator, !keyRows.isEmpty, unmatched.count == keyRows.count {
            throw CommandError.noMatchingRow(area: n, force: forceName, identity: p.identityWords, key: keyIndexes.isEmpty ? nil : describeKey(keyRows[0]),
                                             forceColumn: p.forceCol.name, at: range)
        }

        var columns = keyIndexes.map { table.columns[$0].gather(keyRows) }
        let perRowUnits = p.unitIndex != nil && unit == nil
        if perRowUnits { columns.append(unitOut.build()) }
        columns += [a.build(), b.build(), d.build(), ratio.build(), direction.build()]
        if ranked { columns += [position.build(), band.build()] }
        if anyTest { columns += [{ var c = pValue.build(); c.isPValue = true; return c }(), significance.build()] }
        if anyLimits { columns.append(limits.build()) }
        if perRowUnits { columns.append(diffUnitOut.build()) }

        var rankNotes: [String] = []
        if ranked {
            let ranks = p.excluded.isEmpty ? "the 43 territorial forces" : "the \(p.territorial.count - p.excluded.count) territorial forces not excluded"
            rankNotes.append("position and band rank \(ranks) (1 = highest); the top and bottom 25 percent are 'one of the highest' / 'one of the lowest' (Annex A, PEEL 2016); tied forces share a position and are banded by it")
            if !leftOut.isEmpty {
                rankNotes.append("\(leftOut.count) force\(leftOut.count == 1 ? "" : "s") left out of the ranking for a missing value: " + leftOut.sorted().joined(separator: ", "))
            }
            // A few ties are named; a table of many measures gets a count for the rest.
            rankNotes += straddleNotes
            if straddleCount > 3 {
                rankNotes.append("ties span a quarter's edge in \(straddleCount - 3) more row\(straddleCount == 4 ? "" : "s") of \(forceName); each tie is banded by its shared position")
            }
        }
        if !unmatched.isEmpty {
            footnotes.append("\(otherLabel) has no row for " + unmatched.prefix(5).joined(separator: "; ") + (unmatched.count > 5 ? "; and \(unmatched.count - 5) more" : "") + ", so \(unmatched.count == 1 ? "that comparison is" : "those comparisons are") n/a")
        }
        if case .group(let grp) = comparator {
            let counts = meanCounts.sorted()
            let covered = counts.count == 1 ? "\(counts[0])" : "\(counts.first ?? 0) to \(counts.last ?? 0)"
            let n = grp.forces.count, s = n == 1 ? "" : "s"
            let included = grp.forces.contains(forceName) ? "\(forceName) included" : "\(forceName) not included"
            if grp.pooled, let pooled = p.pooled {
                var text = "\(grp.label): pooled from \(pooled.words) over \(covered) of \(n) force\(s)"
                if poolSums.count == 1, let (sn, sd, _) = poolSums.first {
                    text += " (\(NumberFormat.count(sn)) ÷ \(NumberFormat.count(sd)))"
                }
                footnotes.append(text + ", \(included), kept unrounded")
            } else {
                var text = "\(grp.label): the unweighted mean of the values of \(covered) of \(n) force\(s) (missing values left out), \(included), kept unrounded"
                if grp.kind != .all, let why = p.pooledReason { text += "; not pooled, because \(why)" }
                footnotes.append(text)
            }
            var leftOutWhy: [String] = []
            if grp.kind != .peers {
                if grp.kind != .region, !p.forceRows.others.isEmpty { leftOutWhy.append("not territorial forces: " + p.forceRows.othersWords) }
                if !p.excluded.isEmpty { leftOutWhy.append("excluded on request: " + p.excluded.sorted().joined(separator: ", ")) }
            }
            if !poolMissing.isEmpty { leftOutWhy.append("a count missing: " + poolMissing.sorted().joined(separator: ", ")) }
            if !leftOutWhy.isEmpty { footnotes.append("left out of \(grp.label): " + leftOutWhy.joined(separator: "; ")) }
        }
        if let m = nationalMismatch.first, let pooled = p.pooled {
            let shown = Self.showsExactly(m.given, scale: m.scale) ? m.scale : m.scale + 2
            let more = nationalMismatch.count > 1 ? " (and \(nationalMismatch.count - 1) more row\(nationalMismatch.count == 2 ? "" : "s"))" : ""
            footnotes.append("warning: the table's \(otherLabel) row gives \(NumberFormat.fixed(m.given, scale: shown))\(more), but its \(p.forceRows.forces.count) forces pool to \(NumberFormat.fixed(m.pooled, scale: max(shown, m.scale + 1))) (\(pooled.words)); the row may count more than the territorial forces (British Transport Police, say) or come from another edition")
        }
        if !p.identity.catalogued && !p.named {
            let perForce = p.identity.perForce.map { table.columns[$0].name }
            footnotes.append("rows matched on \(p.identityWords)" + (perForce.isEmpty ? "" : " (\(perForce.joined(separator: ", ")) \(perForce.count == 1 ? "has" : "have") one value per force, so \(perForce.count == 1 ? "it describes" : "they describe") the force, not the row)"))
        }
        var testNotes: [String] = []
        var limitsNote: String?
        if !untested.isEmpty {
            footnotes.append("no significance test where " + untested.sorted().joined(separator: " or ") + " has no confidence interval (only the national figure, which has none, is taken as exact)")
        }
        if anyCountTest, let pooled = p.pooled {
            let proportion = pooled.ratio.factor == 100
            testNotes.append("p: exact \(proportion ? "binomial" : "Poisson") test of the force's \(pooled.ratio.numerator) \(proportion ? "out of" : "per") its \(pooled.ratio.denominator) against the \(otherLabel) \(proportion ? "share" : "figure"), taken as exact (two-sided: twice the smaller tail); significant when p < 0.05")
        }
        if anyLimits, let pooled = p.pooled {
            let proportion = pooled.ratio.factor == 100
            limitsNote = "limits: the force's \(valueCol.name) against the 95% and 99.8% funnel limits around \(otherLabel) at its \(pooled.ratio.denominator) (exact \(proportion ? "binomial" : "Poisson") limits with interpolation, Spiegelhalter 2005), with no allowance for overdispersion (chart funnel … overdispersion multiplicative allows for it)"
        }
        if anyTest && !anyCountTest {
            testNotes.append("p: two-sided z-test of the difference, standard errors from the 95% intervals (half-width ÷ 1.959964, the 97.5th percentile of the normal); significant when p < 0.05")
        }
        var outInfo = TableInfo()
        outInfo.title = "\(forceName) compared with \(otherLabel): \(valueCol.name)"
        outInfo.source = info.source
        outInfo.period = info.period
        outInfo.notes = info.notes
        for n in rankNotes { outInfo.note(n, about: ["position", "band"]) }
        for n in footnotes { outInfo.note(n, about: n.hasPrefix("the comparator") ? ["p", "significance"] : [otherLabel, "comparator", "difference", "ratio"]) }
        for n in testNotes { outInfo.note(n, about: ["p", "significance"]) }
        if let n = limitsNote { outInfo.note(n, about: ["limits"]) }
        outInfo.comparison = Comparison(keys: keyIndexes.map { table.columns[$0].name }, force: forceName, national: otherLabel,
                                        difference: "difference", measure: valueCol.name)
        return Table(name: table.name, columns: columns, info: outInfo)
    }

    /// The comparator named by `to`, or the table's England and Wales row, or England and Wales
    /// made from the forces' rows when the table has none (or forces are excluded).
    package func comparator(_ ctx: EvalContext, _ p: Prepared, forceName: String) throws -> Comparator {
        let table = p.table, forceCol = p.forceCol, names = p.names
        let candidates = p.forceRows.forces.filter { !p.excluded.contains($0) }
        func national() throws -> Comparator {
            let label = table.info.national ?? "England and Wales"
            let present = forceCol.presentTexts()
            if p.excluded.isEmpty, let n = names.match(label, in: present) { return .area(n) }
            // A table of a few forces has no national figure to make: say it has no national row.
            guard p.forceRows.known, p.forceRows.forces.count * 2 > p.forceRows.forces.count + p.forceRows.absent.count else {
                throw CommandError.noNationalRow(table: table.name, national: label, forceColumn: forceCol.name,
                                                 allForces: false, at: force.range)
            }
            guard p.forceRows.absent.isEmpty else {
                throw CommandError.nationalNeedsEveryForce(table: table.name, absent: p.forceRows.absent,
                                                          present: p.forceRows.forces.count, at: force.range)
            }
            return .group(Group(kind: .national, label: "England and Wales", forces: candidates, pooled: p.pooled != nil))
        }
        guard let other else { return try national() }
        let v = try other.resolve(ctx)
        switch v {
        case .list(let items):
            let forces = try items.map { item -> String in
                guard case .text(let s) = item else { throw CommandError.peerGroupNotNames(at: other.range) }
                return try Self.resolveArea(s, other.range, in: forceCol, names: names)
            }.filter { !p.excluded.contains($0) }
            let n = forces.count, s = n == 1 ? "" : "s"
            return .group(Group(kind: .peers, label: p.pooled != nil ? "\(n) peer force\(s)" : "mean of \(n) peer force\(s)", forces: forces, pooled: p.pooled != nil))
        case .text(let s) where s.lowercased() == "national":
            return try national()
        case .text(let s) where s.lowercased() == "mean":
            guard !p.territorial.isEmpty else { throw CommandError.noForcesToAverage(at: other.range) }
            return .group(Group(kind: .all, label: "mean of \(candidates.count) forces", forces: candidates.sorted(), pooled: false))
        case .text(let s) where s.lowercased() == "region":
            guard let ft = try ctx.catalog.table("forces"), let fc = ft.column("force"), let rc = ft.column("region") else {
                throw CommandError.noRegionTable(at: other.range)
            }
            let canonical = p.forceRows.canonical[forceName] ?? names.spellings(of: forceName).first
            guard let row = (0..<ft.rowCount).first(where: { fc.text($0) == canonical }), let region = rc.text(row) else {
                throw CommandError.noRegion(force: forceName, at: force.range)
            }
            let inRegion = Set((0..<ft.rowCount).filter { rc.text($0) == region }.compactMap { fc.text($0) })
            let forces = candidates.filter { inRegion.contains(p.forceRows.canonical[$0] ?? $0) }.sorted()
            return .group(Group(kind: .region, label: p.pooled != nil ? region : "\(region) mean", forces: forces, pooled: p.pooled != nil))
        default:
            let s = try other.text(ctx, what: "the comparator")
            if case .notForce(.nationalTotal, _) = names.recognise(s), names.match(s, in: forceCol.presentTexts()) == nil || !p.excluded.isEmpty {
                return try national()
            }
            return .area(try Self.resolveArea(s, other.range, in: forceCol, names: names))
        }
    }

    /// True when `v` has no digits beyond `scale` decimals (a value as printed in a source).
    package static func showsExactly(_ v: Double, scale: Int) -> Bool {
        var p = 1.0
        for _ in 0..<max(0, min(scale, 12)) { p *= 10 }
        let u = v * p
        return abs(u - u.rounded()) <= 1e-9 * max(1, abs(u))
    }

    /// The 43 territorial forces, from the forces table (empty without one).
    package static func territorialForces(_ ctx: EvalContext) -> Set<String> {
        guard let t = try? ctx.catalog.table("forces"), let f = t.column("force") else { return [] }
        let kind = t.column("kind")
        return Set((0..<t.rowCount).filter { kind?.text($0) ?? "force" == "force" }.compactMap { f.text($0) })
    }

    /// The value column: named, catalogued, or the only numeric column that is not a key.
    package static func valueColumn(_ table: Table, on: (String, SourceRange)?, by: [(String, SourceRange)]?, range: SourceRange, force: Arg) throws -> Int {
        if let (name, r) = on {
            let i = try requireColumn(name, in: table, at: r)
            guard table.columns[i].type.isNumeric else { throw CommandError.compareNotNumeric(column: name, holds: table.columns[i].type.rawValue, at: r) }
            return i
        }
        if let v = table.info.valueColumn, let i = table.columnIndex(v) { return i }
        // Decimals first: integer columns are often codes.
        let keyNames = Set((by?.map(\.0) ?? table.info.keys ?? []).map { $0.lowercased() })
        let candidates = table.columns.indices.filter {
            table.columns[$0].type.isNumeric && !table.columns[$0].looksLikeCode && !keyNames.contains(table.columns[$0].name.lowercased())
        }
        // A ratio whose counts are in the table (`add share = pct(charged, offences)`) is the value,
        // not its counts.
        let ratios = candidates.filter { PooledRatio.find(table.columns[$0], in: table).pooled != nil }
        if ratios.count == 1 { return ratios[0] }
        let decimals = candidates.filter { table.columns[$0].type == .decimal }
        let numeric = decimals.isEmpty ? candidates : decimals
        guard numeric.count == 1 else {
            throw CommandError.compareWhichColumn(force: force.dump, example: table.columns.first { $0.type.isNumeric }?.name, at: range)
        }
        return numeric[0]
    }

    /// The force's name as written in the table (any alias, ignoring case), or a diagnostic with a suggestion.
    package static func resolveArea(_ given: String, _ range: SourceRange, in col: Column, names: ForceNames) throws -> String {
        guard case .text(_, let dict) = col.data else {
            throw CommandError.forceColumnNotNames(column: col.name, at: range)
        }
        let present = col.presentTexts()
        if let m = names.match(given, in: present) { return m }
        let candidates = dict.filter { present.contains($0) }.sorted()
        throw CommandError.noRowsForArea(name: given, column: col.name, candidates: candidates, at: range)
    }

    package var dump: String {
        "compare \(force.dump)" + (other.map { " to \($0.dump)" } ?? "")
            + (by.map { " by [" + $0.map(\.0).joined(separator: ", ") + "]" } ?? "") + (on.map { " on \($0.0)" } ?? "")
    }
}
