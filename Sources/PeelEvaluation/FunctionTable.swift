import PeelSupport
import PeelLanguage

/// A call of a function as the engine hands it over: the arguments evaluated, and as written.
package struct FunctionCall {
    package let name: String
    package let args: [ExprResult]
    package let exprs: [Expr]
    package let range: SourceRange
    /// Rows in the table: constants are spread over this many.
    package let rows: Int

    /// Argument `i` as numbers over every row.
    package func numbers(_ i: Int) -> (values: [Double], missing: [Bool]) { args[i].vector.numbers(rows) }

    /// The sum of argument `i` over the rows where it is present, refused when too large.
    package func total(_ i: Int) throws -> Double {
        let (v, m) = numbers(i)
        var s = 0.0
        for r in 0..<rows where !m[r] { s += v[r] }
        guard s.isFinite else { throw EvalError.totalTooLarge(at: exprs[i].range) }
        return s
    }
}

/// One function an expression can call: its name, what it takes and gives, its implementation
/// over whole columns, and the line that describes it in `help add` and docs/language.md.
package struct ExprFunction: Sendable {
    /// What an argument must be.
    package enum Parameter: Sendable {
        case number, condition, value
    }

    package let name: String
    /// As help and the docs write it: `round(x[, decimals])`.
    package let signature: String
    /// What a call with the wrong number of arguments is shown: `round(x) or round(x, decimals)`.
    package let usage: String
    package let arity: ClosedRange<Int>
    /// One per argument position (an optional argument's entry applies when it is given).
    package let parameters: [Parameter]
    /// What the result is, in words, for the docs: "a number", "as a and b".
    package let result: String
    /// What the function gives, in a line.
    package let help: String
    /// The implementation, given arguments already checked against `arity` and `parameters`.
    package let apply: @Sendable (FunctionCall) throws -> ExprResult

    /// Checks the call's arguments, then applies the function.
    package func call(_ c: FunctionCall) throws -> ExprResult {
        guard arity.contains(c.args.count) else {
            throw EvalError.wrongArgumentCount(function: name, arity: arity, usage: usage, at: c.range)
        }
        for (i, (a, e)) in zip(c.args, c.exprs).enumerated() where a.type != .unknown {
            switch parameters[i] {
            case .number where a.type != .number:
                throw EvalError.functionNeedsNumbers(function: name, found: a.type, at: e.range)
            case .condition where a.type != .bool:
                throw EvalError.functionNeedsCondition(function: name, found: a.type, at: e.range)
            default:
                continue
            }
        }
        return try apply(c)
    }
}

/// The functions expressions can call, in the order help lists them. Evaluation, `help add`, the
/// suggestions for a mistyped name and the functions section of docs/language.md all come from here.
package enum FunctionTable {
    package static let all: [ExprFunction] = [
        ExprFunction(
            name: "round", signature: "round(x[, decimals])", usage: "round(x) or round(x, decimals)",
            arity: 1...2, parameters: [.number, .number], result: "a number",
            help: "x rounded (halves away from zero) to `decimals` places, 0 to 10",
            apply: { c in
                var places = 0
                if c.args.count == 2 {
                    guard case .literal(.number(let d, 0), _) = c.exprs[1], d >= 0, d <= 10 else {
                        throw EvalError.badDecimals(at: c.exprs[1].range)
                    }
                    places = Int(d)
                }
                var (v, m) = c.numbers(0)
                for i in 0..<c.rows where !m[i] { v[i] = NumberFormat.roundHalfAway(v[i], places: places) }
                return ExprResult(type: .number, vector: .numbers(v, missing: m), scale: places, unit: c.args[0].unit)
            }),
        ExprFunction(
            name: "abs", signature: "abs(x)", usage: "abs(x)", arity: 1...1, parameters: [.number], result: "a number",
            help: "x without its sign",
            apply: { c in
                var (v, m) = c.numbers(0)
                for i in 0..<c.rows { v[i] = abs(v[i]) }
                return ExprResult(type: .number, vector: .numbers(v, missing: m), scale: c.args[0].scale, unit: c.args[0].unit)
            }),
        rate("pct", "pct(x, of)", factor: 100, unit: "%", help: "x as a percentage of `of`"),
        rate("per_1000", "per_1000(x, population)", factor: 1000, unit: "per 1,000", help: "x per 1,000 of the population"),
        rate("per_100000", "per_100000(x, population)", factor: 100_000, unit: "per 100,000", help: "x per 100,000 of the population"),
        ExprFunction(
            name: "percent_of_total", signature: "percent_of_total(x)", usage: "percent_of_total(x)", arity: 1...1,
            parameters: [.number], result: "a number",
            help: "x as a percentage of the column's total over the rows present",
            apply: { c in
                let total = try c.total(0)
                var (v, m) = c.numbers(0)
                for i in 0..<c.rows {
                    if m[i] || total == 0 { m[i] = true } else { v[i] = v[i] / total * 100 }
                }
                return ExprResult(type: .number, vector: .numbers(v, missing: m), scale: 1, unit: "%")
            }),
        ExprFunction(
            name: "total", signature: "total(x)", usage: "total(x)", arity: 1...1, parameters: [.number], result: "a number",
            help: "the column's total over the rows present, on every row",
            apply: { c in
                ExprResult(type: .number, vector: .constant(.number(try c.total(0))), scale: c.args[0].scale, unit: c.args[0].unit)
            }),
        ExprFunction(
            name: "if", signature: "if(condition, a, b)", usage: "if(condition, value when true, value otherwise)",
            arity: 3...3, parameters: [.condition, .value, .value], result: "as a and b",
            help: "a where the condition holds, b where it does not, missing if unknown",
            apply: { c in
                let (a, b) = (c.args[1], c.args[2])
                let numeric = a.type == .number || b.type == .number
                if numeric, (a.type != .number && a.type != .unknown) || (b.type != .number && b.type != .unknown) {
                    throw EvalError.ifMixesTypes(at: c.range)
                }
                return ExprResult(type: numeric ? .number : a.type, vector: choose(c.args[0].vector, a.vector, b.vector, c.rows),
                                  scale: max(a.scale, b.scale), unit: a.unit ?? b.unit)
            }),
    ]

    package static let names = all.map(\.name)

    package static func named(_ name: String) -> ExprFunction? { all.first { $0.name == name } }

    /// `pct`, `per_1000` and `per_100000`: x / denominator × factor, missing when the denominator is 0.
    private static func rate(_ name: String, _ signature: String, factor: Double, unit: String, help: String) -> ExprFunction {
        ExprFunction(
            name: name, signature: signature, usage: "\(name)(count, denominator)", arity: 2...2,
            parameters: [.number, .number], result: "a number", help: help + " (unit \(unit))",
            apply: { c in
                var (v, m) = c.numbers(0)
                let (d, dm) = c.numbers(1)
                for i in 0..<c.rows {
                    if m[i] || dm[i] || d[i] == 0 { m[i] = true } else { v[i] = v[i] / d[i] * factor }
                }
                return ExprResult(type: .number, vector: .numbers(v, missing: m), scale: 1, unit: unit)
            })
    }

    /// `if` over whole vectors: `a` where the condition is true, `b` where false, missing where unknown.
    private static func choose(_ cond: ExprVector, _ a: ExprVector, _ b: ExprVector, _ n: Int) -> ExprVector {
        let (t, u) = cond.truth(n)
        func isNumeric(_ v: ExprVector) -> Bool {
            switch v {
            case .numbers, .constant(.number), .constant(.missing): return true
            default: return false
            }
        }
        func isText(_ v: ExprVector) -> Bool {
            switch v {
            case .text, .constant(.text), .constant(.missing): return true
            default: return false
            }
        }
        func isTruth(_ v: ExprVector) -> Bool {
            switch v {
            case .truth, .constant(.bool), .constant(.missing): return true
            default: return false
            }
        }
        if isNumeric(a), isNumeric(b) {
            // A constant side (`if(c, x, 0)`) is read once rather than spread over every row.
            func side(_ s: ExprVector) -> (values: [Double], missing: [Bool], value: Double, isMissing: Bool) {
                switch s {
                case .constant(.number(let k)): return ([], [], k, false)
                case .constant: return ([], [], 0, true)
                default: let (v, m) = s.numbers(n); return (v, m, 0, false)
                }
            }
            let x = side(a), y = side(b)
            var m = [Bool](largeRepeating: false, count: n)
            let v = [Double](largeUninitializedCapacity: n) { v, count in
                t.withUnsafeBufferPointer { t in
                    u.withUnsafeBufferPointer { u in
                        x.values.withUnsafeBufferPointer { xv in
                            x.missing.withUnsafeBufferPointer { xm in
                                y.values.withUnsafeBufferPointer { yv in
                                    y.missing.withUnsafeBufferPointer { ym in
                                        m.withUnsafeMutableBufferPointer { m in
                                            let xc = xv.isEmpty, yc = yv.isEmpty
                                            for i in 0..<n {
                                                if u[i] { v[i] = 0; m[i] = true } else if t[i] {
                                                    v[i] = xc ? x.value : xv[i]; m[i] = xc ? x.isMissing : xm[i]
                                                } else {
                                                    v[i] = yc ? y.value : yv[i]; m[i] = yc ? y.isMissing : ym[i]
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                count = n
            }
            return .numbers(v, missing: m)
        }
        if isTruth(a), isTruth(b) {
            let (x, xu) = a.truth(n), (y, yu) = b.truth(n)
            var v = [Bool](repeating: false, count: n), m = [Bool](repeating: false, count: n)
            for i in 0..<n {
                if u[i] { m[i] = true } else if t[i] { v[i] = x[i]; m[i] = xu[i] } else { v[i] = y[i]; m[i] = yu[i] }
            }
            return .truth(v, unknown: m)
        }
        if isText(a), isText(b) {
            // One dictionary: a's values, then b's after them.
            let (ca, da, ma) = a.text(n), (cb, db, mb) = b.text(n)
            let offset = Int32(da.count)
            var codes = [Int32](repeating: 0, count: n), m = [Bool](repeating: false, count: n)
            for i in 0..<n {
                if u[i] { m[i] = true } else if t[i] { codes[i] = ca[i]; m[i] = ma[i] } else { codes[i] = cb[i] + offset; m[i] = mb[i] }
            }
            return .text(codes: codes, dictionary: da + db, missing: m)
        }
        return .values((0..<n).map { i in u[i] ? .missing : (t[i] ? a.value(i) : b.value(i)) })
    }
}

extension FunctionTable {
    /// The functions as `help add` lists them: signature, then what it gives, aligned.
    package static var helpLines: [String] {
        let width = all.map(\.signature.count).max() ?? 0
        return all.map { $0.signature + String(repeating: " ", count: width + 2 - $0.signature.count) + $0.help }
    }

    /// The functions section of docs/language.md, between its markers.
    package static var markdown: String {
        (["| function | result | what it gives |", "|---|---|---|"] + all.map { "| `\($0.signature)` | \($0.result) | \($0.help) |" })
            .joined(separator: "\n")
    }
}
