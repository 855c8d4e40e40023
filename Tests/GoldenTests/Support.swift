import Foundation
import PeelCore
import XCTest

/// Paths inside the repository, found from this file's location.
enum Repo {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let datasets = root.appendingPathComponent("datasets").path
}

/// True when expected outputs should be rewritten instead of checked (`PEEL_RECORD=1`).
let recording = ProcessInfo.processInfo.environment["PEEL_RECORD"] == "1"

/// Runs `text` in a fresh session over the bundled data; returns (stdout, stderr, succeeded).
func runScript(_ text: String, name: String, parameters: [String: VariableValue] = [:]) throws -> (String, String, Bool) {
    let sink = CaptureSink()
    let session = Session(catalog: try Catalog(directory: Repo.datasets), sink: sink)
    session.variables.given = parameters
    let ok = session.run(SourceText(name: name, text: text))
    return (sink.stdout, sink.stderr, ok)
}

/// A readable line diff: the first differing lines with their numbers.
func lineDiff(expected: String, actual: String) -> String {
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for i in 0..<max(e.count, a.count) {
        let x = i < e.count ? String(e[i]) : "<missing>"
        let y = i < a.count ? String(a[i]) : "<missing>"
        if x != y {
            out.append("line \(i + 1):\n  - \(x)\n  + \(y)")
            if out.count >= 8 { out.append("…"); break }
        }
    }
    return out.joined(separator: "\n")
}

/// Compares `actual` with the file at `url`, or writes it when recording.
func assertGolden(_ actual: String, _ url: URL, file: StaticString = #filePath, line: UInt = #line) {
    let fm = FileManager.default
    if recording {
        if actual.isEmpty { try? fm.removeItem(at: url) } else { try? actual.write(to: url, atomically: true, encoding: .utf8) }
        return
    }
    let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    if expected != actual {
        XCTFail("\(url.lastPathComponent) differs (re-record with PEEL_RECORD=1):\n" + lineDiff(expected: expected, actual: actual), file: file, line: line)
    }
}
