/// A value written in a command (a force name, a number, a list), possibly `$variable`.
public struct Arg: Sendable {
    public indirect enum Kind: Sendable {
        case text(String)
        case number(Double)
        case variable(String)
        case list([Arg])
    }
    public var value: Kind
    public var range: SourceRange

    public init(value: Kind, range: SourceRange) {
        self.value = value
        self.range = range
    }

    public var dump: String {
        switch value {
        case .text(let s): return quoteForDump(s)
        case .number(let v): return NumberFormat.shortest(v)
        case .variable(let n): return "$" + n
        case .list(let items): return "(" + items.map(\.dump).joined(separator: ", ") + ")"
        }
    }
}

/// The value of a variable or parameter.
public indirect enum VariableValue: Equatable, Sendable {
    case text(String)
    case number(Double)
    case list([VariableValue])

    public var display: String {
        switch self {
        case .text(let s): return "\"\(s)\""
        case .number(let v): return NumberFormat.shortest(v)
        case .list(let items): return "(" + items.map(\.display).joined(separator: ", ") + ")"
        }
    }

    /// Reads a command-line value: a number when it looks like one, else text.
    public static func parse(commandLine s: String) -> VariableValue {
        if let v = Double(s), ValueKind.number(Array(s.utf8)) != nil { return .number(v) }
        return .text(s)
    }
}

/// The session's variables (`set`) and script parameters (`param`).
public final class Variables {
    public private(set) var values: [String: VariableValue] = [:]
    /// Values given on the command line for the script's parameters.
    public var given: [String: VariableValue] = [:]

    public init() {}

    public func set(_ name: String, _ v: VariableValue) { values[name] = v }
    public func value(_ name: String) -> VariableValue? { values[name] }
    public var names: [String] { values.keys.sorted() }
}

extension Arg {
    /// The argument's value, with variables looked up.
    func resolve(_ ctx: EvalContext) throws -> VariableValue {
        switch value {
        case .text(let s): return .text(s)
        case .number(let v): return .number(v)
        case .list(let items): return .list(try items.map { try $0.resolve(ctx) })
        case .variable(let n):
            guard let v = ctx.variables.value(n) else {
                throw Diagnostic("no variable '$\(n)'", at: range,
                                 help: Suggest.closest(to: n, in: ctx.variables.names).map { "did you mean '$\($0)'?" }
                                     ?? "define it first: set \(n) = \"…\"")
            }
            return v
        }
    }

    /// The argument as a number, or a diagnostic at it.
    func number(_ ctx: EvalContext) throws -> Double {
        guard case .number(let v) = try resolve(ctx) else { throw Diagnostic("expected a number", at: range) }
        return v
    }

    /// The argument as one piece of text (a force name, say).
    func text(_ ctx: EvalContext, what: String) throws -> String {
        switch try resolve(ctx) {
        case .text(let s): return s
        case .number(let v): return NumberFormat.shortest(v)
        case .list: throw Diagnostic("\(what) must be one value, not a list", at: range)
        }
    }
}
