/// A user-facing error: what went wrong, where, and (when we can tell) what to do instead.
public struct Diagnostic: Error, Equatable, Sendable {
    public var message: String
    public var range: SourceRange?
    public var help: String?
    /// A place in a data file (`data.csv:12`), for errors found in a file rather than in a command.
    public var location: String?
    /// The offending line of that file, shown under the message.
    public var excerpt: String?
    /// A warning is shown like an error but does not stop anything.
    public var isWarning = false

    public init(_ message: String, at range: SourceRange? = nil, help: String? = nil) {
        self.message = message
        self.range = range
        self.help = help
    }

    /// An error in a data file: `FILE:LINE: error: message`, then the line itself.
    public init(_ message: String, file: String, line: Int? = nil, excerpt: String? = nil, help: String? = nil) {
        self.message = message
        self.location = line.map { "\(file):\($0)" } ?? file
        self.excerpt = excerpt
        self.help = help
    }
}

/// Renders diagnostics as `FILE:LINE:COL: error: message`, the source line, a caret, and `help:`.
public enum DiagnosticRenderer {
    public static func render(_ d: Diagnostic, in source: SourceText?) -> String {
        if let location = d.location {
            var out = "\(location): \(d.isWarning ? "warning" : "error"): \(d.message)\n"
            if let e = d.excerpt {
                let gutter = location.split(separator: ":").last.map(String.init) ?? ""
                out += "\(gutter) | \(DisplayWidth.truncate(e, to: 120))\n"
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
        let line = source.lineText(from: loc.lineStart)
        let prefix = String(line.prefix(loc.column - 1))
        // The caret spans the token, but never past the end of its line.
        let lineChars = line.count
        let covered = source.slice(range).prefix { $0 != "\n" }.count
        let width = max(1, min(covered, lineChars - (loc.column - 1)))
        var out = "\(source.name):\(loc.line):\(loc.column): \(d.isWarning ? "warning" : "error"): \(d.message)\n"
        let gutter = String(loc.line)
        out += "\(gutter) | \(line)\n"
        out += String(repeating: " ", count: gutter.count) + " | "
        out += padding(for: prefix) + "^" + String(repeating: "~", count: width - 1) + "\n"
        if let help = d.help { out += "help: \(help)\n" }
        return out
    }

    /// Spaces as wide as `text` on screen; tabs are kept so the caret lines up.
    static func padding(for text: String) -> String {
        var out = ""
        for ch in text {
            if ch == "\t" { out += "\t" } else { out += String(repeating: " ", count: DisplayWidth.of(ch)) }
        }
        return out
    }
}
