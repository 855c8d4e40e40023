import PeelSupport

/// A recursive-descent parser over tokens: `match / check / consume / advance / peek`.
public struct Parser {
    package var tokens: [Token]
    package var pos = 0
    /// The command being read and its usage line, set by whoever dispatches to the command's
    /// parser, so that errors inside it can show the usage.
    public var command: (name: String, usage: String)?
    /// How deep the expression being read is nested (brackets, calls, `not`, unary minus), and how
    /// many operators it has: both limited, so hostile input cannot exhaust the stack.
    private var nesting = 0
    private var operators = 0
    public static let maxNesting = 100
    public static let maxOperators = 1_000

    public init(tokens: [Token]) {
        self.tokens = tokens
    }

    // MARK: vocabulary

    public var peek: Token { tokens[pos] }
    public var previous: Token { tokens[max(0, pos - 1)] }
    public var atEnd: Bool { peek.kind == .end }

    /// True at the end of a statement: a newline, `;`, `|` (next step) or the end of input.
    public var atStepEnd: Bool {
        switch peek.kind {
        case .newline, .semicolon, .pipe, .end: return true
        default: return false
        }
    }

    @discardableResult
    public mutating func advance() -> Token {
        let t = tokens[pos]
        if t.kind != .end { pos += 1 }
        return t
    }

    public func check(_ kind: TokenKind) -> Bool { peek.kind == kind }

    public mutating func match(_ kind: TokenKind) -> Bool {
        guard check(kind) else { return false }
        advance()
        return true
    }

    /// Consumes the bare word `w` (case-insensitive) if it is next.
    public mutating func matchWord(_ w: String) -> Bool {
        guard peek.isWord(w) else { return false }
        advance()
        return true
    }

    public mutating func consume(_ kind: TokenKind, _ what: String, help: String? = nil) throws -> Token {
        guard check(kind) else { throw unexpected(expected: what, help: help) }
        return advance()
    }

    /// The error at the next token saying what was expected instead.
    public func unexpected(expected: String, help: String? = nil) -> ParseError {
        .unexpected(peek.range, expected: expected, found: peek.kind, help: help)
    }

    /// A column or other name: a bare word or a backquoted name.
    public mutating func name(_ what: String, help: String? = nil) throws -> (String, SourceRange) {
        switch peek.kind {
        case .identifier(let s), .quotedIdentifier(let s):
            if s.allSatisfy({ $0 == " " || $0 == "\t" }) {
                throw ParseError.emptyName(peek.range)
            }
            let t = advance()
            return (s, t.range)
        default:
            throw unexpected(expected: what, help: help)
        }
    }

    /// Comma-separated names.
    public mutating func nameList(_ what: String, help: String? = nil) throws -> [(String, SourceRange)] {
        var names = [try name(what, help: help)]
        while match(.comma) { names.append(try name(what, help: help)) }
        return names
    }

    /// Text given as a quoted string or a bare word (e.g. a force name).
    public mutating func text(_ what: String, help: String? = nil) throws -> (String, SourceRange) {
        switch peek.kind {
        case .string(let s), .identifier(let s), .quotedIdentifier(let s):
            let t = advance()
            return (s, t.range)
        default:
            throw unexpected(expected: what, help: help)
        }
    }

    /// A value argument: text, a bare word, a number, `$variable`, or a bracketed list of these.
    public mutating func arg(_ what: String, help: String? = nil) throws -> Arg {
        let t = peek
        switch t.kind {
        case .string(let s), .identifier(let s), .quotedIdentifier(let s):
            advance()
            return Arg(value: .text(s), range: t.range)
        case .number(let v, _, _):
            advance()
            return Arg(value: .number(v), range: t.range)
        case .minus:
            if case .number(let v, _, _) = tokens[pos + 1].kind {
                advance()
                let n = advance()
                return Arg(value: .number(-v), range: SourceRange.covering(t.range, n.range))
            }
            throw unexpected(expected: what, help: help)
        case .variable(let s):
            advance()
            return Arg(value: .variable(s), range: t.range)
        case .leftParen:
            advance()
            var items: [Arg] = []
            if !check(.rightParen) {
                items.append(try arg(what, help: help))
                while match(.comma) { items.append(try arg(what, help: help)) }
            }
            let close = try consume(.rightParen, "',' or ')' in the list")
            return Arg(value: .list(items), range: SourceRange.covering(t.range, close.range))
        default:
            throw unexpected(expected: what, help: help)
        }
    }

    /// Fails unless the step has ended (so stray words are reported, not ignored).
    public func expectStepEnd(_ verb: String) throws {
        guard atStepEnd else {
            throw ParseError.extraAfterStep(peek.range, found: peek.kind, verb: verb, usage: command?.usage)
        }
    }

    // MARK: expressions

    /// `or` < `and` < `not` < comparison / `in` < `+ -` < `* /` < unary minus < primary.
    public mutating func expression() throws -> Expr {
        if nesting == 0 { operators = 0 }
        return try orExpr()
    }

    /// Runs `body` one level deeper, or stops with an error naming the limit.
    private mutating func deeper<T>(_ at: Token, _ body: (inout Parser) throws -> T) throws -> T {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting {
            throw ParseError.nestedTooDeep(at.range, limit: Self.maxNesting)
        }
        return try body(&self)
    }

    /// Counts one operator, or stops with an error naming the limit.
    private mutating func counted(_ at: Token) throws {
        operators += 1
        if operators > Self.maxOperators {
            throw ParseError.tooManyOperators(at.range, limit: Self.maxOperators)
        }
    }

    package mutating func orExpr() throws -> Expr {
        var e = try andExpr()
        while peek.isWord("or") {
            try counted(advance())
            let r = try andExpr()
            e = .binary(.or, e, r, .covering(e.range, r.range))
        }
        return e
    }

    package mutating func andExpr() throws -> Expr {
        var e = try notExpr()
        while peek.isWord("and") {
            try counted(advance())
            let r = try notExpr()
            e = .binary(.and, e, r, .covering(e.range, r.range))
        }
        return e
    }

    package mutating func notExpr() throws -> Expr {
        if peek.isWord("not") {
            let t = advance()
            try counted(t)
            let e = try deeper(t) { try $0.notExpr() }
            return .unary(.not, e, .covering(t.range, e.range))
        }
        return try comparison()
    }

    package mutating func comparison() throws -> Expr {
        let left = try additive()
        let ops: [TokenKind: BinaryOp] = [.equal: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual,
                                          .greater: .greater, .greaterEqual: .greaterEqual, .match: .match, .notMatch: .notMatch]
        if let op = ops[peek.kind] {
            try counted(advance())
            let right = try additive()
            return .binary(op, left, right, .covering(left.range, right.range))
        }
        var negated = false
        if peek.isWord("not"), tokens[pos + 1].isWord("in") {
            advance()
            negated = true
        }
        if peek.isWord("in") {
            advance()
            if case .variable(let n) = peek.kind {
                let t = advance()
                return .inList(left, [.variable(n, t.range)], negated: negated, .covering(left.range, t.range))
            }
            _ = try consume(.leftParen, "'(' after 'in'", help: "list the values in brackets: in (\"a\", \"b\")")
            var items: [Expr] = []
            if !check(.rightParen) {
                items.append(try additive())
                while match(.comma) { items.append(try additive()) }
            }
            let close = try consume(.rightParen, "',' or ')' in the list")
            return .inList(left, items, negated: negated, .covering(left.range, close.range))
        }
        return left
    }

    package mutating func additive() throws -> Expr {
        var e = try multiplicative()
        while check(.plus) || check(.minus) {
            let t = advance()
            try counted(t)
            let op: BinaryOp = t.kind == .plus ? .add : .subtract
            let r = try multiplicative()
            e = .binary(op, e, r, .covering(e.range, r.range))
        }
        return e
    }

    package mutating func multiplicative() throws -> Expr {
        var e = try unary()
        while check(.star) || check(.slash) {
            let t = advance()
            try counted(t)
            let op: BinaryOp = t.kind == .star ? .multiply : .divide
            let r = try unary()
            e = .binary(op, e, r, .covering(e.range, r.range))
        }
        return e
    }

    package mutating func unary() throws -> Expr {
        if check(.minus) {
            let t = advance()
            try counted(t)
            let e = try deeper(t) { try $0.unary() }
            if case .literal(.number(let v, let s), let r) = e {
                return .literal(.number(-v, scale: s), .covering(t.range, r))
            }
            return .unary(.negate, e, .covering(t.range, e.range))
        }
        return try primary()
    }

    package mutating func primary() throws -> Expr {
        let t = peek
        switch t.kind {
        case .number(let v, let scale, _):
            advance()
            return .literal(.number(v, scale: scale), t.range)
        case .string(let s):
            advance()
            return .literal(.text(s), t.range)
        case .quotedIdentifier(let s):
            advance()
            return .column(s, t.range)
        case .variable(let s):
            advance()
            return .variable(s, t.range)
        case .identifier(let s):
            switch s.lowercased() {
            case "true": advance(); return .literal(.bool(true), t.range)
            case "false": advance(); return .literal(.bool(false), t.range)
            case "missing": advance(); return .literal(.missing, t.range)
            case "and", "or", "in":
                throw unexpected(expected: "a value or a column name")
            default:
                advance()
                if check(.leftParen) {
                    try counted(advance())
                    var args: [Expr] = []
                    try deeper(t) { p in
                        if !p.check(.rightParen) {
                            args.append(try p.expression())
                            while p.match(.comma) { args.append(try p.expression()) }
                        }
                    }
                    let close = try consume(.rightParen, "',' or ')' after the function's arguments")
                    return .call(s.lowercased(), args, .covering(t.range, close.range))
                }
                return .column(s, t.range)
            }
        case .leftParen:
            let e = try deeper(advance()) { try $0.expression() }
            _ = try consume(.rightParen, "')'", help: "every '(' needs a matching ')'")
            return e
        default:
            throw unexpected(expected: "a value or a column name")
        }
    }
}
