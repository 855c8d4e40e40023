import Foundation
import PeelEvaluation
import XCTest

/// The functions section of docs/language.md is the function table's own rendering, so the doc
/// cannot drift from what `add` evaluates. `PEEL_RECORD=1` rewrites the section.
final class FunctionDocsTests: XCTestCase {
    static let start = "<!-- functions: written from FunctionTable (Sources/PeelEvaluation/FunctionTable.swift); a test checks they agree -->"
    static let end = "<!-- end of functions -->"

    func testDocsListTheFunctionTable() throws {
        let url = Repo.root.appendingPathComponent("docs/language.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let a = text.range(of: Self.start + "\n"), let b = text.range(of: "\n" + Self.end, range: a.upperBound..<text.endIndex) else {
            return XCTFail("docs/language.md has no functions section between its markers")
        }
        let section = String(text[a.upperBound..<b.lowerBound])
        if ProcessInfo.processInfo.environment["PEEL_RECORD"] == "1" {
            try text.replacingCharacters(in: a.upperBound..<b.lowerBound, with: FunctionTable.markdown).write(to: url, atomically: true, encoding: .utf8)
        } else {
            XCTAssertEqual(section, FunctionTable.markdown, "docs/language.md's functions differ from FunctionTable (PEEL_RECORD=1 rewrites)")
        }
    }
}
