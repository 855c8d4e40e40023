/// `compare FORCE [to OTHER] [by COLUMN, ...] [on VALUE]`: a force beside England and Wales.
struct CompareCommand: Step {
    let force: (String, SourceRange)
    let other: (String, SourceRange)?
    let by: [(String, SourceRange)]?
    let on: (String, SourceRange)?
    let range: SourceRange

    static let usage = "compare FORCE [to OTHER] [by COLUMN, ...] [on VALUE]"

    static let spec = CommandSpec(
        name: "compare", kind: .stage, group: "Analysis",
        usage: usage,
        summary: "Set a force beside England and Wales: both values and the difference.",
        details: """
            For each row of FORCE, finds the row of OTHER (England and Wales unless named) with
            the same measure or category, and shows the two values and the difference FORCE
            minus OTHER. Differences between percentages are in percentage points (pp); other
            differences are in the measure's unit. A row with no counterpart shows n/a.
            The columns that identify a row come from the table's catalogue entry, or are named
            with `by`; the value compared is the table's main value column unless named with `on`.
            """,
        examples: [
            "outcomes | where kind in (\"outcome\", \"group\") | compare \"Leicestershire\"",
            "indicators | where measure ~ \"domestic abuse\" | compare \"Leicestershire\"",
        ],
        arguments: [.force, .keywords(["to", "by", "on"])],
        parse: { p, verb in
            let force = try p.text("a force name", help: "e.g. compare \"Leicestershire\"")
            var other: (String, SourceRange)?
            var by: [(String, SourceRange)]?
            var on: (String, SourceRange)?
            while !p.atStepEnd {
                if p.matchWord("to") {
                    other = try p.text("the force or area to compare with", help: "e.g. to \"England and Wales\"")
                } else if p.matchWord("by") {
                    by = try p.nameList("a column name")
                } else if p.matchWord("on") {
                    on = try p.name("a numeric column name")
                } else {
                    throw Diagnostic("unexpected \(p.peek.kind.description) in compare", at: p.peek.range,
                                     help: "usage: \(usage)")
                }
            }
            return CompareCommand(force: force, other: other, by: by, on: on,
                                  range: SourceRange(verb.range.start, p.previous.range.end))
        })

    func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input, verb: "compare")
        let info = table.info
        guard let forceIndex = table.columnIndex(info.forceColumn ?? "force") else {
            throw Diagnostic("compare needs a column naming the force, and \(table.name) has none", at: range,
                             help: "compare works on tables with a 'force' column, such as outcomes or indicators")
        }
        let forceCol = table.columns[forceIndex]
        let nationalName = other ?? (info.national ?? "England and Wales", force.1)

        // The value column: named, catalogued, or the only numeric column.
        let valueIndex: Int
        if let (name, r) = on {
            valueIndex = try requireColumn(name, in: table, at: r)
            guard table.columns[valueIndex].type.isNumeric else {
                throw Diagnostic("'\(name)' holds text; compare needs a numeric column", at: r)
            }
        } else if let v = info.valueColumn, let i = table.columnIndex(v) {
            valueIndex = i
        } else {
            // The only numeric column that is not a key (decimals first: integer columns are often codes).
            let keyNames = Set((by?.map(\.0) ?? info.keys ?? []).map { $0.lowercased() })
            let candidates = table.columns.indices.filter { table.columns[$0].type.isNumeric && !keyNames.contains(table.columns[$0].name.lowercased()) }
            let decimals = candidates.filter { table.columns[$0].type == .decimal }
            let numeric = decimals.isEmpty ? candidates : decimals
            guard numeric.count == 1 else {
                throw Diagnostic("compare cannot tell which column to compare", at: range,
                                 help: "name it with 'on', e.g. compare \"\(force.0)\" on " + (table.columns.first { $0.type.isNumeric }?.name ?? "value"))
            }
            valueIndex = numeric[0]
        }
        let valueCol = table.columns[valueIndex]

        // The columns that identify a row within one force.
        let unitIndex = table.columnIndex("unit")
        var keyIndexes: [Int]
        if let by {
            keyIndexes = try by.map { try requireColumn($0.0, in: table, at: $0.1) }
        } else if let keys = info.keys {
            keyIndexes = keys.compactMap { table.columnIndex($0) }
        } else {
            let skip: Set<Int> = [forceIndex, valueIndex, unitIndex ?? -1]
            keyIndexes = table.columns.indices.filter {
                !skip.contains($0) && table.columns[$0].type != .decimal && table.columns[$0].name.lowercased() != "source"
            }
        }

        let names = ctx.catalog.forceNames()
        let forceName = try Self.resolveArea(force, in: forceCol, table: table, names: names)
        let otherName = try Self.resolveArea(nationalName, in: forceCol, table: table, names: names, national: other == nil)

        func key(_ row: Int) -> [String] { keyIndexes.map { table.columns[$0].formatted(row) ?? "\u{0}" } }
        var otherRows: [[String]: Int] = [:]
        for row in 0..<table.rowCount where forceCol.text(row) == otherName {
            let k = key(row)
            if otherRows[k] != nil {
                let desc = zip(keyIndexes, k).map { "\(table.columns[$0.0].name) = \($0.1 == "\u{0}" ? "missing" : $0.1)" }
                throw Diagnostic("more than one \(otherName) row for " + (desc.isEmpty ? "the table" : desc.joined(separator: ", ")),
                                 at: range, help: "name the columns that identify a row with 'by', e.g. by " + table.columns.filter { $0.type == .text && $0.name != forceCol.name }.prefix(2).map(\.name).joined(separator: ", "))
            }
            otherRows[k] = row
        }

        // Percentages differ in percentage points.
        let unit = valueCol.unit
        func differenceUnit(_ u: String?) -> String? { u == "%" ? "pp" : u }
        var keyOut = keyIndexes.map { table.columns[$0].gather([]) }
        var keyRows: [Int] = []
        var unitOut = ColumnBuilder.text("unit")
        var diffUnitOut = ColumnBuilder.text("difference_unit")
        var a = ColumnBuilder.decimal(forceName, scale: valueCol.scale, unit: unit)
        var b = ColumnBuilder.decimal(otherName, scale: valueCol.scale, unit: unit)
        var d = ColumnBuilder.decimal("difference", scale: valueCol.scale, unit: differenceUnit(unit))
        for row in 0..<table.rowCount where forceCol.text(row) == forceName {
            keyRows.append(row)
            let x = valueCol.number(row)
            let y = otherRows[key(row)].flatMap { valueCol.number($0) }
            let ys = otherRows[key(row)].map { valueCol.scale($0) } ?? valueCol.scale(row)
            let ds = max(valueCol.scale(row), ys)
            a.append(x, scale: valueCol.scale(row))
            b.append(y, scale: ys)
            if let x, let y { d.append(NumberFormat.exactDifference(x, y, scale: ds), scale: ds) } else { d.append(nil, scale: ds) }
            if let u = unitIndex {
                let ru = table.columns[u].text(row)
                unitOut.append(ru)
                diffUnitOut.append(differenceUnit(ru))
            }
        }
        for i in keyOut.indices { keyOut[i] = table.columns[keyIndexes[i]].gather(keyRows) }
        var columns = keyOut
        if unitIndex != nil, unit == nil { columns.append(unitOut.build()) }
        columns += [a.build(), b.build(), d.build()]
        if unitIndex != nil, unit == nil { columns.append(diffUnitOut.build()) }
        var outInfo = TableInfo()
        outInfo.title = "\(forceName) compared with \(otherName): \(valueCol.name)"
        outInfo.source = info.source
        outInfo.period = info.period
        outInfo.notes = info.notes
        outInfo.comparison = Comparison(keys: keyOut.map(\.name), force: forceName, national: otherName, difference: "difference")
        return .table(Table(name: table.name, columns: columns, info: outInfo))
    }

    /// The force's name as written in the table (any alias, ignoring case), or a diagnostic with a suggestion.
    static func resolveArea(_ given: (String, SourceRange), in col: Column, table: Table, names: ForceNames, national: Bool = false) throws -> String {
        guard case .text(_, let dict) = col.data else {
            throw Diagnostic("the force column '\(col.name)' does not hold names", at: given.1)
        }
        let present = Set((0..<col.count).compactMap { col.text($0) })
        if let m = names.match(given.0, in: present) { return m }
        let candidates = dict.filter { present.contains($0) }.sorted()
        if national {
            throw Diagnostic("no '\(given.0)' rows to compare with", at: given.1,
                             help: "the national rows may have been filtered out: compare before filtering on \(col.name), or name another area with 'to'")
        }
        let s = Suggest.closest(to: given.0, in: candidates)
        throw Diagnostic("no rows for '\(given.0)' in \(col.name)", at: given.1,
                         help: s.map { "did you mean '\($0)'?" } ?? ("\(col.name) holds: " + candidates.prefix(8).joined(separator: ", ")))
    }

    var dump: String {
        "compare \(quoteForDump(force.0))" + (other.map { " to \(quoteForDump($0.0))" } ?? "")
            + (by.map { " by [" + $0.map(\.0).joined(separator: ", ") + "]" } ?? "") + (on.map { " on \($0.0)" } ?? "")
    }
}
