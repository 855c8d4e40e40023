import PeelSupport
import PeelRender
import PeelLanguage

/// The one way a running command reaches the session: what it may read of it, and the few
/// changes it may make (settings, variables, warnings, where results go). Commands never write
/// `SessionState` itself; the session does, between commands.
public struct SessionControl {
    private let state: SessionState

    init(state: SessionState) { self.state = state }

    // MARK: reading

    public var settings: Settings { state.settings }
    /// The settings before the first command (what `save` restores first).
    public var initialSettings: Settings? { state.initialSettings }
    /// Every command run so far and whether it succeeded (what `save` writes).
    public var journal: [SessionState.JournalEntry] { state.journal }
    /// The lines typed in the shell, oldest first (empty in a script).
    public var history: [String] { state.history }
    /// The last successful command's result, which a line starting with `|` continues.
    public var lastResult: SessionState.KeptResult? { state.lastResult }
    /// The command running now, as typed.
    public var runningText: String? { state.runningText }
    /// The results so far, numbered from 1 (`_1`, `_2`, …).
    public var cells: [Output] { state.cells }
    /// The value the command line gave the script parameter `name`, if any.
    public func givenParameter(_ name: String) -> VariableValue? { state.variables.given[name] }

    // MARK: changing

    public func set(format: OutputFormat) { state.settings.format = format }
    public func set(width: Int) { state.settings.width = width }
    public func set(ascii: Bool) { state.settings.ascii = ascii }
    public func set(echo: Bool) { state.settings.echo = echo }
    public func set(sources: Bool) { state.settings.sources = sources }
    public func set(fit: Bool) { state.settings.fit = fit }
    public func set(pager: Bool) { state.settings.pager = pager }
    public func set(timer: Bool) { state.settings.timer = timer }

    /// Gives `$name` a value for later commands.
    public func setVariable(_ name: String, _ value: VariableValue) { state.variables.set(name, value) }

    /// Notes a problem that does not stop the command (shown under the command with a caret).
    public func warn(_ d: Diagnostic) {
        var w = d
        w.isWarning = true
        state.warnings.append(w)
    }

    /// Sends later results to `file`: the first replaces it (with `append`, follows what it
    /// holds), later ones are appended.
    public func redirectOutput(to file: String, append: Bool, fileExists: Bool) {
        // Appending to a file that has content: the first result is set off from it by a blank line.
        state.printedAny = append && fileExists
        state.outputFile = file
        state.outputAppend = append
        state.outputStarted = false
    }

    /// Sends later results to the screen again.
    public func outputToScreen() { state.outputFile = nil }
}
