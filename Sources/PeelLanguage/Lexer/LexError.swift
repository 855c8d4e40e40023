import PeelSupport

/// Why the lexer could not read a token: each case holds where it is (a byte range of the source)
/// and what it saw; `diagnostic` is the one place that puts them into words.
public enum LexError: DiagnosticConvertible, Equatable, Sendable {
    /// A `!` not followed by `=` or `~`.
    case loneExclamation(SourceRange)
    /// A `$` with no name after it.
    case missingVariableName(SourceRange)
    /// A backquoted name with no closing backquote on its line.
    case unterminatedName(SourceRange)
    /// A typographic quote (‘ ’ “ ”) outside text.
    case curlyQuote(SourceRange)
    /// A character that looks like a space, or like nothing, outside quotes. `before` and `after`
    /// are the visible parts of the word it sits in; `inName` false: it follows a number.
    case invisibleCharacter(SourceRange, codePoint: UInt32, name: String, before: String, after: String, inName: Bool)
    /// Any other character that starts no token (as it appears in the source).
    case unexpectedCharacter(SourceRange, character: String)
    /// A control character inside quotes (`byte` is its value).
    case controlCharacterInText(SourceRange, byte: UInt8)
    /// Text whose closing quote (`"` or `'`) is missing on its line; the range is the opening quote.
    case unterminatedString(SourceRange, quote: Character)
    /// A number that runs into letters (`5x`): `text` is the whole word.
    case numberRunsIntoName(SourceRange, text: String)
    /// Digits that do not make a number.
    case malformedNumber(SourceRange, text: String)

    /// Where in the source the error is.
    public var range: SourceRange {
        switch self {
        case .loneExclamation(let r), .missingVariableName(let r), .unterminatedName(let r), .curlyQuote(let r),
             .invisibleCharacter(let r, _, _, _, _, _), .unexpectedCharacter(let r, _), .controlCharacterInText(let r, _),
             .unterminatedString(let r, _), .numberRunsIntoName(let r, _), .malformedNumber(let r, _):
            return r
        }
    }

    public var diagnostic: Diagnostic {
        let range = self.range
        switch self {
        case .loneExclamation:
            return Diagnostic("unexpected character '!'", at: range,
                              help: "use '!=' for 'not equal' or '!~' for 'does not contain'")
        case .missingVariableName:
            return Diagnostic("expected a variable name after '$'", at: range, help: "e.g. $force")
        case .unterminatedName:
            return Diagnostic("unterminated `name`", at: range, help: "close the name with a backquote (`)")
        case .curlyQuote:
            return Diagnostic("curly quote in a command", at: range, help: "use straight quotes (\" or ') around text")
        case .invisibleCharacter(_, let v, let name, let before, let after, let inName):
            let what = "\(ControlPictures.codePoint(v)) \(name)"
            if Lexer.spaceLike.contains(v) {
                let place = before.isEmpty && after.isEmpty ? "in a command"
                    : before.isEmpty ? "before '\(after)'" : after.isEmpty ? "after '\(before)'" : "between '\(before)' and '\(after)'"
                return Diagnostic("a \(what) \(place), where a plain space belongs", at: range,
                                  help: "type a plain space instead (a \(name.lowercased()) often comes from copying out of a document or a web page)")
            }
            let word = before + after
            let message = word.isEmpty ? "an invisible \(what) in a command"
                : !inName ? "an invisible \(what) after '\(before)'"
                : before.isEmpty ? "the name '\(word)' starts with an invisible \(what)"
                : after.isEmpty ? "the name '\(word)' ends with an invisible \(what)"
                : "the name '\(word)' has an invisible \(what) after '\(before)'"
            return Diagnostic(message, at: range,
                              help: v == 0xFEFF
                                  ? "delete it: a byte order mark belongs only at the very start of a file (where peel skips it); two files joined together leave one inside"
                                  : "delete it: it cannot be seen, but peel reads it as part of the name (it may have come from copying out of a document or a web page)")
        case .unexpectedCharacter(_, let ch):
            let scalars = ch.unicodeScalars
            let unseen = scalars.allSatisfy { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format || $0.value == 0xFFFD }
            let shown = unseen
                ? scalars.map { ControlPictures.codePoint($0.value) }.joined(separator: " ") + (scalars.first?.value == 0xFFFD ? " (bytes that are not UTF-8)" : " (a control character)")
                : "'\(ch)'"
            return Diagnostic("unexpected character \(shown)", at: range,
                              help: ch == "." ? "file names and text go in quotes, e.g. load \"data.csv\"" : nil)
        case .controlCharacterInText(_, let byte):
            return Diagnostic("text cannot contain the control character \(ControlPictures.codePoint(UInt32(byte)))", at: range,
                              help: "remove it; it may have come from copying out of another program")
        case .unterminatedString(_, let quote):
            return Diagnostic("unterminated string", at: range, help: "close the text with \(quote) on the same line")
        case .numberRunsIntoName(_, let text):
            return Diagnostic("malformed number '\(text)'", at: range, help: "put text in quotes, e.g. \"\(text)\"")
        case .malformedNumber(_, let text):
            return Diagnostic("malformed number '\(text)'", at: range)
        }
    }
}
