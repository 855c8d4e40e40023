import PeelSupport
import PeelData
import PeelLanguage
import PeelEvaluation

/// `add NAME = EXPRESSION`: a derived column.
package struct AddCommand: Command {
    package let name: (String, SourceRange)
    package let expr: Expr

    package static let spec = CommandSpec(
        name: "add", kind: .stage, group: "Columns",
        usage: "add NAME = EXPRESSION",
        summary: "Add a column computed from others: arithmetic, round, rates per 1,000, percent of total.",
        details: """
            EXPRESSION uses columns, numbers and + - * /, and these functions:
            """ + FunctionTable.helpLines.map { "\n  " + $0 }.joined() + """

            Division by zero and missing inputs give missing values, never zero. The result is
            shown with a sensible number of decimals and its unit. A column of that name is replaced.
            """,
        examples: ["recorded_crime_totals | add rate = per_1000(total_recorded_offences, population_hoc_2019) | top 3 by rate | select force, total_recorded_offences, rate"],
        arguments: [.column, .function],
        parse: { p, _ in
            let name = try p.name("a name for the new column", help: "e.g. add rate = per_1000(offences, population)")
            _ = try p.consume(.equal, "'=' and an expression", help: "e.g. add \(name.0) = …")
            let e = try p.expression()
            try p.expectStepEnd()
            return AddCommand(name: name, expr: e)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        var table = try requireTable(input)
        let engine = ExprEngine(table: table, forceNames: ctx.catalog.forceNames(), variables: ctx.variables)
        let c = try engine.evaluate(try engine.rewrite(expr))
        if c.type == .number {
            // Numbers straight into the column's storage.
            var (values, missing) = c.vector.numbers(table.rowCount)
            let n = min(table.rowCount, values.count, missing.count)
            // One read-only pass (the vector's arrays are shared, so writing would copy them): the
            // first value too large to hold, and whether a missing row holds anything but zero.
            let (tooLarge, dirty): (Int?, Bool) = values.withUnsafeBufferPointer { v in
                missing.withUnsafeBufferPointer { m in
                    var dirty = false
                    for r in 0..<n {
                        if m[r] { if v[r] != 0 || v[r].sign == .minus { dirty = true } } else if !v[r].isFinite { return (r, dirty) }
                    }
                    return (nil, dirty)
                }
            }
            if let r = tooLarge { throw overflow(at: r, table) }
            if dirty { for r in 0..<n where missing[r] { values[r] = 0 } }
            var col = Column(name: name.0, unit: c.unit, data: .decimal(values, scale: c.scale), missing: MissingMask(missing))
            col.ratio = ratio(in: table)
            if let i = table.columnIndex(name.0) { table.columns[i] = col } else { table.columns.append(col) }
            return .table(table)
        }
        var b: ColumnBuilder
        switch c.type {
        case .number, .unknown: b = .decimal(name.0, scale: c.scale, unit: c.unit)
        case .text, .bool: b = .text(name.0)
        }
        for r in 0..<table.rowCount {
            if r & 0x3FFF == 0 { try Interrupt.check() }
            switch c.vector.value(r) {
            case .number(let v):
                guard v.isFinite else { throw overflow(at: r, table) }
                b.append(v)
            case .text(let s): b.append(s)
            case .bool(let v): b.append(v ? "true" : "false")
            case .missing: b.append(nil as String?)
            }
        }
        let col = b.build()
        if let i = table.columnIndex(name.0) { table.columns[i] = col } else { table.columns.append(col) }
        return .table(table)
    }

    /// A result too large for a number (past 1.8 × 10^308): refused, not stored as infinity.
    /// `pct(a, b)`, `per_1000(a, b)` or `per_100000(a, b)` of two columns: the ratio the new
    /// column holds, so a national figure can be pooled from the counts.
    package func ratio(in table: Table) -> Ratio? {
        guard case .call(let f, let args, _) = expr, args.count == 2,
              case .column(let a, _) = args[0], case .column(let b, _) = args[1],
              let ai = table.columnIndex(a), let bi = table.columnIndex(b),
              table.columns[ai].type.isNumeric, table.columns[bi].type.isNumeric else { return nil }
        let factor: Double
        switch f.lowercased() {
        case "pct": factor = 100
        case "per_1000": factor = 1000
        case "per_100000": factor = 100_000
        default: return nil
        }
        return Ratio(numerator: table.columns[ai].name, denominator: table.columns[bi].name, factor: factor)
    }

    package func overflow(at row: Int, _ table: Table) -> CommandError {
        let force = table.column(table.info.forceColumn ?? "force").flatMap { $0.text(row) }
        return .addOverflow(name: name.0, row: row, force: force, at: expr.range)
    }

    package var dump: String { "add \(name.0) = \(expr.dump)" }
}
