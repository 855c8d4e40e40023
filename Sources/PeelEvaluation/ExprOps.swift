import PeelData
import PeelLanguage

/// The operators over whole vectors. Each takes the operands as the engine produced them and the
/// number of rows to compute (1 when every operand is a constant) and gives one vector.
package enum ExprOps {
    /// `and` / `or` with three-valued logic: a false (for `and`) or true (for `or`) side settles
    /// the result even when the other side is unknown.
    package static func logic(and isAnd: Bool, _ a: ExprVector, _ b: ExprVector, _ n: Int) -> ExprVector {
        var (x, xu) = a.truth(n)
        let (y, yu) = b.truth(n)
        if !xu.contains(true) && !yu.contains(true) {
            // Nothing unknown on either side (the usual case): plain two-valued logic in one
            // simple pass.
            x.withUnsafeMutableBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    if isAnd {
                        for i in 0..<n { x[i] = x[i] && y[i] }
                    } else {
                        for i in 0..<n { x[i] = x[i] || y[i] }
                    }
                }
            }
            return .truth(x, unknown: xu)
        }
        let decisive = !isAnd  // the value that settles the result whatever the other side is
        x.withUnsafeMutableBufferPointer { x in
            xu.withUnsafeMutableBufferPointer { xu in
                y.withUnsafeBufferPointer { y in
                    yu.withUnsafeBufferPointer { yu in
                        for i in 0..<n {
                            let aSettles = !xu[i] && x[i] == decisive
                            let bSettles = !yu[i] && y[i] == decisive
                            if aSettles || bSettles {
                                x[i] = decisive; xu[i] = false
                            } else if xu[i] || yu[i] {
                                xu[i] = true
                            } else {
                                x[i] = !decisive
                            }
                        }
                    }
                }
            }
        }
        return .truth(x, unknown: xu)
    }

    /// `+ - * /` on numbers: missing in, missing out; division by zero gives missing.
    package static func arithmetic(_ op: BinaryOp, _ a: ExprVector, _ b: ExprVector, _ n: Int) -> ExprVector {
        var (x, mx) = a.numbers(n)
        let (y, my) = b.numbers(n)
        x.withUnsafeMutableBufferPointer { x in
            mx.withUnsafeMutableBufferPointer { mx in
                y.withUnsafeBufferPointer { y in
                    my.withUnsafeBufferPointer { my in
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
        return .numbers(x, missing: mx)
    }

    /// The six comparisons on numbers; unknown where either side is missing.
    package static func compareNumbers(_ op: BinaryOp, _ a: ExprVector, _ b: ExprVector, _ n: Int) -> ExprVector {
        let (x, mx) = a.numbers(n)
        var out = [Bool](repeating: false, count: n)
        var unknown = mx
        // A column against a number, the common case, reads the number once.
        if case .constant(let c) = b {
            guard case .number(let k) = c else { return .truth(out, unknown: [Bool](repeating: true, count: n)) }
            x.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { out in
                    func run(_ test: (Double, Double) -> Bool) { for i in 0..<n { out[i] = test(x[i], k) } }
                    ordered(op, run)
                }
            }
            return .truth(out, unknown: unknown)
        }
        let (y, my) = b.numbers(n)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { out in
                    func run(_ test: (Double, Double) -> Bool) { for i in 0..<n { out[i] = test(x[i], y[i]) } }
                    ordered(op, run)
                }
            }
        }
        for i in 0..<n where my[i] { unknown[i] = true }
        return .truth(out, unknown: unknown)
    }

    /// Runs `body` with the test for a comparison operator.
    @inline(__always)
    package static func ordered(_ op: BinaryOp, _ body: ((Double, Double) -> Bool) -> Void) {
        switch op {
        case .equal: body(==)
        case .notEqual: body(!=)
        case .less: body(<)
        case .lessEqual: body(<=)
        case .greater: body(>)
        default: body(>=)
        }
    }

    /// Comparisons and `~` / `!~` on text; unknown where either side is missing. Against a
    /// constant, each distinct value is decided once and rows are looked up by code.
    package static func compareText(_ op: BinaryOp, _ a: ExprVector, _ b: ExprVector, _ n: Int) -> ExprVector {
        if case .constant(let c) = b, a.isTextLike {
            let (codes, dict, missing) = a.text(n)
            guard case .text(let needle) = c, let hit = TextMatch.hits(op, dict, needle) else {
                return .truth([Bool](repeating: false, count: n), unknown: [Bool](repeating: true, count: n))
            }
            return .truth(byCode(codes, hit), unknown: missing)
        }
        if case .constant(.text(let s)) = a, let flipped = flip(op), b.isTextLike {
            let (codes, dict, missing) = b.text(n)
            guard let hit = TextMatch.hits(flipped, dict, s) else { return .truth([Bool](repeating: false, count: n), unknown: missing) }
            return .truth(byCode(codes, hit), unknown: missing)
        }
        let (ca, da, ma) = a.text(n)
        let (cb, db, mb) = b.text(n)
        var out = [Bool](repeating: false, count: n)
        var unknown = [Bool](repeating: false, count: n)
        for i in 0..<n {
            if ma[i] || mb[i] { unknown[i] = true; continue }
            let x = da[Int(ca[i])], y = db[Int(cb[i])]
            switch op {
            case .equal: out[i] = x == y
            case .notEqual: out[i] = x != y
            case .less: out[i] = x < y
            case .lessEqual: out[i] = x <= y
            case .greater: out[i] = x > y
            case .greaterEqual: out[i] = x >= y
            case .match: out[i] = TextMatch.contains(x, y)
            default: out[i] = !TextMatch.contains(x, y)
            }
        }
        return .truth(out, unknown: unknown)
    }

    /// `c OP x` as `x OP' c`, for the operators that can be turned round.
    private static func flip(_ op: BinaryOp) -> BinaryOp? {
        switch op {
        case .equal, .notEqual: return op
        case .less: return .greater
        case .lessEqual: return .greaterEqual
        case .greater: return .less
        case .greaterEqual: return .lessEqual
        default: return nil
        }
    }

    /// One flag per row, looked up by the row's code.
    package static func byCode(_ codes: [Int32], _ hit: [Bool]) -> [Bool] {
        codes.withUnsafeBufferPointer { c in
            hit.withUnsafeBufferPointer { h in
                [Bool](unsafeUninitializedCapacity: c.count) { out, k in
                    for i in 0..<c.count { out[i] = h[Int(c[i])] }
                    k = c.count
                }
            }
        }
    }

    /// A column of periods (its codes index `periods`) against one period `k`, in time
    /// (`TimeTest`); `literalFirst` for `k OP column`. Decided once per distinct value.
    package static func comparePeriods(_ t: TimeTest, _ column: ExprVector, _ periods: [Period], _ k: Period,
                                       literalFirst: Bool, _ n: Int) -> ExprVector {
        let (codes, _, missing) = column.text(n)
        let hit = periods.map { literalFirst ? k.test(t, $0) : $0.test(t, k) }
        return .truth(byCode(codes, hit), unknown: missing)
    }

    /// Two columns of periods compared row by row, in time; unknown where either is missing.
    package static func comparePeriods(_ t: TimeTest, _ a: ExprVector, _ pa: [Period], _ b: ExprVector, _ pb: [Period], _ n: Int) -> ExprVector {
        let (ca, _, ma) = a.text(n)
        let (cb, _, mb) = b.text(n)
        var out = [Bool](repeating: false, count: n)
        var unknown = [Bool](repeating: false, count: n)
        for i in 0..<n {
            if ma[i] || mb[i] { unknown[i] = true; continue }
            out[i] = pa[Int(ca[i])].test(t, pb[Int(cb[i])])
        }
        return .truth(out, unknown: unknown)
    }

    /// `x in (…)` for a column of periods and a list of periods: a value is in the list when it
    /// covers the same months as an item; a missing value only when the list holds `missing`.
    package static func periodMember(_ x: ExprVector, _ periods: [Period], of wanted: [Period], listHasMissing: Bool,
                                     negated: Bool, _ n: Int) -> ExprVector {
        let (codes, _, missing) = x.text(n)
        let hit = periods.map { p in wanted.contains { $0.sameSpan(p) } != negated }
        var out = byCode(codes, hit)
        var unknown = missing
        if listHasMissing {
            for i in 0..<n where missing[i] { out[i] = !negated; unknown[i] = false }
        }
        return .truth(out, unknown: unknown)
    }

    /// `=` and `!=` between conditions; unknown where either side is.
    package static func compareTruth(_ op: BinaryOp, _ a: ExprVector, _ b: ExprVector, _ n: Int) -> ExprVector {
        var (x, xu) = a.truth(n)
        let (y, yu) = b.truth(n)
        let same = op == .equal
        for i in 0..<n {
            if yu[i] { xu[i] = true }
            x[i] = (x[i] == y[i]) == same
        }
        return .truth(x, unknown: xu)
    }

    /// `x in (v1, v2, …)`: a missing `x` is in the list only when the list holds `missing`.
    package static func member(_ x: ExprVector, of items: [ExprVector], negated: Bool, _ n: Int) -> ExprVector {
        var out = [Bool](repeating: false, count: n)
        var unknown = [Bool](repeating: false, count: n)
        if items.allSatisfy(\.isConstant) {
            let values = items.map { $0.value(0) }
            let hasMissing = values.contains(.missing)
            // Text against a list of text: decided once per distinct value.
            if case .text(let codes, let dict, let missing) = x, !hasMissing,
               values.allSatisfy({ if case .text = $0 { return true }; return false }) {
                let wanted = Set(values.compactMap { v -> String? in if case .text(let t) = v { return t }; return nil })
                return .truth(byCode(codes, dict.map { wanted.contains($0) != negated }), unknown: missing)
            }
            for i in 0..<n {
                let v = x.value(i)
                if v == .missing {
                    if hasMissing { out[i] = !negated } else { unknown[i] = true }
                } else {
                    out[i] = values.contains(v) != negated
                }
            }
            return .truth(out, unknown: unknown)
        }
        // Items that vary by row are compared row by row.
        for i in 0..<n {
            let v = x.value(i)
            let values = items.map { $0.value(i) }
            if v == .missing {
                if values.contains(.missing) { out[i] = !negated } else { unknown[i] = true }
            } else {
                out[i] = values.contains(v) != negated
            }
        }
        return .truth(out, unknown: unknown)
    }
}

extension ExprVector {
    /// Text, or a constant (that `text(_:)` reads without a pass per row).
    var isTextLike: Bool {
        switch self {
        case .text, .constant: return true
        default: return false
        }
    }
}
