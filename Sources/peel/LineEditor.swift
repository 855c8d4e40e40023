#if canImport(Glibc)
import Glibc
#endif
import CEditLine
import PeelSession

/// Set by the SIGINT handler; checked after each read. (C signal handlers cannot reach Swift objects.)
nonisolated(unsafe) var interrupted: sig_atomic_t = 0
/// Set by SIGTERM (and SIGHUP): finish or abandon the current command cleanly, then exit.
nonisolated(unsafe) var terminated: sig_atomic_t = 0
/// 1 while the shell waits at the prompt. libedit may restart its read after a signal, so SIGTERM
/// there ends the process from the handler itself (nothing is in progress; history is saved).
nonisolated(unsafe) var atPrompt: sig_atomic_t = 0
/// Set by SIGINT while a command runs (not at the prompt) when the terminal echoed the key as
/// `^C`: the shell's next output starts a new line, so that no message is glued to the `^C`.
nonisolated(unsafe) var caretEchoed: sig_atomic_t = 0
/// The terminal's settings before libedit changed them, put back before such an exit.
nonisolated(unsafe) var savedTermios = termios()
nonisolated(unsafe) var haveSavedTermios: sig_atomic_t = 0
/// Set when the shell is continued (`fg` after Ctrl-Z, or SIGCONT) while it waits at the prompt:
/// the read is abandoned and started again, so libedit puts the terminal back in its own mode
/// and redraws the prompt and the line typed so far.
nonisolated(unsafe) var continued: sig_atomic_t = 0
/// The SIGTSTP handler, kept so the handler can put itself back after the stop.
nonisolated(unsafe) var stopAction = sigaction()

/// The interactive line editor: libedit's native API with history and Tab completion.
final class LineEditor {
    private let el: OpaquePointer
    private let hist: OpaquePointer
    private var prompt: UnsafeMutablePointer<CChar>
    private let history: HistoryStore?
    let completer: Completer

    init(historyPath: String?, completer: Completer) {
        history = historyPath.map(HistoryStore.init(path:))
        self.completer = completer
        setlocale(LC_CTYPE, "")
        el = el_init("peel", stdin, stdout, stderr)
        hist = history_init()
        prompt = strdup("peel> ")
        peel_history_setsize(hist, 1000)
        peel_history_setunique(hist, 1)
        peel_el_set_history(el, hist)
        peel_el_set_editor(el, "emacs")
        peel_el_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        peel_el_set_prompt(el) { el in
            guard let el, let data = peel_el_get_clientdata(el) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().prompt
        }
        peel_el_add_fn(el, "peel-complete", "Complete the word at the cursor") { el, _ in
            guard let el, let data = peel_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().completeAtCursor()
        }
        peel_el_bind(el, "^I", "peel-complete")
        peel_el_bind(el, "^R", "em-inc-search-prev")
        _ = peel_el_source(el)  // ~/.editrc, as libedit users expect
        if let history, history.loadable { _ = peel_history_load(hist, history.path) }
        Self.installInterruptHandler()
    }

    deinit {
        el_end(el)
        history_end(hist)
        free(prompt)
    }

    enum Input {
        case line(String)
        case interrupted
        case end
    }

    /// Reads one line. Ctrl-C gives `.interrupted`; Ctrl-D on an empty line gives `.end`.
    /// Ctrl-Z stops the shell as any program stops; after `fg` the prompt and the half-typed line
    /// come back, and keys are read in the editor's mode again (see `installJobControlHandlers`).
    func read(prompt text: String) -> Input {
        free(prompt)
        prompt = strdup(text)
        fflush(stdout)
        var count: Int32 = 0
        var raw: UnsafePointer<CChar>?
        while true {
            interrupted = 0
            continued = 0
            atPrompt = 1
            if terminated != 0 { fputs("\n", stdout); fflush(stdout); _exit(143) }
            Self.installJobControlHandlers(true)
            raw = el_gets(el, &count)
            Self.installJobControlHandlers(false)
            atPrompt = 0
            guard continued != 0, interrupted == 0, terminated == 0 else { break }
            // Continued at the prompt: libedit gave up its read and the terminal's cooked mode
            // (as the job-control shell left it). Read again, with what was typed pushed back as
            // input and the cursor moved back (Ctrl-B) to where it was.
            var pending = ""
            if let info = el_line(el)?.pointee, let buffer = info.buffer, let cursor = info.cursor, let last = info.lastchar {
                let bytes = UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self)
                let typed = String(decoding: UnsafeBufferPointer(start: bytes, count: last - buffer), as: UTF8.self)
                let after = String(decoding: UnsafeBufferPointer(start: bytes + (cursor - buffer), count: last - cursor), as: UTF8.self)
                pending = typed + String(repeating: "\u{02}", count: after.unicodeScalars.count)
            }
            fputs("\r", stdout)  // the prompt is drawn again from the start of the line
            fflush(stdout)
            if !pending.isEmpty { el_push(el, pending) }
        }
        if interrupted != 0 {
            interrupted = 0
            fputs("\n", stdout)
            return .interrupted
        }
        guard let raw, count > 0 else { return .end }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// The history file's entries when the shell started (none when it is not used).
    var loadedHistory: [String] { history?.lines ?? [] }

    /// Adds a line to history (not when it starts with a space, nor the same line twice in a row)
    /// and adds it to the history file (see `HistoryStore.save`).
    func remember(_ line: String) {
        guard !line.trimmingSpacesAndTabs.isEmpty, !line.hasPrefix(" ") else { return }
        var entry = line
        while entry.hasSuffix(" ") || entry.hasSuffix("\t") { entry.removeLast() }
        if let newest = peel_history_newest(hist), String(cString: newest) == entry { return }
        peel_history_enter(hist, entry)
        history?.add(entry)
        history?.save()
    }

    private func completeAtCursor() -> UInt8 {
        guard let info = el_line(el)?.pointee, let buffer = info.buffer, let cursor = info.cursor else { return UInt8(CC_ERROR) }
        let before = String(decoding: UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self),
                                                          count: cursor - buffer), as: UTF8.self)
        let result = completer.complete(before)
        guard !result.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        // The only match, or what all the matches share (with the opening quote of a value).
        if let (delete, text) = Completer.edit(for: result) {
            if delete > 0 { el_deletestr(el, Int32(delete)) }
            _ = el_insertstr(el, text)
        }
        // Several: list them under the line, which libedit then redraws (with what was inserted).
        if result.candidates.count > 1 {
            fputs(Terminal.shown("\n" + Completer.columns(result.candidates, width: Self.terminalWidth())), stdout)
            fflush(stdout)
            return UInt8(CC_REDISPLAY)
        }
        return UInt8(CC_REFRESH)
    }

    /// The window's columns and rows (TIOCGWINSZ on stdout), nil when it is not known.
    static func terminalSize() -> (Int, Int)? {
        var ws = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 else { return nil }
        return (Int(ws.ws_col), Int(ws.ws_row))
    }

    static func terminalWidth() -> Int {
        var ws = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
        return 80
    }

    /// SIGINT sets a flag and interrupts the read (no SA_RESTART), so the shell keeps running.
    static func installInterruptHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            interrupted = 1
            // At the prompt libedit has the terminal raw (nothing echoed); during a command the
            // terminal echoes ^C when ECHO and ECHOCTL are set. (tcgetattr is async-signal-safe.)
            var t = termios()
            if atPrompt == 0, tcgetattr(STDIN_FILENO, &t) == 0,
               t.c_lflag & tcflag_t(ECHO) != 0, t.c_lflag & tcflag_t(ECHOCTL) != 0 {
                caretEchoed = 1
            }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        if tcgetattr(STDIN_FILENO, &savedTermios) == 0 { haveSavedTermios = 1 }
        var term = sigaction()
        term.__sigaction_handler.sa_handler = { _ in
            terminated = 1
            if atPrompt != 0 {
                // Only async-signal-safe calls here.
                if haveSavedTermios != 0 { _ = tcsetattr(STDIN_FILENO, TCSANOW, &savedTermios) }
                _ = write(STDOUT_FILENO, "\n", 1)
                _exit(143)
            }
        }
        sigemptyset(&term.sa_mask)
        term.sa_flags = 0
        sigaction(SIGTERM, &term, nil)
        sigaction(SIGHUP, &term, nil)
    }

    /// While libedit reads at the prompt (the terminal in its raw mode), Ctrl-Z and `fg` need
    /// care: the job-control shell puts the terminal in its own (cooked, echoing) mode while the
    /// shell is stopped, and libedit, still waiting in its read, would go on as if nothing had
    /// changed: no prompt, every key echoed twice, arrows printed as `^[[D`. So at the prompt:
    /// - SIGTSTP puts the terminal's settings from before libedit back, stops the process as the
    ///   default action does, and once continued marks the read to be started again;
    /// - SIGCONT (after a stop by SIGSTOP or SIGTTIN too) marks it the same way.
    /// Neither sets SA_RESTART, so the read returns; `read(prompt:)` then calls libedit again,
    /// which sets its mode up afresh and redraws. During a command both have their default
    /// actions (the terminal is then in its normal mode and nothing needs redrawing).
    static func installJobControlHandlers(_ atThePrompt: Bool) {
        guard atThePrompt else {
            signal(SIGTSTP, SIG_DFL)
            signal(SIGCONT, SIG_DFL)
            return
        }
        stopAction = sigaction()
        stopAction.__sigaction_handler.sa_handler = { _ in
            // Only async-signal-safe calls here.
            let saved = errno
            if haveSavedTermios != 0 { _ = tcsetattr(STDIN_FILENO, TCSADRAIN, &savedTermios) }
            signal(SIGTSTP, SIG_DFL)
            var stop = sigset_t()
            sigemptyset(&stop)
            sigaddset(&stop, SIGTSTP)
            sigprocmask(SIG_UNBLOCK, &stop, nil)
            _ = kill(getpid(), SIGTSTP)  // stops here (unless the process group is orphaned)
            sigaction(SIGTSTP, &stopAction, nil)
            continued = 1
            errno = saved
        }
        sigemptyset(&stopAction.sa_mask)
        stopAction.sa_flags = 0
        sigaction(SIGTSTP, &stopAction, nil)
        var cont = sigaction()
        cont.__sigaction_handler.sa_handler = { _ in continued = 1 }
        sigemptyset(&cont.sa_mask)
        cont.sa_flags = 0
        sigaction(SIGCONT, &cont, nil)
    }

    /// For scripts, `-c` and pipes: Ctrl-C or SIGTERM stops the run between commands (or a load
    /// part-way, leaving every table as it was) and peel exits 130 (143 for SIGTERM). A second
    /// signal ends the process at once.
    static func installScriptSignalHandlers() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in
            if interrupted != 0 || terminated != 0 { _exit(128 + sig) }
            if sig == SIGINT { interrupted = 1 } else { terminated = 1 }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGHUP, &action, nil)
    }
}

extension String {
    var trimmingSpacesAndTabs: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
