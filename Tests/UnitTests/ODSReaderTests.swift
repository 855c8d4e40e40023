import Foundation
import XCTest
@testable import PeelData
@testable import PeelIO

private let ns = """
    xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
    xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" \
    xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" \
    xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
    """

/// A minimal .ods: `tables` is the XML of the `table:table` elements, `styles` the automatic styles.
private func ods(_ tables: String, styles: String = "", commonStyles: String? = nil) throws -> String {
    var entries = [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-content \(ns) office:version="1.2"><office:automatic-styles>\(styles)</office:automatic-styles>\
            <office:body><office:spreadsheet>\(tables)</office:spreadsheet></office:body></office:document-content>
            """),
    ]
    if let commonStyles {
        entries.append(("styles.xml", #"<?xml version="1.0" encoding="UTF-8"?><office:document-styles \#(ns)><office:styles>\#(commonStyles)</office:styles><office:automatic-styles><number:number-style style:name="N9"><number:number number:decimal-places="7"/></number:number-style></office:automatic-styles></office:document-styles>"#))
    }
    return try WorkbookTestZip.write(entries, name: "test.ods")
}

private func readODS(_ path: String) throws -> Workbook {
    try ODSReader.read(ZipFile(path: path, fileName: "book.ods"), fileName: "book.ods")
}

private func cell(_ type: String, _ attrs: String, _ text: String = "") -> String {
    #"<table:table-cell office:value-type="\#(type)" \#(attrs)>\#(text.isEmpty ? "" : "<text:p>\(text)</text:p>")</table:table-cell>"#
}

final class ODSReaderTests: XCTestCase {
    func testValueTypes() throws {
        let styles = """
            <number:number-style style:name="N1"><number:number number:decimal-places="1" number:min-integer-digits="1"/></number:number-style>
            <number:percentage-style style:name="P2"><number:number number:decimal-places="2"/><number:text>%</number:text></number:percentage-style>
            <number:number-style style:name="N5P0"><number:number number:decimal-places="3"/></number:number-style>
            <number:number-style style:name="N5"><number:text>-</number:text><style:map style:condition="value()&gt;=0" style:apply-style-name="N5P0"/></number:number-style>
            <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
            <style:style style:name="ce2" style:family="table-cell" style:data-style-name="P2"/>
            <style:style style:name="ce3" style:family="table-cell" style:data-style-name="N5"/>
            <style:style style:name="ce4" style:family="table-cell" style:parent-style-name="Common"/>
            """
        let common = #"<number:number-style style:name="N0"><number:number number:min-integer-digits="1"/></number:number-style><style:style style:name="Common" style:family="table-cell" style:data-style-name="N1"/>"#
        let row1 = cell("float", #"office:value="78.305484" table:style-name="ce1""#, "78.3")
            + cell("percentage", #"office:value="0.841" table:style-name="ce2""#, "84.10%")
            + cell("currency", #"office:value="12.5" table:style-name="ce3""#, "£12.500")
            + cell("float", #"office:value="1234""#, "1234")
            + cell("float", #"office:value="7" table:style-name="ce4""#, "7.0")
        let row2 = cell("date", #"office:date-value="2016-09-30""#, "30/09/2016")
            + cell("date", #"office:date-value="2016-09-30T14:05:00""#, "30/09/2016 14:05")
            + cell("time", #"office:time-value="PT36H30M00S""#, "36:30")
            + cell("boolean", #"office:boolean-value="true""#, "TRUE")
            + cell("string", "", "Kent")
            + #"<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>"#
        let table = #"<table:table table:name="T"><table:table-column table:number-columns-repeated="3"/><table:table-row>\#(row1)</table:table-row><table:table-row>\#(row2)</table:table-row></table:table>"#
        let s = try readODS(ods(table, styles: styles, commonStyles: common)).sheets[0]
        XCTAssertEqual(s[0, 0], .number(78.305484, decimals: 1))
        XCTAssertEqual(s[0, 1], .percent(0.841, decimals: 2))
        XCTAssertEqual(s[0, 2], .number(12.5, decimals: 3), "decimals through a style:map")
        XCTAssertEqual(s[0, 3], .number(1234, decimals: nil))
        XCTAssertEqual(s[0, 4], .number(7, decimals: 1), "a parent style's data style")
        XCTAssertEqual(s[1, 0], .date(17_074))  // 2016-09-30
        XCTAssertEqual(CivilDate.iso(17_074), "2016-09-30")
        XCTAssertEqual(s[1, 1], .text("2016-09-30 14:05"))
        XCTAssertEqual(s[1, 2], .text("36:30"))
        XCTAssertEqual(s[1, 3], .bool(true))
        XCTAssertEqual(s[1, 4], .text("Kent"))
        XCTAssertEqual(s[1, 5], .error("#DIV/0!"))
    }

    func testParagraphsSpacesAndDrawings() throws {
        let text = #"""
            <table:table-cell office:value-type="string"><text:p>Police<text:s text:c="3"/>officers<text:s/>(FTE)</text:p><text:p>by <text:span>force</text:span><text:tab/>area<text:line-break/><text:a xlink:href="#x">link</text:a></text:p>\#
            <office:annotation><text:p>a comment</text:p></office:annotation><draw:custom-shape><text:p/></draw:custom-shape>\#
            <text:list><text:list-item><text:p>item</text:p></text:list-item></text:list></table:table-cell>
            """#
        let table = #"<table:table table:name="T"><table:table-row>\#(text)<table:table-cell office:value-type="string"><text:p>A &amp; B</text:p><text:p/></table:table-cell></table:table-row></table:table>"#
        let s = try readODS(ods(table)).sheets[0]
        XCTAssertEqual(s[0, 0], .text("Police   officers (FTE)\nby force\tarea\nlink\nitem"))
        XCTAssertEqual(s[0, 1], .text("A & B\n"))
    }

    func testRepeatsMergesHiddenAndNames() throws {
        let styles = #"<style:style style:name="ta1" style:family="table"><style:table-properties table:display="false"/></style:style><style:style style:name="ta2" style:family="table"><style:table-properties table:display="true"/></style:style>"#
        let first = """
            <table:table table:name="Table 1 " table:style-name="ta2"><table:table-header-rows><table:table-row>\
            <table:table-cell office:value-type="string" table:number-columns-spanned="3" table:number-rows-spanned="2"><text:p>Title</text:p></table:table-cell>\
            <table:covered-table-cell table:number-columns-repeated="2"><text:p>hidden</text:p></table:covered-table-cell>\
            <table:table-cell table:number-columns-repeated="16381"/></table:table-row></table:table-header-rows>
            <table:table-row table:number-rows-repeated="2"><table:table-cell/><table:table-cell office:value-type="float" office:value="5" table:number-columns-repeated="2"/></table:table-row>
            <table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
            <table:table-row><table:table-cell table:number-columns-repeated="4"/><table:table-cell office:value-type="float" office:value="1"/><table:table-cell table:number-columns-repeated="16379"/></table:table-row>
            <table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            </table:table>
            """
        let second = #"<table:table table:name="Hidden" table:style-name="ta1"><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#
        let wb = try readODS(ods(first + second, styles: styles))
        XCTAssertEqual(wb.format, .ods)
        XCTAssertEqual(wb.sheets.map(\.name), ["Table 1 ", "Hidden"])
        XCTAssertEqual(wb.sheets.map(\.hidden), [false, true])
        let s = wb.sheets[0]
        XCTAssertEqual(s.rows.count, 7, "trailing repeated empty rows cost nothing")
        XCTAssertEqual(s.rows[0], [.text("Title")], "covered cells are empty and trailing empties are dropped")
        XCTAssertEqual(s.rows[1], [.empty, .number(5, decimals: nil), .number(5, decimals: nil)])
        XCTAssertEqual(s.rows[2], s.rows[1])
        XCTAssertEqual(s.rows[3], [])
        XCTAssertEqual(s.rows[5], [])
        XCTAssertEqual(s.rows[6], [.empty, .empty, .empty, .empty, .number(1, decimals: nil)])
        XCTAssertEqual(s.merges, [CellRange(firstRow: 0, firstColumn: 0, lastRow: 1, lastColumn: 2)])
    }

    func testRepeatedRowsAreCheapAndBounded() throws {
        // A million repeated empty rows, then nothing: nothing is built.
        let empty = #"<table:table table:name="E"><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#
        let started = Date()
        let e = try readODS(ods(empty)).sheets[0]
        XCTAssertEqual(e.rows.count, 1)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)

        // Empty rows before content are built (as empty rows) only because content follows.
        let gap = #"<table:table table:name="G"><table:table-row table:number-rows-repeated="100000"><table:table-cell/></table:table-row><table:table-row><table:table-cell office:value-type="float" office:value="2"/></table:table-row></table:table>"#
        let g = try readODS(ods(gap)).sheets[0]
        XCTAssertEqual(g.rows.count, 100_001)
        XCTAssertEqual(g[100_000, 0], .number(2, decimals: nil))

        // A row with content repeated a billion times is refused, naming the sheet.
        let huge = #"<table:table table:name="Big"><table:table-row table:number-rows-repeated="1000000000"><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#
        let h = WorkbookTestZip.error { _ = try readODS(ods(huge)) }
        XCTAssertEqual(h?.part, "sheet 'Big'")
        XCTAssertTrue(h?.message.contains("50,000,000 rows") == true, h?.message ?? "")

        // Content past the 16,384th column, after a repeated empty block, is refused.
        let wide = #"<table:table table:name="Wide"><table:table-row><table:table-cell table:number-columns-repeated="16384"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#
        let w = WorkbookTestZip.error { _ = try readODS(ods(wide)) }
        XCTAssertEqual(w?.part, "sheet 'Wide'")
        XCTAssertTrue(w?.message.contains("16,384 columns") == true, w?.message ?? "")

        // A saturating repeat count (past Int.max) of empty rows then content: refused, no overflow.
        let overflow = #"<table:table table:name="O"><table:table-row table:number-rows-repeated="99999999999999999999999"><table:table-cell/></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#
        XCTAssertEqual(WorkbookTestZip.error { _ = try readODS(ods(overflow)) }?.part, "sheet 'O'")

        // Rows of repeated empty cells each ending in a value: within the limits, but past the
        // memory budget they are refused.
        let row = #"<table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#
        let sparse = try ods(#"<table:table table:name="Sparse">\#(String(repeating: row, count: 100))</table:table>"#)
        let b = WorkbookTestZip.error { _ = try ODSReader.read(ZipFile(path: sparse, fileName: "b.ods"), fileName: "b.ods", memoryBudget: 10 << 20) }
        XCTAssertEqual(b?.part, "sheet 'Sparse'")
        XCTAssertTrue(b?.message.contains("10 MiB of memory") == true, b?.message ?? "")
        XCTAssertEqual(try ODSReader.read(ZipFile(path: sparse, fileName: "b.ods"), fileName: "b.ods", memoryBudget: 200 << 20).sheets[0][99, 16_000],
                       .number(1, decimals: nil))
        // Spaces written as <text:s text:c="…"/> count too.
        let spaces = try ods(#"<table:table table:name="Spaces"><table:table-row><table:table-cell office:value-type="string"><text:p>\#(String(repeating: #"<text:s text:c="1000000"/>"#, count: 20))</text:p></table:table-cell></table:table-row></table:table>"#)
        XCTAssertEqual(WorkbookTestZip.error { _ = try ODSReader.read(ZipFile(path: spaces, fileName: "s.ods"), fileName: "s.ods", memoryBudget: 10 << 20) }?.part, "sheet 'Spaces'")
    }

    func testHostileAndDamagedFiles() throws {
        let bomb = #"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]><office:document-content \#(ns)><office:body><office:spreadsheet/></office:body></office:document-content>"#
        let path = try WorkbookTestZip.write([("content.xml", bomb)], name: "bomb.ods")
        let e = WorkbookTestZip.error { _ = try readODS(path) }
        XCTAssertEqual(e?.message, "declares XML entities; peel does not expand them")
        XCTAssertEqual(e?.part, "content.xml")

        let unknownEntity = try WorkbookTestZip.write([("content.xml", "<a>\n\n<b>&lol;</b></a>")], name: "x.ods")
        let u = WorkbookTestZip.error { _ = try readODS(unknownEntity) }
        XCTAssertTrue(u?.message.contains("&lol;") == true && u?.message.contains("line 3") == true, u?.message ?? "")

        let unclosed = try WorkbookTestZip.write([("content.xml", "<office:document-content><office:body><table:table table:name=\"x\">")], name: "x.ods")
        let c = WorkbookTestZip.error { _ = try readODS(unclosed) }
        XCTAssertTrue(c?.message.contains("never closed") == true, c?.message ?? "")
        XCTAssertEqual(c?.part, "content.xml")

        // Invalid UTF-8 (a lone continuation byte) is located by its byte offset.
        let bad = Data(Array("<a>ab".utf8) + [0x80] + Array("</a>".utf8))
        let v = WorkbookTestZip.error { _ = try readODS(WorkbookTestZip.write(data: [("content.xml", bad)], name: "x.ods")) }
        XCTAssertEqual(v?.part, "content.xml")
        XCTAssertTrue(v?.message.contains("UTF-8") == true && v?.message.contains("byte 5") == true, v?.message ?? "")

        let noContent = try WorkbookTestZip.write([("mimetype", "x")], name: "x.ods")
        XCTAssertTrue(WorkbookTestZip.error { _ = try readODS(noContent) }?.message.contains("no content.xml") == true)

        // A real .ods cut in half.
        let real = try Data(contentsOf: URL(fileURLWithPath: WorkbookTestZip.fixture("police-workforce-tables-sep16.ods")))
        let half = FileManager.default.temporaryDirectory.appendingPathComponent("peel-half-\(UUID().uuidString).ods")
        try real.prefix(real.count / 2).write(to: half)
        let t = WorkbookTestZip.error { _ = try ODSReader.read(ZipFile(path: half.path, fileName: "half.ods"), fileName: "half.ods") }
        XCTAssertEqual(t?.file, "half.ods")
    }

    func testScannerEvents() throws {
        let xml = Array(#"<?xml version="1.0"?><!-- c --><r a='1 &amp; 2' b="x&#10;y"><x:e/>t&lt;&#x41;<![CDATA[<raw>&amp;]]></r>"#.utf8)
        try xml.withUnsafeBufferPointer { b in
            var s = try XMLScanner(b, file: "f", part: "p")
            XCTAssertEqual(try s.next(), .start)
            XCTAssertTrue(s.isName("r"))
            XCTAssertEqual(s.attribute("a"), "1 & 2")
            XCTAssertEqual(s.attribute("b"), "x\ny")
            XCTAssertEqual(try s.next(), .start)
            XCTAssertTrue(s.isName("x:e") && s.isLocalName("e") && s.isSelfClosing)
            XCTAssertEqual(s.depth, 2)
            XCTAssertEqual(try s.next(), .end)
            XCTAssertEqual(s.depth, 1)
            XCTAssertEqual(try s.next(), .text)
            XCTAssertEqual(s.text(), "t<A")
            XCTAssertEqual(try s.next(), .text)
            XCTAssertEqual(s.text(), "<raw>&amp;")
            XCTAssertEqual(try s.next(), .end)
            XCTAssertEqual(try s.next(), .eof)
        }
        let located = Array("<a>\n  </b>".utf8)
        let l = WorkbookTestZip.error {
            try located.withUnsafeBufferPointer { b in
                var s = try XMLScanner(b, file: "f", part: "p")
                while try s.next() != .eof {}
            }
        }
        XCTAssertEqual(l?.message, "is not well-formed XML: </b> closes <a> (line 2, column 3, byte 6)")
        XCTAssertEqual(l?.part, "p")
        for bad in ["<a>&#0;</a>", "<a>&#xD800;</a>", "<a b=1/>", "<a></b>", "<a>x", "text<a/>", "<a/><b/>", "<a b=\"<\"/>", "<a>&amp</a>"] {
            let u = Array(bad.utf8)
            let e = WorkbookTestZip.error {
                try u.withUnsafeBufferPointer { b in
                    var s = try XMLScanner(b, file: "f", part: "p")
                    while try s.next() != .eof {}
                }
            }
            XCTAssertNotNil(e, bad)
            XCTAssertTrue(e?.message.hasPrefix("is not well-formed XML") == true, "\(bad): \(e?.message ?? "")")
        }
    }

    /// The real Home Office workbook: facts checked by hand with python-calamine 0.9.1.
    func testRealHomeOfficeWorkbook() throws {
        let path = WorkbookTestZip.fixture("police-workforce-tables-sep16.ods")
        let wb = try ODSReader.read(ZipFile(path: path, fileName: "sep16.ods"), fileName: "sep16.ods")
        XCTAssertEqual(wb.sheets.map(\.name), ["Index", "Table_1", "Table_2", "Table_3", "Table_4", "Table_5", "Table_6"])
        XCTAssertEqual(wb.sheets[0][0, 0], .text("Police Workforce, England and Wales, 30 September 2016"))
        // The title spans A1:E1 (table:number-columns-spanned="5" in content.xml).
        XCTAssertEqual(wb.sheets[0].merges.first, CellRange(firstRow: 0, firstColumn: 0, lastRow: 0, lastColumn: 4))
        let t1 = wb.sheets[1]
        XCTAssertEqual(t1[3, 4], .text("Change in 12 months\nSep-15 to Sep-16"))
        XCTAssertEqual(t1[5, 1], .date(16_708))  // 2015-09-30
        XCTAssertEqual(t1[7, 0], .text("Cleveland"))
        XCTAssertEqual(t1[7, 1].number, 1315.32)
    }
}
