/// An error that can say what went wrong: each stage's error type (lexing, parsing, data files,
/// the command line) turns its cases into words in one switch, and the one renderer prints them.
public protocol DiagnosticConvertible: Error {
    /// The words and the place of this error, ready for `DiagnosticRenderer`.
    var diagnostic: Diagnostic { get }
}

/// A place in a data file: the file, and its line and column when they are known.
public struct FileLocation: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based.
    public var line: Int?
    /// 0-based, in characters of the line (where a caret goes); printed 1-based, and only with a line.
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE`, `FILE:LINE` or `FILE:LINE:COL`, as it starts an error line.
    public var description: String {
        guard let line else { return file }
        return "\(file):\(line)" + (column.map { ":\($0 + 1)" } ?? "")
    }
}

/// A place on peel's own command line: which program reports it (`peel`, `peel report`), and the
/// word at fault with the character to put a caret under, when there is one.
public struct CommandLinePlace: Equatable, Sendable {
    public var program: String
    public var word: String?
    /// 0-based, in characters of `word`.
    public var column: Int?

    public init(program: String, word: String? = nil, column: Int? = nil) {
        self.program = program
        self.word = word
        self.column = column
    }
}

/// A user-facing error: what went wrong, where, and (when we can tell) what to do instead.
public struct Diagnostic: DiagnosticConvertible, Equatable, Sendable {
    public var message: String
    public var range: SourceRange?
    public var help: String?
    /// A place in a data file (`data.csv:12`), for errors found in a file rather than in a command.
    public var location: FileLocation?
    /// The offending line of that file, shown under the message (a caret under `location.column`).
    public var excerpt: String?
    /// For a mistake on peel's command line: printed `PROGRAM: message`, without the word `error`.
    public var commandLine: CommandLinePlace?
    /// A usage line printed last (`usage: …`), for command-line mistakes.
    public var usage: String?
    /// A warning is shown like an error but does not stop anything.
    public var isWarning = false

    public init(_ message: String, at range: SourceRange? = nil, help: String? = nil) {
        self.message = message
        self.range = range
        self.help = help
    }

    /// An error in a data file: `FILE:LINE: error: message`, then the line itself.
    public init(_ message: String, file: String, line: Int? = nil, column: Int? = nil, excerpt: String? = nil, help: String? = nil) {
        self.message = message
        self.location = FileLocation(file: file, line: line, column: column)
        self.excerpt = excerpt
        self.help = help
    }

    /// A mistake on the command line: `PROGRAM: message`, the word with a caret, `help:`, `usage:`.
    public init(_ message: String, commandLine: CommandLinePlace, help: String? = nil, usage: String? = nil) {
        self.message = message
        self.commandLine = commandLine
        self.help = help
        self.usage = usage
    }

    public var diagnostic: Diagnostic { self }
}

/// Renders diagnostics as `FILE:LINE:COL: error: message`, the source line, a caret, and `help:`.
public enum DiagnosticRenderer {
    /// Renders any stage's error (see `DiagnosticConvertible`).
    public static func render(_ error: some DiagnosticConvertible, in source: SourceText?) -> String {
        render(error.diagnostic, in: source)
    }

    public static func render(_ d: Diagnostic, in source: SourceText?) -> String {
        if let place = d.commandLine {
            var out = "\(place.program): \(d.message)\n"
            if let word = place.word {
                let (shown, at, _) = window(word, around: place.column ?? 0, length: 1)
                out += "  \(shown)\n  " + padding(for: String(shown.prefix(at))) + "^\n"
            }
            if let help = d.help { out += "help: \(help)\n" }
            if let usage = d.usage { out += "usage: \(usage)\n" }
            return out
        }
        if let location = d.location {
            var out = "\(location): \(d.isWarning ? "warning" : "error"): \(d.message)\n"
            if let e = d.excerpt {
                let gutter = location.line.map(String.init) ?? ""
                if let col = location.column {
                    let (shown, at, _) = window(e, around: col, length: 1)
                    out += "\(gutter) | \(shown)\n"
                    out += String(repeating: " ", count: gutter.count) + " | " + padding(for: String(shown.prefix(at))) + "^\n"
                } else {
                    out += "\(gutter) | \(DisplayWidth.truncate(visible(e), to: 120))\n"
                }
            }
            if let help = d.help { out += "help: \(help)\n" }
            return out
        }
        guard let source, let range = d.range else {
            var out = "\(source?.name ?? "peel"): \(d.isWarning ? "warning" : "error"): \(d.message)\n"
            if let help = d.help { out += "help: \(help)\n" }
            return out
        }
        let loc = source.location(of: range.start)
        let fullLine = source.lineText(from: loc.lineStart)
        // The caret spans the token, but never past the end of its line.
        let covered = source.slice(range).prefix { $0 != "\n" }.count
        let (line, at, shownLength) = window(fullLine, around: loc.column - 1, length: covered)
        let prefix = String(line.prefix(at))
        let width = max(1, min(shownLength, line.count - at))
        var out = "\(source.name):\(loc.line):\(loc.column): \(d.isWarning ? "warning" : "error"): \(d.message)\n"
        let gutter = String(loc.line)
        out += "\(gutter) | \(line)\n"
        out += String(repeating: " ", count: gutter.count) + " | "
        out += padding(for: prefix) + "^" + String(repeating: "~", count: width - 1) + "\n"
        if let help = d.help { out += "help: \(help)\n" }
        return out
    }

    /// A long line cut to a window of about 120 characters around `column` (0-based), with `…`
    /// where it was cut; returns the text shown, where `column` falls in it and how many characters
    /// the `length` characters from there take once shown. A short line is shown whole. (A 1 MB
    /// line must not print as 1 MB under an error.) Control characters are shown as pictures.
    package static func window(_ line: String, around column: Int, length: Int) -> (String, Int, Int) {
        let limit = 120
        var chars: [Character]
        var col = max(0, column), len = max(0, length)
        if ControlPictures.needed(line) {
            // A character shown as `<U+202E>` takes eight: the column and length follow it.
            let pieces = line.map { ControlPictures.visible(String($0)) }
            let lo = min(col, pieces.count), hi = min(col + len, pieces.count)
            col = pieces[..<lo].reduce(0) { $0 + $1.count }
            len = pieces[lo..<hi].reduce(0) { $0 + $1.count }
            chars = Array(pieces.joined())
        } else {
            chars = Array(line)
        }
        if chars.count <= limit { return (String(chars), min(col, chars.count), len) }
        col = min(col, chars.count)
        let start = max(0, min(col - 40, chars.count - limit))
        let end = min(chars.count, start + limit)
        var shown = String(chars[start..<end])
        var at = col - start
        if start > 0 { shown = "…" + shown; at += 1 }
        if end < chars.count { shown += "…" }
        return (shown, at, len)
    }

    /// The one mapping of control characters to pictures (see `ControlPictures`), one character
    /// each for C0 controls, so the excerpt prints cleanly and the caret stays in line.
    package static func visible(_ text: String) -> String { ControlPictures.visible(text) }

    /// Spaces as wide as `text` on screen; tabs are kept so the caret lines up.
    package static func padding(for text: String) -> String {
        var out = ""
        for ch in text {
            if ch == "\t" { out += "\t" } else { out += String(repeating: " ", count: DisplayWidth.of(ch)) }
        }
        return out
    }
}
