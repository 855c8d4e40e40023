@testable import PeelSupport
@testable import PeelData
@testable import PeelStats
@testable import PeelIO
@testable import PeelRender
@testable import PeelLanguage
@testable import PeelEvaluation
@testable import PeelCommands
@testable import PeelSession
import XCTest

final class CSVReaderTests: XCTestCase {
    func table(_ s: String) throws -> Table {
        try CSVReader.table(Array(s.utf8), name: "t", fileName: "t.csv")
    }

    func testQuotedFieldsCRLFAndBOM() throws {
        let t = try table("\u{FEFF}a,b\r\n\"x, \"\"y\"\"\",1\r\n\"multi\nline\",2\r\n")
        XCTAssertEqual(t.columns.map(\.name), ["a", "b"])
        XCTAssertEqual(t.columns[0].text(0), "x, \"y\"")
        XCTAssertEqual(t.columns[0].text(1), "multi\nline")
        XCTAssertEqual(t.columns[1].type, .integer)
    }

    func testTypeInferenceAndMissing() throws {
        let t = try table("n,d,s,code\n1,1.50,a,0123\n,17,,0456\n3,,c,0789\n")
        XCTAssertEqual(t.columns.map(\.type), [.integer, .decimal, .text, .text])
        XCTAssertTrue(t.columns[0].isMissing(1))
        XCTAssertNil(t.columns[1].number(2))
        XCTAssertEqual(t.columns[1].formatted(0), "1.50")
        XCTAssertEqual(t.columns[1].formatted(1), "17", "each value keeps the precision it was printed with")
        XCTAssertTrue(t.columns[2].isMissing(1), "empty text is missing, not an empty string")
    }

    func testRaggedRowAndUnterminatedQuoteAreLocated() {
        XCTAssertThrowsError(try table("a,b\n1,2\n3\n")) { e in
            XCTAssertEqual(DiagnosticRenderer.render((e as! DiagnosticConvertible).diagnostic, in: nil), "t.csv:3: error: expected 2 fields, found 1\n3 | 3\nhelp: check the quoting on that line, or load with 'skip bad rows' to leave such rows out\n")
        }
        XCTAssertThrowsError(try table("a,b\n1,\"2\n")) { e in
            XCTAssertEqual((e as? DiagnosticConvertible)?.diagnostic.location, FileLocation(file: "t.csv", line: 2))
        }
        XCTAssertThrowsError(try table("")) { e in
            XCTAssertEqual((e as? DiagnosticConvertible)?.diagnostic.message, "the file is empty")
        }
    }
}
