import PeelSupport

/// An expression inside a verb: `share > 5 and force = "Leicestershire"`.
public indirect enum Expr: Sendable {
    case column(String, SourceRange)
    case literal(Literal, SourceRange)
    /// `$name`, looked up when the command runs.
    case variable(String, SourceRange)
    case unary(UnaryOp, Expr, SourceRange)
    case binary(BinaryOp, Expr, Expr, SourceRange)
    /// `round(share, 1)`, `per_1000(offences, population)`.
    case call(String, [Expr], SourceRange)
    /// `x in (a, b)`; `negated` for `not in`.
    case inList(Expr, [Expr], negated: Bool, SourceRange)

    public var range: SourceRange {
        switch self {
        case .column(_, let r), .literal(_, let r), .variable(_, let r), .unary(_, _, let r), .binary(_, _, _, let r), .inList(_, _, _, let r), .call(_, _, let r):
            return r
        }
    }
}

public enum Literal: Equatable, Sendable {
    case number(Double, scale: Int)
    case text(String)
    case bool(Bool)
    case missing
}

public enum UnaryOp: String, Sendable {
    case not, negate = "-"
}

public enum BinaryOp: String, Sendable {
    case and, or
    case equal = "=", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case match = "~", notMatch = "!~"
    case add = "+", subtract = "-", multiply = "*", divide = "/"

    package var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .match, .notMatch: return true
        default: return false
        }
    }
    package var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide: return true
        default: return false
        }
    }
}

extension Expr {
    /// A compact, unambiguous rendering used by `ast` dumps and parser tests.
    public var dump: String {
        switch self {
        case .column(let name, _): return "col(\(name))"
        case .variable(let name, _): return "var(\(name))"
        case .call(let name, let args, _): return "\(name)(" + args.map(\.dump).joined(separator: ", ") + ")"
        case .literal(let lit, _):
            switch lit {
            case .number(let v, let scale): return "num(\(NumberFormat.fixed(v, scale: scale)))"
            case .text(let s): return "str(\(quoteForDump(s)))"
            case .bool(let b): return b ? "true" : "false"
            case .missing: return "missing"
            }
        case .unary(let op, let e, _): return "(\(op.rawValue) \(e.dump))"
        case .binary(let op, let l, let r, _): return "(\(op.rawValue) \(l.dump) \(r.dump))"
        case .inList(let e, let items, let negated, _):
            return "(\(negated ? "not in" : "in") \(e.dump) [\(items.map(\.dump).joined(separator: ", "))])"
        }
    }

    /// Column names the expression reads, with where each is used.
    public var columnReferences: [(String, SourceRange)] {
        switch self {
        case .column(let n, let r): return [(n, r)]
        case .literal, .variable: return []
        case .unary(_, let e, _): return e.columnReferences
        case .binary(_, let l, let r, _): return l.columnReferences + r.columnReferences
        case .inList(let e, let items, _, _): return e.columnReferences + items.flatMap(\.columnReferences)
        case .call(_, let args, _): return args.flatMap(\.columnReferences)
        }
    }
}

