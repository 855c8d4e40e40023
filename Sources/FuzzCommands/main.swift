// libFuzzer target: random command text through the lexer, parser and evaluator.
//
// Each input runs as a script in a fresh session over the bundled tables (read once, shared; the
// 450,912-row outcomes_detail is left out so each run stays fast). File output is confined to a
// scratch folder. Besides crashes, leaks and hangs, it checks that a failed run always reports a
// located error (in the script, or in the file it read), and a successful one none.
import FuzzDriver
import Foundation
import PeelCore

let env = ProcessInfo.processInfo.environment
guard let datasets = env["PEEL_DATA"], let scratch = env["PEEL_FUZZ_SCRATCH"] else {
    fputs("set PEEL_DATA (the datasets folder) and PEEL_FUZZ_SCRATCH (a folder it may write in)\n", stderr)
    exit(2)
}
__lsan_disable()
let base = try! Catalog(directory: datasets)
let excluded: Set<String> = ["outcomes_detail"]
for name in base.names where !excluded.contains(name) { _ = try! base.table(name) }
_ = base.forceNames()
__lsan_enable()
AtomicFile.confinedTo = scratch
FileManager.default.changeCurrentDirectoryPath(scratch)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let sink = CaptureSink()
    let session = Session(catalog: base.fork(excluding: excluded), sink: sink)
    let ok = session.run(SourceText(name: "fuzz.peel", text: text))
    if !ok && sink.stderr.range(of: #"(?m)^(fuzz\.peel:[0-9]+:[0-9]+|[^:\n]+\.[A-Za-z0-9]+(:[0-9]+){0,2}): error: "#, options: .regularExpression) == nil {
        fatalError("a failed run without a located error (SCRIPT:LINE:COL: or DATAFILE[:LINE[:COL]]: error:):\n\(sink.stderr)")
    }
    if ok && sink.stderr.contains(": error: ") {
        fatalError("a successful run that printed an error:\n\(sink.stderr)")
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0!, $1) })
