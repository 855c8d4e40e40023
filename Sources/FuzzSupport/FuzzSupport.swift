// What the command-running fuzz targets share: the bundled tables read once, file output confined
// to a scratch folder, and the check that every failed run reports a located error.
import FuzzDriver
import Foundation
import PeelIO

public enum FuzzSupport {
    /// The tables shared by every input (read once, with leak reports paused: LeakSanitizer cannot
    /// see references held in Swift enums), less `excluded`. Output is confined to
    /// $PEEL_FUZZ_SCRATCH, which becomes the working folder.
    public static func bundledTables(excluding excluded: Set<String>) -> Catalog {
        let env = ProcessInfo.processInfo.environment
        guard let datasets = env["PEEL_DATA"], let scratch = env["PEEL_FUZZ_SCRATCH"] else {
            fputs("set PEEL_DATA (the datasets folder) and PEEL_FUZZ_SCRATCH (a folder it may write in)\n", stderr)
            exit(2)
        }
        __lsan_disable()
        let base = try! Catalog(directory: datasets)
        for name in base.names where !excluded.contains(name) { _ = try! base.table(name) }
        _ = base.forceNames()
        __lsan_enable()
        AtomicFile.confinedTo = scratch
        _ = FileManager.default.changeCurrentDirectoryPath(scratch)
        return base
    }

    /// Stops the fuzzer when a failed run printed no located error (`SCRIPT:LINE:COL:` or
    /// `DATAFILE[:LINE[:COL]]:`), or a successful one printed an error.
    public static func checkDiagnostics(succeeded ok: Bool, stderr: String, script: String) {
        if !ok && stderr.range(of: #"(?m)^(fuzz\.peel:[0-9]+:[0-9]+|[^:\n]+\.[A-Za-z0-9]+(:[0-9]+){0,2}): error: "#, options: .regularExpression) == nil {
            fatalError("a failed run without a located error (SCRIPT:LINE:COL: or DATAFILE[:LINE[:COL]]: error:):\n\(script)\n\(stderr)")
        }
        if ok && stderr.contains(": error: ") {
            fatalError("a successful run that printed an error:\n\(script)\n\(stderr)")
        }
    }
}
