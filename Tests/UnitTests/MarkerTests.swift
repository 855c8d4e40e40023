@testable import PeelSupport
@testable import PeelData
@testable import PeelIO
@testable import PeelCommands
import XCTest

/// Publishers' missing-value markers (`..`, `[c]`, `N/A - data not provided` …): missing, never
/// zero, never turning a numeric column into text, with the marker kept as the reason; read the
/// same by the general reader and the parallel one.
final class MarkerTests: XCTestCase {
    /// The general reader and the parallel reader (forced on any size) on the same text; the two
    /// tables must agree in every column's type, values, missing rows and reasons.
    func readBoth(_ text: String, markers: [String]? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> CSVResult {
        var (general, parallel) = CSVOptions.differentialPair(flags: 0)
        parallel.chunkBytes = 7  // several chunks, so the merge of per-chunk dictionaries is exercised
        if let markers { general.missingMarkers = markers; parallel.missingMarkers = markers }
        let g = try CSVReader.read(Array(text.utf8), name: "t", fileName: "t.csv", options: general)
        let p = try CSVReader.read(Array(text.utf8), name: "t", fileName: "t.csv", options: parallel)
        XCTAssertEqual(g.table.columns.count, p.table.columns.count, file: file, line: line)
        XCTAssertEqual(g.emptyRows, p.emptyRows, file: file, line: line)
        for (a, b) in zip(g.table.columns, p.table.columns) {
            XCTAssertEqual(a.type, b.type, a.name, file: file, line: line)
            XCTAssertEqual(a.missing, b.missing, a.name, file: file, line: line)
            XCTAssertEqual(a.missingReasons, b.missingReasons, a.name, file: file, line: line)
            XCTAssertEqual((0..<a.count).map { a.formatted($0) }, (0..<b.count).map { b.formatted($0) }, a.name, file: file, line: line)
        }
        return g
    }

    func testDefaultMarkersAreThePublishersList() {
        XCTAssertEqual(CSVOptions().missingMarkers, MissingMarkers.standard.map(\.marker))
        for m in ["..", ":", "-", "[x]", "[c]", "[z]", "[u]", "[low]", "[w]", "*", "n/a", "na", "n/a - data not provided", "n/a - offence code expired"] {
            XCTAssertTrue(CSVOptions().missingMarkers.contains(m), m)
        }
    }

    /// Every marker, as written, upper-cased and padded, in a column of whole numbers: missing,
    /// the column stays integer, the reason is the marker as the file first spelled it.
    func testEachMarkerInANumericColumn() throws {
        for (marker, _) in MissingMarkers.standard {
            for spelled in [marker, marker.uppercased(), "  \(marker) "] {
                let r = try readBoth("force,count\nKent,12\nEssex,\(spelled)\nDurham,7\nSurrey,\(marker)\n")
                let c = r.table.columns[1]
                XCTAssertEqual(c.type, .integer, "'\(spelled)' turned the column into \(c.type)")
                XCTAssertEqual(c.number(0), 12)
                XCTAssertNil(c.number(1), "'\(spelled)' is missing, never zero")
                XCTAssertTrue(c.isMissing(1))
                XCTAssertTrue(c.isMissing(3))
                XCTAssertEqual(c.number(2), 7)
                let trimmed = spelled.trimmingCharacters(in: .whitespaces)
                // One marker ignoring case: the first spelling names it, and both rows carry it.
                XCTAssertEqual(c.missingReasons, MissingReasons(codes: [0, 1, 0, 1], markers: [trimmed]), "'\(spelled)'")
                XCTAssertEqual(c.missingReasons?.counts().map(\.rows), [2])
                XCTAssertEqual(r.table.columns[0].missingReasons, nil, "no marker in the force column")
            }
        }
    }

    /// A column holding several markers and an empty field: each row's own reason, and none for
    /// the empty field (code 0) or a present value.
    func testSeveralMarkersInOneColumn() throws {
        let r = try readBoth("a,b\nx,[c]\ny,..\nz,\nw,5\nv,[C]\nu,[low]\nt,N/A - data not provided\n")
        let c = r.table.columns[1]
        XCTAssertEqual(c.type, .integer)
        XCTAssertEqual(c.number(3), 5)
        XCTAssertEqual(c.missing.count(upTo: c.count), 6)
        XCTAssertEqual(c.missingReasons, MissingReasons(codes: [1, 2, 0, 0, 1, 3, 4], markers: ["[c]", "..", "[low]", "N/A - data not provided"]))
        XCTAssertEqual(c.missingReasons!.counts().map(\.marker), ["[c]", "..", "[low]", "N/A - data not provided"])
        XCTAssertEqual(c.missingReasons!.counts().map(\.rows), [2, 1, 1, 1])
    }

    /// `[c]`, `[low]` and `N/A - data not provided` among decimals keep the column decimal.
    func testMarkersKeepADecimalColumnNumeric() throws {
        let r = try readBoth("force,rate\nKent,84.1\nEssex,[c]\nDurham,[low]\nSurrey,N/A - data not provided\nDorset,2.50\n")
        let c = r.table.columns[1]
        XCTAssertEqual(c.type, .decimal)
        XCTAssertEqual(c.number(0), 84.1)
        XCTAssertEqual(c.number(4), 2.5)
        XCTAssertEqual((1...3).map { c.number($0) }, [nil, nil, nil])
        XCTAssertEqual(c.missingReasons?.markers, ["[c]", "[low]", "N/A - data not provided"])
        XCTAssertTrue(r.textBecause.isEmpty, "no 'read as text' warning: markers are not words")
    }

    /// Markers in a text column: missing there too, with their reason.
    func testMarkersInATextColumn() throws {
        let r = try readBoth("force,note\nKent,revised\nEssex,[z]\nDurham,NA\n")
        let c = r.table.columns[1]
        XCTAssertEqual(c.type, .text)
        XCTAssertEqual(c.text(0), "revised")
        XCTAssertNil(c.text(1))
        XCTAssertEqual(c.missingReasons, MissingReasons(codes: [0, 1, 2], markers: ["[z]", "NA"]))
    }

    /// No marker (only empty fields): no reasons are built at all.
    func testNoMarkerNoReasons() throws {
        let r = try readBoth("a,b\nx,1\ny,\nz,3\n")
        XCTAssertTrue(r.table.columns[1].isMissing(1))
        XCTAssertNil(r.table.columns[1].missingReasons)
        XCTAssertNil(r.table.columns[0].missingReasons)
    }

    /// Padded numbers, also in quotes, and `-00` (Home Office files' zero) are numbers.
    func testPaddedNumbersAndMinusZeroZero() throws {
        let quoted = try CSVReader.read(Array("force,count,rate\nKent,\" 2863 \",\" 1.5\"\nEssex,\"12 \",\"\t2.25 \"\nDurham,-00,-00\n".utf8),
                                        name: "t", fileName: "t.csv")
        let count = quoted.table.columns[1], rate = quoted.table.columns[2]
        XCTAssertEqual(count.type, .integer)
        XCTAssertEqual((0..<3).map { count.number($0) }, [2863, 12, 0])
        XCTAssertFalse(count.isMissing(2), "-00 is zero, not missing")
        XCTAssertEqual(rate.type, .decimal)
        XCTAssertEqual((0..<3).map { rate.number($0) }, [1.5, 2.25, 0])
        XCTAssertNil(count.missingReasons)
        let unquoted = try readBoth("force,count\nKent, 2863 \nEssex,-00\nDurham,  12\n")
        XCTAssertEqual(unquoted.table.columns[1].type, .integer)
        XCTAssertEqual((0..<3).map { unquoted.table.columns[1].number($0) }, [2863, 0, 12])
    }

    /// A quoted marker with spaces is the marker.
    func testQuotedPaddedMarker() throws {
        let r = try CSVReader.read(Array("a,b\nx,\" [c] \"\ny,4\n".utf8), name: "t", fileName: "t.csv")
        XCTAssertEqual(r.table.columns[1].type, .integer)
        XCTAssertTrue(r.table.columns[1].isMissing(0))
        XCTAssertEqual(r.table.columns[1].missingReasons, MissingReasons(codes: [1, 0], markers: ["[c]"]))
    }

    /// `missing "x"` replaces the default markers: "x" is missing (its reason "x"), and `[c]` is
    /// then an ordinary word.
    func testUserMarkersReplaceTheDefault() throws {
        let r = try readBoth("a,b,c\np,1,[c]\nq,x,y\nr,3,z\n", markers: ["x", " NONE "])
        XCTAssertEqual(r.table.columns[1].type, .integer)
        XCTAssertEqual(r.table.columns[1].missingReasons, MissingReasons(codes: [0, 1, 0], markers: ["x"]))
        XCTAssertEqual(r.table.columns[2].text(0), "[c]")
        XCTAssertNil(r.table.columns[2].missingReasons)
        let none = try readBoth("a,b\np,none\nq,2\n", markers: ["x", " NONE "])
        XCTAssertEqual(none.table.columns[1].missingReasons, MissingReasons(codes: [1, 0], markers: ["none"]), "user markers compare trimmed, ignoring case")
    }

    /// A row of nothing but markers and empty fields is dropped; the reasons follow the rows kept.
    func testRowOfMarkersIsDropped() throws {
        let r = try readBoth("a,b,c\nKent,1,[c]\n..,[c],\nEssex,[x],2\n")
        XCTAssertEqual(r.emptyRows, 1)
        XCTAssertEqual(r.table.rowCount, 2)
        XCTAssertEqual(r.table.columns[1].missingReasons, MissingReasons(codes: [0, 1], markers: ["[x]"]),
                       "the dropped row's '[c]' is not counted")
        XCTAssertEqual(r.table.columns[2].missingReasons, MissingReasons(codes: [1, 0], markers: ["[c]"]))
        XCTAssertNil(r.table.columns[0].missingReasons, "the only marker in column a was on the dropped row")
    }

    /// Reasons follow rows through filtering (gather) and are cleared for rows a left join adds.
    func testReasonsFollowRows() throws {
        let r = try readBoth("a,b\nx,[c]\ny,2\nz,..\n")
        let c = r.table.columns[1]
        XCTAssertEqual(c.gather([2, 0]).missingReasons, MissingReasons(codes: [2, 1], markers: ["[c]", ".."]))
        XCTAssertEqual(c.gather([1, nil]).missingReasons?.codes, [0, 0])
    }

    /// `describe`'s lines: most frequent marker first, each with its meaning, then the empty
    /// fields; a marker the user gave is "given as missing"; nothing for a table with no markers.
    func testDescribeLines() throws {
        let r = try readBoth("force,rate,count\nA,[c],1\nB,[c],x\nC,..,3\nD,,4\nE,[c],5\nF,5.5,6\n", markers: ["[c]", "..", "x"])
        let text = DescribeCommand.missingByMarker(r.table)
        XCTAssertEqual(text, """

            missing values, by the marker the source used:
            - rate: 3 × '[c]' confidential, 1 × '..' not available, 1 empty
            - count: 1 × 'x' given as missing

            """)
        let plain = try readBoth("a,b\nx,1\ny,\n")
        XCTAssertEqual(DescribeCommand.missingByMarker(plain.table), "")
    }

    /// Long lines wrap within 80 columns.
    func testDescribeLinesFitEightyColumns() throws {
        var csv = "a_rather_long_column_name_for_offences,b\n"
        for m in MissingMarkers.standard.map(\.marker) { csv += "\(m),1\n" }
        csv += "5,1\n"
        let text = DescribeCommand.missingByMarker(try readBoth(csv).table)
        XCTAssertTrue(text.replacingOccurrences(of: "\n    ", with: " ").contains("1 × 'n/a - offence code expired' offence code expired"), text)
        for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(DisplayWidth.of(String(line)), 80, String(line)) }
        XCTAssertEqual(text.components(separatedBy: " × ").count - 1, MissingMarkers.standard.count, "one count per marker, never parted from it")
    }
}
