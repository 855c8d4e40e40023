#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PeelSupport
import PeelSession

/// Writes results to stdout and diagnostics to stderr, keeping the two in order. On a terminal
/// (and unless NO_COLOR is set) diagnostics are coloured: the words "error" and "warning", the caret
/// and "help" — each also in words, so colour never carries meaning alone.
///
/// A stream that is a terminal never receives a control character from the text it is given
/// (data, file names, values quoted in messages): ESC, BEL, backspace, C1 controls and bidi
/// overrides are shown as pictures (`ControlPictures`: `␛]0;title␇`, `<U+202E>`), so a CSV cannot
/// retitle the window, write the clipboard or hide text. The only escapes a terminal receives are
/// peel's own colours, added after. Files and pipes get every byte as it is.
final class StdioSink: OutputSink {
    let colour: Bool
    /// Whether stdout and stderr are terminals (decided once, at start).
    let outIsTerminal: Bool
    let errIsTerminal: Bool

    init(colour: Bool, outIsTerminal: Bool = Terminal.stdoutIsTerminal, errIsTerminal: Bool = Terminal.stderrIsTerminal) {
        self.colour = colour
        self.outIsTerminal = outIsTerminal
        self.errIsTerminal = errIsTerminal
    }

    /// Each result is flushed as it is written, so a second Ctrl-C or SIGTERM, whose handler ends
    /// the process at once (`_exit`, no stdio flush), loses nothing that finished before it.
    func out(_ text: String) {
        Self.endCaretLine()
        let shown = outIsTerminal ? Terminal.shown(text) : text
        if outIsTerminal, let rows = pageRows?(), Self.lineCount(shown) > max(1, rows - 1), Pager.page(shown) { return }
        Self.write(shown, stdout)
        fflush(stdout)
    }

    /// The window's height when a result taller than it is to go through the pager (the
    /// interactive shell sets it; nil — never paged — in scripts, pipes and files).
    var pageRows: (() -> Int?)?

    /// The lines `text` takes (its line breaks, and one more for a last line without one).
    static func lineCount(_ text: String) -> Int {
        var n = 0
        var last: UInt8 = 0
        for b in text.utf8 {
            if b == 10 { n += 1 }
            last = b
        }
        return n + (last != 10 && last != 0 ? 1 : 0)
    }

    /// After a Ctrl-C the terminal echoed as `^C` (the shell only), a new line first.
    static func endCaretLine() {
        guard caretEchoed != 0 else { return }
        caretEchoed = 0
        fputs("\n", stdout)
        fflush(stdout)
    }

    /// Every byte of `text` (fputs would stop at a NUL).
    static func write(_ text: String, _ stream: UnsafeMutablePointer<FILE>) {
        var t = text
        t.withUTF8 { b in _ = fwrite(b.baseAddress, 1, b.count, stream) }
    }

    func err(_ text: String) {
        fflush(stdout)
        Self.endCaretLine()
        let shown = errIsTerminal ? Terminal.shown(text) : text
        Self.write(colour ? Self.colourise(shown) : shown, stderr)
        fflush(stderr)
    }

    static func colourise(_ text: String) -> String {
        let red = "\u{1B}[1;31m", yellow = "\u{1B}[1;33m", cyan = "\u{1B}[36m", reset = "\u{1B}[0m"
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var l = String(line)
            if let r = l.range(of: ": error: ") { l.replaceSubrange(r, with: ": \(red)error:\(reset) ") }
            else if let r = l.range(of: ": warning: ") { l.replaceSubrange(r, with: ": \(yellow)warning:\(reset) ") }
            else if l.hasPrefix("help: ") { l = cyan + "help:" + reset + l.dropFirst(5) }
            else if l.contains("| "), l.trimmingCharacters(in: .whitespaces).hasPrefix("|"), l.contains("^") {
                l = l.replacingOccurrences(of: "^", with: red + "^").replacingOccurrences(of: "~", with: "~") + reset
            }
            return l
        }.joined(separator: "\n")
    }
}

/// Whether the standard streams are terminals, and text as a terminal is shown it.
enum Terminal {
    static let stdoutIsTerminal = isatty(STDOUT_FILENO) != 0
    static let stderrIsTerminal = isatty(STDERR_FILENO) != 0

    /// `text` with its control characters as pictures (line breaks and tabs kept).
    static func shown(_ text: String) -> String { ControlPictures.visible(text, keepingLineBreaks: true) }

    /// Writes `text` to stderr, as shown on a terminal when stderr is one (messages that quote
    /// what was typed on the command line: a script's path, a parameter).
    static func error(_ text: String) {
        fflush(stdout)
        StdioSink.write(stderrIsTerminal ? shown(text) : text, stderr)
        fflush(stderr)
    }

    /// Writes `text` to stdout, as shown on a terminal when stdout is one.
    static func output(_ text: String) {
        StdioSink.write(stdoutIsTerminal ? shown(text) : text, stdout)
    }
}

/// Shows a long result through `$PAGER`, else `less -FRSX`, and waits for it to quit.
enum Pager {
    /// The pager's command line: `$PAGER` when it is set and not empty, else `less -FRSX`.
    static func command(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let p = env["PAGER"], !p.trimmingCharacters(in: .whitespaces).isEmpty { return p }
        return "less -FRSX"
    }

    /// Writes `text` through the pager; false when the pager could not start (the caller then
    /// prints it directly). Ctrl-C in the pager reaches peel's handler, which only sets a flag, and
    /// a pager quit before it has read everything ends the write (EPIPE), not peel.
    static func page(_ text: String) -> Bool {
        fflush(stdout)
        let oldPipe = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, oldPipe) }
        guard let pipe = popen(command(), "w") else { return false }
        var t = text
        var failed = false
        t.withUTF8 { b in
            guard var p = b.baseAddress else { return }
            var left = b.count
            while left > 0 {
                let n = fwrite(p, 1, min(left, 1 << 16), pipe)
                if n == 0 { failed = true; break }
                p += n
                left -= n
            }
        }
        if !failed { fflush(pipe) }
        let status = pclose(pipe)
        // 127: the shell could not run the pager (not found): nothing was shown.
        if status != -1, (status >> 8) & 0xFF == 127 { return false }
        return true
    }
}
