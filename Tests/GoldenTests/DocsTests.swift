import Foundation
import PeelSupport
import PeelIO
import PeelSession
import XCTest

/// Every ```peel block in docs/*.md and README.md is a worked example: the `peel> ` line (and any
/// `  ...> ` continuation lines) is run in a fresh session and must print exactly the rest of the block.
/// `PEEL_RECORD=1` rewrites the blocks with the real output.
final class DocsTests: XCTestCase {
    func testWorkedExamples() throws {
        _ = FileManager.default.changeCurrentDirectoryPath(Repo.root.path)
        let docs = Repo.root.appendingPathComponent("docs")
        var files = try FileManager.default.contentsOfDirectory(at: docs, includingPropertiesForKeys: nil).filter { $0.pathExtension == "md" }
        files.append(Repo.root.appendingPathComponent("README.md"))
        var examples = 0
        for url in files {
            let text = try String(contentsOf: url, encoding: .utf8)
            var lines = text.components(separatedBy: "\n")
            var i = 0
            var changed = false
            while i < lines.count {
                guard lines[i] == "```peel" else { i += 1; continue }
                var end = i + 1
                while end < lines.count, lines[end] != "```" { end += 1 }
                let body = Array(lines[(i + 1)..<end])
                guard let first = body.first, first.hasPrefix("peel> ") else {
                    XCTFail("\(url.lastPathComponent):\(i + 2): a peel block starts with 'peel> '")
                    i = end + 1
                    continue
                }
                var command = String(first.dropFirst(6))
                var k = 1
                while k < body.count, body[k].hasPrefix("  ...> ") { command += "\n" + body[k].dropFirst(7); k += 1 }
                let expected = body[k...].joined(separator: "\n")
                let sink = CaptureSink()
                let session = Session(catalog: try Catalog(directory: Repo.datasets), sink: sink)
                session.run(SourceText(name: "<stdin>", text: command))
                var actual = sink.combined
                if actual.hasSuffix("\n") { actual.removeLast() }
                examples += 1
                if recording {
                    lines.replaceSubrange((i + 1 + k)..<end, with: actual.isEmpty ? [] : actual.components(separatedBy: "\n"))
                    changed = true
                    end = i + 1 + k + (actual.isEmpty ? 0 : actual.components(separatedBy: "\n").count)
                } else if actual != expected {
                    XCTFail("\(url.lastPathComponent):\(i + 2): `\(command)` printed something else (PEEL_RECORD=1 rewrites):\n" + lineDiff(expected: expected, actual: actual))
                }
                i = end + 1
            }
            if changed { try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8) }
        }
        XCTAssertGreaterThan(examples, 10)
    }
}
