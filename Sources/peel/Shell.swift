#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PeelSupport
import PeelLanguage
import PeelSession

/// Reads the lines of a libedit history file (its own format: a header line, then one entry per
/// line with spaces and specials written as octal escapes).
enum HistoryFile {
    static func lines(_ path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst().map { decode(String($0)) }
    }

    /// `describe\040crime_rates` → `describe crime_rates` (libedit writes specials as \ and 3 octal digits).
    static func decode(_ s: String) -> String {
        let u = Array(s.utf8)
        var bytes: [UInt8] = []
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "\\"), i + 3 < u.count || i + 3 == u.count,
               i + 4 <= u.count, let o = UInt8(String(decoding: u[(i + 1)..<(i + 4)], as: UTF8.self), radix: 8) {
                bytes.append(o)
                i += 4
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A progress line on the terminal for a load that takes more than a second (never in scripts or
/// pipes: only the interactive shell installs it). It is cleared when the load ends.
final class LoadProgress: @unchecked Sendable {
    private var started: [String: Double] = [:]
    private var shown = false
    private let lock = NSLock()

    var report: @Sendable (String, Double?) -> Void {
        { [self] name, fraction in self.update(name, fraction) }
    }

    private func update(_ name: String, _ fraction: Double?) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date().timeIntervalSince1970
        guard let f = fraction else {
            started[name] = nil
            if shown {
                // Clearing the line also clears a ^C echoed after the progress text.
                fputs("\r\u{1B}[K", stderr)
                fflush(stderr)
                shown = false
                caretEchoed = 0
            }
            return
        }
        let start = started[name] ?? now
        started[name] = start
        guard now - start > 1 else { return }
        fputs("\rloading \(Terminal.shown(name)): \(Int(min(f, 1) * 100))%  (Ctrl-C stops it)", stderr)
        fflush(stderr)
        shown = true
    }
}

/// The interactive loop: prompt, read (with continuation lines), run, remember.
struct Shell {
    let session: Session
    let historyPath: String?
    /// A start-up file of commands to run first (~/.config/peel/peelrc or ~/.peelrc), unless --no-rc.
    let startupFile: String?

    func run() -> Int32 {
        let editor = LineEditor(historyPath: historyPath, completer: Completer(session: session))
        // In the shell, charts fill the terminal; scripts and pipes keep a fixed 80 columns.
        session.settings.width = max(40, min(LineEditor.terminalWidth(), 200))
        // Results are numbered like a notebook's cells ([3]; `_3` uses it), in the shell only.
        session.settings.cellNumbers = true
        // On a terminal, results fit the window and long ones are paged (never in pipes or files).
        let sink = session.sink as? StdioSink
        if Terminal.stdoutIsTerminal {
            fitToWindow()
            sink?.pageRows = { [session] in session.settings.pagerRows }
        }
        print("peel \(peelVersion): type 'help' for commands, 'tables' for the data, Ctrl-D to leave.")
        Interrupt.isRequested = { interrupted != 0 || terminated != 0 }
        session.catalog.progress = LoadProgress().report
        session.state.history = editor.loadedHistory
        if let rc = startupFile, let data = FileManager.default.contents(atPath: rc) {
            session.run(SourceText(name: rc, text: String(decoding: data, as: UTF8.self)))
            fflush(stdout)
        }
        var lineNumber = 1
        while true {
            var text = ""
            var prompt = "peel> "
            var cancelled = false
            while true {
                let input = editor.read(prompt: prompt)
                if terminated != 0 { fputs("\n", stdout); return 143 }
                switch input {
                case .end:
                    if text.isEmpty {
                        fputs("\n", stdout)
                        return 0
                    }
                    cancelled = true
                case .interrupted:
                    cancelled = true
                case .line(let l):
                    // Inside an open quote or bracket the text goes on, on one line (the parser
                    // reads neither across lines); otherwise a new line of the command.
                    let scan = Lexer.scan(SourceText(name: "<stdin>", text: text))
                    let sameLine = scan.openQuote != nil || (scan.depth > 0 && !scan.inComment)
                    text += text.isEmpty ? l : (sameLine ? " " : "\n") + l
                }
                if cancelled || !Self.needsMore(text) { break }
                prompt = "  ...> "
            }
            if cancelled { continue }
            editor.remember(text)
            if !text.hasPrefix(" "), !text.trimmingSpacesAndTabs.isEmpty { session.state.history.append(text) }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            interrupted = 0
            if Terminal.stdoutIsTerminal { fitToWindow() }  // re-read, so that a resize counts
            // A line that starts with `|` continues the previous command's table.
            session.run(SourceText(name: "<stdin>", text: text, firstLine: lineNumber), continuing: true)
            interrupted = 0
            StdioSink.endCaretLine()  // a ^C echoed during a command that printed nothing after it
            fflush(stdout)
            if terminated != 0 { return 143 }
            lineNumber += lines
        }
    }

    /// Gives the session the window's size, which tables are fitted to and results paged by.
    func fitToWindow() {
        guard let (cols, rows) = LineEditor.terminalSize() else { return }
        session.settings.fitWidth = cols
        session.settings.fitHeight = rows
    }

    /// True when the command is unfinished: it ends with `|` (comments aside), or a quote or
    /// bracket is still open, as the lexer reads it (so `tables # it's` is finished).
    static func needsMore(_ text: String) -> Bool {
        Lexer.scan(SourceText(name: "<stdin>", text: text)).needsMore
    }
}
