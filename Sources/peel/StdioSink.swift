#if canImport(Glibc)
import Glibc
#endif
import PeelCore

/// Writes results to stdout and diagnostics to stderr, keeping the two in order. On a terminal
/// (and unless NO_COLOR is set) diagnostics are coloured: the words "error" and "warning", the caret
/// and "help" — each also in words, so colour never carries meaning alone.
final class StdioSink: OutputSink {
    let colour: Bool

    init(colour: Bool) { self.colour = colour }

    /// Each result is flushed as it is written, so a second Ctrl-C or SIGTERM, whose handler ends
    /// the process at once (`_exit`, no stdio flush), loses nothing that finished before it.
    func out(_ text: String) {
        Self.endCaretLine()
        Self.write(text, stdout)
        fflush(stdout)
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
        Self.write(colour ? Self.colourise(text) : text, stderr)
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
