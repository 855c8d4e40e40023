#if canImport(Glibc)
import Glibc
#endif
import PeelCore

/// The interactive loop: prompt, read (with continuation lines), run, remember.
struct Shell {
    let session: Session
    let historyPath: String?

    func run() -> Int32 {
        let editor = LineEditor(historyPath: historyPath, completer: Completer(session: session))
        // In the shell, charts fill the terminal; scripts and pipes keep a fixed 80 columns.
        session.settings.width = max(40, min(LineEditor.terminalWidth(), 200))
        print("peel \(peelVersion): type 'help' for commands, 'tables' for the data, Ctrl-D to leave.")
        var lineNumber = 1
        while true {
            var text = ""
            var prompt = "peel> "
            var cancelled = false
            while true {
                switch editor.read(prompt: prompt) {
                case .end:
                    if text.isEmpty {
                        fputs("\n", stdout)
                        return 0
                    }
                    cancelled = true
                case .interrupted:
                    cancelled = true
                case .line(let l):
                    text += text.isEmpty ? l : "\n" + l
                }
                if cancelled || !Self.needsMore(text) { break }
                prompt = "  ...> "
            }
            if cancelled { continue }
            editor.remember(text)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            session.run(SourceText(name: "<stdin>", text: text, firstLine: lineNumber))
            fflush(stdout)
            lineNumber += lines
        }
    }

    /// True when the command is unfinished: it ends with `|`, or a bracket is still open.
    static func needsMore(_ text: String) -> Bool {
        var depth = 0
        var inQuote: Character?
        for c in text {
            if let q = inQuote { if c == q { inQuote = nil }; continue }
            switch c {
            case "\"", "'": inQuote = c
            case "(": depth += 1
            case ")": depth -= 1
            case "#": break
            default: break
            }
        }
        if depth > 0 { return true }
        let trimmed = text.trimmingSpacesAndTabs
        return trimmed.hasSuffix("|")
    }
}
