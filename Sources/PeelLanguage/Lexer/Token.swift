import PeelSupport

/// The kinds of token in the peel language.
public enum TokenKind: Hashable, Sendable {
    case identifier(String)
    /// A backquoted name: always a column or table name, never a keyword.
    case quotedIdentifier(String)
    case string(String)
    /// `$name`: a variable or script parameter.
    case variable(String)
    case number(Double, scale: Int, text: String)
    case pipe, comma, leftParen, rightParen, semicolon, newline
    case equal, notEqual, less, lessEqual, greater, greaterEqual, match, notMatch
    case plus, minus, star, slash
    case end
}

public struct Token: Equatable, Sendable {
    public let kind: TokenKind
    public let range: SourceRange

    public init(kind: TokenKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The identifier's text when it is a bare word (a keyword candidate).
    public var word: String? {
        if case .identifier(let w) = kind { return w }
        return nil
    }

    /// True when the token is the bare word `w` (case-insensitive).
    public func isWord(_ w: String) -> Bool {
        word?.lowercased() == w
    }
}

extension TokenKind: CustomStringConvertible {
    public var description: String {
        switch self {
        case .identifier(let s): return "identifier \(s)"
        case .quotedIdentifier(let s): return "identifier `\(s)`"
        case .string(let s): return "string \"\(s)\""
        case .variable(let s): return "variable $\(s)"
        case .number(_, _, let text): return "number \(text)"
        case .pipe: return "'|'"
        case .comma: return "','"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .semicolon: return "';'"
        case .newline: return "end of line"
        case .equal: return "'='"
        case .notEqual: return "'!='"
        case .less: return "'<'"
        case .lessEqual: return "'<='"
        case .greater: return "'>'"
        case .greaterEqual: return "'>='"
        case .match: return "'~'"
        case .notMatch: return "'!~'"
        case .plus: return "'+'"
        case .minus: return "'-'"
        case .star: return "'*'"
        case .slash: return "'/'"
        case .end: return "end of input"
        }
    }
}
