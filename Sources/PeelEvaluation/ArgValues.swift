import PeelSupport
import PeelLanguage

extension Arg {
    /// The argument's value, with variables looked up.
    package func resolve(_ ctx: EvalContext) throws -> VariableValue {
        switch value {
        case .text(let s): return .text(s)
        case .number(let v): return .number(v)
        case .list(let items): return .list(try items.map { try $0.resolve(ctx) })
        case .variable(let n):
            guard let v = ctx.variables.value(n) else {
                throw EvalError.unknownVariable(name: n, known: ctx.variables.names, at: range)
            }
            return v
        }
    }

    /// The argument as a number, or a diagnostic at it.
    package func number(_ ctx: EvalContext) throws -> Double {
        guard case .number(let v) = try resolve(ctx) else { throw EvalError.expectedNumber(at: range) }
        return v
    }

    /// The argument as one piece of text (a force name, say).
    package func text(_ ctx: EvalContext, what: String) throws -> String {
        switch try resolve(ctx) {
        case .text(let s): return s
        case .number(let v): return NumberFormat.shortest(v)
        case .list: throw EvalError.notOneValue(what: what, at: range)
        }
    }
}
