@testable import PeelSupport
@testable import PeelData
@testable import PeelLanguage
@testable import PeelEvaluation
import XCTest

/// A row-by-row evaluator written from the language's rules, independent of the engine: missing
/// propagates through arithmetic and functions, a comparison with a missing value is unknown,
/// `and`/`or` are three-valued, `x = missing` tests for presence, division by zero is missing.
struct ReferenceEvaluator {
    let table: Table

    /// The static type, as far as the rules need it (`if` takes the type of its branches).
    func type(_ e: Expr) -> ExprType {
        switch e {
        case .column(let n, _): return table.column(n)?.type.isNumeric == true ? .number : .text
        case .literal(.number, _): return .number
        case .literal(.text, _): return .text
        case .literal(.bool, _): return .bool
        case .literal(.missing, _): return .unknown
        case .variable: return .unknown
        case .unary(.not, _, _), .inList: return .bool
        case .unary(.negate, _, _): return .number
        case .binary(let op, _, _, _): return op.isArithmetic ? .number : .bool
        case .call("if", let args, _):
            let a = type(args[1]), b = type(args[2])
            return a == .number || b == .number ? .number : a
        case .call: return .number
        }
    }

    /// `x op y` for an ordering operator (anything else is read as `>=`, as the number case
    /// meets only ordering operators).
    static func compare<T: Comparable>(_ x: T, _ op: BinaryOp, _ y: T) -> Bool {
        switch op {
        case .equal: return x == y
        case .notEqual: return x != y
        case .less: return x < y
        case .lessEqual: return x <= y
        case .greater: return x > y
        default: return x >= y
        }
    }

    func eval(_ e: Expr, _ row: Int) -> Value {
        switch e {
        case .column(let n, _): return table.column(n)!.value(row)
        case .literal(.number(let x, _), _): return .number(x)
        case .literal(.text(let s), _): return .text(s)
        case .literal(.bool(let b), _): return .bool(b)
        case .literal(.missing, _), .variable: return .missing
        case .unary(.not, let x, _):
            if case .bool(let b) = eval(x, row) { return .bool(!b) }
            return .missing
        case .unary(.negate, let x, _):
            if case .number(let v) = eval(x, row) { return .number(-v) }
            return .missing
        case .binary(.and, let l, let r, _):
            let a = eval(l, row), b = eval(r, row)
            if a == .bool(false) || b == .bool(false) { return .bool(false) }
            if a == .bool(true) && b == .bool(true) { return .bool(true) }
            return .missing
        case .binary(.or, let l, let r, _):
            let a = eval(l, row), b = eval(r, row)
            if a == .bool(true) || b == .bool(true) { return .bool(true) }
            if a == .bool(false) && b == .bool(false) { return .bool(false) }
            return .missing
        case .binary(let op, let l, let r, _) where op.isArithmetic:
            guard case .number(let x) = eval(l, row), case .number(let y) = eval(r, row) else { return .missing }
            switch op {
            case .add: return .number(x + y)
            case .subtract: return .number(x - y)
            case .multiply: return .number(x * y)
            default: return y == 0 ? .missing : .number(x / y)
            }
        case .binary(let op, let l, let r, _):
            if type(l) == .unknown || type(r) == .unknown {
                let other = type(l) == .unknown ? r : l
                return .bool((eval(other, row) == .missing) == (op == .equal))
            }
            switch (eval(l, row), eval(r, row)) {
            case (.number(let x), .number(let y)):
                return .bool(Self.compare(x, op, y))
            case (.text(let x), .text(let y)):
                switch op {
                case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return .bool(Self.compare(x, op, y))
                case .match: return .bool(y.isEmpty || x.lowercased().contains(y.lowercased()))
                default: return .bool(!(y.isEmpty || x.lowercased().contains(y.lowercased())))
                }
            case (.bool(let x), .bool(let y)):
                return .bool((x == y) == (op == .equal))
            default:
                return .missing
            }
        case .inList(let x, let items, let negated, _):
            let v = eval(x, row)
            let values = items.map { eval($0, row) }
            if v == .missing { return values.contains(.missing) ? .bool(!negated) : .missing }
            return .bool(values.contains(v) != negated)
        case .call(let name, let args, _):
            func num(_ i: Int, _ r: Int) -> Double? { if case .number(let d) = eval(args[i], r) { return d }; return nil }
            func total(_ i: Int) -> Double {
                var s = 0.0
                for r in 0..<table.rowCount { if let d = num(i, r) { s += d } }
                return s
            }
            switch name {
            case "if":
                switch eval(args[0], row) {
                case .bool(true): return eval(args[1], row)
                case .bool(false): return eval(args[2], row)
                default: return .missing
                }
            case "round":
                var places = 0
                if args.count == 2, case .literal(.number(let d, _), _) = args[1] { places = Int(d) }
                return num(0, row).map { .number(NumberFormat.roundHalfAway($0, places: places)) } ?? .missing
            case "abs": return num(0, row).map { .number(abs($0)) } ?? .missing
            case "pct", "per_1000", "per_100000":
                let factor = name == "pct" ? 100.0 : name == "per_1000" ? 1000.0 : 100_000.0
                guard let a = num(0, row), let b = num(1, row), b != 0 else { return .missing }
                return .number(a / b * factor)
            case "total": return .number(total(0))
            case "percent_of_total":
                let t = total(0)
                guard let a = num(0, row), t != 0 else { return .missing }
                return .number(a / t * 100)
            default:
                return .missing
            }
        }
    }
}

/// Random tables and random well-typed expressions: `where` and `add` through the engine must
/// agree with the reference evaluator on every row. Seeded, so a failure names its seed and
/// repeats (a hand-rolled generator, not swift-property-based: that library runs under Swift Testing and
/// these suites are XCTest); no shrinking, the cases are small (at most 30 rows, depth 4).
final class ExprPropertyTests: XCTestCase {
    struct Gen {
        var rng: SplitMix
        mutating func int(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
        mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }

        static let words = ["Kent", "kent", "Essex", "Durham", "Gwent", "", "Avon and Somerset", "é"]

        mutating func table() -> Table {
            let n = int(31)
            var i = ColumnBuilder.integer("i"), d = ColumnBuilder.decimal("d", scale: 1), t = ColumnBuilder.text("t")
            var days: [Int32] = [], dayMissing: [Bool] = []
            for _ in 0..<n {
                i.append(chance(15) ? nil : Double(int(21) - 10))
                d.append(chance(15) ? nil : Double(int(201) - 100) / 10)
                t.append(chance(15) ? nil : pick(Self.words))
                days.append(Int32(18_000 + int(5)))
                dayMissing.append(chance(15))
            }
            let dt = Column(name: "dt", unit: nil, data: .date(days), missing: MissingMask(dayMissing))
            return Table(name: "t", columns: [i.build(), d.build(), t.build(), dt])
        }

        mutating func numberLiteral() -> String { pick(["0", "1", "2", "-3", "0.5", "2.25", "10"]) }
        mutating func textLiteral() -> String { "\"" + pick(Self.words + ["ken", "E", "2019-04-14"]) + "\"" }

        mutating func number(_ depth: Int) -> String {
            if depth == 0 || chance(25) { return chance(60) ? pick(["i", "d"]) : (chance(10) ? "missing" : numberLiteral()) }
            switch int(9) {
            case 0: return "-" + pick(["i", "d", "(\(number(depth - 1)))"])
            case 1, 2: return "(\(number(depth - 1)) \(pick(["+", "-", "*", "/"])) \(number(depth - 1)))"
            case 3: return chance(50) ? "round(\(number(depth - 1)))" : "round(\(number(depth - 1)), \(int(4)))"
            case 4: return "abs(\(number(depth - 1)))"
            case 5: return "\(pick(["pct", "per_1000", "per_100000"]))(\(number(depth - 1)), \(number(depth - 1)))"
            case 6: return "\(pick(["total", "percent_of_total"]))(\(number(depth - 1)))"
            default: return "if(\(condition(depth - 1)), \(number(depth - 1)), \(number(depth - 1)))"
            }
        }

        mutating func text(_ depth: Int) -> String {
            if depth == 0 || chance(50) { return chance(70) ? pick(["t", "dt"]) : textLiteral() }
            return "if(\(condition(depth - 1)), \(text(depth - 1)), \(text(depth - 1)))"
        }

        /// A numeric operand that is not the bare `missing` literal (which cannot be ordered).
        mutating func orderable(_ depth: Int) -> String {
            let s = number(depth)
            return s == "missing" ? "i" : s
        }

        mutating func condition(_ depth: Int) -> String {
            if depth == 0 { return "\(pick(["i", "d"])) \(pick(["=", "!=", "<", "<=", ">", ">="])) \(numberLiteral())" }
            switch int(12) {
            case 0, 1: return "\(orderable(depth - 1)) \(pick(["=", "!=", "<", "<=", ">", ">="])) \(orderable(depth - 1))"
            case 2: return "\(text(depth - 1)) \(pick(["=", "!=", "<", "<=", ">", ">="])) \(text(depth - 1))"
            case 3: return "\(text(depth - 1)) \(pick(["~", "!~"])) \(text(depth - 1))"
            case 4: return "\(pick(["i", "d", "t", "dt", number(depth - 1), text(depth - 1)])) \(pick(["=", "!="])) missing"
            case 5:
                let items = (0..<(1 + int(3))).map { _ in chance(15) ? "missing" : textLiteral() }
                return "\(text(depth - 1)) \(pick(["in", "not in"])) (\(items.joined(separator: ", ")))"
            case 6:
                let items = (0..<(1 + int(3))).map { _ in chance(15) ? "missing" : (chance(15) ? "d" : numberLiteral()) }
                return "\(number(depth - 1)) \(pick(["in", "not in"])) (\(items.joined(separator: ", ")))"
            case 7, 8: return "(\(condition(depth - 1)) \(pick(["and", "or"])) \(condition(depth - 1)))"
            case 9: return "not (\(condition(depth - 1)))"
            case 10: return chance(50) ? pick(["true", "false"]) : "((\(condition(depth - 1))) \(pick(["=", "!="])) (\(condition(depth - 1))))"
            default: return "if(\(condition(depth - 1)), \(condition(depth - 1)), \(condition(depth - 1)))"
            }
        }
    }

    func parse(_ s: String) throws -> Expr {
        var p = Parser(tokens: try Lexer.tokenize(SourceText(name: "t", text: s)))
        return try p.expression()
    }

    func same(_ a: Value, _ b: Value) -> Bool {
        if case .number(let x) = a, case .number(let y) = b { return x.bitPattern == y.bitPattern }
        return a == b
    }

    func testWhereAndAddAgreeWithTheReference() throws {
        var checked = 0
        for seed in UInt64(1)...1500 {
            var g = Gen(rng: SplitMix(seed: seed))
            let t = g.table()
            let engine = ExprEngine(table: t)
            let reference = ReferenceEvaluator(table: t)
            // where: the rows kept are the rows whose condition is true.
            let condition = g.condition(1 + g.int(4))
            let ce = try engine.rewrite(try parse(condition))
            let kept = try engine.evaluate(ce).vector.trueRows(t.rowCount)
            let expected = (0..<t.rowCount).filter { reference.eval(ce, $0) == .bool(true) }
            XCTAssertEqual(kept, expected, "seed \(seed): where \(condition)")
            // add: every row's value, of a number, text or a condition.
            let source = [g.number(1 + g.int(4)), g.text(1 + g.int(3)), g.condition(1 + g.int(3))][g.int(3)]
            let e = try engine.rewrite(try parse(source))
            let result = try engine.evaluate(e)
            for r in 0..<t.rowCount where !same(result.vector.value(r), reference.eval(e, r)) {
                XCTFail("seed \(seed) row \(r): add \(source) gives \(result.vector.value(r)), the reference \(reference.eval(e, r))")
                break
            }
            checked += 1
        }
        XCTAssertEqual(checked, 1500)
    }

    /// `where` over tests of one column against literals joined by `and` takes a path that builds
    /// no vector per row (`ExprEngine.selectedRows`): it must keep exactly the rows the full
    /// evaluation keeps, and the rows the reference evaluator finds true, with missing values in
    /// every column, text orderings, `~`, `in` lists holding `missing`, and a column of periods.
    func testSelectedRowsEqualTheFullEvaluation() throws {
        var taken = 0
        for seed in UInt64(1)...1500 {
            var g = Gen(rng: SplitMix(seed: seed))
            var t = g.table()
            var fy = ColumnBuilder.text("fy")
            for _ in 0..<t.rowCount { fy.append(g.chance(15) ? nil : g.pick(["2014/15", "2015/16", "2016-17", "2017/18"])) }
            t.columns.append(fy.build().detectingPeriods())
            let engine = ExprEngine(table: t)
            let reference = ReferenceEvaluator(table: t)
            func leaf() -> String {
                switch g.int(6) {
                case 0: return "\(g.pick(["i", "d"])) \(g.pick(["=", "!=", "<", "<=", ">", ">="])) \(g.numberLiteral())"
                case 1: return "t \(g.pick(["=", "!=", "<", "<=", ">", ">=", "~", "!~"])) \(g.textLiteral())"
                case 2: return "\(g.textLiteral()) \(g.pick(["=", "!=", "<", ">="])) t"
                case 3:
                    let items = (0..<(1 + g.int(3))).map { _ in g.chance(20) ? "missing" : g.textLiteral() }
                    return "t \(g.pick(["in", "not in"])) (\(items.joined(separator: ", ")))"
                case 4: return "t \(g.pick(["=", "!="])) missing"
                default: return "fy \(g.pick(["=", "!=", "<", ">="])) \"\(g.pick(["2015/16", "2016/17", "2014-15"]))\""
                }
            }
            let condition = (0..<(1 + g.int(3))).map { _ in leaf() }.joined(separator: " and ")
            let ce = try engine.rewrite(try parse(condition))
            guard let fast = try engine.selectedRows(ce) else {
                XCTFail("seed \(seed): where \(condition) did not take the selection path")
                continue
            }
            taken += 1
            XCTAssertEqual(fast, try engine.evaluate(ce).vector.trueRows(t.rowCount), "seed \(seed): where \(condition)")
            if !condition.contains("fy") {
                XCTAssertEqual(fast, (0..<t.rowCount).filter { reference.eval(ce, $0) == .bool(true) }, "seed \(seed): where \(condition)")
            }
        }
        XCTAssertEqual(taken, 1500)
        // Other shapes are left to the full evaluation.
        var g1 = Gen(rng: SplitMix(seed: 1))
        let t = g1.table()
        let engine = ExprEngine(table: t)
        for other in ["i > d", "t = \"Kent\" or i > 1", "not (t = \"Kent\")", "abs(i) > 1", "dt = \"2019-04-14\"", "i in (1, 2)"] {
            XCTAssertNil(try engine.selectedRows(try engine.rewrite(try parse(other))), other)
        }
    }
}
