import OrderedCollections
import PeelSupport
import PeelData
import PeelStats
import PeelIO
import PeelLanguage
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
    package let range: SourceRange

    package static let usage = "compare FORCE [to OTHER | to region | to mean | to (FORCE, ...)] [by COLUMN, ...] [on VALUE]"

    package static let spec = CommandSpec(
        name: "compare", kind: .stage, group: "Analysis",
        usage: usage,
        summary: "Set a force beside England and Wales: values, difference, ratio, direction, rank and band.",
        details: """
            For each measure or category, shows FORCE's value, the comparator's value, the difference
            FORCE minus comparator (in percentage points, pp, between percentages; otherwise in the
            measure's unit), the ratio FORCE ÷ comparator, and whether FORCE is higher or lower.
            The comparator is the England and Wales row unless `to` names another: a force, `region`
            (the mean of the forces in FORCE's region), `mean` (the mean of all forces), or a bracketed
            list of forces (their mean, a peer group; a `$variable` holding a list works too). Means
            are unweighted means of the forces' values, missing values left out, and say how many
            forces they cover.
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
        ],
        arguments: [.force, .keywords(["to", "by", "on", "region", "mean"])],
        values: [.force(first: true, after: "to", words: ["mean", "region"])],
        parse: { p, verb in
            let force = try p.arg("a force name", help: "e.g. compare \"Leicestershire\"")
            var other: Arg?
            var by: [(String, SourceRange)]?
            var on: (String, SourceRange)?
            while !p.atStepEnd {
                if p.matchWord("to") {
                    other = try p.arg("what to compare with: a force, region, mean or (a list of forces)", help: "e.g. to \"England and Wales\"")
                } else if p.matchWord("by") {
                    by = try p.nameList("a column name")
                } else if p.matchWord("on") {
                    on = try p.name("a numeric column name")
                } else {
                    throw ParseError.unexpectedInStep(p.peek.range, found: p.peek.kind, verb: "compare", usage: usage)
                }
            }
            return CompareCommand(force: force, other: other, by: by, on: on, range: SourceRange(verb.range.start, p.previous.range.end))
        })

    /// What the force is compared with.
    package enum Comparator {
        case area(String)
        /// The unweighted mean of these forces' values; `label` names it.
        case mean(label: String, forces: [String])
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
        package let territorial: Set<String>
        /// Places among the territorial forces, by group, when every one of them is in the table.
        package let places: [[String: Ranking.Place]]?

        package init(_ table: Table, command c: CompareCommand, _ ctx: EvalContext) throws {
            self.table = table
            guard let fi = table.columnIndex(table.info.forceColumn ?? "force") else {
                throw CommandError.noForceColumn(table: table.name, at: c.range)
            }
            forceIndex = fi
            forceCol = table.columns[fi]
            names = ctx.catalog.forceNames()
            territorial = CompareCommand.territorialForces(ctx)
            valueIndex = try CompareCommand.valueColumn(table, on: c.on, by: c.by, range: c.range, force: c.force)
            valueCol = table.columns[valueIndex]
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
            for row in 0..<table.rowCount {
                if row & 0xFFFF == 0 { try Interrupt.check() }
                guard let f = forceCol.text(row) else { continue }
                let g = Int(ids.ids[row])
                if rowOf[g][f] != nil {
                    // Reported once the comparator is known to exist (its absence is the likelier mistake).
                    if duplicates[f] == nil {
                        let key = identity.columns.map { (table.columns[$0].name, table.columns[$0].formatted(row) ?? "missing") }
                        duplicates[f] = .compareDuplicate(force: f, key: key, at: c.range)
                    }
                    continue
                }
                rowOf[g][f] = row
                rowsOfForce[f, default: []].append(row)
            }
            self.rowOf = rowOf
            self.duplicates = duplicates
            self.rowsOfForce = rowsOfForce
            // Ranking needs every territorial force in the table.
            let present = forceCol.presentTexts()
            if !territorial.isEmpty && territorial.isSubset(of: present) {
                let forces = territorial.sorted()
                let valueCol = self.valueCol
                places = rowOf.map { byForce in
                    let rows = forces.map { byForce[$0] }
                    let values = rows.map { r in r.flatMap { valueCol.number($0) } ?? .nan }
                    var out: [String: Ranking.Place] = [:]
                    for (f, p) in zip(forces, Ranking.places(values)) where p != nil { out[f] = p }
                    return out
                }
            } else {
                places = nil
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
        for f in forces {
            try Interrupt.check()
            parts.append(try compareOne(p, forceName: f, ctx))
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
            var fcol = ColumnBuilder.text("force")
            for _ in 0..<t.rowCount { fcol.append(f) }
            t.columns.insert(fcol.build(), at: 0)
            renamed.append(t)
        }
        var out = try Table.concatenate(renamed)
        out.info = parts[0].info
        out.info.footnotes = []
        for t in parts {
            for n in t.info.footnotes where !out.info.footnotes.contains(n) && !n.contains(": the unweighted mean") {
                out.info.note(n, about: t.info.footnoteColumns[n] ?? [])
            }
        }
        if case .mean = try comparator(ctx, table: p.table, forceCol: fc, forceName: forces[0], names: p.names, territorial: p.territorial) {
            out.info.note("the comparator is an unweighted mean of forces' values (missing values left out)", about: ["comparator", "difference", "ratio"] + Array(labels))
        }
        out.info.title = "each force compared with \(labels.count == 1 ? labels.first! : "its comparator"): \(valueName)"
        out.info.comparison = nil
        return out
    }

    package func compareOne(_ p: Prepared, forceName: String, _ ctx: EvalContext) throws -> Table {
        let table = p.table, info = table.info
        let valueCol = p.valueCol
        let keyIndexes = p.identity.columns
        let ciCol = info.ciColumn.flatMap { table.column($0) }
        let comparator = try comparator(ctx, table: table, forceCol: p.forceCol, forceName: forceName, names: p.names, territorial: p.territorial)
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
        case .mean(let label, _): otherLabel = label
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
        var anyTest = false
        var footnotes: [String] = []
        var leftOut: Set<String> = []
        var meanCounts: Set<Int> = []
        var unmatched: [String] = []
        var straddleNotes: [String] = []
        var untested: Set<String> = []

        func describeKey(_ row: Int) -> String {
            keyIndexes.map { "\(table.columns[$0].name) = \(table.columns[$0].formatted(row) ?? "missing")" }.joined(separator: ", ")
        }

        for row in p.rowsOfForce[forceName] ?? [] {
            if keyRows.count & 0xFFF == 0 { try Interrupt.check() }
            keyRows.append(row)
            let g = Int(p.group[row])
            let rows = p.rowOf[g]
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
            case .mean(_, let forces):
                let present = forces.compactMap { rows[$0] }.filter { !valueCol.isMissing($0) }
                meanCounts.insert(present.count)
                let scale = present.map { valueCol.scale($0) }.max() ?? valueCol.scale
                if let m = DecimalMean(present.compactMap { valueCol.number($0) }, scale: max(scale, xScale)) {
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
            if let ci = ciCol, let x, let y, let cx = ci.number(row) {
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
            if ranked, let places = p.places?[g] {
                for f in p.territorial where places[f] == nil { leftOut.insert(f) }
                if x != nil, let place = places[forceName] {
                    position.append(Ranking.position(rank: place.rank, of: place.of, tied: place.isTied))
                    band.append(place.band.rawValue)
                    if place.straddles {
                        let k = keyIndexes.isEmpty ? "" : " (\(describeKey(row)))"
                        straddleNotes.append(Ranking.straddleNote(place, ascending: false, what: "forces") + k)
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
        if perRowUnits { columns.append(diffUnitOut.build()) }

        var rankNotes: [String] = []
        if ranked {
            rankNotes.append("position and band rank the 43 territorial forces (1 = highest); the top and bottom 25 percent are 'one of the highest' / 'one of the lowest' (Annex A, PEEL 2016); tied forces share a position and are banded by it")
            if !leftOut.isEmpty {
                rankNotes.append("\(leftOut.count) force\(leftOut.count == 1 ? "" : "s") left out of the ranking for a missing value: " + leftOut.sorted().joined(separator: ", "))
            }
            rankNotes += straddleNotes
        }
        if !unmatched.isEmpty {
            footnotes.append("\(otherLabel) has no row for " + unmatched.prefix(5).joined(separator: "; ") + (unmatched.count > 5 ? "; and \(unmatched.count - 5) more" : "") + ", so \(unmatched.count == 1 ? "that comparison is" : "those comparisons are") n/a")
        }
        if case .mean(let label, let forces) = comparator {
            let counts = meanCounts.sorted()
            let covered = counts.count == 1 ? "\(counts[0])" : "\(counts.first ?? 0) to \(counts.last ?? 0)"
            footnotes.append("\(label): the unweighted mean of the values of \(covered) of \(forces.count) force\(forces.count == 1 ? "" : "s") (missing values left out), kept unrounded")
        }
        if !p.identity.catalogued && !p.named {
            let perForce = p.identity.perForce.map { table.columns[$0].name }
            footnotes.append("rows matched on \(p.identityWords)" + (perForce.isEmpty ? "" : " (\(perForce.joined(separator: ", ")) \(perForce.count == 1 ? "has" : "have") one value per force, so \(perForce.count == 1 ? "it describes" : "they describe") the force, not the row)"))
        }
        var testNotes: [String] = []
        if !untested.isEmpty {
            footnotes.append("no significance test where " + untested.sorted().joined(separator: " or ") + " has no confidence interval (only the national figure, which has none, is taken as exact)")
        }
        if anyTest {
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
        outInfo.comparison = Comparison(keys: keyIndexes.map { table.columns[$0].name }, force: forceName, national: otherLabel,
                                        difference: "difference", measure: valueCol.name)
        return Table(name: table.name, columns: columns, info: outInfo)
    }

    /// The comparator named by `to`, or the table's England and Wales row.
    package func comparator(_ ctx: EvalContext, table: Table, forceCol: Column, forceName: String, names: ForceNames, territorial: Set<String>) throws -> Comparator {
        guard let other else {
            let national = table.info.national ?? "England and Wales"
            let present = forceCol.presentTexts()
            guard let n = names.match(national, in: present) else {
                throw CommandError.noNationalRow(table: table.name, national: national, forceColumn: forceCol.name,
                                                 allForces: territorial.isSubset(of: present), at: force.range)
            }
            return .area(n)
        }
        let v = try other.resolve(ctx)
        switch v {
        case .list(let items):
            let forces = try items.map { item -> String in
                guard case .text(let s) = item else { throw CommandError.peerGroupNotNames(at: other.range) }
                return try Self.resolveArea(s, other.range, in: forceCol, names: names)
            }
            return .mean(label: "mean of \(forces.count) peer force\(forces.count == 1 ? "" : "s")", forces: forces)
        case .text(let s) where s.lowercased() == "mean":
            guard !territorial.isEmpty else { throw CommandError.noForcesToAverage(at: other.range) }
            let present = forceCol.presentTexts()
            let forces = territorial.filter { present.contains($0) }.sorted()
            return .mean(label: "mean of \(forces.count) forces", forces: forces)
        case .text(let s) where s.lowercased() == "region":
            guard let ft = try ctx.catalog.table("forces"), let fc = ft.column("force"), let rc = ft.column("region") else {
                throw CommandError.noRegionTable(at: other.range)
            }
            guard let row = (0..<ft.rowCount).first(where: { fc.text($0) == names.spellings(of: forceName).first }),
                  let region = rc.text(row) else {
                throw CommandError.noRegion(force: forceName, at: force.range)
            }
            let present = forceCol.presentTexts()
            let forces = (0..<ft.rowCount).filter { rc.text($0) == region }.compactMap { fc.text($0) }.filter { present.contains($0) }
            return .mean(label: "\(region) mean", forces: forces)
        default:
            let s = try other.text(ctx, what: "the comparator")
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
