import Foundation
import PeelSupport
import PeelData
import PeelStats
import PeelIO
import PeelRender
import PeelLanguage

/// Whole-column evaluation of the numeric expressions `add` computes: each node is one pass over
/// arrays instead of one closure call per row. It gives exactly what the row-by-row closures give
/// (the same operations in the same order) and covers columns, numbers, `missing`, + - * /,
/// unary minus, the numeric functions and `if` with comparisons joined by and/or/not. Anything
/// else returns nil and the caller evaluates row by row. The expression has already been
/// type-checked by `ExprCompiler`, so types here are as the compiler found them.
package enum VectorExpr {
    /// Numbers with a flag per row for missing.
    package struct Numbers {
        package var values: [Double]
        package var missing: [Bool]
    }

    /// Three-valued conditions: true, false, or unknown (a missing value took part).
    package struct Truth {
        package var value: [Bool]
        package var unknown: [Bool]
    }

    package static func numbers(_ e: Expr, _ c: ExprCompiler) -> Numbers? {
        let n = c.table.rowCount
        switch e {
        case .column(let name, _):
            guard let col = c.table.column(name), col.type.isNumeric else { return nil }
            let m = col.missing
            return Numbers(values: col.doubles(), missing: m.isEmpty ? [Bool](repeating: false, count: n) : (0..<n).map { m[$0] })
        case .literal(.number(let x, _), _):
            return Numbers(values: [Double](repeating: x, count: n), missing: [Bool](repeating: false, count: n))
        case .literal(.missing, _):
            return Numbers(values: [Double](repeating: 0, count: n), missing: [Bool](repeating: true, count: n))
        case .unary(.negate, let x, _):
            guard var a = numbers(x, c) else { return nil }
            for i in 0..<n { a.values[i] = -a.values[i] }
            return a
        case .binary(let op, let l, let r, _) where [.add, .subtract, .multiply, .divide].contains(op):
            guard var a = numbers(l, c), let b = numbers(r, c) else { return nil }
            a.values.withUnsafeMutableBufferPointer { x in
                a.missing.withUnsafeMutableBufferPointer { mx in
                    b.values.withUnsafeBufferPointer { y in
                        b.missing.withUnsafeBufferPointer { my in
                            for i in 0..<n {
                                if mx[i] || my[i] { mx[i] = true; continue }
                                switch op {
                                case .add: x[i] += y[i]
                                case .subtract: x[i] -= y[i]
                                case .multiply: x[i] *= y[i]
                                default: if y[i] == 0 { mx[i] = true } else { x[i] /= y[i] }
                                }
                            }
                        }
                    }
                }
            }
            return a
        case .call(let name, let args, _):
            return call(name, args, c)
        default:
            return nil
        }
    }

    private static func call(_ name: String, _ args: [Expr], _ c: ExprCompiler) -> Numbers? {
        let n = c.table.rowCount
        func sum(_ a: Numbers) -> Double {
            var s = 0.0
            for i in 0..<n where !a.missing[i] { s += a.values[i] }
            return s
        }
        switch (name, args.count) {
        case ("if", 3):
            guard let t = truth(args[0], c), let a = numbers(args[1], c), let b = numbers(args[2], c) else { return nil }
            var values = [Double](repeating: 0, count: n), missing = [Bool](repeating: false, count: n)
            values.withUnsafeMutableBufferPointer { v in
                missing.withUnsafeMutableBufferPointer { m in
                    for i in 0..<n {
                        if t.unknown[i] { m[i] = true } else if t.value[i] {
                            v[i] = a.values[i]; m[i] = a.missing[i]
                        } else {
                            v[i] = b.values[i]; m[i] = b.missing[i]
                        }
                    }
                }
            }
            return Numbers(values: values, missing: missing)
        case ("round", 1), ("round", 2):
            var places = 0
            if args.count == 2 {
                guard case .literal(.number(let d, 0), _) = args[1], d >= 0, d <= 10 else { return nil }
                places = Int(d)
            }
            guard var a = numbers(args[0], c) else { return nil }
            for i in 0..<n where !a.missing[i] { a.values[i] = NumberFormat.roundHalfAway(a.values[i], places: places) }
            return a
        case ("abs", 1):
            guard var a = numbers(args[0], c) else { return nil }
            for i in 0..<n { a.values[i] = abs(a.values[i]) }
            return a
        case ("pct", 2), ("per_1000", 2), ("per_100000", 2):
            let factor = name == "pct" ? 100.0 : name == "per_1000" ? 1000.0 : 100_000.0
            guard var a = numbers(args[0], c), let b = numbers(args[1], c) else { return nil }
            for i in 0..<n {
                if a.missing[i] || b.missing[i] || b.values[i] == 0 { a.missing[i] = true } else { a.values[i] = a.values[i] / b.values[i] * factor }
            }
            return a
        case ("total", 1):
            guard let a = numbers(args[0], c) else { return nil }
            let s = sum(a)
            return Numbers(values: [Double](repeating: s, count: n), missing: [Bool](repeating: false, count: n))
        case ("percent_of_total", 1):
            guard var a = numbers(args[0], c) else { return nil }
            let s = sum(a)
            for i in 0..<n {
                // An infinite total stays infinite, so that `add` refuses it rather than show 0%.
                if a.missing[i] || s == 0 { a.missing[i] = true } else { a.values[i] = s.isFinite ? a.values[i] / s * 100 : s }
            }
            return a
        default:
            return nil
        }
    }

    package static func truth(_ e: Expr, _ c: ExprCompiler) -> Truth? {
        let n = c.table.rowCount
        switch e {
        case .literal(.bool(let b), _):
            return Truth(value: [Bool](repeating: b, count: n), unknown: [Bool](repeating: false, count: n))
        case .unary(.not, let x, _):
            guard var t = truth(x, c) else { return nil }
            for i in 0..<n { t.value[i].toggle() }
            return t
        case .binary(let op, let l, let r, _) where op == .and || op == .or:
            guard var a = truth(l, c), let b = truth(r, c) else { return nil }
            let decisive = op == .or  // the value that settles the result whatever the other side is
            for i in 0..<n {
                let aSettles = !a.unknown[i] && a.value[i] == decisive
                let bSettles = !b.unknown[i] && b.value[i] == decisive
                if aSettles || bSettles {
                    a.value[i] = decisive; a.unknown[i] = false
                } else if a.unknown[i] || b.unknown[i] {
                    a.unknown[i] = true
                } else {
                    a.value[i] = !decisive
                }
            }
            return a
        case .binary(let op, let l, let rawR, _) where [.equal, .notEqual, .match, .notMatch].contains(op):
            let r = op == .equal || op == .notEqual ? c.forceSpelling(l, rawR) : rawR
            if case .column(let name, _) = l, case .literal(.text(let needle), _) = r,
               let col = c.table.column(name), case .text(let codes, let dict) = col.data {
                guard let hit = TextMatch.hits(op, dict, needle) else { return nil }
                let m = col.missing
                return Truth(value: codes.map { hit[Int($0)] }, unknown: m.isEmpty ? [Bool](repeating: false, count: n) : (0..<n).map { m[$0] })
            }
            guard op == .equal || op == .notEqual else { return nil }
            return compareNumbers(op, l, r, c)
        case .binary(let op, let l, let r, _) where [.less, .lessEqual, .greater, .greaterEqual].contains(op):
            return compareNumbers(op, l, r, c)
        default:
            return nil
        }
    }

    private static func compareNumbers(_ op: BinaryOp, _ l: Expr, _ r: Expr, _ c: ExprCompiler) -> Truth? {
        // `x = missing` asks a different question; leave it to the row path.
        if case .literal(.missing, _) = l { return nil }
        if case .literal(.missing, _) = r { return nil }
        guard let a = numbers(l, c), let b = numbers(r, c) else { return nil }
        let n = c.table.rowCount
        var t = Truth(value: [Bool](repeating: false, count: n), unknown: [Bool](repeating: false, count: n))
        for i in 0..<n {
            if a.missing[i] || b.missing[i] { t.unknown[i] = true; continue }
            let x = a.values[i], y = b.values[i]
            switch op {
            case .equal: t.value[i] = x == y
            case .notEqual: t.value[i] = x != y
            case .less: t.value[i] = x < y
            case .lessEqual: t.value[i] = x <= y
            case .greater: t.value[i] = x > y
            default: t.value[i] = x >= y
            }
        }
        return t
    }
}
