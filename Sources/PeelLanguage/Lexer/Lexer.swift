import PeelSupport

/// Turns source text into tokens. Comments run from `#` to the end of the line.
public struct Lexer {
    private let bytes: [UInt8]
    private var pos = 0
    /// Lenient mode (`scan`): an unterminated string at the end of the text is returned as far as
    /// it goes, and control characters in text are let through, instead of being errors.
    private var lenient = false
    /// Where the unterminated string found in lenient mode starts, and its quote.
    private var openString: (quote: UInt8, start: Int)?
    /// The last comment skipped runs to the end of the text.
    private var commentAtEnd = false

    public init(_ source: SourceText) {
        self.bytes = source.bytes
    }

    /// What a lenient scan of unfinished text found: the tokens it could read and what is still
    /// open at the end. The shell's continuation check and Tab completion both read text this
    /// way, so they agree with the parser about quotes, brackets, `|` and `#` comments.
    public struct Scan: Sendable {
        /// The tokens, ending with `.end`. An unterminated string at the end is a `.string` token
        /// (see `openQuote`); malformed characters are left out (see `malformed`).
        public var tokens: [Token]
        /// The quote (`"` or `'`) of a string still open at the end of the text, and where it starts.
        public var openQuote: Character?
        public var openQuoteStart: Int?
        /// `(` minus `)`: above zero while a bracket is open.
        public var depth = 0
        /// The last token (ignoring line ends) is `|`: the pipeline goes on.
        public var trailingPipe = false
        /// The text ends inside a `#` comment.
        public var inComment = false
        /// Byte ranges that are not tokens (a lone `!`, a bad number, an unterminated `name`).
        public var malformed: [SourceRange] = []

        /// True when the command is unfinished: a quote or bracket is open, or it ends with `|`.
        public var needsMore: Bool { openQuote != nil || depth > 0 || trailingPipe }
    }

    /// Lexes text that may be unfinished or malformed, for the shell and the completer: never
    /// throws (what the parser would reject is skipped and listed in `malformed`).
    public static func scan(_ source: SourceText) -> Scan {
        var lexer = Lexer(source)
        lexer.lenient = true
        var scan = Scan(tokens: [])
        while true {
            let before = lexer.pos
            do {
                let t = try lexer.next()
                if let open = lexer.openString {
                    scan.openQuote = Character(Unicode.Scalar(open.quote))
                    scan.openQuoteStart = open.start
                    lexer.openString = nil
                }
                scan.tokens.append(t)
                switch t.kind {
                case .leftParen: scan.depth += 1
                case .rightParen: scan.depth -= 1
                case .newline: break
                case .end:
                    scan.inComment = lexer.commentAtEnd
                    return scan
                default: break
                }
                if t.kind != .newline { scan.trailingPipe = t.kind == .pipe }
            } catch {
                // Step over the malformed token (at least one byte, whole characters) and go on.
                let end = max(error.range.end, lexer.pos, before + 1)
                let start = min(error.range.start, end - 1)
                lexer.pos = min(end, lexer.bytes.count)
                while lexer.pos < lexer.bytes.count, lexer.bytes[lexer.pos] & 0xC0 == 0x80 { lexer.pos += 1 }
                scan.malformed.append(SourceRange(start, lexer.pos))
                scan.trailingPipe = false
            }
        }
    }


    /// All tokens, ending with `.end`; the first malformed token stops lexing with its `LexError`.
    public static func tokenize(_ source: SourceText) throws(LexError) -> [Token] {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        while true {
            let t = try lexer.next()
            tokens.append(t)
            if t.kind == .end { return tokens }
        }
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        pos + ahead < bytes.count ? bytes[pos + ahead] : nil
    }

    public mutating func next() throws(LexError) -> Token {
        // Skip blanks and comments (a comment ends at, but does not swallow, the newline).
        while let c = peek() {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                pos += 1
            } else if c == UInt8(ascii: "#") {
                while let d = peek(), d != UInt8(ascii: "\n") { pos += 1 }
                commentAtEnd = peek() == nil
            } else {
                break
            }
        }
        let start = pos
        guard let c = peek() else { return Token(kind: .end, range: SourceRange(pos, pos)) }
        pos += 1
        func tok(_ k: TokenKind) -> Token { Token(kind: k, range: SourceRange(start, pos)) }
        switch c {
        case UInt8(ascii: "\n"): return tok(.newline)
        case UInt8(ascii: "|"): return tok(.pipe)
        case UInt8(ascii: ","): return tok(.comma)
        case UInt8(ascii: "("): return tok(.leftParen)
        case UInt8(ascii: ")"): return tok(.rightParen)
        case UInt8(ascii: ";"): return tok(.semicolon)
        case UInt8(ascii: "+"): return tok(.plus)
        case UInt8(ascii: "-"): return tok(.minus)
        case UInt8(ascii: "*"): return tok(.star)
        case UInt8(ascii: "/"): return tok(.slash)
        case UInt8(ascii: "~"): return tok(.match)
        case UInt8(ascii: "="):
            if peek() == UInt8(ascii: "=") { pos += 1 }
            return tok(.equal)
        case UInt8(ascii: "!"):
            if peek() == UInt8(ascii: "=") { pos += 1; return tok(.notEqual) }
            if peek() == UInt8(ascii: "~") { pos += 1; return tok(.notMatch) }
            throw .loneExclamation(SourceRange(start, pos))
        case UInt8(ascii: "<"):
            if peek() == UInt8(ascii: "=") { pos += 1; return tok(.lessEqual) }
            if peek() == UInt8(ascii: ">") { pos += 1; return tok(.notEqual) }
            return tok(.less)
        case UInt8(ascii: ">"):
            if peek() == UInt8(ascii: "=") { pos += 1; return tok(.greaterEqual) }
            return tok(.greater)
        case UInt8(ascii: "$"):
            let nameStart = pos
            while let d = peek(), isIdentifierPart(d) {
                if d >= 0x80, let invisible = invisibleCharacter(at: pos, wordStart: nameStart) { throw invisible }
                pos += 1
            }
            guard pos > nameStart else {
                throw .missingVariableName(SourceRange(start, pos))
            }
            return tok(.variable(String(decoding: bytes[nameStart..<pos], as: UTF8.self)))
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return try string(quote: c, start: start)
        case UInt8(ascii: "`"):
            var out: [UInt8] = []
            while let d = peek(), d != UInt8(ascii: "`"), d != UInt8(ascii: "\n") { out.append(d); pos += 1 }
            guard peek() == UInt8(ascii: "`") else {
                throw .unterminatedName(SourceRange(start, pos))
            }
            pos += 1
            return tok(.quotedIdentifier(String(decoding: out, as: UTF8.self)))
        default:
            break
        }
        if isDigit(c) || (c == UInt8(ascii: ".") && peek().map(isDigit) == true) {
            pos = start
            return try number(start: start)
        }
        if c == 0xE2, peek() == 0x80, let q = peek(1), [0x98, 0x99, 0x9C, 0x9D].contains(q) {
            pos += 2
            throw .curlyQuote(SourceRange(start, pos))
        }
        if let invisible = invisibleCharacter(at: start, wordStart: start) { throw invisible }
        if isIdentifierStart(c) {
            while let d = peek(), isIdentifierPart(d) {
                if d >= 0x80, let invisible = invisibleCharacter(at: pos, wordStart: start) { throw invisible }
                pos += 1
            }
            return tok(.identifier(String(decoding: bytes[start..<pos], as: UTF8.self)))
        }
        // Step over the whole (possibly multi-byte) character for the caret.
        while let d = peek(), d & 0xC0 == 0x80 { pos += 1 }
        throw .unexpectedCharacter(SourceRange(start, pos), character: String(decoding: bytes[start..<pos], as: UTF8.self))
    }

    private mutating func string(quote: UInt8, start: Int) throws(LexError) -> Token {
        var out: [UInt8] = []
        while let d = peek() {
            if d == UInt8(ascii: "\n") || (d == 13 && pos + 1 < bytes.count && bytes[pos + 1] == UInt8(ascii: "\n")) { break }
            // Control characters (a NUL would cut a file name short) have no place in text.
            if !lenient, Self.isRefusedControl(d) {
                throw .controlCharacterInText(SourceRange(pos, pos + 1), byte: d)
            }
            pos += 1
            if d == quote {
                // A doubled quote stands for itself, as in CSV and SQL.
                if peek() == quote { out.append(quote); pos += 1; continue }
                return Token(kind: .string(String(decoding: out, as: UTF8.self)), range: SourceRange(start, pos))
            }
            if d == UInt8(ascii: "\\"), let e = peek(), e == quote || e == UInt8(ascii: "\\") {
                out.append(e)
                pos += 1
                continue
            }
            out.append(d)
        }
        if lenient, peek() == nil {
            openString = (quote, start)
            return Token(kind: .string(String(decoding: out, as: UTF8.self)), range: SourceRange(start, pos))
        }
        throw .unterminatedString(SourceRange(start, start + 1), quote: Character(Unicode.Scalar(quote)))
    }

    private mutating func number(start: Int) throws(LexError) -> Token {
        var sawDot = false
        var scale = 0
        while let d = peek() {
            if isDigit(d) {
                if sawDot { scale += 1 }
                pos += 1
            } else if d == UInt8(ascii: "_") {
                pos += 1
            } else if d == UInt8(ascii: "."), !sawDot, peek(1).map(isDigit) == true {
                sawDot = true
                pos += 1
            } else {
                break
            }
        }
        if let invisible = invisibleCharacter(at: pos, wordStart: start, inName: false) { throw invisible }
        if let d = peek(), isIdentifierStart(d) {
            var end = pos
            while end < bytes.count, isIdentifierPart(bytes[end]) { end += 1 }
            throw .numberRunsIntoName(SourceRange(start, end), text: String(decoding: bytes[start..<end], as: UTF8.self))
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        let digits = text.filter { $0 != "_" }
        guard let value = Double(digits) else {
            throw .malformedNumber(SourceRange(start, pos), text: text)
        }
        return Token(kind: .number(value, scale: scale, text: text), range: SourceRange(start, pos))
    }

    /// Characters outside quotes that look like a space, or like nothing at all: a byte order
    /// mark left inside a file, a no-break space or zero-width space copied out of a document, a
    /// bidi override. Peel reads names by their bytes, so `\u{FEFF}tables` would be an unknown
    /// name that prints as `tables`: such a character is an error that names it, with the caret
    /// under it. (Inside quotes they are data and kept.)
    package static let invisibles: [UInt32: String] = [
        0x00A0: "NO-BREAK SPACE", 0x00AD: "SOFT HYPHEN", 0x061C: "ARABIC LETTER MARK", 0x1680: "OGHAM SPACE MARK",
        0x180E: "MONGOLIAN VOWEL SEPARATOR", 0x2000: "EN QUAD", 0x2001: "EM QUAD", 0x2002: "EN SPACE", 0x2003: "EM SPACE",
        0x2004: "THREE-PER-EM SPACE", 0x2005: "FOUR-PER-EM SPACE", 0x2006: "SIX-PER-EM SPACE", 0x2007: "FIGURE SPACE",
        0x2008: "PUNCTUATION SPACE", 0x2009: "THIN SPACE", 0x200A: "HAIR SPACE", 0x200B: "ZERO WIDTH SPACE",
        0x200C: "ZERO WIDTH NON-JOINER", 0x200D: "ZERO WIDTH JOINER", 0x200E: "LEFT-TO-RIGHT MARK", 0x200F: "RIGHT-TO-LEFT MARK",
        0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR", 0x202A: "LEFT-TO-RIGHT EMBEDDING",
        0x202B: "RIGHT-TO-LEFT EMBEDDING", 0x202C: "POP DIRECTIONAL FORMATTING", 0x202D: "LEFT-TO-RIGHT OVERRIDE",
        0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x202F: "NARROW NO-BREAK SPACE", 0x205F: "MEDIUM MATHEMATICAL SPACE",
        0x2060: "WORD JOINER", 0x2066: "LEFT-TO-RIGHT ISOLATE", 0x2067: "RIGHT-TO-LEFT ISOLATE",
        0x2068: "FIRST STRONG ISOLATE", 0x2069: "POP DIRECTIONAL ISOLATE", 0x3000: "IDEOGRAPHIC SPACE",
        0xFEFF: "BYTE ORDER MARK",
    ]
    /// Those that show as a space: they separate words on screen but not for peel.
    package static let spaceLike: Set<UInt32> = [0x00A0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
                                         0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]

    /// The scalar that starts at byte `i` and its length in bytes (nil at the end or inside a character).
    private func scalar(at i: Int) -> (UInt32, Int)? {
        guard i < bytes.count else { return nil }
        let b = bytes[i]
        let n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0
        guard n > 0, i + n <= bytes.count else { return nil }
        return String(decoding: bytes[i..<(i + n)], as: UTF8.self).unicodeScalars.first.map { ($0.value, n) }
    }

    /// The error for an invisible character at byte `i`, in the word that starts at `wordStart`
    /// (the word runs on over the bytes a name may hold; `inName` false: after a number); nil when
    /// `i` holds no such character.
    private func invisibleCharacter(at i: Int, wordStart: Int, inName: Bool = true) -> LexError? {
        guard i < bytes.count, bytes[i] >= 0xC2, let (v, n) = scalar(at: i), let name = Self.invisibles[v] else { return nil }
        var end = i + n
        while end < bytes.count, isIdentifierPart(bytes[end]) { end += 1 }
        func visible(_ r: Range<Int>) -> String {
            String(String(decoding: bytes[r], as: UTF8.self).unicodeScalars.filter { Self.invisibles[$0.value] == nil }.map(Character.init))
        }
        return .invisibleCharacter(SourceRange(i, i + n), codePoint: v, name: name,
                                   before: visible(wordStart..<i), after: visible((i + n)..<end), inName: inName)
    }

    /// The control characters text cannot hold, in a command or in a script parameter given on
    /// the command line: C0 controls other than tab (a NUL, a line break, ESC), and DEL.
    public static func isRefusedControl(_ byte: UInt8) -> Bool { byte < 0x20 && byte != 0x09 || byte == 0x7F }

    private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    private func isIdentifierStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == UInt8(ascii: "_") || c >= 0x80
    }
    private func isIdentifierPart(_ c: UInt8) -> Bool { isIdentifierStart(c) || isDigit(c) }
}
