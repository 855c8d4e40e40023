/// Whether Ctrl-C or SIGTERM has asked the work in hand to stop.
///
/// Signals belong to the process, so this is one process-wide switch: the executable's signal
/// handlers set a flag and install `isRequested` to read it; long loops (loading, ranking,
/// sorting, joining, rendering) call `check()` every few thousand rows, and stop with an error that
/// leaves every table as it was, because a command only changes the session when it finishes.
public enum Interrupt {
    /// Reads the flag the signal handlers set. Never asks by default (tests, the fuzzer).
    nonisolated(unsafe) public static var isRequested: @Sendable () -> Bool = { false }

    /// Throws `stopped` when a stop was asked for.
    @inline(__always)
    public static func check() throws {
        if isRequested() { throw stopped }
    }

    /// The error a stopped command ends with.
    public static var stopped: Diagnostic {
        Diagnostic("interrupted: this command was stopped, and every table is as it was")
    }
}
