import OrderedCollections
import PeelData

/// One value per row of a table, as an expression produced it: the storage the engine passes
/// between nodes, so that each node is one pass over arrays rather than a call per row.
package enum ExprVector {
    /// The same value on every row (a literal, a total).
    case constant(Value)
    /// Numbers, with a flag per row for missing (the number under a set flag means nothing).
    case numbers([Double], missing: [Bool])
    /// Three-valued conditions: `unknown` where a missing value took part.
    case truth([Bool], unknown: [Bool])
    /// Text as codes into a dictionary, with a flag per row for missing.
    case text(codes: [Int32], dictionary: [String], missing: [Bool])
    /// Anything else (an `if` choosing between different kinds of value): a value per row.
    case values([Value])

    /// The vector of a table column; dates read as their ISO text, as everywhere in expressions.
    package init(column col: Column, rows n: Int) {
        let missing = Self.flags(col.missing, n)
        switch col.data {
        case .integer, .decimal:
            self = .numbers(col.doubles(), missing: missing)
        case .text(let codes, let dict):
            self = .text(codes: codes, dictionary: dict, missing: missing)
        case .date(let days):
            // Each distinct day once, in first-seen order; a row's code is its day's position.
            var distinct = OrderedSet<Int32>()
            var codes = [Int32](repeating: 0, count: days.count)
            for (i, d) in days.enumerated() { codes[i] = Int32(distinct.append(d).index) }
            self = .text(codes: codes, dictionary: distinct.map(CivilDate.iso), missing: missing)
        }
    }

    /// A column's missing mask as one flag per row.
    package static func flags(_ m: MissingMask, _ n: Int) -> [Bool] {
        m.flags(n)
    }

    package var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }

    /// The value at `row`.
    package func value(_ row: Int) -> Value {
        switch self {
        case .constant(let v): return v
        case .numbers(let v, let m): return m[row] ? .missing : .number(v[row])
        case .truth(let v, let u): return u[row] ? .missing : .bool(v[row])
        case .text(let c, let d, let m): return m[row] ? .missing : .text(d[Int(c[row])])
        case .values(let v): return v[row]
        }
    }

    /// Whether the value at `row` is missing.
    package func isMissing(_ row: Int) -> Bool {
        switch self {
        case .constant(let v): return v == .missing
        case .numbers(_, let m), .truth(_, let m), .text(_, _, let m): return m[row]
        case .values(let v): return v[row] == .missing
        }
    }

    /// As numbers over `n` rows; a value that is not a number reads as missing.
    package func numbers(_ n: Int) -> (values: [Double], missing: [Bool]) {
        switch self {
        case .numbers(let v, let m): return (v, m)
        case .constant(.number(let x)): return ([Double](repeating: x, count: n), [Bool](repeating: false, count: n))
        case .constant: return ([Double](repeating: 0, count: n), [Bool](repeating: true, count: n))
        default:
            var v = [Double](repeating: 0, count: n), m = [Bool](repeating: true, count: n)
            for i in 0..<n { if case .number(let x) = value(i) { v[i] = x; m[i] = false } }
            return (v, m)
        }
    }

    /// As conditions over `n` rows; a value that is not true or false reads as unknown.
    package func truth(_ n: Int) -> (value: [Bool], unknown: [Bool]) {
        switch self {
        case .truth(let v, let u): return (v, u)
        case .constant(.bool(let b)): return ([Bool](repeating: b, count: n), [Bool](repeating: false, count: n))
        case .constant: return ([Bool](repeating: false, count: n), [Bool](repeating: true, count: n))
        default:
            var v = [Bool](repeating: false, count: n), u = [Bool](repeating: true, count: n)
            for i in 0..<n { if case .bool(let b) = value(i) { v[i] = b; u[i] = false } }
            return (v, u)
        }
    }

    /// As coded text over `n` rows; a value that is not text reads as missing.
    package func text(_ n: Int) -> (codes: [Int32], dictionary: [String], missing: [Bool]) {
        switch self {
        case .text(let c, let d, let m): return (c, d, m)
        case .constant(.text(let s)): return ([Int32](repeating: 0, count: n), [s], [Bool](repeating: false, count: n))
        case .constant: return ([Int32](repeating: 0, count: n), [""], [Bool](repeating: true, count: n))
        default:
            var distinct = OrderedSet<String>()
            var c = [Int32](repeating: 0, count: n), m = [Bool](repeating: true, count: n)
            for i in 0..<n {
                guard case .text(let s) = value(i) else { continue }
                m[i] = false
                c[i] = Int32(distinct.append(s).index)
            }
            return (c, distinct.isEmpty ? [""] : Array(distinct), m)
        }
    }

    /// The rows whose value is true; missing and anything else count as not true.
    package func trueRows(_ n: Int) -> [Int] {
        switch self {
        case .constant(let v): return v == .bool(true) ? Array(0..<n) : []
        case .truth(let v, let u):
            return v.withUnsafeBufferPointer { v in
                u.withUnsafeBufferPointer { u in
                    var count = 0
                    for i in 0..<n where v[i] && !u[i] { count += 1 }
                    return [Int](unsafeUninitializedCapacity: count) { out, k in
                        k = 0
                        for i in 0..<n where v[i] && !u[i] { out[k] = i; k += 1 }
                    }
                }
            }
        default:
            return (0..<n).filter { value($0) == .bool(true) }
        }
    }
}
