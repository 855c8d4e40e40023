import PeelSupport
import PeelData
import PeelEvaluation

/// `unpivot COLUMN, ... [into NAME, VALUE]`: wide → long, one row per column named.
package struct UnpivotCommand: Command {
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
            try p.expectStepEnd()
            return UnpivotCommand(columns: cols, into: into)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let t = try requireTable(input)
        let idx = try columns.map { try requireColumn($0.0, in: t, at: $0.1) }
        let cols = idx.map { t.columns[$0] }
        let numeric = cols.allSatisfy { $0.type.isNumeric }
        guard numeric || cols.allSatisfy({ !$0.type.isNumeric }) else {
            throw CommandError.unpivotMixedTypes(at: columns[0].1)
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
