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
    /// `let NAME =` where NAME is a command's name or a result number (`_`, `_3`).
    case letNameTaken(SourceRange, name: String, isCommand: Bool)
    /// An unknown word after `|`: peel's name for it if another tool uses it (`otherTool`), else
    /// the nearest verb (`suggestion`), else the list of verbs.
    case unknownVerb(SourceRange, word: String, otherTool: String?, suggestion: String?, stages: [String])

    // What the commands' own grammars refuse (their `parse` closures).
    /// A word the step `verb` does not take where `found` is; `usage` is the verb's usage line.
    case unexpectedInStep(SourceRange, found: TokenKind, verb: String, usage: String)
    /// A format name that is none of `formats`; with `suggest`, the nearest one is offered.
    case unknownFormat(SourceRange, name: String, formats: [String], suggest: Bool)
    /// `top` or `bottom` (`verb`) given `text` where a whole number of rows goes.
    case rowCountNotWhole(SourceRange, verb: String, text: String)
    /// `bottom` (`verb`) without `by COLUMN`.
    case needsOrderColumn(SourceRange, verb: String)
    /// A `delimiter` longer than one character.
    case delimiterNotOneCharacter(SourceRange)
    /// An unknown aggregate `name` (as written); `aggregates` are the ones there are.
    case unknownAggregate(SourceRange, name: String, aggregates: [String])
    /// A new column name written as quoted `text`.
    case quotedColumnName(SourceRange, text: String)
    /// A new column name of blanks; `example` is the help, a use with this column.
    case emptyColumnName(SourceRange, example: String)
    /// A new column name `name` starting or ending with a space.
    case columnNameSpaces(SourceRange, name: String)
    /// The same column selected twice without a new name.
    case columnSelectedTwice(SourceRange, column: String)
    /// Two columns of a selection named `name`; the `position`th is already called `existing`.
    case columnNameClash(SourceRange, name: String, position: Int, existing: String)
    /// An export file name `path` without an extension; `stem` is the path without its last dot,
    /// `extensions` the ones export writes.
    case exportNoExtension(SourceRange, path: String, stem: String, extensions: [String])
    /// An export file name `path` whose extension `ext` names no format export writes.
    case exportUnknownExtension(SourceRange, path: String, ext: String, stem: String, extensions: [String])

    /// Where in the source the error is.
    public var range: SourceRange {
        switch self {
        case .unexpected(let r, _, _, _), .emptyName(let r), .extraAfterStep(let r, _, _, _), .nestedTooDeep(let r, _),
             .tooManyOperators(let r, _), .pipelineStartsWithPipe(let r), .stageNeedsTable(let r, _, _),
             .sourceAfterPipe(let r, _, _), .letNameTaken(let r, _, _), .unknownVerb(let r, _, _, _, _), .unexpectedInStep(let r, _, _, _),
             .unknownFormat(let r, _, _, _), .rowCountNotWhole(let r, _, _), .needsOrderColumn(let r, _),
             .delimiterNotOneCharacter(let r), .unknownAggregate(let r, _, _), .quotedColumnName(let r, _),
             .emptyColumnName(let r, _), .columnNameSpaces(let r, _), .columnSelectedTwice(let r, _),
             .columnNameClash(let r, _, _, _), .exportNoExtension(let r, _, _, _), .exportUnknownExtension(let r, _, _, _, _):
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
        case .letNameTaken(_, let name, let isCommand):
            return Diagnostic(isCommand ? "'\(name)' is a command, so it cannot name a result" : "'\(name)' stands for a numbered result, so it cannot be a name", at: range,
                              help: "choose another name, e.g. let \(isCommand ? name + "_result" : "result") = …")
        case .sourceAfterPipe(_, let command, let stages):
            return Diagnostic("'\(command)' starts a command and cannot follow '|'", at: range,
                              help: "verbs after '|': " + stages.joined(separator: ", "))
        case .unknownVerb(_, let word, let otherTool, let suggestion, let stages):
            let help = otherTool.map { "peel calls this '\($0)'" }
                ?? suggestion.map { "did you mean '\($0)'?" }
                ?? "verbs after '|': " + stages.joined(separator: ", ")
            return Diagnostic("unknown verb '\(word)'", at: range, help: help)
        case .unexpectedInStep(_, let found, let verb, let usage):
            return Diagnostic("unexpected \(found.description) in \(verb)", at: range, help: "usage: \(usage)")
        case .unknownFormat(_, let name, let formats, let suggest):
            let list = "formats: " + formats.joined(separator: ", ")
            return Diagnostic("unknown format '\(name)'", at: range, help: suggest ? Suggest.hint(for: name, in: formats) ?? list : list)
        case .rowCountNotWhole(_, let verb, let text):
            return Diagnostic("\(verb) needs a whole number of rows, not \(text)", at: range)
        case .needsOrderColumn(_, let verb):
            return Diagnostic("\(verb) needs a column to order by", at: range, help: "e.g. \(verb) 5 by share")
        case .delimiterNotOneCharacter:
            return Diagnostic("a delimiter is one character", at: range, help: "e.g. delimiter \";\" or delimiter tab")
        case .unknownAggregate(_, let name, let aggregates):
            return Diagnostic("unknown aggregate '\(name)'", at: range,
                              help: Suggest.closest(to: name.lowercased(), in: aggregates).map { "did you mean '\($0)'?" } ?? "aggregates: " + aggregates.joined(separator: ", "))
        case .quotedColumnName(_, let text):
            return Diagnostic("a column name is a word, not text in quotes", at: range, help: "write it bare, or in backquotes when it has spaces: `\(text)`")
        case .emptyColumnName(_, let example):
            return Diagnostic("a column name cannot be empty", at: range, help: example)
        case .columnNameSpaces(_, let name):
            return Diagnostic("a column name cannot start or end with a space", at: range,
                              help: "write `\(name.split(separator: " ").joined(separator: " "))`")
        case .columnSelectedTwice(_, let column):
            return Diagnostic("column '\(column)' is selected twice", at: range,
                              help: "leave one out, or give the copy its own name: \(column) as \(column)_2")
        case .columnNameClash(_, let name, let position, let existing):
            return Diagnostic("two columns would be called '\(name)'", at: range,
                              help: "column \(position) of the result is already '\(existing)'; choose another name, e.g. as \(name)_2")
        case .exportNoExtension(_, let path, let stem, let extensions):
            return Diagnostic("export cannot tell the format of '\(path)': the name has no extension (export writes \(Self.words(extensions)) files)", at: range,
                              help: "add an extension, e.g. export \"\(stem).csv\", or name the format: export \"\(path)\" as csv")
        case .exportUnknownExtension(_, let path, let ext, let stem, let extensions):
            let spreadsheets = ["xlsx", "xls", "xlsm", "ods", "numbers"]
            let help = spreadsheets.contains(ext.lowercased())
                ? "spreadsheets are not written yet: export \"\(stem).csv\" makes a file any spreadsheet program opens"
                : "use one of those extensions, or name the format: export \"\(path)\" as csv"
            return Diagnostic("export cannot write '.\(ext)' files: it writes \(Self.words(extensions)) files", at: range, help: help)
        }
    }

    /// `a, b and c`.
    private static func words(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        return items.count == 1 ? last : items.dropLast().joined(separator: ", ") + " and " + last
    }
}
