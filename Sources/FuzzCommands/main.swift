// libFuzzer target: random command text through the lexer, parser and evaluator.
//
// Each input runs as a script in a fresh session over the bundled tables (read once, shared; the
// 450,912-row outcomes_detail is left out so each run stays fast). File output is confined to a
// scratch folder. Besides crashes, leaks and hangs, it checks that a failed run always reports a
// located error (in the script, or in the file it read), and a successful one none.
import FuzzDriver
import FuzzSupport
import Foundation
import PeelSupport
import PeelSession

let excluded: Set<String> = ["outcomes_detail"]
let base = FuzzSupport.bundledTables(excluding: excluded)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let sink = CaptureSink()
    let session = Session(catalog: base.fork(excluding: excluded), sink: sink)
    let ok = session.run(SourceText(name: "fuzz.peel", text: text))
    FuzzSupport.checkDiagnostics(succeeded: ok, stderr: sink.stderr, script: text)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0!, $1) })
