import PeelSupport
import PeelData
import PeelIO
import PeelLanguage

/// The type an expression produces.
package enum ExprType: Equatable, Sendable {
    case number, text, bool
    /// The `missing` literal: compatible with anything.
    case unknown

    package var word: String {
        switch self {
        case .number: return "a number"
        case .text: return "text"
        case .bool: return "a condition"
        case .unknown: return "missing"
        }
    }
}

/// An expression evaluated over a whole table: its type, its value on every row, and how a
/// numeric result is shown.
package struct ExprResult {
    package var type: ExprType
    package var vector: ExprVector
    /// Decimal places to show a numeric result with, and its unit, where they can be told.
    package var scale: Int = 0
    package var unit: String?

    package init(type: ExprType, vector: ExprVector, scale: Int = 0, unit: String? = nil) {
        self.type = type
        self.vector = vector
        self.scale = scale
        self.unit = unit
    }
}

/// The one expression engine: `where`, `add` and anything else that evaluates an `Expr` first
/// `rewrite` it (variables, force names) and then `evaluate` the rewritten tree. Evaluation
/// type-checks each node after its operands, in the order the operands are written, and computes
/// it a column at a time; errors are the same wherever the expression is used.
package struct ExprEngine {
    package let table: Table
    /// Force names and aliases: `force = "Met"` finds "Metropolitan Police".
    package var forceNames = ForceNames()
    /// For `$name` in expressions.
    package var variables: VariableView?

    package init(table: Table, forceNames: ForceNames = ForceNames(), variables: VariableView? = nil) {
        self.table = table
        self.forceNames = forceNames
        self.variables = variables
    }

    private var rows: Int { table.rowCount }

    /// Type-checks `e` against the table and computes it for every row. `e` should be the result
    /// of `rewrite`; a variable left in it is looked up here.
    package func evaluate(_ e: Expr) throws -> ExprResult {
        switch e {
        case .variable:
            return try evaluate(try rewrite(e))
        case .call(let name, let args, let range):
            let evaluated = try args.map { try evaluate($0) }
            guard let f = FunctionTable.named(name) else {
                throw EvalError.unknownFunction(name: name, at: range)
            }
            return try f.call(FunctionCall(name: name, args: evaluated, exprs: args, range: range, rows: rows))
        case .column(let name, let range):
            let col = table.columns[try requireColumn(name, in: table, at: range)]
            return ExprResult(type: col.type.isNumeric ? .number : .text, vector: ExprVector(column: col, rows: rows),
                              scale: col.scale, unit: col.unit)
        case .literal(let lit, _):
            switch lit {
            case .number(let n, let sc): return ExprResult(type: .number, vector: .constant(.number(n)), scale: sc)
            case .text(let s): return ExprResult(type: .text, vector: .constant(.text(s)))
            case .bool(let b): return ExprResult(type: .bool, vector: .constant(.bool(b)))
            case .missing: return ExprResult(type: .unknown, vector: .constant(.missing))
            }
        case .unary(let op, let inner, let range):
            let c = try evaluate(inner)
            let n = c.vector.isConstant ? 1 : rows
            switch op {
            case .not:
                try expect(c, .bool, for: "'not'", at: range)
                var (v, u) = c.vector.truth(n)
                for i in 0..<n { v[i].toggle() }
                return ExprResult(type: .bool, vector: folded(.truth(v, unknown: u), c.vector.isConstant))
            case .negate:
                try expect(c, .number, for: "'-'", at: range)
                var (v, m) = c.vector.numbers(n)
                for i in 0..<n { v[i] = -v[i] }
                return ExprResult(type: .number, vector: folded(.numbers(v, missing: m), c.vector.isConstant))
            }
        case .binary(let op, let l, let r, let range):
            return try binary(op, l, r, range)
        case .inList(let inner, let items, let negated, _):
            let c = try evaluate(inner)
            var values: [ExprVector] = []
            for item in items {
                let ci = try evaluate(item)
                if ci.type != c.type, ci.type != .unknown, c.type != .unknown {
                    throw EvalError.inListMismatch(found: ci.type, among: describe(inner, c.type), at: item.range)
                }
                values.append(ci.vector)
            }
            if let v = try periodMembership(inner, c, items, negated: negated) { return ExprResult(type: .bool, vector: v) }
            let constant = c.vector.isConstant && values.allSatisfy(\.isConstant)
            return ExprResult(type: .bool, vector: folded(ExprOps.member(c.vector, of: values, negated: negated, constant ? 1 : rows), constant))
        }
    }

    /// A vector computed over one row because its operands were all constants, as a constant.
    private func folded(_ v: ExprVector, _ constant: Bool) -> ExprVector {
        constant ? .constant(v.value(0)) : v
    }

    private func describe(_ e: Expr, _ t: ExprType) -> String {
        if case .column(let name, _) = e { return "the \(t == .text ? "text" : "numeric") column '\(name)'," }
        return t.word
    }

    private func expect(_ c: ExprResult, _ t: ExprType, for what: String, at range: SourceRange) throws {
        guard c.type == t || c.type == .unknown else {
            throw EvalError.operandType(what: what, wanted: t, found: c.type, at: range)
        }
    }

    private func describeOperand(_ e: Expr, _ t: ExprType) -> String {
        if case .column(let name, _) = e { return "column '\(name)'" }
        return "the left side"
    }

    private func binary(_ op: BinaryOp, _ l: Expr, _ r: Expr, _ range: SourceRange) throws -> ExprResult {
        let a = try evaluate(l)
        let b = try evaluate(r)
        let constant = a.vector.isConstant && b.vector.isConstant
        let n = constant ? 1 : rows
        switch op {
        case .and, .or:
            try expect(a, .bool, for: "'\(op.rawValue)'", at: l.range)
            try expect(b, .bool, for: "'\(op.rawValue)'", at: r.range)
            return ExprResult(type: .bool, vector: folded(ExprOps.logic(and: op == .and, a.vector, b.vector, n), constant))
        case .match, .notMatch:
            guard a.type == .text || a.type == .unknown else {
                throw EvalError.matchNeedsText(op: op.rawValue, operand: describeOperand(l, a.type), found: a.type, at: l.range)
            }
            guard b.type == .text else {
                throw EvalError.matchPatternNotText(op: op.rawValue, at: r.range)
            }
            return ExprResult(type: .bool, vector: folded(ExprOps.compareText(op, a.vector, b.vector, n), constant))
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            // `x = missing` and `x != missing` ask whether a value is present.
            if a.type == .unknown || b.type == .unknown {
                guard op == .equal || op == .notEqual else {
                    throw EvalError.missingCannotBeOrdered(at: range)
                }
                let other = a.type == .unknown ? b.vector : a.vector
                let want = op == .equal
                let hit = (0..<n).map { other.isMissing($0) == want }
                return ExprResult(type: .bool, vector: folded(.truth(hit, unknown: [Bool](repeating: false, count: n)), constant))
            }
            guard a.type == b.type else {
                throw EvalError.cannotCompare(operand: describeOperand(l, a.type), left: a.type, right: b.type, at: range)
            }
            if a.type == .bool, op != .equal, op != .notEqual {
                throw EvalError.conditionsCannotBeOrdered(at: range)
            }
            if a.type == .text, let v = try periodComparison(op, l, a, r, b) { return ExprResult(type: .bool, vector: v) }
            let v: ExprVector
            switch a.type {
            case .number: v = ExprOps.compareNumbers(op, a.vector, b.vector, n)
            case .text: v = ExprOps.compareText(op, a.vector, b.vector, n)
            default: v = ExprOps.compareTruth(op, a.vector, b.vector, n)
            }
            return ExprResult(type: .bool, vector: folded(v, constant))
        case .add, .subtract, .multiply, .divide:
            try expect(a, .number, for: "'\(op.rawValue)'", at: l.range)
            try expect(b, .number, for: "'\(op.rawValue)'", at: r.range)
            let additive = op == .add || op == .subtract
            let scale = additive ? max(a.scale, b.scale) : min(4, max(2, a.scale + b.scale))
            // A difference of two percentages is in percentage points.
            let unit: String? = additive && a.unit == b.unit ? (op == .subtract && a.unit == "%" ? "pp" : a.unit) : nil
            return ExprResult(type: .number, vector: folded(ExprOps.arithmetic(op, a.vector, b.vector, n), constant),
                              scale: scale, unit: unit)
        }
    }
}

// MARK: - Periods

extension ExprEngine {
    /// The periods of the column `e` names, when it has them (`Column.detectingPeriods`).
    private func periods(of e: Expr) -> (name: String, periods: [Period])? {
        guard case .column(let name, _) = e, let i = table.columnIndex(name), let p = table.columns[i].validPeriods else { return nil }
        return (table.columns[i].name, p)
    }

    /// A text literal set against a column of periods, read as a period the way the column reads
    /// its own (`2011-12` is a month among months); nil when `e` is no text literal. A literal that
    /// is no period is an error at the literal: comparing it as text would quietly be wrong.
    private func periodLiteral(_ e: Expr, against column: (name: String, periods: [Period])) throws -> Period? {
        guard case .literal(.text(let s), let range) = e else { return nil }
        guard let p = Period.parse(s, amongst: column.periods) else {
            throw NotAPeriod(text: s, column: column.name, at: range)
        }
        return p
    }

    private static func timeTest(_ op: BinaryOp) -> TimeTest {
        switch op {
        case .equal: return .same
        case .notEqual: return .different
        case .less: return .before
        case .lessEqual: return .atOrBefore
        case .greater: return .after
        default: return .atOrAfter
        }
    }

    /// A comparison in time order, when one side is a column of periods and the other a text
    /// literal or another column of periods; nil for any other comparison (compared as text).
    fileprivate func periodComparison(_ op: BinaryOp, _ l: Expr, _ a: ExprResult, _ r: Expr, _ b: ExprResult) throws -> ExprVector? {
        let t = Self.timeTest(op)
        let pl = periods(of: l), pr = periods(of: r)
        if let pl {
            if let k = try periodLiteral(r, against: pl) {
                return ExprOps.comparePeriods(t, a.vector, pl.periods, k, literalFirst: false, rows)
            }
            if let pr { return ExprOps.comparePeriods(t, a.vector, pl.periods, b.vector, pr.periods, rows) }
        }
        if let pr, let k = try periodLiteral(l, against: pr) {
            return ExprOps.comparePeriods(t, b.vector, pr.periods, k, literalFirst: true, rows)
        }
        return nil
    }

    /// `period in ("2015/16", "2016-17")`: by the months each covers, when the column has periods
    /// and every item is a text literal (or `missing`); nil otherwise.
    fileprivate func periodMembership(_ inner: Expr, _ c: ExprResult, _ items: [Expr], negated: Bool) throws -> ExprVector? {
        guard let col = periods(of: inner) else { return nil }
        var wanted: [Period] = []
        var listHasMissing = false
        for item in items {
            if case .literal(.missing, _) = item { listHasMissing = true; continue }
            guard let k = try periodLiteral(item, against: col) else { return nil }
            wanted.append(k)
        }
        return ExprOps.periodMember(c.vector, col.periods, of: wanted, listHasMissing: listHasMissing, negated: negated, rows)
    }
}

/// A text literal compared with a column of periods that is not a period itself (`2015/6`).
package struct NotAPeriod: DiagnosticConvertible, Equatable {
    package var text: String
    package var column: String
    package var range: SourceRange

    package init(text: String, column: String, at range: SourceRange) {
        self.text = text
        self.column = column
        self.range = range
    }

    package var diagnostic: Diagnostic {
        Diagnostic("'\(text)' is not a period; periods look like \(Period.examples)", at: range,
                   help: "column '\(column)' holds periods, so it is compared in time order")
    }
}

/// Case-insensitive text matching.
package enum TextMatch {
    /// For each dictionary value, whether `value OP needle` holds (= != ~ !~ and the orderings);
    /// nil for any other operator. Text comparisons are decided once per distinct value this way.
    package static func hits(_ op: BinaryOp, _ dict: [String], _ needle: String) -> [Bool]? {
        switch op {
        case .equal: return dict.map { $0 == needle }
        case .notEqual: return dict.map { $0 != needle }
        case .match: return dict.map { contains($0, needle) }
        case .notMatch: return dict.map { !contains($0, needle) }
        case .less: return dict.map { $0 < needle }
        case .lessEqual: return dict.map { $0 <= needle }
        case .greater: return dict.map { $0 > needle }
        case .greaterEqual: return dict.map { $0 >= needle }
        default: return nil
        }
    }

    package static func contains(_ haystack: String, _ needle: String) -> Bool {
        if needle.isEmpty { return true }
        return haystack.lowercased().contains(needle.lowercased())
    }
}
