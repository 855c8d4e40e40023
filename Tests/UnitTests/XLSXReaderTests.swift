import Foundation
import XCTest
import ZIPFoundation
@testable import PeelData
@testable import PeelIO

/// Builds small workbooks in the tests: zip archives of XML written here.
enum WorkbookTestZip {
    /// A zip of `entries` (path, text) in a temporary file; returns its path.
    static func write(_ entries: [(String, String)], name: String = "test.xlsx") throws -> String {
        try write(data: entries.map { ($0.0, Data($0.1.utf8)) }, name: name)
    }

    static func write(data entries: [(String, Data)], name: String = "test.xlsx") throws -> String {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in entries {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peel-wb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try archive.data!.write(to: url)
        return url.path
    }

    /// The folder of the real publisher files copied for the tests.
    static func fixture(_ name: String, file: StaticString = #filePath) -> String {
        URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Fixtures/workbooks/\(name)").path
    }

    static func error(_ body: () throws -> Void) -> WorkbookError? {
        do {
            try body()
            return nil
        } catch let e as WorkbookError {
            return e
        } catch {
            XCTFail("expected a WorkbookError, got \(error)")
            return nil
        }
    }
}

/// A minimal .xlsx: `sheets` are (name, state, worksheet XML); shared strings, styles and extra
/// workbookPr attributes as given.
private func xlsx(sheets: [(name: String, state: String?, xml: String)], sharedStrings: [String]? = nil,
                  styles: String? = nil, workbookPr: String = "", extra: [(String, String)] = []) throws -> String {
    var entries: [(String, String)] = []
    entries.append(("[Content_Types].xml", #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#))
    entries.append(("_rels/.rels", #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """#))
    var list = ""
    var rels = ""
    for (k, s) in sheets.enumerated() {
        let name = s.name.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "'", with: "&apos;")
        list += #"<sheet name="\#(name)" sheetId="\#(k + 1)" \#(s.state.map { #"state="\#($0)" "# } ?? "")r:id="rId\#(k + 1)"/>"#
        rels += #"<Relationship Id="rId\#(k + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#(k + 1).xml"/>"#
        entries.append(("xl/worksheets/sheet\(k + 1).xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\#(s.xml)</worksheet>"#))
    }
    if let sharedStrings {
        rels += #"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
        entries.append(("xl/sharedStrings.xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\#(sharedStrings.count)" uniqueCount="\#(sharedStrings.count)">\#(sharedStrings.joined())</sst>"#))
    }
    if let styles {
        rels += #"<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/>"#
        entries.append(("xl/styles.xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\#(styles)</styleSheet>"#))
    }
    entries.append(("xl/workbook.xml", #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr \#(workbookPr)/><sheets>\#(list)</sheets></workbook>
        """#))
    entries.append(("xl/_rels/workbook.xml.rels", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#(rels)</Relationships>"#))
    entries += extra
    return try WorkbookTestZip.write(entries)
}

private func readXLSX(_ path: String) throws -> Workbook {
    try XLSXReader.read(ZipFile(path: path, fileName: "book.xlsx"), fileName: "book.xlsx")
}

private func sheetData(_ rows: String, merges: String = "") -> String {
    "<dimension ref=\"A1:XFD1048576\"/><sheetData>\(rows)</sheetData>\(merges.isEmpty ? "" : "<mergeCells>\(merges)</mergeCells>")"
}

final class XLSXReaderTests: XCTestCase {
    func testSharedInlineAndRichStrings() throws {
        let strings = [
            "<si><t>Kent</t></si>",
            // Rich text: runs concatenated; the phonetic run is not part of the text.
            "<si><r><rPr><b/></rPr><t>Avon and </t></r><r><t xml:space=\"preserve\">Somerset </t></r><rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh><phoneticPr fontId=\"1\"/></si>",
            "<si><t>Fish &amp; chips &lt;3 &#10;&#x41;</t></si>",
            "<si><t>line_x000D_end</t></si>",
            "<si><t></t></si>",
        ]
        let rows = """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
            <row r="2"><c r="A2" t="inlineStr"><is><t>inline</t></is></c><c r="B2" t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r></is></c><c r="C2" t="s"><v>3</v></c><c r="D2" t="s"><v>4</v></c></row>
            """
        let wb = try readXLSX(xlsx(sheets: [("Data", nil, sheetData(rows))], sharedStrings: strings))
        let s = wb.sheets[0]
        XCTAssertEqual(s[0, 0], .text("Kent"))
        XCTAssertEqual(s[0, 1], .text("Avon and Somerset "))
        XCTAssertEqual(s[0, 2], .text("Fish & chips <3 \nA"))
        XCTAssertEqual(s[1, 0], .text("inline"))
        XCTAssertEqual(s[1, 1], .text("rich"))
        XCTAssertEqual(s[1, 2], .text("line\rend"))
        XCTAssertEqual(s[1, 3], .empty)  // an empty shared string is an empty cell
        XCTAssertEqual(s.rows[1].count, 3, "trailing empty cells are not kept")
    }

    func testNumbersPercentAndDecimals() throws {
        let styles = """
            <numFmts count="4"><numFmt numFmtId="164" formatCode="0.0"/><numFmt numFmtId="165" formatCode="#,##0"/>\
            <numFmt numFmtId="166" formatCode="0.0%"/><numFmt numFmtId="167" formatCode="&quot;%&quot;0.00"/>\
            <numFmt numFmtId="168" formatCode="_-* #,##0.0_-;\\-* #,##0.0_-;_-* &quot;-&quot;??_-;_-@_-"/></numFmts>
            <cellStyleXfs count="1"><xf numFmtId="10"/></cellStyleXfs>
            <cellXfs count="8"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="9"/><xf numFmtId="10"/><xf numFmtId="167"/><xf numFmtId="168"/></cellXfs>
            <dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="0.000%"/></dxf></dxfs>
            """
        let rows = """
            <row r="1"><c r="A1"><v>5257081</v></c><c r="B1" s="1"><v>12.25</v></c><c r="C1" s="2"><v>1234567</v></c><c r="D1" s="3"><v>0.841</v></c>\
            <c r="E1" s="4"><v>0.5</v></c><c r="F1" s="5"><v>0.12345</v></c><c r="G1" s="6"><v>3</v></c><c r="H1" s="7"><v>-2.5E-3</v></c><c r="I1" s="99"><v>7</v></c></row>
            """
        let s = try readXLSX(xlsx(sheets: [("N", nil, sheetData(rows))], styles: styles)).sheets[0]
        XCTAssertEqual(s[0, 0], .number(5_257_081, decimals: nil))
        XCTAssertEqual(s[0, 1], .number(12.25, decimals: 1))
        XCTAssertEqual(s[0, 2], .number(1_234_567, decimals: 0))
        XCTAssertEqual(s[0, 3], .percent(0.841, decimals: 1))
        XCTAssertEqual(s[0, 4], .percent(0.5, decimals: 0))
        XCTAssertEqual(s[0, 5], .percent(0.12345, decimals: 2))
        XCTAssertEqual(s[0, 6], .number(3, decimals: 2), "a quoted % is not a percentage")
        XCTAssertEqual(s[0, 7], .number(-0.0025, decimals: 1))
        XCTAssertEqual(s[0, 8], .number(7, decimals: nil), "a style index past the list is General")
    }

    func testNumberFormatCodes() {
        XCTAssertEqual(XLSXNumberFormat.parse("General"), .general)
        XCTAssertEqual(XLSXNumberFormat.parse("General_)"), .general)
        XCTAssertEqual(XLSXNumberFormat.parse("0.000"), .number(decimals: 3))
        XCTAssertEqual(XLSXNumberFormat.parse("#,##0_ ;\\-#,##0\\ "), .number(decimals: 0))
        XCTAssertEqual(XLSXNumberFormat.parse("0.00E+00"), .number(decimals: 2))
        XCTAssertEqual(XLSXNumberFormat.parse("0%"), .percent(decimals: 0))
        XCTAssertEqual(XLSXNumberFormat.parse("0\\%"), .number(decimals: 0), "an escaped % is a literal")
        XCTAssertEqual(XLSXNumberFormat.parse("[Red]0.0"), .number(decimals: 1))
        XCTAssertEqual(XLSXNumberFormat.parse("dd/mm/yyyy"), .date(time: false, seconds: false))
        XCTAssertEqual(XLSXNumberFormat.parse("[$-F800]dddd, mmmm dd, yyyy"), .date(time: false, seconds: false))
        XCTAssertEqual(XLSXNumberFormat.parse("dd/mm/yyyy hh:mm"), .date(time: true, seconds: false))
        XCTAssertEqual(XLSXNumberFormat.parse("h:mm AM/PM"), .time(seconds: false, elapsed: false))
        XCTAssertEqual(XLSXNumberFormat.parse("[h]:mm:ss"), .time(seconds: true, elapsed: true))
        XCTAssertEqual(XLSXNumberFormat.parse("0.0 \"days\""), .number(decimals: 1), "quoted letters are not date tokens")
        XCTAssertEqual(XLSXNumberFormat.parse("@"), .general)
        XCTAssertEqual(XLSXNumberFormat.builtIn(14), .date(time: false, seconds: false))
        XCTAssertEqual(XLSXNumberFormat.builtIn(10), .percent(decimals: 2))
        XCTAssertEqual(XLSXNumberFormat.builtIn(3), .number(decimals: 0))
    }

    func testDatesIn1900And1904Systems() throws {
        let styles = #"<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\ hh:mm"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs>"#
        let rows = """
            <row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" s="1"><v>59</v></c><c r="C1" s="1"><v>60</v></c><c r="D1" s="1"><v>61</v></c>\
            <c r="E1" s="1"><v>43555</v></c><c r="F1" s="2"><v>43555.5</v></c><c r="G1" s="2"><v>43555</v></c><c r="H1" s="1"><v>25569</v></c></row>
            <row r="2"><c r="A2" t="d"><v>2019-03-31T00:00:00</v></c><c r="B2" t="d"><v>2019-03-31T14:05:00</v></c><c r="C2" s="1"><v>-1</v></c></row>
            """
        // Expected days since 1970, worked out apart from the reader: 1900-01-01 is 25,567 days
        // before 1970-01-01 (70 years of 365 days and 17 leap days); 2019-03-31 is day 17,986.
        let d1900 = try readXLSX(xlsx(sheets: [("D", nil, sheetData(rows))], styles: styles)).sheets[0]
        XCTAssertEqual(d1900[0, 0], .date(-25_567))  // 1900-01-01
        XCTAssertEqual(d1900[0, 1], .date(-25_567 + 58))  // 1900-02-28
        XCTAssertEqual(d1900[0, 2], .text("1900-02-29"), "Excel's fake leap day")
        XCTAssertEqual(d1900[0, 3], .date(-25_567 + 59))  // 1900-03-01
        XCTAssertEqual(CivilDate.iso(-25_567 + 59), "1900-03-01")
        XCTAssertEqual(d1900[0, 4], .date(17_986))
        XCTAssertEqual(CivilDate.iso(17_986), "2019-03-31")
        XCTAssertEqual(d1900[0, 5], .text("2019-03-31 12:00"), "a date with a time of day is text")
        XCTAssertEqual(d1900[0, 6], .date(17_986), "a date-time format at midnight keeps the date")
        XCTAssertEqual(d1900[0, 7], .date(0))
        XCTAssertEqual(d1900[1, 0], .date(17_986))
        XCTAssertEqual(d1900[1, 1], .text("2019-03-31 14:05"))
        XCTAssertEqual(d1900[1, 2], .number(-1, decimals: nil), "no date before Excel's epoch")

        // The 1904 system: serial 0 is 1904-01-01, 24,107 days before 1970; 2019-03-31 is 42,093.
        let rows1904 = #"<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>42093</v></c><c r="C1" s="1"><v>60</v></c></row>"#
        let d1904 = try readXLSX(xlsx(sheets: [("D", nil, sheetData(rows1904))], styles: styles, workbookPr: #"date1904="1""#)).sheets[0]
        XCTAssertEqual(d1904[0, 0], .date(-24_107))
        XCTAssertEqual(CivilDate.iso(-24_107), "1904-01-01")
        XCTAssertEqual(d1904[0, 1], .date(17_986))
        XCTAssertEqual(d1904[0, 2], .date(-24_107 + 60), "no fake leap day in the 1904 system")
    }

    func testFormulasBooleansErrorsAndPositionalCells() throws {
        let rows = """
            <row r="1"><c r="A1"><f>B1*2</f><v>84</v></c><c r="B1"><v>42</v></c><c r="C1"><f>1/0</f></c><c r="D1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>
            <row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="b"><v>0</v></c><c r="C2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="D2" s="0"/></row>
            <row><c><v>1</v></c><c><v>2</v></c><c r="E3"><v>5</v></c><c><v>6</v></c></row>
            <row r="6"><c r="C6"><v>9</v></c></row>
            <row r="7"/><row r="8"><c r="A8" s="1"/></row>
            """
        let s = try readXLSX(xlsx(sheets: [("F", nil, sheetData(rows))])).sheets[0]
        XCTAssertEqual(s[0, 0], .number(84, decimals: nil), "a formula's cached value")
        XCTAssertEqual(s[0, 2], .empty, "a formula with no cached value is empty")
        XCTAssertEqual(s[0, 3], .error("#DIV/0!"))
        XCTAssertEqual(s[1, 0], .bool(true))
        XCTAssertEqual(s[1, 1], .bool(false))
        XCTAssertEqual(s[1, 2], .text("ab"))
        XCTAssertEqual(s.rows[2], [.number(1, decimals: nil), .number(2, decimals: nil), .empty, .empty, .number(5, decimals: nil), .number(6, decimals: nil)])
        XCTAssertEqual(s[5, 2], .number(9, decimals: nil))
        XCTAssertEqual(s.rows.count, 6, "trailing empty rows are dropped; the dimension claim costs nothing")
        XCTAssertEqual(s.rows[3], [])
    }

    func testSheetsNamesHiddenMergesAndCharts() throws {
        let merged = sheetData(#"<row r="1"><c r="A1" t="inlineStr"><is><t>Title</t></is></c></row>"#,
                               merges: #"<mergeCell ref="A1:C1"/><mergeCell ref="B3:B5"/>"#)
        var entries: [(String, String)] = []
        entries.append(("xl/chartsheets/sheet1.xml", "<chartsheet/>"))
        let path = try xlsx(sheets: [("Table P1 ", nil, merged), ("Secret", "hidden", sheetData("")), ("Very", "veryHidden", sheetData("")), ("Fish & 'chips'", nil, sheetData(""))],
                            extra: entries)
        let wb = try readXLSX(path)
        XCTAssertEqual(wb.sheets.map(\.name), ["Table P1 ", "Secret", "Very", "Fish & 'chips'"])
        XCTAssertEqual(wb.sheets.map(\.hidden), [false, true, true, false])
        XCTAssertEqual(wb.sheets[0].merges, [CellRange(firstRow: 0, firstColumn: 0, lastRow: 0, lastColumn: 2), CellRange(firstRow: 2, firstColumn: 1, lastRow: 4, lastColumn: 1)])
        XCTAssertEqual(wb.format, .xlsx)

        // A chart sheet is listed, with no cells.
        let chartBook = try WorkbookTestZip.write([
            ("xl/workbook.xml", #"<workbook xmlns:r="r"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/><sheet name="Chart1" sheetId="2" r:id="rId2"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/a.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>"#),
            ("xl/worksheets/a.xml", #"<x:worksheet xmlns:x="main"><x:sheetData><x:row r="1"><x:c r="B1"><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>"#),
            ("xl/chartsheets/sheet1.xml", "<chartsheet/>"),
        ])
        let c = try readXLSX(chartBook)
        XCTAssertEqual(c.sheets.map(\.name), ["Data", "Chart1"])
        XCTAssertEqual(c.sheets.map(\.isChart), [false, true])
        XCTAssertEqual(c.sheets[0][0, 1], .number(3, decimals: nil), "prefixed element names, an absolute target, no _rels/.rels")
    }

    func testLimits() throws {
        // A cell far away costs its row, not the rows between (they are empty arrays).
        let far = try readXLSX(xlsx(sheets: [("S", nil, sheetData(#"<row r="1000000"><c r="XFD1000000"><v>1</v></c></row>"#))])).sheets[0]
        XCTAssertEqual(far.rows.count, 1_000_000)
        XCTAssertEqual(far[999_999, 16_383], .number(1, decimals: nil))

        let beyondColumn = WorkbookTestZip.error { _ = try readXLSX(xlsx(sheets: [("S", nil, sheetData(#"<row r="1"><c r="XFE1"><v>1</v></c></row>"#))])) }
        XCTAssertEqual(beyondColumn?.part, "sheet 'S'")
        XCTAssertTrue(beyondColumn?.message.contains("16,384 columns") == true, beyondColumn?.message ?? "")
        let beyondRow = WorkbookTestZip.error { _ = try readXLSX(xlsx(sheets: [("S", nil, sheetData(#"<row r="60000000"><c r="A60000000"><v>1</v></c></row>"#))])) }
        XCTAssertTrue(beyondRow?.message.contains("60,000,000") == true, beyondRow?.message ?? "")
        let positional = WorkbookTestZip.error {
            _ = try readXLSX(xlsx(sheets: [("S", nil, sheetData(#"<row r="1"><c r="XFD1"><v>1</v></c><c><v>2</v></c></row>"#))]))
        }
        XCTAssertNotNil(positional, "a positional cell after XFD is past the last column")

        // Cells far apart are cheap to write and dear to build: past the memory budget, refused.
        let sparse = (1...100).map { #"<row r="\#($0)"><c r="XFD\#($0)"><v>1</v></c></row>"# }.joined()
        let path = try xlsx(sheets: [("Sparse", nil, sheetData(sparse))])
        let budget = WorkbookTestZip.error { _ = try XLSXReader.read(ZipFile(path: path, fileName: "b.xlsx"), fileName: "b.xlsx", memoryBudget: 10 << 20) }
        XCTAssertEqual(budget?.part, "sheet 'Sparse'")
        XCTAssertTrue(budget?.message.contains("10 MiB of memory") == true, budget?.message ?? "")
        // The same sheet within a budget that holds it (100 rows of 16,384 cells).
        let fits = try XLSXReader.read(ZipFile(path: path, fileName: "b.xlsx"), fileName: "b.xlsx", memoryBudget: 200 << 20)
        XCTAssertEqual(fits.sheets[0].rows.count, 100)
    }

    func testHostileAndDamagedFiles() throws {
        let bomb = #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>"#
        let path = try WorkbookTestZip.write([
            ("xl/workbook.xml", #"<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
            ("xl/worksheets/sheet1.xml", bomb),
        ])
        let e = WorkbookTestZip.error { _ = try readXLSX(path) }
        XCTAssertEqual(e?.message, "declares XML entities; peel does not expand them")
        XCTAssertEqual(e?.part, "xl/worksheets/sheet1.xml")

        let malformed = try xlsx(sheets: [("S", nil, "<sheetData>\n<row r=\"1\">\n<c r=\"A1\"><v>1</v></row></sheetData>")])
        let m = WorkbookTestZip.error { _ = try readXLSX(malformed) }
        XCTAssertEqual(m?.part, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(m?.message.contains("</row> closes <c>") == true, m?.message ?? "")
        XCTAssertTrue(m?.message.contains("line 3") == true, m?.message ?? "")

        let badIndex = try xlsx(sheets: [("S", nil, sheetData(#"<row r="1"><c r="B1" t="s"><v>7</v></c></row>"#))], sharedStrings: ["<si><t>x</t></si>"])
        let b = WorkbookTestZip.error { _ = try readXLSX(badIndex) }
        XCTAssertEqual(b?.part, "cell B1 of sheet 'S'")

        // A real workbook cut in half is refused, with a WorkbookError, not a crash.
        let real = try Data(contentsOf: URL(fileURLWithPath: WorkbookTestZip.fixture("policeforceareatablesyeendingmarch2019.xlsx")))
        let half = FileManager.default.temporaryDirectory.appendingPathComponent("peel-half-\(UUID().uuidString).xlsx")
        try real.prefix(real.count / 2).write(to: half)
        let t = WorkbookTestZip.error { _ = try XLSXReader.read(ZipFile(path: half.path, fileName: "half.xlsx"), fileName: "half.xlsx") }
        XCTAssertEqual(t?.file, "half.xlsx")

        // Not a workbook at all: a zip without xl/workbook.xml.
        let other = try WorkbookTestZip.write([("readme.txt", "hello")])
        XCTAssertTrue(WorkbookTestZip.error { _ = try readXLSX(other) }?.message.contains("not an Excel workbook") == true)
    }

    /// The real ONS workbook: facts checked by hand with python-calamine 0.9.1 (not with this reader).
    func testRealONSWorkbook() throws {
        let path = WorkbookTestZip.fixture("policeforceareatablesyeendingmarch2019.xlsx")
        let wb = try XLSXReader.read(ZipFile(path: path, fileName: "pfa.xlsx"), fileName: "pfa.xlsx")
        XCTAssertEqual(wb.sheets.map(\.name), ["Notes", "Table P1 ", "Table P2", "Table P3 ", "Table P4", "Table P5", "Table P6", "Table P7 ", "Table P8 "])
        XCTAssertEqual(wb.sheets.map(\.hidden), Array(repeating: false, count: 9))
        let p1 = wb.sheets[1]
        XCTAssertEqual(p1[6, 0], .text("K04000001"))
        XCTAssertEqual(p1[6, 1], .text("ENGLAND AND WALES6"))
        XCTAssertEqual(p1[6, 2].number, 5_257_081)
        XCTAssertEqual(p1[6, 5].number, 701)
        XCTAssertEqual(p1[3, 2], .text("Total recorded crime (excluding fraud3)"))
    }

    /// A throwaway harness for checking the readers against python-calamine: with
    /// PEEL_WORKBOOK_DUMP=<folder>, every .xlsx and .ods under PEEL_WORKBOOK_ROOT (or the
    /// reference data beside the repository) is read and its cells written as JSON, one file each.
    func testDumpForComparison() throws {
        guard let out = ProcessInfo.processInfo.environment["PEEL_WORKBOOK_DUMP"] else { throw XCTSkip("PEEL_WORKBOOK_DUMP not set") }
        let repo = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let root = ProcessInfo.processInfo.environment["PEEL_WORKBOOK_ROOT"] ?? repo.deletingLastPathComponent().appendingPathComponent("shared/reference-data").path
        let files = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".xlsx") || $0.hasSuffix(".ods") }.sorted()
        var index: [[String: Any]] = []
        for (k, f) in files.enumerated() {
            let path = root + "/" + f
            let started = Date()
            var record: [String: Any] = ["path": path]
            do {
                let zip = try ZipFile(path: path, fileName: f)
                let wb = f.hasSuffix(".ods") ? try ODSReader.read(zip, fileName: f) : try XLSXReader.read(zip, fileName: f)
                record["seconds"] = Date().timeIntervalSince(started)
                record["sheets"] = wb.sheets.map { s -> [String: Any] in
                    ["name": s.name, "hidden": s.hidden, "chart": s.isChart,
                     "merges": s.merges.map { [$0.firstRow, $0.firstColumn, $0.lastRow, $0.lastColumn] },
                     "rows": s.rows.map { $0.map(Self.json) }]
                }
            } catch {
                record["error"] = "\(error)"
            }
            let data = try JSONSerialization.data(withJSONObject: record)
            let name = "\(out)/\(k).json"
            try data.write(to: URL(fileURLWithPath: name))
            index.append(["path": path, "json": name])
        }
        try JSONSerialization.data(withJSONObject: index).write(to: URL(fileURLWithPath: "\(out)/index.json"))
    }

    static func json(_ c: SheetCell) -> Any {
        switch c {
        case .empty: return NSNull()
        case .number(let v, let d): return ["n", v, d.map { $0 as Any } ?? NSNull()]
        case .percent(let v, let d): return ["p", v, d.map { $0 as Any } ?? NSNull()]
        case .date(let d): return ["d", CivilDate.iso(d)]
        case .text(let t): return ["t", t]
        case .bool(let b): return ["b", b]
        case .error(let e): return ["e", e]
        }
    }
}

extension SheetCell {
    /// The number of a number cell (nil for any other kind), for tests.
    var number: Double? {
        if case .number(let v, _) = self { return v }
        return nil
    }
}
