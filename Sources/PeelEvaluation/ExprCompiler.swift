import PeelSupport
import PeelData
import PeelStats
import PeelIO
import PeelRender
import PeelLanguage

/// The type an expression produces.
package enum ExprType: Equatable {
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

/// An expression checked against a table and turned into a function of the row.
package struct CompiledExpr {
    package let type: ExprType
    package let eval: (Int) -> Value
    /// Decimal places to show a numeric result with, and its unit, where they can be told.
    package var scale: Int = 0
    package var unit: String?
}

/// Type-checks expressions against a table's columns and compiles them to closures.
package struct ExprCompiler {
    package let table: Table
    /// Force names and aliases: `force = "Met"` finds "Metropolitan Police".
    package var forceNames = ForceNames()
    /// For `$name` in expressions.
    package var variables: Variables?

    package init(table: Table, forceNames: ForceNames = ForceNames(), variables: Variables? = nil) {
        self.table = table
        self.forceNames = forceNames
        self.variables = variables
    }

    /// The expression with each `$variable` replaced by its value (a list spreads inside `in (…)`).
    package func substitute(_ e: Expr) throws -> Expr {
        func literal(_ v: VariableValue, _ r: SourceRange) throws -> [Expr] {
            switch v {
            case .text(let s): return [.literal(.text(s), r)]
            case .number(let n): return [.literal(.number(n, scale: 0), r)]
            case .list(let items): return try items.flatMap { try literal($0, r) }
            }
        }
        func value(_ name: String, _ r: SourceRange) throws -> VariableValue {
            guard let v = variables?.value(name) else {
                throw Diagnostic("no variable '$\(name)'", at: r,
                                 help: Suggest.closest(to: name, in: variables?.names ?? []).map { "did you mean '$\($0)'?" } ?? "define it first: set \(name) = \"…\"")
            }
            return v
        }
        switch e {
        case .variable(let n, let r):
            let items = try literal(try value(n, r), r)
            guard items.count == 1 else { throw Diagnostic("$\(n) is a list; use it after 'in', e.g. force in $\(n)", at: r) }
            return items[0]
        case .column, .literal: return e
        case .call(let n, let args, let r): return .call(n, try args.map(substitute), r)
        case .unary(let op, let x, let r): return .unary(op, try substitute(x), r)
        case .binary(let op, let a, let b, let r): return .binary(op, try substitute(a), try substitute(b), r)
        case .inList(let x, let items, let neg, let r):
            var out: [Expr] = []
            for item in items {
                if case .variable(let n, let vr) = item { out += try literal(try value(n, vr), vr) } else { out.append(try substitute(item)) }
            }
            return .inList(try substitute(x), out, negated: neg, r)
        }
    }

    /// A text literal compared with the table's force column, spelled as the column spells it.
    package func forceSpelling(_ column: Expr, _ literal: Expr) -> Expr {
        guard case .column(let name, _) = column, case .literal(.text(let s), let r) = literal,
              let i = table.columnIndex(name), table.columns[i].name == (table.info.forceColumn ?? "force") else { return literal }
        let col = table.columns[i]
        let present = col.presentTexts()
        guard !present.contains(s), let m = forceNames.match(s, in: present) else { return literal }
        return .literal(.text(m), r)
    }

    package func compile(_ e: Expr) throws -> CompiledExpr {
        switch e {
        case .variable:
            return try compile(try substitute(e))
        case .call(let name, let args, let range):
            return try Functions.compile(name, args, range, self)
        case .column(let name, let range):
            let col = table.columns[try requireColumn(name, in: table, at: range)]
            return CompiledExpr(type: col.type.isNumeric ? .number : .text, eval: col.value, scale: col.scale, unit: col.unit)
        case .literal(let lit, _):
            let v: Value
            let t: ExprType
            var litScale = 0
            switch lit {
            case .number(let n, let sc): v = .number(n); t = .number; litScale = sc
            case .text(let s): v = .text(s); t = .text
            case .bool(let b): v = .bool(b); t = .bool
            case .missing: v = .missing; t = .unknown
            }
            return CompiledExpr(type: t, eval: { _ in v }, scale: litScale)
        case .unary(let op, let inner, let range):
            let c = try compile(inner)
            switch op {
            case .not:
                try expect(c, .bool, for: "'not'", at: range)
                return CompiledExpr(type: .bool) { row in
                    if case .bool(let b) = c.eval(row) { return .bool(!b) }
                    return .missing
                }
            case .negate:
                try expect(c, .number, for: "'-'", at: range)
                return CompiledExpr(type: .number) { row in
                    if case .number(let n) = c.eval(row) { return .number(-n) }
                    return .missing
                }
            }
        case .binary(let op, let l, let r, let range):
            return try binary(op, l, r, range)
        case .inList(let inner, let rawItems, let negated, _):
            let c = try compile(inner)
            let items = rawItems.map { forceSpelling(inner, $0) }
            var values: [Value] = []
            for item in items {
                let ci = try compile(item)
                if ci.type != c.type, ci.type != .unknown, c.type != .unknown {
                    throw Diagnostic("cannot look for \(ci.type.word) among \(describe(inner, c.type)) values", at: item.range,
                                     help: ci.type == .number ? "put text in quotes" : nil)
                }
                values.append(ci.eval(0))
            }
            // A text column against text values: compare dictionary codes, not strings.
            if case .column(let name, _) = inner, let col = table.column(name), case .text(let codes, let dict) = col.data,
               !values.contains(.missing), values.allSatisfy({ if case .text = $0 { return true }; return false }) {
                let wanted = Set(values.compactMap { v -> String? in if case .text(let t) = v { return t }; return nil })
                let hit = dict.map { wanted.contains($0) }
                let missing = col.missing
                return CompiledExpr(type: .bool) { row in
                    if missing[row] { return .missing }
                    return .bool(hit[Int(codes[row])] != negated)
                }
            }
            return CompiledExpr(type: .bool) { row in
                let v = c.eval(row)
                if v == .missing { return values.contains(.missing) ? .bool(!negated) : .missing }
                return .bool(values.contains(v) != negated)
            }
        }
    }

    private func describe(_ e: Expr, _ t: ExprType) -> String {
        if case .column(let name, _) = e { return "the \(t == .text ? "text" : "numeric") column '\(name)'," }
        return t.word
    }

    private func expect(_ c: CompiledExpr, _ t: ExprType, for what: String, at range: SourceRange) throws {
        guard c.type == t || c.type == .unknown else {
            throw Diagnostic("\(what) needs \(t.word), not \(c.type.word)", at: range)
        }
    }

    private func binary(_ op: BinaryOp, _ l: Expr, _ rawR: Expr, _ range: SourceRange) throws -> CompiledExpr {
        let r = op == .equal || op == .notEqual ? forceSpelling(l, rawR) : rawR
        if let fast = textFastPath(op, l, r) { return fast }
        let a = try compile(l)
        let b = try compile(r)
        switch op {
        case .and, .or:
            try expect(a, .bool, for: "'\(op.rawValue)'", at: l.range)
            try expect(b, .bool, for: "'\(op.rawValue)'", at: r.range)
            let isAnd = op == .and
            return CompiledExpr(type: .bool) { row in
                let x = a.eval(row), y = b.eval(row)
                if isAnd {
                    if x == .bool(false) || y == .bool(false) { return .bool(false) }
                    if x == .missing || y == .missing { return .missing }
                    return .bool(true)
                }
                if x == .bool(true) || y == .bool(true) { return .bool(true) }
                if x == .missing || y == .missing { return .missing }
                return .bool(false)
            }
        case .match, .notMatch:
            guard a.type == .text || a.type == .unknown else {
                throw Diagnostic("'\(op.rawValue)' matches text, but \(describeOperand(l, a.type)) is \(a.type.word)", at: l.range)
            }
            guard b.type == .text else {
                throw Diagnostic("'\(op.rawValue)' needs text to look for", at: r.range, help: "put the text in quotes, e.g. ~ \"caution\"")
            }
            let negate = op == .notMatch
            return CompiledExpr(type: .bool) { row in
                guard case .text(let s) = a.eval(row), case .text(let needle) = b.eval(row) else { return .missing }
                return .bool(TextMatch.contains(s, needle) != negate)
            }
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            // `x = missing` and `x != missing` ask whether a value is present.
            if a.type == .unknown || b.type == .unknown {
                guard op == .equal || op == .notEqual else {
                    throw Diagnostic("missing values cannot be ordered", at: range, help: "use = missing or != missing")
                }
                let other = a.type == .unknown ? b : a
                let wantMissing = op == .equal
                return CompiledExpr(type: .bool) { row in .bool((other.eval(row) == .missing) == wantMissing) }
            }
            guard a.type == b.type else {
                let help = b.type == .number && a.type == .text ? "put the number in quotes to compare it as text"
                    : (b.type == .text && a.type == .number ? "remove the quotes to compare a number" : nil)
                throw Diagnostic("cannot compare \(describeOperand(l, a.type)) (\(a.type.word)) with \(b.type.word)",
                                 at: range, help: help)
            }
            if a.type == .bool, op != .equal, op != .notEqual {
                throw Diagnostic("conditions cannot be ordered", at: range)
            }
            return CompiledExpr(type: .bool) { row in
                let x = a.eval(row), y = b.eval(row)
                guard let c = Self.order(x, y) else { return .missing }
                switch op {
                case .equal: return .bool(c == 0)
                case .notEqual: return .bool(c != 0)
                case .less: return .bool(c < 0)
                case .lessEqual: return .bool(c <= 0)
                case .greater: return .bool(c > 0)
                default: return .bool(c >= 0)
                }
            }
        case .add, .subtract, .multiply, .divide:
            try expect(a, .number, for: "'\(op.rawValue)'", at: l.range)
            try expect(b, .number, for: "'\(op.rawValue)'", at: r.range)
            let additive = op == .add || op == .subtract
            let scale = additive ? max(a.scale, b.scale) : min(4, max(2, a.scale + b.scale))
            // A difference of two percentages is in percentage points.
            let unit: String? = additive && a.unit == b.unit ? (op == .subtract && a.unit == "%" ? "pp" : a.unit) : nil
            return CompiledExpr(type: .number, eval: { row in
                guard case .number(let x) = a.eval(row), case .number(let y) = b.eval(row) else { return .missing }
                switch op {
                case .add: return .number(x + y)
                case .subtract: return .number(x - y)
                case .multiply: return .number(x * y)
                default: return y == 0 ? .missing : .number(x / y)
                }
            }, scale: scale, unit: unit)
        }
    }

    /// `text_column = "x"`, `!=`, `~` and `!~`: decided once per distinct value, then by code per row.
    private func textFastPath(_ op: BinaryOp, _ l: Expr, _ r: Expr) -> CompiledExpr? {
        guard [.equal, .notEqual, .match, .notMatch].contains(op),
              case .column(let name, _) = l, case .literal(.text(let needle), _) = r,
              let col = table.column(name), case .text(let codes, let dict) = col.data else { return nil }
        guard let hit = TextMatch.hits(op, dict, needle) else { return nil }
        let missing = col.missing
        return CompiledExpr(type: .bool) { row in
            if missing[row] { return .missing }
            return .bool(hit[Int(codes[row])])
        }
    }

    private func describeOperand(_ e: Expr, _ t: ExprType) -> String {
        if case .column(let name, _) = e { return "column '\(name)'" }
        return "the left side"
    }

    /// -1, 0 or 1; nil when either side is missing.
    package static func order(_ x: Value, _ y: Value) -> Int? {
        switch (x, y) {
        case (.number(let a), .number(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.text(let a), .text(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        default: return nil
        }
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
