import PeelSupport
import PeelData
import PeelEvaluation

/// `pivot COLUMN values VALUE`: long → wide, one column per value of COLUMN.
package struct PivotCommand: Command {
    package let names: (String, SourceRange)
    package let values: (String, SourceRange)

    package static let spec = CommandSpec(
        name: "pivot", kind: .stage, group: "Columns",
        usage: "pivot COLUMN values VALUE",
        summary: "Turn a long table wide: one column per value of COLUMN, filled from VALUE.",
        details: """
            The other columns identify each output row (columns such as `source`, which differ
            from row to row, should be dropped with `select` first). A combination with two values
            is an error rather than a silent choice. Missing combinations are missing values.
            """,
        examples: ["outcomes | where number in (1, 18) | select force, outcome, share | pivot force values share"],
        arguments: [.column, .keywords(["values"])],
        parse: { p, _ in
            let n = try p.name("the column whose values become column names")
            guard p.matchWord("values") else { throw p.unexpected(expected: "'values' and the column to spread", help: "e.g. pivot force values share") }
            let v = try p.name("the column of values")
            try p.expectStepEnd()
            return PivotCommand(names: n, values: v)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let t = try requireTable(input)
        let ni = try requireColumn(names.0, in: t, at: names.1), vi = try requireColumn(values.0, in: t, at: values.1)
        let nc = t.columns[ni], vc = t.columns[vi]
        let idCols = t.columns.indices.filter { $0 != ni && $0 != vi }.map { t.columns[$0] }
        let nameIDs = t.groupIDs(by: [nc])
        let spread = nameIDs.count
        if spread > Table.maxColumns {
            throw CommandError.pivotTooManyColumns(column: nc.name, count: spread, at: names.1)
        }
        // Output rows are the groups of the identifying columns; cells are (row group, name) pairs.
        let rowIDs = t.groupIDs(by: idCols)
        let (cells, overflow) = rowIDs.count.multipliedReportingOverflow(by: spread + idCols.count)
        if overflow || cells > Limits.maxPivotCells {
            throw CommandError.pivotTooManyCells(rows: rowIDs.count, columns: spread, at: names.1)
        }
        let newNames = nameIDs.firstRows.map { nc.formatted($0) ?? "missing" }
        // Each cell's row: a flat table while it is small enough (the usual case), else a dictionary.
        let flat = rowIDs.count * spread <= (1 << 24)
        var cellRow = flat ? [Int32](repeating: -1, count: rowIDs.count * spread) : []
        var cell: [Int: Int] = [:]
        if !flat { cell.reserveCapacity(t.rowCount) }
        for r in 0..<t.rowCount {
            if r & 0xFFFF == 0 { try Interrupt.check() }
            let k = Int(rowIDs.ids[r]) * spread + Int(nameIDs.ids[r])
            if flat ? cellRow[k] >= 0 : cell[k] != nil {
                throw CommandError.pivotDuplicate(column: nc.name, value: newNames[Int(nameIDs.ids[r])], at: names.1)
            }
            if flat { cellRow[k] = Int32(r) } else { cell[k] = r }
        }
        var out = idCols.map { $0.gather(rowIDs.firstRows) }
        for (j, n) in newNames.enumerated() {
            try Interrupt.check()
            let rows: [Int?] = (0..<rowIDs.count).map { i in
                let k = i * spread + j
                if flat { let r = cellRow[k]; return r >= 0 ? Int(r) : nil }
                return cell[k]
            }
            var c = vc.gather(rows)
            c.name = n
            c.description = nil
            out.append(c)
        }
        var info = t.info
        info.comparison = nil
        return .table(Table(name: t.name, columns: out, info: info))
    }

    package var dump: String { "pivot \(names.0) values \(values.0)" }
}
