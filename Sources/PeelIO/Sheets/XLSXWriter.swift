import PeelSupport
import PeelData

/// An Office Open XML workbook (.xlsx) of one sheet: `[Content_Types].xml`, `_rels/.rels`,
/// `xl/workbook.xml` and its relationships, `xl/styles.xml` (a number format for each number of
/// decimals used, percent with its decimals, and yyyy-mm-dd), `xl/sharedStrings.xml` (every
/// distinct text once) and `xl/worksheets/sheet1.xml`. The header row is bold and frozen.
package enum XLSXWriter {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// Days from 1899-12-30 (day 0 of Excel's 1900 date system, for dates from 1 March 1900) to 1970-01-01.
    static let serialOf1970: Int = 25_569
    /// 1900-03-01, the first date whose serial number is right in Excel (it counts a 29 February 1900
    /// that never was); earlier dates are written as text.
    static let firstSerial = 61
    /// 9999-12-31, Excel's last date.
    static let lastSerial = 2_958_465

    /// The number formats and cell styles the sheet uses.
    struct Styles {
        /// `cellXfs` index for a number with d decimals (index d), or 0 when unused.
        var number = [Int](repeating: 0, count: WorkbookWriter.maxDecimals + 1)
        var percent = [Int](repeating: 0, count: WorkbookWriter.maxDecimals + 1)
        var date = 0
        /// The format codes, in `numFmtId` order from 164; `cellXfs` 2... use them in the same order.
        var codes: [String] = []

        static let header = 1

        init(_ plan: WorkbookWriterPlan) {
            var numbers = Set<Int>(), percents = Set<Int>(), dates = false
            for c in plan.columns {
                switch c.kind {
                case .integer, .decimal:
                    if c.isPercent { percents.formUnion(c.decimalsUsed) } else { numbers.formUnion(c.decimalsUsed) }
                case .date: dates = true
                case .text: break
                }
            }
            func zeros(_ d: Int) -> String { d == 0 ? "0" : "0." + String(repeating: "0", count: d) }
            for d in numbers.sorted() {
                codes.append(zeros(d))
                number[d] = codes.count + 1
            }
            for d in percents.sorted() {
                codes.append(zeros(d) + "%")
                percent[d] = codes.count + 1
            }
            if dates {
                codes.append("yyyy-mm-dd")
                date = codes.count + 1
            }
        }
    }

    package static func write(_ plan: WorkbookWriterPlan, sheetName: String, fileName: String) throws -> [UInt8] {
        let styles = Styles(plan)
        let strings = try SharedStrings(plan, fileName: fileName)
        var parts: [WorkbookWriterZip.Part] = []
        parts.append(.init("[Content_Types].xml", .bytes(contentTypes())))
        parts.append(.init("_rels/.rels", .bytes(rootRelationships())))
        parts.append(.init("xl/workbook.xml", .bytes(workbook(sheetName: sheetName))))
        parts.append(.init("xl/_rels/workbook.xml.rels", .bytes(workbookRelationships())))
        parts.append(.init("xl/styles.xml", .bytes(stylesXML(styles))))
        parts.append(.init("xl/sharedStrings.xml", .bytes(strings.xml)))
        let blocks = (plan.rowCount + WorkbookWriter.rowsPerBlock - 1) / WorkbookWriter.rowsPerBlock
        let widths = plan.widths()
        let columnNames = plan.columns.indices.map { Array(CellRange.columnName($0).utf8) }
        parts.append(.init("xl/worksheets/sheet1.xml", .pieces(count: blocks + 2) { k, out in
            if k == 0 {
                head(plan, strings: strings, widths: widths, columnNames: columnNames, into: &out)
            } else if k <= blocks {
                try WorkbookWriterPlan.checkInterrupt()
                let first = (k - 1) * WorkbookWriter.rowsPerBlock
                rows(plan, first..<min(first + WorkbookWriter.rowsPerBlock, plan.rowCount), styles: styles, strings: strings,
                     columnNames: columnNames, into: &out)
            } else {
                out.append(contentsOf: "</sheetData></worksheet>".utf8)
            }
        }))
        return try WorkbookWriterZip.archive(parts, fileName: fileName)
    }

    static let declaration: StaticString = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    static func contentTypes() -> [UInt8] {
        var x = WorkbookWriterXML()
        x.raw(declaration)
        x.raw("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
        x.raw("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>")
        x.raw("<Default Extension=\"xml\" ContentType=\"application/xml\"/>")
        x.raw("<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>")
        x.raw("<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>")
        x.raw("<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>")
        x.raw("<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>")
        x.raw("</Types>")
        return x.bytes
    }

    static func rootRelationships() -> [UInt8] {
        var x = WorkbookWriterXML()
        x.raw(declaration)
        x.raw("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">")
        x.raw("<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>")
        x.raw("</Relationships>")
        return x.bytes
    }

    static func workbook(sheetName: String) -> [UInt8] {
        var x = WorkbookWriterXML()
        x.raw(declaration)
        x.raw("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">")
        x.raw("<bookViews><workbookView/></bookViews><sheets><sheet name=\"")
        x.text(sheetName, inAttribute: true)
        x.raw("\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")
        return x.bytes
    }

    static func workbookRelationships() -> [UInt8] {
        var x = WorkbookWriterXML()
        x.raw(declaration)
        x.raw("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">")
        x.raw("<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>")
        x.raw("<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>")
        x.raw("<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>")
        x.raw("</Relationships>")
        return x.bytes
    }

    static func stylesXML(_ styles: Styles) -> [UInt8] {
        var x = WorkbookWriterXML()
        x.raw(declaration)
        x.raw("<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">")
        if !styles.codes.isEmpty {
            x.raw("<numFmts count=\"")
            x.int(styles.codes.count)
            x.raw("\">")
            for (i, code) in styles.codes.enumerated() {
                x.raw("<numFmt numFmtId=\"")
                x.int(164 + i)
                x.raw("\" formatCode=\"")
                x.text(code, inAttribute: true)
                x.raw("\"/>")
            }
            x.raw("</numFmts>")
        }
        x.raw("<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>")
        x.raw("<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>")
        x.raw("<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>")
        x.raw("<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>")
        x.raw("<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>")
        x.raw("<cellXfs count=\"")
        x.int(2 + styles.codes.count)
        x.raw("\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>")
        x.raw("<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>")
        for i in styles.codes.indices {
            x.raw("<xf numFmtId=\"")
            x.int(164 + i)
            x.raw("\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>")
        }
        x.raw("</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>")
        x.raw("<dxfs count=\"0\"/><tableStyles count=\"0\"/></styleSheet>")
        return x.bytes
    }

    /// Every distinct text of the sheet once (the headers first), and each text column's map from
    /// its dictionary to that list.
    struct SharedStrings {
        var xml: [UInt8]
        /// `columns[j][code]`: the shared index of column j's dictionary entry `code` (-1 unused).
        var columns: [[Int32]]
        var headers: [Int32]

        init(_ plan: WorkbookWriterPlan, fileName: String) throws {
            var index: [String: Int32] = [:]
            var list: [String] = []
            var references = 0
            func add(_ s: String, _ place: () -> String) throws -> Int32 {
                if let i = index[s] { return i }
                let length = s.utf16.count
                if length > WorkbookWriter.maxCellCharacters {
                    throw WorkbookError(file: fileName, part: place(),
                                        "holds \(NumberFormat.grouped(length)) characters, and an Excel cell holds at most \(NumberFormat.grouped(WorkbookWriter.maxCellCharacters))",
                                        help: "export to .ods or .csv, which keep the whole text")
                }
                guard list.count < Int(Int32.max) else {
                    throw WorkbookError(file: fileName, "the table has too many different texts")
                }
                let i = Int32(list.count)
                index[s] = i
                list.append(s)
                return i
            }
            var headers: [Int32] = []
            for (j, c) in plan.columns.enumerated() {
                headers.append(try add(c.header) { "the header of column \(CellRange.columnName(j)) ('\(c.column.name)')" })
                references += 1
            }
            var columns: [[Int32]] = []
            for (j, c) in plan.columns.enumerated() {
                guard c.kind == .text, case .text(let codes, let dictionary) = c.column.data else {
                    columns.append([])
                    continue
                }
                var map = [Int32](repeating: -1, count: dictionary.count)
                for (code, used) in c.codesUsed.enumerated() where used {
                    map[code] = try add(dictionary[code]) {
                        let row = codes.indices.first { codes[$0] == Int32(code) && !c.column.missing[$0] }.map { $0 + 2 } ?? 0
                        return "cell \(CellRange.columnName(j))\(row) (column '\(c.column.name)')"
                    }
                }
                references += plan.rowCount - c.column.missing.count(upTo: plan.rowCount)
                columns.append(map)
            }
            var x = WorkbookWriterXML()
            x.raw(XLSXWriter.declaration)
            x.raw("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"")
            x.int(references)
            x.raw("\" uniqueCount=\"")
            x.int(list.count)
            x.raw("\">")
            for s in list {
                x.raw(WorkbookWriterXML.needsPreserve(s) ? "<si><t xml:space=\"preserve\">" : "<si><t>")
                x.text(s, ooxml: true)
                x.raw("</t></si>")
            }
            x.raw("</sst>")
            self.xml = x.bytes
            self.columns = columns
            self.headers = headers
        }
    }

    /// The sheet's XML up to and including the header row.
    static func head(_ plan: WorkbookWriterPlan, strings: SharedStrings, widths: [Int], columnNames: [[UInt8]], into out: inout [UInt8]) {
        var x = WorkbookWriterXML()
        x.raw(declaration)
        x.raw("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">")
        x.raw("<dimension ref=\"A1")
        if let last = columnNames.last {
            x.raw(":")
            x.raw(last)
            x.int(plan.rowCount + 1)
        }
        x.raw("\"/>")
        x.raw("<sheetViews><sheetView workbookViewId=\"0\">")
        if plan.rowCount > 0 {
            x.raw("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/>")
        }
        x.raw("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>")
        if !widths.isEmpty {
            x.raw("<cols>")
            for (j, w) in widths.enumerated() {
                x.raw("<col min=\"")
                x.int(j + 1)
                x.raw("\" max=\"")
                x.int(j + 1)
                x.raw("\" width=\"")
                x.int(w)
                x.raw("\" customWidth=\"1\"/>")
            }
            x.raw("</cols>")
        }
        x.raw("<sheetData>")
        if !plan.columns.isEmpty {
            x.raw("<row r=\"1\">")
            for j in plan.columns.indices {
                x.raw("<c r=\"")
                x.raw(columnNames[j])
                x.raw("1\" s=\"1\" t=\"s\"><v>")
                x.int(Int(strings.headers[j]))
                x.raw("</v></c>")
            }
            x.raw("</row>")
        }
        out.append(contentsOf: x.bytes)
    }

    /// Rows `range` of the table (sheet rows `range.lowerBound + 2`…), made a column at a time.
    static func rows(_ plan: WorkbookWriterPlan, _ range: Range<Int>, styles: Styles, strings: SharedStrings,
                     columnNames: [[UInt8]], into out: inout [UInt8]) {
        var cells = WorkbookWriterCells(rows: range.count, columns: plan.columns.count)
        for (j, p) in plan.columns.enumerated() {
            let c = p.column
            let missing = c.missing
            let ref = columnNames[j]
            switch c.data {
            case .integer(let v):
                let style = p.isPercent ? styles.percent[0] : styles.number[0]
                for r in range {
                    cells.next()
                    if missing[r] { continue }
                    let n = v[r]
                    if n.magnitude > UInt64(WorkbookWriterPlan.largestExactInteger) {
                        inline(&cells.xml, ref, r + 2, String(n))
                    } else if p.isPercent {
                        number(&cells.xml, ref, r + 2, WorkbookWriterXML.percentFraction(Double(n)), style: style)
                    } else {
                        start(&cells.xml, ref, r + 2, style: style)
                        cells.xml.int(Int(n))
                        cells.xml.raw("</v></c>")
                    }
                }
            case .decimal(let v, _):
                let table = p.isPercent ? styles.percent : styles.number
                for r in range {
                    cells.next()
                    if missing[r] { continue }
                    let d = v[r]
                    if !d.isFinite {
                        inline(&cells.xml, ref, r + 2, c.formatted(r) ?? "")
                    } else {
                        let text = p.isPercent ? WorkbookWriterXML.percentFraction(d) : WorkbookWriterXML.number(d)
                        number(&cells.xml, ref, r + 2, text, style: table[WorkbookWriterPlan.decimals(c, r)])
                    }
                }
            case .date(let days):
                for r in range {
                    cells.next()
                    if missing[r] { continue }
                    let serial = Int(days[r]) + serialOf1970
                    if serial < firstSerial || serial > lastSerial {
                        inline(&cells.xml, ref, r + 2, CivilDate.iso(days[r]))
                    } else {
                        start(&cells.xml, ref, r + 2, style: styles.date)
                        cells.xml.int(serial)
                        cells.xml.raw("</v></c>")
                    }
                }
            case .text(let codes, _):
                let map = strings.columns[j]
                for r in range {
                    cells.next()
                    if missing[r] { continue }
                    let code = Int(codes[r])
                    guard code >= 0, code < map.count, map[code] >= 0 else { continue }
                    cells.xml.raw("<c r=\"")
                    cells.xml.raw(ref)
                    cells.xml.int(r + 2)
                    cells.xml.raw("\" t=\"s\"><v>")
                    cells.xml.int(Int(map[code]))
                    cells.xml.raw("</v></c>")
                }
            }
        }
        cells.next()
        let first = range.lowerBound + 2
        cells.layOut(into: &out, row: { i, o in
            WorkbookWriterXML.append("<row r=\"", to: &o)
            WorkbookWriterXML.append(first + i, to: &o)
            WorkbookWriterXML.append("\">", to: &o)
        }, end: { _, o in
            WorkbookWriterXML.append("</row>", to: &o)
        })
    }

    /// `<c r="B7" s="3"><v>` (the value and `</v></c>` follow).
    @inline(__always)
    static func start(_ x: inout WorkbookWriterXML, _ ref: [UInt8], _ row: Int, style: Int) {
        x.raw("<c r=\"")
        x.raw(ref)
        x.int(row)
        x.raw("\" s=\"")
        x.int(style)
        x.raw("\"><v>")
    }

    static func number(_ x: inout WorkbookWriterXML, _ ref: [UInt8], _ row: Int, _ text: String, style: Int) {
        start(&x, ref, row, style: style)
        x.plain(text)
        x.raw("</v></c>")
    }

    /// A text cell of its own (not shared): a whole number too large for a double, a date before
    /// 1 March 1900, `inf` or `NaN`.
    static func inline(_ x: inout WorkbookWriterXML, _ ref: [UInt8], _ row: Int, _ s: String) {
        x.raw("<c r=\"")
        x.raw(ref)
        x.int(row)
        x.raw("\" t=\"inlineStr\"><is>")
        x.raw(WorkbookWriterXML.needsPreserve(s) ? "<t xml:space=\"preserve\">" : "<t>")
        x.text(s, ooxml: true)
        x.raw("</t></is></c>")
    }
}
