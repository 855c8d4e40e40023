import Foundation
import PeelCommands
import PeelData
import PeelEvaluation
import PeelIO
import PeelLanguage
import PeelSupport
import XCTest

/// The .xlsx and .ods writers: every part of the archive parses as XML, cells have the types and
/// number formats the table's columns call for, text is escaped, and the limits and sheet-name
/// rules hold. The archives are read back with peel's own zip reader (`ZipFile`) and a small strict
/// XML parser here, not with the writer's code.
final class WorkbookWriterTests: XCTestCase {
    // MARK: - A small XML tree, from a strict little parser

    final class Node {
        let name: String
        let attributes: [String: String]
        var children: [Node] = []
        var text = ""
        init(_ name: String, _ attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        func all(_ name: String) -> [Node] {
            var out: [Node] = []
            func walk(_ n: Node) {
                if n.name == name { out.append(n) }
                n.children.forEach(walk)
            }
            walk(self)
            return out
        }

        func first(_ name: String) -> Node? { all(name).first }
        subscript(_ attribute: String) -> String? { attributes[attribute] }
        /// The text of this element and every element inside it.
        var allText: String { text + children.map(\.allText).joined() }
    }

    struct XMLProblem: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses XML 1.0 as the writers make it (a declaration, elements, attributes, text, the five
    /// entities and character references; no comments, CDATA or DTD), and refuses what is not
    /// well-formed: a bad UTF-8 byte, a character XML cannot hold, an unknown entity, a bare `<` or
    /// `&`, a tag closed by another name, an attribute given twice, text outside the root. Text is
    /// kept per element (the pieces around child elements joined), with line ends normalised as a
    /// parser must (CR LF and CR to LF; `&#13;` stays CR), and attribute values normalised (tab,
    /// LF, CR to spaces).
    static func parseXML(_ bytes: [UInt8]) throws -> Node {
        guard let string = String(bytes: bytes, encoding: .utf8) else { throw XMLProblem(description: "not UTF-8") }
        let u = Array(string.unicodeScalars)
        var i = 0
        func fail(_ why: String) -> XMLProblem { XMLProblem(description: "\(why) at character \(i)") }
        func allowed(_ c: Unicode.Scalar) -> Bool {
            let v = c.value
            return v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v) || v >= 0x10000
        }
        func isNameChar(_ c: Unicode.Scalar) -> Bool {
            c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == ":" || c == "-" || c == "."
        }
        func name() throws -> String {
            let start = i
            while i < u.count, isNameChar(u[i]) { i += 1 }
            guard i > start else { throw fail("a name expected") }
            return String(String.UnicodeScalarView(u[start..<i]))
        }
        func spaces() { while i < u.count, [" ", "\t", "\n", "\r"].contains(u[i]) { i += 1 } }
        /// An entity or character reference after `&`.
        func reference() throws -> String {
            guard let semi = u[i...].firstIndex(of: ";"), semi - i <= 10 else { throw fail("a bare &") }
            let body = String(String.UnicodeScalarView(u[i..<semi]))
            i = semi + 1
            switch body {
            case "amp": return "&"
            case "lt": return "<"
            case "gt": return ">"
            case "quot": return "\""
            case "apos": return "'"
            default:
                var v: UInt32?
                if body.hasPrefix("#x") { v = UInt32(body.dropFirst(2), radix: 16) } else if body.hasPrefix("#") { v = UInt32(body.dropFirst(), radix: 10) }
                guard let v, let c = Unicode.Scalar(v), allowed(c) else { throw fail("an unknown or forbidden reference &\(body);") }
                return String(c)
            }
        }
        let document = Node("#document", [:])
        var stack: [Node] = [document]
        var rootSeen = false
        if u.starts(with: Array("<?xml".unicodeScalars)) {
            guard let end = (0..<max(0, u.count - 1)).first(where: { u[$0] == "?" && u[$0 + 1] == ">" }) else { throw fail("an unclosed declaration") }
            i = end + 2
        }
        while i < u.count {
            let c = u[i]
            if c == "<" {
                i += 1
                guard i < u.count else { throw fail("a bare <") }
                if u[i] == "/" {
                    i += 1
                    let n = try name()
                    spaces()
                    guard i < u.count, u[i] == ">" else { throw fail("> expected") }
                    i += 1
                    guard stack.count > 1, stack.last!.name == n else { throw fail("</\(n)> closes \(stack.last!.name)") }
                    stack.removeLast()
                    continue
                }
                guard !(stack.count == 1 && rootSeen) else { throw fail("a second root element") }
                let n = try name()
                var attributes: [String: String] = [:]
                while true {
                    let before = i
                    spaces()
                    guard i < u.count else { throw fail("an unclosed tag") }
                    if u[i] == ">" || u[i] == "/" { break }
                    guard i > before else { throw fail("a space expected between attributes") }
                    let a = try name()
                    spaces()
                    guard i < u.count, u[i] == "=" else { throw fail("= expected") }
                    i += 1
                    spaces()
                    guard i < u.count, u[i] == "\"" || u[i] == "'" else { throw fail("a quoted value expected") }
                    let quote = u[i]
                    i += 1
                    var value = ""
                    while true {
                        guard i < u.count else { throw fail("an unclosed value") }
                        let v = u[i]
                        if v == quote { i += 1; break }
                        guard v != "<", allowed(v) else { throw fail("a forbidden character in a value") }
                        i += 1
                        if v == "&" { value += try reference() } else if v == "\t" || v == "\n" || v == "\r" { value += " " } else { value.unicodeScalars.append(v) }
                    }
                    guard attributes[a] == nil else { throw fail("attribute \(a) given twice") }
                    attributes[a] = value
                }
                let node = Node(n, attributes)
                stack.last!.children.append(node)
                rootSeen = true
                if u[i] == "/" {
                    i += 1
                    guard i < u.count, u[i] == ">" else { throw fail("> expected") }
                    i += 1
                } else {
                    i += 1
                    stack.append(node)
                }
            } else {
                guard allowed(c) else { throw fail("a character XML cannot hold (U+\(String(c.value, radix: 16)))") }
                i += 1
                var piece: String
                if c == "&" { piece = try reference() } else if c == "\r" {
                    if i < u.count, u[i] == "\n" { i += 1 }
                    piece = "\n"
                } else if c == ">" && i >= 3 && u[i - 3] == "]" && u[i - 2] == "]" {
                    throw fail("]]> in text")
                } else { piece = String(c) }
                if stack.count == 1 {
                    guard piece.unicodeScalars.allSatisfy({ [" ", "\t", "\n"].contains($0) }) else { throw fail("text outside the root") }
                } else {
                    stack.last!.text += piece
                }
            }
        }
        guard stack.count == 1 else { throw fail("<\(stack.last!.name)> is not closed") }
        guard rootSeen else { throw fail("no root element") }
        return document
    }

    /// `bytes` parsed as XML (failing the test when they are not well-formed).
    func parse(_ bytes: [UInt8], _ what: String, file: StaticString = #filePath, line: UInt = #line) -> Node {
        do {
            return try Self.parseXML(bytes)
        } catch {
            XCTFail("\(what) is not well-formed XML: \(error)", file: file, line: line)
            return Node("#document", [:])
        }
    }

    /// The little parser refuses what is not well-formed (so that passing it means something).
    func testTheTestsXMLParserRefusesBadXML() {
        let bad = ["<a>", "<a></b>", "<a>&bogus;</a>", "<a>a & b</a>", "<a>\u{1}</a>", "<a x=\"1\" x=\"2\"/>", "<a/><b/>", "text<a/>",
                   "<a>&#0;</a>", "<a x=\"<\"/>", "<a>]]></a>", "<a x=1/>", "<a><b></a></b>"]
        for b in bad { XCTAssertThrowsError(try Self.parseXML(Array(b.utf8)), b) }
        XCTAssertThrowsError(try Self.parseXML([0x3C, 0x61, 0x3E, 0xFF, 0x3C, 0x2F, 0x61, 0x3E]), "bad UTF-8")
        let good = try? Self.parseXML(Array("<?xml version=\"1.0\"?>\n<a x=\"1&#10;2\" y='q'><b>t&amp;&#13;\r\nu</b><c/></a>\n".utf8))
        XCTAssertEqual(good?.first("a")?["x"], "1\n2")
        XCTAssertEqual(good?.first("a")?["y"], "q")
        XCTAssertEqual(good?.first("b")?.text, "t&\r\nu")
        XCTAssertEqual(good?.first("a")?.children.map(\.name), ["b", "c"])
    }

    /// The archive's entries, read back with peel's zip reader.
    func entries(_ bytes: [UInt8]) throws -> (ZipFile, [String]) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("peel-wb-test-\(getpid())-\(UUID().uuidString).zip")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let zip = try ZipFile(path: url.path, fileName: "test")
        return (zip, zip.entries.map(\.path))
    }

    // MARK: - Tables

    func days(_ y: Int, _ m: Int, _ d: Int) -> Int32 { CivilDate.days(year: y, month: m, day: d)! }

    /// A table with every kind of column: text (with a missing value), whole numbers, decimals with
    /// 2 places, a % column with 1 place, dates, and a column of whole numbers in %.
    func sampleTable() -> Table {
        Table(name: "sample", columns: [
            Column(name: "force", data: .text(codes: [0, 1, 0], dictionary: ["Kent", "A & B <c> \"d\""]), missing: MissingMask([false, false, true])),
            Column(name: "count", data: .integer([340, -7, 0])),
            Column(name: "rate", data: .decimal([1.25, 2.5, 3], scale: 2), missing: MissingMask([false, true, false])),
            Column(name: "share", unit: "%", data: .decimal([84.1, 100, 0.5], scale: 1)),
            Column(name: "day", data: .date([days(2018, 6, 30), days(1900, 3, 1), days(1970, 1, 1)])),
            Column(name: "whole_pct", unit: "%", data: .integer([12, 100, 3])),
        ])
    }

    func headers(_ t: Table) -> [String] { t.columns.map { c in c.unit.map { u in "\(c.name) (\(u))" } ?? c.name } }

    // MARK: - .xlsx

    struct XLSXCell: Equatable {
        var ref: String
        var type: String?
        var value: String
        var format: String?
    }

    /// The cells of an .xlsx file's one sheet with their shared strings resolved and their number
    /// format codes; also the sheet's name and the workbook's parts.
    func readXLSX(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> (sheet: String, cells: [XLSXCell], parts: [String]) {
        let (zip, names) = try entries(bytes)
        var trees: [String: Node] = [:]
        for n in names { trees[n] = parse(try zip.read(n), n, file: file, line: line) }
        let workbook = try XCTUnwrap(trees["xl/workbook.xml"]?.first("sheet"))
        let shared = trees["xl/sharedStrings.xml"]?.all("si").map { $0.allText } ?? []
        let styles = try XCTUnwrap(trees["xl/styles.xml"])
        var codes: [String: String] = [:]
        for f in styles.all("numFmt") { codes[f["numFmtId"]!] = f["formatCode"] }
        let xfs = try XCTUnwrap(styles.first("cellXfs")).children
        var cells: [XLSXCell] = []
        for c in try XCTUnwrap(trees["xl/worksheets/sheet1.xml"]).all("c") {
            let type = c["t"]
            var value = c.first("v")?.text ?? ""
            if type == "s" { value = shared[Int(value)!] }
            if type == "inlineStr" { value = c.first("is")!.allText }
            let format = c["s"].flatMap { Int($0) }.map { xfs[$0]["numFmtId"]! }.flatMap { codes[$0] }
            cells.append(XLSXCell(ref: c["r"]!, type: type, value: value, format: format))
        }
        return (workbook["name"]!, cells, names)
    }

    func testXLSXHasEveryPartAndEachIsWellFormedXML() throws {
        let t = sampleTable()
        let bytes = try WorkbookWriter.write(t, headers: headers(t), sheetName: "Rates", as: .xlsx, fileName: "x.xlsx")
        let (sheet, _, parts) = try readXLSX(bytes)
        XCTAssertEqual(parts, ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                               "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
        XCTAssertEqual(sheet, "Rates")
        XCTAssertEqual(Array(bytes.prefix(2)), [0x50, 0x4B], "a zip file starts PK")
    }

    func testXLSXCellsAreTypedWithTheirColumnsFormats() throws {
        let t = sampleTable()
        let (_, cells, _) = try readXLSX(try WorkbookWriter.write(t, headers: headers(t), sheetName: "S", as: .xlsx, fileName: "x.xlsx"))
        func cell(_ ref: String) -> XLSXCell? { cells.first { $0.ref == ref } }
        // The header row: shared strings, in the bold style (no number format).
        XCTAssertEqual(cells.filter { $0.ref.hasSuffix("1") && $0.ref.count == 2 }.map(\.value),
                       ["force", "count", "rate", "share (%)", "day", "whole_pct (%)"])
        XCTAssertEqual(cell("A2"), XLSXCell(ref: "A2", type: "s", value: "Kent", format: nil))
        XCTAssertEqual(cell("A3")?.value, "A & B <c> \"d\"", "escaped and read back as it was")
        XCTAssertNil(cell("A4"), "a missing value is no cell at all")
        XCTAssertEqual(cell("B2"), XLSXCell(ref: "B2", type: nil, value: "340", format: "0"))
        XCTAssertEqual(cell("B3")?.value, "-7")
        XCTAssertEqual(cell("B4")?.value, "0")
        XCTAssertEqual(cell("C2"), XLSXCell(ref: "C2", type: nil, value: "1.25", format: "0.00"))
        XCTAssertNil(cell("C3"))
        XCTAssertEqual(cell("C4"), XLSXCell(ref: "C4", type: nil, value: "3", format: "0.00"))
        // 84.1% is the number 0.841 shown with one decimal and a percent sign.
        XCTAssertEqual(cell("D2"), XLSXCell(ref: "D2", type: nil, value: "0.841", format: "0.0%"))
        XCTAssertEqual(cell("D3")?.value, "1")
        XCTAssertEqual(cell("D4")?.value, "0.005")
        // Excel's serial numbers: 2018-06-30 is 43281, 1900-03-01 is 61, 1970-01-01 is 25569.
        XCTAssertEqual(cell("E2"), XLSXCell(ref: "E2", type: nil, value: "43281", format: "yyyy-mm-dd"))
        XCTAssertEqual(cell("E3")?.value, "61")
        XCTAssertEqual(cell("E4")?.value, "25569")
        XCTAssertEqual(cell("F2"), XLSXCell(ref: "F2", type: nil, value: "0.12", format: "0%"))
        XCTAssertEqual(cell("F3")?.value, "1")
        XCTAssertEqual(cells.count, 6 + 16)
    }

    func testXLSXHasOneNumberFormatPerDecimalsUsed() throws {
        // A decimal column whose rows were printed with 0, 1 and 3 decimals: three formats, one per row.
        let t = Table(name: "t", columns: [
            Column(name: "v", data: .decimal([17, 11.1, 2.125], scale: 3), rowScales: [0, 1, 3]),
            Column(name: "p", unit: "%", data: .decimal([50, 12.25], scale: 2) , missing: MissingMask()).gather([0, 1, 1]),
        ])
        let bytes = try WorkbookWriter.write(t, headers: ["v", "p (%)"], sheetName: "S", as: .xlsx, fileName: "x.xlsx")
        let (zip, _) = try entries(bytes)
        let styles = parse(try zip.read("xl/styles.xml"), "styles")
        XCTAssertEqual(Set(styles.all("numFmt").compactMap { $0["formatCode"] }), ["0", "0.0", "0.000", "0.00%"])
        let (_, cells, _) = try readXLSX(bytes)
        XCTAssertEqual(cells.filter { $0.ref.hasPrefix("A") && $0.ref != "A1" }.map(\.format), ["0", "0.0", "0.000"])
        XCTAssertEqual(cells.filter { $0.ref.hasPrefix("B") && $0.ref != "B1" }.map(\.value), ["0.5", "0.1225", "0.1225"])
    }

    func testXLSXTextEscapingKeepsEveryCharacterXMLCanHold() throws {
        let texts = ["a & b", "<tag attr=\"x\">", "it's", "  two leading spaces", "trailing ", "line\nbreak", "cr\r\nlf", "tab\there",
                     "_x0041_ is not A", "bell\u{07} nul\u{00} esc\u{1B}", "non-character \u{FFFE}\u{FFFF}", "ünïcödé ✓ 😀", "]]>"]
        let t = Table(name: "t", columns: [Column(name: "note", data: .text(codes: (0..<Int32(texts.count)).map { $0 }, dictionary: texts))])
        let (_, cells, _) = try readXLSX(try WorkbookWriter.write(t, headers: ["note <&>"], sheetName: "S", as: .xlsx, fileName: "x.xlsx"))
        XCTAssertEqual(cells[0].value, "note <&>")
        var expected = texts
        // Excel reads `_x0041_` as "A": the writer escapes its underscore, `_x005F_`, which Excel reads as "_".
        expected[8] = "_x005F_x0041_ is not A"
        // What XML 1.0 cannot hold is replaced: controls by their pictures, U+FFFE and U+FFFF by U+FFFD.
        expected[9] = "bell\u{2407} nul\u{2400} esc\u{241B}"
        expected[10] = "non-character \u{FFFD}\u{FFFD}"
        XCTAssertEqual(cells.dropFirst().map(\.value), expected)
    }

    func testXLSXWritesWhatADoubleCannotHoldAsText() throws {
        let big: Int64 = (1 << 53) + 1
        let t = Table(name: "t", columns: [
            Column(name: "n", data: .integer([big, 1 << 53, -big])),
            Column(name: "x", data: .decimal([.infinity, .nan, 1e-5], scale: 5)),
            Column(name: "d", data: .date([days(1899, 12, 31), days(1900, 2, 28), days(9999, 12, 31)])),
        ])
        let (_, cells, _) = try readXLSX(try WorkbookWriter.write(t, headers: ["n", "x", "d"], sheetName: "S", as: .xlsx, fileName: "x.xlsx"))
        func cell(_ ref: String) -> XLSXCell? { cells.first { $0.ref == ref } }
        XCTAssertEqual(cell("A2"), XLSXCell(ref: "A2", type: "inlineStr", value: "9007199254740993", format: nil))
        XCTAssertEqual(cell("A3")?.type, nil, "2^53 is exact in a double")
        XCTAssertEqual(cell("A3")?.value, "9007199254740992")
        XCTAssertEqual(cell("A4")?.value, "-9007199254740993")
        XCTAssertEqual(cell("B2")?.type, "inlineStr")
        XCTAssertEqual(cell("B2")?.value, "inf")
        XCTAssertEqual(cell("B3")?.value, "NaN")
        XCTAssertEqual(cell("B4")?.value, "1e-05")
        XCTAssertEqual(Double(cell("B4")!.value), 1e-5)
        // Before 1 March 1900 Excel's serial numbers are off by a day (it counts 29 February 1900): text.
        XCTAssertEqual(cell("C2"), XLSXCell(ref: "C2", type: "inlineStr", value: "1899-12-31", format: nil))
        XCTAssertEqual(cell("C3")?.value, "1900-02-28")
        XCTAssertEqual(cell("C4"), XLSXCell(ref: "C4", type: nil, value: "2958465", format: "yyyy-mm-dd"))
    }

    func testEmptyTablesMakeWellFormedWorkbooks() throws {
        for t in [Table(name: "t", columns: []), Table(name: "t", columns: [Column(name: "a", data: .integer([]))])] {
            for f in [Workbook.Format.xlsx, .ods] {
                let bytes = try WorkbookWriter.write(t, headers: t.columns.map(\.name), sheetName: "S", as: f, fileName: "x")
                let (zip, names) = try entries(bytes)
                for n in names where n.hasSuffix(".xml") { _ = parse(try zip.read(n), "\(f) \(n) of \(t.columns.count) columns") }
            }
        }
    }

    // MARK: - .ods

    func testODSStartsWithItsMimetypeStoredAndTypesItsCells() throws {
        let t = sampleTable()
        let bytes = try WorkbookWriter.write(t, headers: headers(t), sheetName: "Rates & more", as: .ods, fileName: "x.ods")
        // The mimetype entry is the first in the file, not compressed, so its name and text sit at
        // fixed places (byte 30 on) for tools that identify the file by them.
        XCTAssertEqual(Array(bytes[30..<38]), Array("mimetype".utf8))
        XCTAssertEqual(Array(bytes[38..<(38 + 46)]), Array("application/vnd.oasis.opendocument.spreadsheet".utf8))
        let (zip, names) = try entries(bytes)
        XCTAssertEqual(names, ["mimetype", "META-INF/manifest.xml", "styles.xml", "content.xml"])
        XCTAssertEqual(zip.entries[0].compressedSize, zip.entries[0].uncompressedSize)
        for n in names where n.hasSuffix(".xml") { _ = parse(try zip.read(n), n) }
        let content = parse(try zip.read("content.xml"), "content.xml")
        XCTAssertEqual(content.first("table:table")?["table:name"], "Rates & more")
        let rows = content.all("table:table-row").map { $0.children.filter { $0.name == "table:table-cell" } }
        XCTAssertEqual(rows.count, 4)
        XCTAssertEqual(rows[0].map(\.allText), ["force", "count", "rate", "share (%)", "day", "whole_pct (%)"])
        XCTAssertTrue(rows[0].allSatisfy { $0["table:style-name"] == "ch" })
        let styles = Dictionary(content.all("style:style").map { ($0["style:name"]!, $0["style:data-style-name"]) }, uniquingKeysWith: { a, _ in a })
        func dataStyle(_ cell: Node) -> Node? {
            guard let s = cell["table:style-name"], let ds = styles[s] ?? nil else { return nil }
            return content.all("number:number-style").first { $0["style:name"] == ds }
                ?? content.all("number:percentage-style").first { $0["style:name"] == ds }
                ?? content.all("number:date-style").first { $0["style:name"] == ds }
        }
        let r1 = rows[1]
        XCTAssertEqual(r1[0]["office:value-type"], "string")
        XCTAssertEqual(r1[0].allText, "Kent")
        XCTAssertEqual(r1[1]["office:value-type"], "float")
        XCTAssertEqual(r1[1]["office:value"], "340")
        XCTAssertEqual(dataStyle(r1[1])?.first("number:number")?["number:decimal-places"], "0")
        XCTAssertEqual(r1[2]["office:value"], "1.25")
        XCTAssertEqual(dataStyle(r1[2])?.first("number:number")?["number:decimal-places"], "2")
        XCTAssertEqual(r1[3]["office:value-type"], "percentage")
        XCTAssertEqual(r1[3]["office:value"], "0.841")
        XCTAssertEqual(r1[3].allText, "84.1%")
        XCTAssertEqual(dataStyle(r1[3])?.name, "number:percentage-style")
        XCTAssertEqual(dataStyle(r1[3])?.first("number:number")?["number:decimal-places"], "1")
        XCTAssertEqual(r1[4]["office:value-type"], "date")
        XCTAssertEqual(r1[4]["office:date-value"], "2018-06-30")
        XCTAssertEqual(dataStyle(r1[4])?.name, "number:date-style")
        XCTAssertEqual(r1[5]["office:value"], "0.12")
        // Row 2: the rate is missing, an empty cell between the count and the share.
        let r2 = rows[1 + 1]
        XCTAssertEqual(r2[1]["office:value"], "-7")
        XCTAssertNil(r2[2]["office:value-type"])
        XCTAssertEqual(r2[3]["office:value"], "1")
        // Row 3: the force is missing, one empty cell first.
        let r3 = rows[3]
        XCTAssertNil(r3[0]["office:value-type"])
        XCTAssertEqual(r3[1]["office:value"], "0")
    }

    func testODSKeepsSpacesTabsAndLineBreaks() throws {
        let texts = ["two  spaces", " leading", "trailing ", "tab\there", "line\nbreak", "a & <b>", "nul\u{00}"]
        let t = Table(name: "t", columns: [Column(name: "note", data: .text(codes: (0..<Int32(texts.count)).map { $0 }, dictionary: texts))])
        let (zip, _) = try entries(try WorkbookWriter.write(t, headers: ["note"], sheetName: "S", as: .ods, fileName: "x.ods"))
        let content = parse(try zip.read("content.xml"), "content.xml")
        let cells = content.all("table:table-row").dropFirst().map { $0.children[0] }
        /// The text of a cell as LibreOffice reads it: `text:s` is spaces, paragraphs joined by LF.
        func read(_ cell: Node) -> String {
            func inline(_ n: Node) -> String {
                switch n.name {
                case "text:s": return String(repeating: " ", count: Int(n["text:c"] ?? "1")!)
                case "text:tab": return "\t"
                default: return n.text + n.children.map(inline).joined()
                }
            }
            // The tree keeps an element's text as one string (the pieces around its children
            // joined), so this reads paragraphs that hold text or children, not both mixed.
            return cell.children.filter { $0.name == "text:p" }.map(inline).joined(separator: "\n")
        }
        XCTAssertEqual(cells[1].children[0].children.map(\.name), ["text:s"], "a leading space is coded")
        XCTAssertEqual(cells[2].children[0].children.map(\.name), ["text:s"], "a trailing space is coded")
        XCTAssertEqual(cells[3].children[0].children.map(\.name), [], "a tab is written as itself")
        XCTAssertEqual(read(cells[3]), "tab\there")
        XCTAssertEqual(cells[4].children.filter { $0.name == "text:p" }.map(\.text), ["line", "break"])
        XCTAssertEqual(read(cells[5]), "a & <b>")
        XCTAssertEqual(read(cells[6]), "nul\u{2400}")
        XCTAssertEqual(cells[0].children[0].children.map(\.name), ["text:s"], "the second of two spaces is coded")
    }

    // MARK: - Numbers as the file stores them

    func testPercentFractionsMoveTheDecimalPointOfTheShownNumber() {
        let cases: [(Double, String)] = [(84.1, "0.841"), (100, "1"), (0.5, "0.005"), (-3.25, "-0.0325"), (12345.678, "123.45678"),
                                         (0, "0"), (1e-5, "1e-7"), (1e20, "1e18"), (7, "0.07"), (10, "0.1"), (99.99, "0.9999")]
        for (v, text) in cases {
            XCTAssertEqual(WorkbookWriterXML.percentFraction(v), text, "\(v)")
            XCTAssertEqual(Double(WorkbookWriterXML.percentFraction(v))!, v / 100, accuracy: abs(v) * 1e-15, "\(v)")
        }
        XCTAssertEqual(WorkbookWriterXML.number(84.1), "84.1")
        XCTAssertEqual(WorkbookWriterXML.number(3), "3")
        XCTAssertEqual(WorkbookWriterXML.number(-0.0), "0")
    }

    // MARK: - Sheet names

    func testSheetNamesFollowExcelsRules() {
        for good in ["Rates", "it's", "a", String(repeating: "x", count: 31), "Rates 2017-18", "ünï", "(a) {b} <c>", "Historic"] {
            XCTAssertNil(WorkbookWriter.sheetNameProblem(good), good)
        }
        for bad in ["", String(repeating: "x", count: 32), "a:b", "a\\b", "a/b", "a?b", "a*b", "[a", "a]", "'a", "a'", "'", "History", "HISTORY",
                    "tab\there", "line\nbreak", String(repeating: "😀", count: 16)] {
            XCTAssertNotNil(WorkbookWriter.sheetNameProblem(bad), bad)
        }
        XCTAssertEqual(WorkbookWriter.sheetNameProblem("a/b")?.message, "a sheet name cannot hold '/'")
        XCTAssertEqual(WorkbookWriter.sheetNameProblem(String(repeating: "😀", count: 16))?.message,
                       "a sheet name has at most 31 characters, and '\(String(repeating: "😀", count: 16))' has 32")
        // A bad name is refused by the writer too, not only by export's parser.
        XCTAssertThrowsError(try WorkbookWriter.write(sampleTable(), headers: [], sheetName: "a/b", as: .xlsx, fileName: "x.xlsx")) {
            XCTAssertEqual(($0 as? WorkbookError)?.message, "a sheet name cannot hold '/'")
        }
    }

    func testDefaultSheetNamesAreMadeGood() {
        XCTAssertEqual(WorkbookWriter.defaultSheetName("cdi_rates"), "cdi_rates")
        XCTAssertEqual(WorkbookWriter.defaultSheetName("rates 2017/18 [final]"), "rates 2017_18 _final_")
        XCTAssertEqual(WorkbookWriter.defaultSheetName(String(repeating: "abcdefghij", count: 5)), "abcdefghijabcdefghijabcdefghija")
        XCTAssertEqual(WorkbookWriter.defaultSheetName("'quoted'"), "quoted")
        XCTAssertEqual(WorkbookWriter.defaultSheetName("'''"), "Sheet1")
        XCTAssertEqual(WorkbookWriter.defaultSheetName(""), "Sheet1")
        XCTAssertEqual(WorkbookWriter.defaultSheetName("history"), "Sheet1")
        XCTAssertEqual(WorkbookWriter.defaultSheetName(String(repeating: "😀", count: 20)), String(repeating: "😀", count: 15))
    }

    func testWorkbookExtensions() {
        XCTAssertEqual(WorkbookWriter.format(of: "a/b.XLSX"), .xlsx)
        XCTAssertEqual(WorkbookWriter.format(of: "b.ods"), .ods)
        XCTAssertNil(WorkbookWriter.format(of: "b.xls"))
        XCTAssertNil(WorkbookWriter.format(of: "b.xlsm"))
        XCTAssertNil(WorkbookWriter.format(of: "b.csv"))
    }

    // MARK: - Limits

    func testTooManyRowsOrTooLongATextIsAnErrorNotAFile() throws {
        let rows = WorkbookWriter.maxRows  // one more than fits below the header
        let t = Table(name: "t", columns: [Column(name: "n", data: .integer([Int64](repeating: 1, count: rows)))])
        for f in [Workbook.Format.xlsx, .ods] {
            XCTAssertThrowsError(try WorkbookWriter.write(t, headers: ["n"], sheetName: "S", as: f, fileName: "x")) {
                XCTAssertEqual(($0 as? WorkbookError)?.message, "the table has 1,048,576 rows, and a sheet holds at most 1,048,575 below its header")
            }
        }
        let long = String(repeating: "é", count: WorkbookWriter.maxCellCharacters + 1)
        let text = Table(name: "t", columns: [Column(name: "note", data: .text(codes: [0, 1], dictionary: ["short", long]))])
        XCTAssertThrowsError(try WorkbookWriter.write(text, headers: ["note"], sheetName: "S", as: .xlsx, fileName: "x")) {
            let e = $0 as? WorkbookError
            XCTAssertEqual(e?.part, "cell A3 (column 'note')")
            XCTAssertEqual(e?.message, "holds 32,768 characters, and an Excel cell holds at most 32,767")
        }
        // .ods has no such limit: the whole text is kept.
        let (zip, _) = try entries(try WorkbookWriter.write(text, headers: ["note"], sheetName: "S", as: .ods, fileName: "x"))
        let content = parse(try zip.read("content.xml"), "content.xml")
        XCTAssertEqual(content.all("table:table-row")[2].allText, long)
    }

    /// Many rows: the sheet is made in blocks (measured, then made again); every row arrives once
    /// and in order, across block boundaries.
    func testManyRowsArriveWholeAndInOrder() throws {
        let n = WorkbookWriter.rowsPerBlock * 3 + 7
        let t = Table(name: "t", columns: [
            Column(name: "i", data: .integer((0..<Int64(n)).map { $0 })),
            Column(name: "label", data: .text(codes: (0..<Int32(n)).map { $0 % 3 }, dictionary: ["a", "b", "c"]),
                   missing: MissingMask((0..<n).map { $0 % 5 == 0 })),
        ])
        let (_, cells, _) = try readXLSX(try WorkbookWriter.write(t, headers: ["i", "label"], sheetName: "S", as: .xlsx, fileName: "x"))
        let numbers = cells.filter { $0.ref.hasPrefix("A") }.dropFirst()
        XCTAssertEqual(numbers.map(\.value), (0..<n).map(String.init))
        XCTAssertEqual(numbers.map(\.ref), (0..<n).map { "A\($0 + 2)" })
        let labels = cells.filter { $0.ref.hasPrefix("B") }.dropFirst()
        XCTAssertEqual(labels.map(\.ref), (0..<n).filter { $0 % 5 != 0 }.map { "B\($0 + 2)" })
        XCTAssertEqual(labels.map(\.value), (0..<n).filter { $0 % 5 != 0 }.map { ["a", "b", "c"][$0 % 3] })
        let (zip, _) = try entries(try WorkbookWriter.write(t, headers: ["i", "label"], sheetName: "S", as: .ods, fileName: "x"))
        let rows = parse(try zip.read("content.xml"), "content.xml").all("table:table-row").dropFirst()
        XCTAssertEqual(rows.map { $0.children[0]["office:value"]! }, (0..<n).map(String.init))
    }

    // MARK: - export

    func context() throws -> EvalContext {
        EvalContext(catalog: try Catalog(directory: SessionTests.datasets), commands: CommandRegistry.standard, state: SessionState())
    }

    /// A chart (text) given to `export "….xlsx"` is refused with words that say why, and an
    /// existing file keeps its bytes; a table is written and replaces it.
    func testExportRefusesTextForAWorkbookAndWritesATable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peel-wb-export-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("book.xlsx").path
        try Data("old bytes".utf8).write(to: URL(fileURLWithPath: path))
        let range = SourceRange(7, 20)
        let export = ExportCommand(path: (path, range), format: nil, append: false, sheet: ("Rates", SourceRange(27, 34)))
        XCTAssertThrowsError(try export.run(.text("bars: ▇▇▇\n"), try context())) {
            let d = ($0 as? DiagnosticConvertible)?.diagnostic
            XCTAssertEqual(d?.message, "a workbook holds a table, and this result is text (a chart is text)")
            XCTAssertEqual(d?.range, range)
            XCTAssertEqual(d?.help?.hasPrefix("export it to .txt or .md"), true)
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old bytes")
        let out = try export.run(.table(sampleTable(), format: .markdown), try context())
        guard case .text(let message) = out else { return XCTFail("\(out)") }
        XCTAssertEqual(message, "wrote 3 rows to \(path) (xlsx, sheet 'Rates')")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let (sheet, cells, _) = try readXLSX(bytes)
        XCTAssertEqual(sheet, "Rates")
        XCTAssertEqual(cells.first { $0.ref == "D2" }?.value, "0.841", "a workbook, not the Markdown `| format` chose")
        XCTAssertEqual(cells.first { $0.ref == "D1" }?.value, "share (%)", "headers as CSV writes them")
    }

    /// A table a workbook cannot hold is an error at the file's name, and the old file stays.
    func testExportOfATooLongTextKeepsTheOldFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peel-wb-export-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("book.xlsx").path
        try Data("old bytes".utf8).write(to: URL(fileURLWithPath: path))
        let long = String(repeating: "x", count: WorkbookWriter.maxCellCharacters + 1)
        let t = Table(name: "notes", columns: [Column(name: "note", data: .text(codes: [0], dictionary: [long]))])
        let range = SourceRange(3, 9)
        XCTAssertThrowsError(try ExportCommand(path: (path, range), format: nil, append: false).run(.table(t), try context())) {
            let d = ($0 as? DiagnosticConvertible)?.diagnostic
            XCTAssertEqual(d?.message, "cannot write '\(path)': cell A2 (column 'note') holds 32,768 characters, and an Excel cell holds at most 32,767")
            XCTAssertEqual(d?.range, range)
            XCTAssertEqual(d?.help, "export to .ods or .csv, which keep the whole text; the file was not touched")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old bytes")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["book.xlsx"], "no temporary file is left")
    }

    /// export's parser: a workbook's name takes `sheet NAME`; the rest of a workbook's rules are
    /// checked before anything runs.
    func testExportParsesSheetNames() throws {
        func parse(_ text: String) throws -> ExportCommand? {
            let statements = try Parser.parse(SourceText(name: "t", text: text), registry: .standard)
            return statements.first?.steps.last?.step as? ExportCommand
        }
        let e = try XCTUnwrap(try parse("cdi_rates | export \"r.xlsx\" sheet \"Rates 2018\""))
        XCTAssertEqual(e.sheet?.0, "Rates 2018")
        XCTAssertEqual(e.dump, "export \"r.xlsx\" sheet \"Rates 2018\"")
        XCTAssertEqual(try parse("cdi_rates | export \"r.ods\" sheet Rates")?.sheet?.0, "Rates")
        XCTAssertNil(try parse("cdi_rates | export \"r.ods\"")?.sheet)
        for (text, message) in [
            ("cdi_rates | export \"r.xlsx\" sheet \"a*b\"", "a sheet name cannot hold '*'"),
            ("cdi_rates | export \"r.xlsx\" append", "append cannot add to a workbook: a .xlsx file is written whole, one sheet, replacing the file"),
            ("cdi_rates | export \"r.ods\" as json", "a .ods file is always written as a workbook, not as json"),
            ("cdi_rates | export \"r.csv\" sheet Rates", "sheet names a sheet of a workbook, and 'r.csv' is not one"),
            ("cdi_rates | export \"r.xls\"", "export cannot write '.xls' files: the workbooks it writes are .xlsx and .ods"),
        ] {
            XCTAssertThrowsError(try parse(text), text) {
                XCTAssertEqual(($0 as? DiagnosticConvertible)?.diagnostic.message, message, text)
            }
        }
    }
}
