import PeelSupport
import PeelData
import PeelLanguage
import PeelEvaluation

/// `where CONDITION`: keep the rows for which the condition holds (missing counts as not holding).
package struct WhereCommand: Command {
    package let condition: Expr

    package static let spec = CommandSpec(
        name: "where", kind: .stage, group: "Rows",
        usage: "where CONDITION",
        summary: "Keep the rows that meet a condition.",
        details: """
            CONDITION compares columns with values: = != < <= > >=, combined with and, or, not.
            `COLUMN in ("a", "b")` tests membership; `COLUMN ~ "text"` matches text anywhere in
            the value, ignoring case (`!~` for does not match). Text goes in double quotes;
            `= missing` and `!= missing` test for missing values. A comparison with a missing
            value is not true, so such rows are left out.
            """,
        examples: [
            "outcomes | where force = \"Leicestershire\" and share >= 2",
            "outcomes | where outcome ~ \"caution\"",
            "indicators | where force = \"England and Wales\" and unit in (\"%\", \"count\")",
        ],
        arguments: [.column, .function],
        otherToolsNames: ["filter"], values: [.columnValue],
        parse: { p, _ in
            if p.atStepEnd { throw p.unexpected(expected: "a condition", help: "e.g. where share > 5") }
            let e = try p.expression()
            try p.expectStepEnd()
            return WhereCommand(condition: e)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input)
        let engine = ExprEngine(table: table, forceNames: ctx.catalog.forceNames(), variables: ctx.variables)
        let e = try engine.rewrite(condition)
        // Tests of columns against values, joined by `and`, need no vector per row.
        let rows: [Int]
        if let picked = try engine.selectedRows(e) {
            rows = picked
        } else {
            let c = try engine.evaluate(e)
            guard c.type == .bool else {
                throw CommandError.whereNeedsCondition(found: c.type, at: condition.range)
            }
            rows = c.vector.trueRows(table.rowCount)
        }
        if rows.isEmpty { Self.warnAboutAbsentValues(e, table, ctx) }
        return .table(table.gather(rows))
    }

    /// When nothing matched, a text value that appears nowhere in its column is probably a typing
    /// mistake: say so, with the nearest value that does appear.
    package static func warnAboutAbsentValues(_ e: Expr, _ table: Table, _ ctx: EvalContext) {
        var pairs: [(String, String, SourceRange)] = []
        func walk(_ e: Expr) {
            switch e {
            case .binary(let op, .column(let c, _), .literal(.text(let s), let r), _) where op == .equal: pairs.append((c, s, r))
            case .binary(_, let a, let b, _): walk(a); walk(b)
            case .unary(_, let a, _): walk(a)
            case .inList(.column(let c, _), let items, false, _):
                for case .literal(.text(let s), let r) in items { pairs.append((c, s, r)) }
            default: break
            }
        }
        walk(e)
        let names = ctx.catalog.forceNames()
        for (column, value, range) in pairs {
            guard let col = table.column(column), col.type == .text else { continue }
            let present = col.presentTexts()
            if present.contains(value) || names.match(value, in: present) != nil { continue }
            let hint = Suggest.hint(for: value, in: present.sorted())
                ?? present.first { $0.lowercased() == value.lowercased() }.map { "did you mean '\($0)'?" }
            ctx.warn(Diagnostic("no row has \(col.name) = '\(DisplayWidth.truncate(value, to: 60))', so nothing matched", at: range,
                                help: hint ?? (present.count <= 8 ? "\(col.name) holds: " + present.sorted().joined(separator: ", ") : nil)))
        }
    }

    package var dump: String { "where \(condition.dump)" }
}
