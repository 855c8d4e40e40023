import PeelSupport

/// Why a command could not be parsed: the shared vocabulary of `Parser` (a token where another
/// was expected, an empty name, the expression limits) and the pipeline grammar (verbs and their
/// order). Each case holds its place in the source; `diagnostic` is the one place with the words.
public enum ParseError: DiagnosticConvertible, Equatable, Sendable {
    /// `found` where `expected` (words such as "a column name") should be. `help` is the caller's.
    case unexpected(SourceRange, expected: String, found: TokenKind, help: String?)
    /// A backquoted name holding only blanks.
    case emptyName(SourceRange)
    /// A token left over after the step `verb` was read; `usage` is that command's usage line.
    case extraAfterStep(SourceRange, found: TokenKind, verb: String, usage: String?)
    /// Brackets, calls, `not` or minus signs nested deeper than `limit`.
    case nestedTooDeep(SourceRange, limit: Int)
    /// An expression with more than `limit` operators.
    case tooManyOperators(SourceRange, limit: Int)
    /// A command that starts with `|`.
    case pipelineStartsWithPipe(SourceRange)
    /// A verb that works on a table (`command`, with its `usage`) given first.
    case stageNeedsTable(SourceRange, command: String, usage: String)
    /// A command that starts a pipeline given after `|`; `stages` are the verbs that may follow.
    case sourceAfterPipe(SourceRange, command: String, stages: [String])
    /// An unknown word after `|`: peel's name for it if another tool uses it (`otherTool`), else
    /// the nearest verb (`suggestion`), else the list of verbs.
    case unknownVerb(SourceRange, word: String, otherTool: String?, suggestion: String?, stages: [String])

    /// Where in the source the error is.
    public var range: SourceRange {
        switch self {
        case .unexpected(let r, _, _, _), .emptyName(let r), .extraAfterStep(let r, _, _, _), .nestedTooDeep(let r, _),
             .tooManyOperators(let r, _), .pipelineStartsWithPipe(let r), .stageNeedsTable(let r, _, _),
             .sourceAfterPipe(let r, _, _), .unknownVerb(let r, _, _, _, _):
            return r
        }
    }

    public var diagnostic: Diagnostic {
        let range = self.range
        switch self {
        case .unexpected(_, let expected, let found, let help):
            let shown: String
            switch found {
            case .end, .newline, .semicolon: shown = "the end of the command"
            default: shown = found.description
            }
            return Diagnostic("expected \(expected), found \(shown)", at: range, help: help)
        case .emptyName:
            return Diagnostic("a name cannot be empty", at: range, help: "write a name between the backquotes, e.g. `share of offences`")
        case .extraAfterStep(_, let found, let verb, let usage):
            return Diagnostic("unexpected \(found.description) after \(verb)", at: range, help: usage.map { "usage: \($0)" })
        case .nestedTooDeep(_, let limit):
            return Diagnostic("this expression is nested more than \(limit) levels deep", at: range,
                              help: "split it into steps, e.g. with add NAME = … for the inner parts")
        case .tooManyOperators(_, let limit):
            return Diagnostic("this expression has more than \(NumberFormat.grouped(limit)) operators", at: range,
                              help: "split it into steps, e.g. with add NAME = … for the parts")
        case .pipelineStartsWithPipe:
            return Diagnostic("a pipeline starts with a table", at: range, help: "e.g. outcomes | where force = \"Leicestershire\"")
        case .stageNeedsTable(_, let command, let usage):
            return Diagnostic("'\(command)' needs a table to work on", at: range, help: "start with a table, e.g. outcomes | \(usage)")
        case .sourceAfterPipe(_, let command, let stages):
            return Diagnostic("'\(command)' starts a command and cannot follow '|'", at: range,
                              help: "verbs after '|': " + stages.joined(separator: ", "))
        case .unknownVerb(_, let word, let otherTool, let suggestion, let stages):
            let help = otherTool.map { "peel calls this '\($0)'" }
                ?? suggestion.map { "did you mean '\($0)'?" }
                ?? "verbs after '|': " + stages.joined(separator: ", ")
            return Diagnostic("unknown verb '\(word)'", at: range, help: help)
        }
    }
}
