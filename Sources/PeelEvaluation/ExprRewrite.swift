import PeelSupport
import PeelLanguage

extension ExprEngine {
    /// The expression as evaluation reads it, in one pass: each `$variable` replaced by its value
    /// (a list spreads inside `in (…)`), and text compared with the table's force column spelled
    /// as the column spells it (`force = "Met"` becomes `force = "Metropolitan Police"`).
    /// Operands are rewritten in the order they are written, so the first unknown variable is
    /// the one reported; a list value is spread before the tested expression is looked at.
    package func rewrite(_ e: Expr) throws -> Expr {
        switch e {
        case .variable(let n, let r):
            let items = try literals(try variable(n, r), r)
            guard items.count == 1 else { throw EvalError.variableIsList(name: n, at: r) }
            return items[0]
        case .column, .literal:
            return e
        case .call(let n, let args, let r):
            return .call(n, try args.map { try rewrite($0) }, r)
        case .unary(let op, let x, let r):
            return .unary(op, try rewrite(x), r)
        case .binary(let op, let a, let b, let r):
            let l = try rewrite(a), rr = try rewrite(b)
            return .binary(op, l, op == .equal || op == .notEqual ? forceSpelling(l, rr) : rr, r)
        case .inList(let x, let items, let neg, let r):
            var out: [Expr] = []
            for item in items {
                if case .variable(let n, let vr) = item { out += try literals(try variable(n, vr), vr) } else { out.append(try rewrite(item)) }
            }
            let inner = try rewrite(x)
            return .inList(inner, out.map { forceSpelling(inner, $0) }, negated: neg, r)
        }
    }

    /// A variable's value as literals (several for a list).
    private func literals(_ v: VariableValue, _ r: SourceRange) throws -> [Expr] {
        switch v {
        case .text(let s): return [.literal(.text(s), r)]
        case .number(let n): return [.literal(.number(n, scale: 0), r)]
        case .list(let items): return try items.flatMap { try literals($0, r) }
        }
    }

    private func variable(_ name: String, _ r: SourceRange) throws -> VariableValue {
        guard let v = variables?.value(name) else {
            throw EvalError.unknownVariable(name: name, known: variables?.names ?? [], at: r)
        }
        return v
    }

    /// A text literal compared with the table's force column, spelled as the column spells it;
    /// anything else unchanged.
    package func forceSpelling(_ column: Expr, _ literal: Expr) -> Expr {
        guard case .column(let name, _) = column, case .literal(.text(let s), let r) = literal,
              let i = table.columnIndex(name), table.columns[i].name == (table.info.forceColumn ?? "force") else { return literal }
        let present = table.columns[i].presentTexts()
        guard !present.contains(s), let m = forceNames.match(s, in: present) else { return literal }
        return .literal(.text(m), r)
    }
}
