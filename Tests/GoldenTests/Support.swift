import Foundation
import PeelSupport
import PeelIO
import PeelLanguage
import PeelSession
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

/// Malformed inputs too big to commit (a 10 MB field, a 100,000-column row, a 1 MB script line,
/// expressions nested 10,000 deep) and ones git cannot hold (a FIFO), made before the golden cases
/// run. Files go to Tests/GoldenTests/Fixtures/generated, scripts to Cases/malformed/generated;
/// both are ignored by git, while the scripts' expected `.err`/`.out` files are committed.
enum GeneratedFixtures {
    static func make() throws {
        let fm = FileManager.default
        let files = Repo.root.appendingPathComponent("Tests/GoldenTests/Fixtures/generated")
        let scripts = Repo.root.appendingPathComponent("Tests/GoldenTests/Cases/malformed/generated")
        try fm.createDirectory(at: files, withIntermediateDirectories: true)
        try fm.createDirectory(at: scripts, withIntermediateDirectories: true)
        func file(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: files.appendingPathComponent(name))
        }
        func script(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: scripts.appendingPathComponent(name + ".peel"))
        }
        let tenMB = String(repeating: "x", count: 10 << 20)
        try file("huge-field.csv", "force,note\nKent,\(tenMB)\nEssex,short\n")
        try file("huge-quoted-field.csv", "force,note\nKent,\"\(tenMB)\"\nEssex,short\n")
        try file("wide-row.csv", "force,value,rate\nKent,1,2\n" + (1...100_000).map(String.init).joined(separator: ",") + "\n")
        try file("wide-header.csv", (1...100_000).map { "c\($0)" }.joined(separator: ",") + "\n" + (1...100_000).map { _ in "1" }.joined(separator: ",") + "\n")
        try file("many-groups.csv", "key,name,value\n" + (0..<100_000).map { "k\($0),n\($0 % 3),\($0)" }.joined(separator: "\n") + "\n")
        // 10,000 whole numbers and 4 words: read as text, with a warning that says so.
        try file("mostly-numbers.csv", "force,count\n" + (0..<10_004).map { i in "f\(i),\([1_000, 4_000, 7_000, 9_000].contains(i) ? "word\(i)" : String(i))" }.joined(separator: "\n") + "\n")
        // 9,000 rows, each its own row and column of a pivot: 81 million cells, past the limit.
        try file("pivot-wide.csv", "key,name,value\n" + (0..<9_000).map { "k\($0),n\($0),\($0)" }.joined(separator: "\n") + "\n")
        let fifo = files.appendingPathComponent("fifo.csv").path
        if !fm.fileExists(atPath: fifo) { mkfifo(fifo, 0o644) }
        let g = "Tests/GoldenTests/Fixtures/generated/"
        try script("huge-field", "load \"\(g)huge-field.csv\" as t\nt | add n = 1 | summarise count\nt | where force = \"Essex\"\nt | where force = \"Kent\" | format text\n")
        try script("huge-quoted-field", "load \"\(g)huge-quoted-field.csv\" as t\nt | summarise count\n")
        try script("wide-row", "load \"\(g)wide-row.csv\"\n")
        try script("wide-header", "load \"\(g)wide-header.csv\"\n")
        try script("fifo", "load \"\(g)fifo.csv\"\n")
        try script("mostly-numbers-with-words", "load \"\(g)mostly-numbers.csv\" as m\nm | summarise count\n")
        try script("pivot-too-many-cells", "load \"\(g)pivot-wide.csv\" as w\nw | pivot name values value\n")
        try script("pivot-too-many-columns", "load \"\(g)many-groups.csv\" as m\nm | pivot key values value\n")
        try script("deep-nesting", "crime_rates | where " + String(repeating: "(", count: 10_000) + "rate > 1" + String(repeating: ")", count: 10_000) + "\n")
        try script("deep-not", "crime_rates | where " + String(repeating: "not ", count: 10_000) + "rate > 1\n")
        try script("deep-minus", "crime_rates | add x = " + String(repeating: "-", count: 10_000) + "1\n")
        try script("many-operators", "crime_rates | add x = " + Array(repeating: "rate", count: 1_200).joined(separator: " + ") + "\n")
        try script("long-line", "tables " + String(repeating: "tables ", count: 150_000) + "\n")
        try script("long-string", "crime_rates | where force = \"" + String(repeating: "Kent ", count: 220_000) + "\"\n")
    }
}
