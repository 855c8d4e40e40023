// libFuzzer target: random bytes through the CSV reader (plain and gzip).
//
// The first byte picks the options (delimiter, skip bad rows). Every input is read twice: by the
// general reader and by the parallel quote-free reader forced on small inputs and split into
// chunks. Whenever the parallel reader accepts an input, the general reader must accept it too
// and give the same table, cell for cell.
import FuzzDriver
import Foundation
import PeelIO
import PeelRender

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let flags = data[0]
    let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let (general, parallel) = CSVOptions.differentialPair(flags: flags)
    let a = try? CSVReader.read(bytes, name: "t", fileName: "fuzz.csv", options: general)
    let b = try? CSVReader.read(bytes, name: "t", fileName: "fuzz.csv", options: parallel)
    switch (a, b) {
    case (nil, nil): break
    case (let x?, let y?):
        let left = try! TableRenderer.render(x.table, format: .csv), right = try! TableRenderer.render(y.table, format: .csv)
        if left != right || x.table.columns.map(\.type) != y.table.columns.map(\.type) {
            fatalError("the readers disagree:\n--- general\n\(left)\n--- parallel\n\(right)")
        }
    case (nil, _?):
        fatalError("the parallel reader accepted what the general reader rejects")
    case (_?, nil):
        break  // the parallel reader hands anything unusual to the general one
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0!, $1) })
