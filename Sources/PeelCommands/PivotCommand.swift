import PeelSupport
import PeelData
import PeelStats
import PeelIO
import PeelRender
import PeelLanguage
import PeelEvaluation

/// `pivot COLUMN values VALUE` (long → wide) and `unpivot COLUMN, ... [into NAME, VALUE]` (wide → long).
package struct PivotCommand: Step {
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
            try p.expectStepEnd("pivot")
            return PivotCommand(names: n, values: v)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let t = try requireTable(input, verb: "pivot")
        let ni = try requireColumn(names.0, in: t, at: names.1), vi = try requireColumn(values.0, in: t, at: values.1)
        let nc = t.columns[ni], vc = t.columns[vi]
        let idCols = t.columns.indices.filter { $0 != ni && $0 != vi }.map { t.columns[$0] }
        let nameIDs = t.groupIDs(by: [nc])
        let spread = nameIDs.count
        if spread > Table.maxColumns {
            throw Diagnostic("pivot would make \(NumberFormat.grouped(spread)) columns, one for each value of \(nc.name); a table may have at most \(NumberFormat.grouped(Table.maxColumns))", at: names.1,
                             help: "pivot a column with fewer distinct values, or filter the rows first with where")
        }
        // Output rows are the groups of the identifying columns; cells are (row group, name) pairs.
        let rowIDs = t.groupIDs(by: idCols)
        let (cells, overflow) = rowIDs.count.multipliedReportingOverflow(by: spread + idCols.count)
        if overflow || cells > Limits.maxPivotCells {
            throw Diagnostic("pivot would make \(NumberFormat.grouped(rowIDs.count)) rows × \(NumberFormat.grouped(spread)) columns, more than \(NumberFormat.grouped(Limits.maxPivotCells)) cells, peel's limit for a pivot", at: names.1,
                             help: "pivot fewer rows or a column with fewer values (filter with where first), or select only the columns that identify a row")
        }
        let newNames = nameIDs.firstRows.map { nc.formatted($0) ?? "missing" }
        var cell: [Int: Int] = [:]
        cell.reserveCapacity(t.rowCount)
        for r in 0..<t.rowCount {
            if r & 0xFFFF == 0 { try Interrupt.check() }
            let k = Int(rowIDs.ids[r]) * spread + Int(nameIDs.ids[r])
            if cell[k] != nil {
                throw Diagnostic("two values for \(nc.name) = \(newNames[Int(nameIDs.ids[r])]) in one row", at: names.1,
                                 help: "select only the columns that identify a row before pivoting")
            }
            cell[k] = r
        }
        var out = idCols.map { $0.gather(rowIDs.firstRows) }
        for (j, n) in newNames.enumerated() {
            try Interrupt.check()
            let rows: [Int?] = (0..<rowIDs.count).map { cell[$0 * spread + j] }
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

package struct UnpivotCommand: Step {
    package let columns: [(String, SourceRange)]
    package let into: (String, String)

    package static let spec = CommandSpec(
        name: "unpivot", kind: .stage, group: "Columns",
        usage: "unpivot COLUMN, ... [into NAME, VALUE]",
        summary: "Turn a wide table long: the named columns become rows of (NAME, VALUE).",
        details: """
            Each input row gives one output row per named column, holding the column's name and its
            value; the other columns are repeated. The columns must all be numbers or all text.
            Without `into`, the new columns are called `name` and `value`.
            """,
        examples: ["forces | where kind = \"force\" | select force, population, officers | unpivot population, officers into measure, value | top 4"],
        arguments: [.column, .keywords(["into"])],
        parse: { p, _ in
            let cols = try p.nameList("a column to turn into rows")
            var into = ("name", "value")
            if p.matchWord("into") {
                let a = try p.name("a name for the column of names").0
                _ = try p.consume(.comma, "',' and a name for the column of values")
                into = (a, try p.name("a name for the column of values").0)
            }
            try p.expectStepEnd("unpivot")
            return UnpivotCommand(columns: cols, into: into)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let t = try requireTable(input, verb: "unpivot")
        let idx = try columns.map { try requireColumn($0.0, in: t, at: $0.1) }
        let cols = idx.map { t.columns[$0] }
        let numeric = cols.allSatisfy { $0.type.isNumeric }
        guard numeric || cols.allSatisfy({ !$0.type.isNumeric }) else {
            throw Diagnostic("the columns mix numbers and text", at: columns[0].1, help: "unpivot numeric columns and text columns separately")
        }
        let keep = t.columns.indices.filter { !idx.contains($0) }
        var rows: [Int] = []
        var nameB = ColumnBuilder.text(into.0)
        let scale = cols.map(\.scale).max() ?? 0
        var valueB: ColumnBuilder = numeric ? .decimal(into.1, scale: scale) : .text(into.1)
        for r in 0..<t.rowCount {
            for c in cols {
                rows.append(r)
                nameB.append(c.name)
                if numeric { valueB.append(c.number(r), scale: c.scale(r)) } else { valueB.append(c.formatted(r)) }
            }
        }
        var out = keep.map { t.columns[$0].gather(rows) }
        out += [nameB.build(), valueB.build()]
        return .table(Table(name: t.name, columns: out, info: t.info))
    }

    package var dump: String { "unpivot [" + columns.map(\.0).joined(separator: ", ") + "] into \(into.0), \(into.1)" }
}
