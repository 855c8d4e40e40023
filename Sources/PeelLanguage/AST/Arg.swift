import PeelSupport
import PeelData

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

