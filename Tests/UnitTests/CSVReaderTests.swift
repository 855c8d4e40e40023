@testable import PeelSupport
@testable import PeelData
@testable import PeelIO
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

    // MARK: which error

    /// The data-file error thrown reading `bytes` as `t.csv`, or nil (after a failure).
    func readError(_ bytes: [UInt8], _ what: String, file: StaticString = #filePath, line: UInt = #line) -> DataFileError? {
        do {
            _ = try CSVReader.read(bytes, name: "t", fileName: "t.csv")
            XCTFail("\(what): read", file: file, line: line)
        } catch let e as DataFileError {
            return e
        } catch {
            XCTFail("\(what): threw \(error)", file: file, line: line)
        }
        return nil
    }

    /// Each malformed file throws its own case, holding the file, the line and column, and the line's text.
    func testEachMalformedFileThrowsItsCase() {
        func at(_ line: Int?, _ column: Int? = nil) -> FileLocation { FileLocation(file: "t.csv", line: line, column: column) }
        let cases: [([UInt8], DataFileError)] = [
            ([], .empty(at(1))),
            (Array("\n\n".utf8), .empty(at(1))),
            ([0xFF, 0xFE, 0x61, 0x00], .utf16(at(1))),
            (Array("a,b\n1,2\n3\n".utf8), .fieldCount(at(3), excerpt: "3", expected: 2, found: 1)),
            (Array("a,b\n1,\"2\n".utf8), .unclosedQuote(at(2), excerpt: "1,\"2")),
            (Array("a,b\n\"1\"x,2\n".utf8), .textAfterClosingQuote(at(2), excerpt: "\"1\"x,2")),
            (Array("a,b\n1\"x,2\n".utf8), .quoteInUnquotedField(at(2), excerpt: "1\"x,2")),
            (Array("a,b\n1,2\n3,\u{0}\n".utf8), .nulBytes(at(3))),
            ([0x61, 0xFF, 0x2C, 0x62, 0x0A, 0x31, 0x2C, 0x32, 0x0A], .invalidUTF8(at(1, 1), excerpt: "a\u{FFFD},b", part: .header)),
            ([0x61, 0x2C, 0x62, 0x0A, 0x31, 0x2C, 0xE9, 0x0A], .invalidUTF8(at(2, 2), excerpt: "1,\u{FFFD}", part: .column("b"))),
            (Array((String(repeating: "c,", count: Table.maxColumns) + "c\n").utf8), .tooWide(at(1), columns: Table.maxColumns + 1, limit: Table.maxColumns)),
            ([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03], .gzipTruncated(file: "t.csv")),
        ]
        for (bytes, expected) in cases {
            XCTAssertEqual(readError(bytes, "\(expected)"), expected)
        }
    }

    /// A damaged gzip stream names zlib's complaint and how far in it was.
    func testCorruptGzipThrowsItsCase() {
        let bytes: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xFF, 0xFF, 0xFF, 0xFF]
        guard case .gzipCorrupt(let file, _, let offset)? = readError(bytes, "corrupt gzip") else { return XCTFail("not gzipCorrupt") }
        XCTAssertEqual(file, "t.csv")
        XCTAssertGreaterThan(offset, 0)
    }

    /// The place is fields; the renderer prints them as `FILE:LINE:COL` and puts the line in the gutter.
    func testLocationsAreFieldsRenderedAsBefore() {
        XCTAssertEqual(FileLocation(file: "a.csv").description, "a.csv")
        XCTAssertEqual(FileLocation(file: "a.csv", line: 12).description, "a.csv:12")
        XCTAssertEqual(FileLocation(file: "a.csv", line: 12, column: 2).description, "a.csv:12:3")
        XCTAssertEqual(FileLocation(file: "a.csv", column: 2).description, "a.csv", "no column without a line")
        let error = DataFileError.invalidUTF8(FileLocation(file: "C:x.csv", line: 7, column: 2), excerpt: "1,\u{FFFD}", part: .column("b"))
        XCTAssertEqual(DiagnosticRenderer.render(error, in: nil), """
            C:x.csv:7:3: error: column 'b' holds text that is not valid UTF-8
            7 | 1,\u{FFFD}
              |   ^
            help: save the file as UTF-8 (in Excel: CSV UTF-8); this looks like Latin-1 or Windows-1252

            """)
        var warning = DataFileError.readAsText(FileLocation(file: "t.csv", line: 4), excerpt: "x,1", column: "n", value: "x", reason: "is not a number").diagnostic
        XCTAssertTrue(warning.isWarning)
        XCTAssertEqual(DiagnosticRenderer.render(warning, in: nil),
                       "t.csv:4: warning: column 'n' is read as text: \"x\" is not a number\n4 | x,1\nhelp: correct that value in the file if the column should hold numbers\n")
        warning.location = nil
        XCTAssertTrue(DiagnosticRenderer.render(warning, in: nil).hasPrefix("peel: warning: "))
    }

    /// Bad rows skipped with `skip bad rows` are listed with the words the error would have used.
    func testSkippedRowsGiveTheFieldCountReason() throws {
        var options = CSVOptions()
        options.skipBadRows = true
        let r = try CSVReader.read(Array("a,b\n1,2\n3\n4,5\n".utf8), name: "t", fileName: "t.csv", options: options)
        XCTAssertEqual(r.skipped.map(\.line), [3])
        XCTAssertEqual(r.skipped.map(\.reason), [DataFileError.fieldCount(FileLocation(file: "t.csv", line: 3), excerpt: "3", expected: 2, found: 1).diagnostic.message])
    }

    /// Writing and the catalogue: the case names the path and the command's place.
    func testWriteAndCatalogueErrorsThrowTheirCases() {
        let range = SourceRange(0, 6)
        let dir = NSTemporaryDirectory()
        XCTAssertThrowsError(try AtomicFile.write("x", to: dir, at: range)) { e in
            XCTAssertEqual(e as? DataFileError, .writeToDirectory(path: dir, range: range))
        }
        XCTAssertThrowsError(try AtomicFile.write("x", to: "/no-such-folder-peel/x.csv", at: range)) { e in
            XCTAssertEqual(e as? DataFileError, .writeFolderMissing(path: "/no-such-folder-peel/x.csv", folder: "/no-such-folder-peel", range: range))
        }
        XCTAssertThrowsError(try Catalog(directory: "/no-such-folder-peel")) { e in
            XCTAssertEqual(e as? DataFileError, .catalogueUnreadable(path: "/no-such-folder-peel/catalog.json"))
        }
        XCTAssertEqual(DataFileError.writeFailed(path: "o.csv", code: ENOSPC, kept: .untouched, range: nil).diagnostic.help,
                       "the disk (or your quota) is full: nothing was written, and the old file (if any) is as it was")
        XCTAssertNil(DataFileError.writeFailed(path: "o.csv", code: EACCES, kept: .untouched, range: nil).diagnostic.help)
        XCTAssertEqual(DataFileError.writeFailed(path: "o.csv", code: EFBIG, kept: .unknown, range: nil).diagnostic.help,
                       "the file size limit (ulimit -f) was reached")
    }
}
