import Foundation
import PeelSupport
import PeelData
import PeelStats
import PeelIO
import PeelRender
import PeelLanguage

/// The functions an expression can call. Each names its result's display precision and unit.
package enum Functions {
    package static let names = ["round", "abs", "pct", "per_1000", "per_100000", "percent_of_total", "total", "if"]

    package static func compile(_ name: String, _ args: [Expr], _ range: SourceRange, _ c: ExprCompiler) throws -> CompiledExpr {
        let compiled = try args.map { try c.compile($0) }
        func numeric(_ count: ClosedRange<Int>, _ usage: String) throws {
            guard count.contains(args.count) else {
                throw Diagnostic("\(name) takes \(count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound) or \(count.upperBound)") argument\(count.upperBound == 1 ? "" : "s")", at: range, help: "usage: \(usage)")
            }
            for (a, e) in zip(compiled, args) where a.type != .number && a.type != .unknown {
                throw Diagnostic("\(name) needs numbers, not \(a.type.word)", at: e.range)
            }
        }
        func num(_ v: Value) -> Double? { if case .number(let d) = v { return d }; return nil }
        switch name {
        case "if":
            guard args.count == 3 else { throw Diagnostic("if takes 3 arguments", at: range, help: "usage: if(condition, value when true, value otherwise)") }
            guard compiled[0].type == .bool || compiled[0].type == .unknown else {
                throw Diagnostic("if needs a condition first, not \(compiled[0].type.word)", at: args[0].range)
            }
            let (c, a, b) = (compiled[0], compiled[1], compiled[2])
            let numeric = a.type == .number || b.type == .number
            if numeric, (a.type != .number && a.type != .unknown) || (b.type != .number && b.type != .unknown) {
                throw Diagnostic("if gives a number one way and text the other", at: range)
            }
            return CompiledExpr(type: numeric ? .number : a.type, eval: { r in
                switch c.eval(r) {
                case .bool(true): return a.eval(r)
                case .bool(false): return b.eval(r)
                default: return .missing
                }
            }, scale: max(a.scale, b.scale), unit: a.unit ?? b.unit)
        case "total":
            try numeric(1...1, "total(x)")
            let x = compiled[0]
            let sum = (0..<c.table.rowCount).compactMap { num(x.eval($0)) }.reduce(0, +)
            guard sum.isFinite else { throw Diagnostic("the total of this column is too large for a number (past 1.8 × 10^308)", at: args[0].range) }
            return CompiledExpr(type: .number, eval: { _ in .number(sum) }, scale: x.scale, unit: x.unit)
        case "round":
            try numeric(1...2, "round(x) or round(x, decimals)")
            var places = 0
            if args.count == 2 {
                guard case .literal(.number(let d, 0), _) = args[1], d >= 0, d <= 10 else {
                    throw Diagnostic("the number of decimals must be a whole number from 0 to 10", at: args[1].range)
                }
                places = Int(d)
            }
            let x = compiled[0]
            return CompiledExpr(type: .number, eval: { r in num(x.eval(r)).map { .number(NumberFormat.roundHalfAway($0, places: places)) } ?? .missing },
                                scale: places, unit: x.unit)
        case "abs":
            try numeric(1...1, "abs(x)")
            let x = compiled[0]
            return CompiledExpr(type: .number, eval: { r in num(x.eval(r)).map { .number(abs($0)) } ?? .missing }, scale: x.scale, unit: x.unit)
        case "pct", "per_1000", "per_100000":
            try numeric(2...2, "\(name)(count, denominator)")
            let factor = name == "pct" ? 100.0 : name == "per_1000" ? 1000.0 : 100_000.0
            let x = compiled[0], d = compiled[1]
            let unit = name == "pct" ? "%" : name == "per_1000" ? "per 1,000" : "per 100,000"
            return CompiledExpr(type: .number, eval: { r in
                guard let a = num(x.eval(r)), let b = num(d.eval(r)), b != 0 else { return .missing }
                return .number(a / b * factor)
            }, scale: 1, unit: unit)
        case "percent_of_total":
            try numeric(1...1, "percent_of_total(x)")
            let x = compiled[0]
            let total = (0..<c.table.rowCount).compactMap { num(x.eval($0)) }.reduce(0, +)
            guard total.isFinite else { throw Diagnostic("the total of this column is too large for a number (past 1.8 × 10^308)", at: args[0].range) }
            return CompiledExpr(type: .number, eval: { r in
                guard let a = num(x.eval(r)), total != 0 else { return .missing }
                return .number(a / total * 100)
            }, scale: 1, unit: "%")
        default:
            throw Diagnostic("unknown function '\(name)'", at: range,
                             help: Suggest.closest(to: name, in: names).map { "did you mean '\($0)'?" } ?? "functions: " + names.joined(separator: ", "))
        }
    }
}
