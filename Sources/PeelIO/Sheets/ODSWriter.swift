import PeelSupport
import PeelData

/// An OpenDocument spreadsheet (.ods) of one sheet: `mimetype` first and stored (not compressed),
/// then `META-INF/manifest.xml`, `content.xml` (cells typed `float`, `percentage`, `date` or
/// `string`, with the data styles they use) and a minimal `styles.xml`. The header row is bold.
package enum ODSWriter {
    static let mimetype = "application/vnd.oasis.opendocument.spreadsheet"
    static let declaration: StaticString = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    static let namespaces: StaticString = " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:number=\"urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0\" xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" office:version=\"1.3\""

    /// Which data styles the sheet uses: numbers and percentages by decimals, and the date.
    struct Styles {
        var numbers: [Int] = []
        var percents: [Int] = []
        var dates = false

        init(_ plan: WorkbookWriterPlan) {
            var n = Set<Int>(), p = Set<Int>()
            for c in plan.columns {
                switch c.kind {
                case .integer, .decimal:
                    if c.isPercent { p.formUnion(c.decimalsUsed) } else { n.formUnion(c.decimalsUsed) }
                case .date: dates = true
                case .text: break
                }
            }
            numbers = n.sorted()
            percents = p.sorted()
        }
    }

    package static func write(_ plan: WorkbookWriterPlan, sheetName: String, fileName: String) throws -> [UInt8] {
        let styles = Styles(plan)
        let cells = TextCells(plan)
        let widths = plan.widths()
        let blocks = (plan.rowCount + WorkbookWriter.rowsPerBlock - 1) / WorkbookWriter.rowsPerBlock
        var parts: [WorkbookWriterZip.Part] = []
        parts.append(.init("mimetype", .bytes(Array(mimetype.utf8)), stored: true))
        parts.append(.init("META-INF/manifest.xml", .bytes(manifest())))
        parts.append(.init("styles.xml", .bytes(stylesXML())))
        parts.append(.init("content.xml", .pieces(count: blocks + 2) { k, out in
            if k == 0 {
                head(plan, styles: styles, widths: widths, sheetName: sheetName, into: &out)
            } else if k <= blocks {
                try WorkbookWriterPlan.checkInterrupt()
                let first = (k - 1) * WorkbookWriter.rowsPerBlock
                rows(plan, first..<min(first + WorkbookWriter.rowsPerBlock, plan.rowCount), cells: cells, into: &out)
            } else {
                out.append(contentsOf: "</table:table></office:spreadsheet></office:body></office:document-content>".utf8)
            }
        }))
        return try WorkbookWriterZip.archive(parts, fileName: fileName)
    }

    static func manifest() -> [UInt8] {
        var x = WorkbookWriterXML()
        x.raw(declaration)
        x.raw("<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">")
        x.raw("<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>")
        x.raw("<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>")
        x.raw("<manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>")
        x.raw("</manifest:manifest>")
        return x.bytes
    }

    static func stylesXML() -> [UInt8] {
        var x = WorkbookWriterXML()
        x.raw(declaration)
        x.raw("<office:document-styles")
        x.raw(namespaces)
        x.raw("><office:styles><style:default-style style:family=\"table-cell\"/></office:styles></office:document-styles>")
        return x.bytes
    }

    /// The cell style of a number with d decimals, a percentage, a date, the header.
    static func numberStyle(_ d: Int) -> String { "cn\(d)" }
    static func percentStyle(_ d: Int) -> String { "cp\(d)" }
    static let dateStyle = "cd"
    static let headerStyle = "ch"

    static func head(_ plan: WorkbookWriterPlan, styles: Styles, widths: [Int], sheetName: String, into out: inout [UInt8]) {
        var x = WorkbookWriterXML()
        x.raw(declaration)
        x.raw("<office:document-content")
        x.raw(namespaces)
        x.raw("><office:automatic-styles>")
        func digits(_ d: Int) {
            x.raw("<number:number number:decimal-places=\"")
            x.int(d)
            x.raw("\" number:min-decimal-places=\"")
            x.int(d)
            x.raw("\" number:min-integer-digits=\"1\"/>")
        }
        for d in styles.numbers {
            x.plain("<number:number-style style:name=\"N\(d)\">")
            digits(d)
            x.raw("</number:number-style>")
            x.plain("<style:style style:name=\"\(numberStyle(d))\" style:family=\"table-cell\" style:data-style-name=\"N\(d)\"/>")
        }
        for d in styles.percents {
            x.plain("<number:percentage-style style:name=\"P\(d)\">")
            digits(d)
            x.raw("<number:text>%</number:text></number:percentage-style>")
            x.plain("<style:style style:name=\"\(percentStyle(d))\" style:family=\"table-cell\" style:data-style-name=\"P\(d)\"/>")
        }
        if styles.dates {
            x.raw("<number:date-style style:name=\"D\"><number:year number:style=\"long\"/><number:text>-</number:text>")
            x.raw("<number:month number:style=\"long\"/><number:text>-</number:text><number:day number:style=\"long\"/></number:date-style>")
            x.plain("<style:style style:name=\"\(dateStyle)\" style:family=\"table-cell\" style:data-style-name=\"D\"/>")
        }
        x.plain("<style:style style:name=\"\(headerStyle)\" style:family=\"table-cell\"><style:text-properties fo:font-weight=\"bold\"/></style:style>")
        // One column style per width used (about 7 pixels a character at 96 to the inch).
        let distinct = Array(Set(widths)).sorted()
        for w in distinct {
            x.plain("<style:style style:name=\"co\(w)\" style:family=\"table-column\"><style:table-column-properties style:column-width=\"")
            x.plain(NumberFormat.fixed(Double(w * 7 + 5) / 96, scale: 3))
            x.raw("in\"/></style:style>")
        }
        x.raw("</office:automatic-styles><office:body><office:spreadsheet><table:table table:name=\"")
        x.text(sheetName, inAttribute: true)
        x.raw("\">")
        for w in widths {
            x.plain("<table:table-column table:style-name=\"co\(w)\"/>")
        }
        if plan.columns.isEmpty {
            // A table holds at least one column and one row.
            x.raw("<table:table-column/><table:table-row><table:table-cell/></table:table-row>")
        } else {
            x.raw("<table:table-row>")
            for c in plan.columns {
                x.plain("<table:table-cell table:style-name=\"\(headerStyle)\" office:value-type=\"string\">")
                paragraphs(&x, c.header)
                x.raw("</table:table-cell>")
            }
            x.raw("</table:table-row>")
        }
        out.append(contentsOf: x.bytes)
    }

    /// `s` as the paragraphs of a cell: `<text:p>…</text:p>`, a new one at each line break (LF, CR LF
    /// or CR); spaces that ODF readers would fold (at either end, beside a tab, or more than one
    /// together) as `<text:s/>`.
    static func paragraphs(_ x: inout WorkbookWriterXML, _ s: String) {
        x.raw("<text:p>")
        let scalars = Array(s.unicodeScalars)
        var run = ""
        func flush() {
            if !run.isEmpty { x.text(run) }
            run = ""
        }
        var i = 0
        while i < scalars.count {
            let u = scalars[i]
            switch u {
            case " ":
                var n = 1
                while i + n < scalars.count, scalars[i + n] == " " { n += 1 }
                let atStart = i == 0 || scalars[i - 1] == "\n" || scalars[i - 1] == "\r" || scalars[i - 1] == "\t"
                let atEnd = i + n == scalars.count || scalars[i + n] == "\n" || scalars[i + n] == "\r" || scalars[i + n] == "\t"
                var literal = 0
                if !atStart && !atEnd { literal = 1 }
                if literal == 1 { run.unicodeScalars.append(" ") }
                let coded = n - literal
                if coded > 0 {
                    flush()
                    if coded == 1 { x.raw("<text:s/>") } else {
                        x.raw("<text:s text:c=\"")
                        x.int(coded)
                        x.raw("\"/>")
                    }
                }
                i += n
                continue
            case "\t":
                // A tab as itself: LibreOffice and calamine keep it, while both drop <text:tab/>
                // from a cell (a reader that folds white space as ODF says sees a space).
                run.unicodeScalars.append(u)
            case "\r", "\n":
                flush()
                x.raw("</text:p><text:p>")
                if u == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
            default:
                run.unicodeScalars.append(u)
            }
            i += 1
        }
        flush()
        x.raw("</text:p>")
    }

    /// Each text column's cells made once per dictionary entry (a row's cell is then a copy).
    struct TextCells {
        var columns: [[[UInt8]]]

        init(_ plan: WorkbookWriterPlan) {
            columns = plan.columns.map { c in
                guard c.kind == .text, case .text(_, let dictionary) = c.column.data else { return [] }
                return dictionary.indices.map { code in
                    guard c.codesUsed[code] else { return [] }
                    var x = WorkbookWriterXML()
                    x.raw("<table:table-cell office:value-type=\"string\">")
                    ODSWriter.paragraphs(&x, dictionary[code])
                    x.raw("</table:table-cell>")
                    return x.bytes
                }
            }
        }
    }

    /// Rows `range` of the table, made a column at a time.
    static func rows(_ plan: WorkbookWriterPlan, _ range: Range<Int>, cells text: TextCells, into out: inout [UInt8]) {
        var cells = WorkbookWriterCells(rows: range.count, columns: plan.columns.count)
        for (j, p) in plan.columns.enumerated() {
            let c = p.column
            let missing = c.missing
            switch c.data {
            case .integer(let v):
                for r in range {
                    cells.next()
                    if missing[r] { continue }
                    let n = v[r]
                    if n.magnitude > UInt64(WorkbookWriterPlan.largestExactInteger) {
                        string(&cells.xml, String(n))
                    } else if p.isPercent {
                        value(&cells.xml, style: percentStyle(0), type: "percentage", WorkbookWriterXML.percentFraction(Double(n)), shown: String(n) + "%")
                    } else {
                        cells.xml.raw("<table:table-cell table:style-name=\"cn0\" office:value-type=\"float\" office:value=\"")
                        cells.xml.int(Int(n))
                        cells.xml.raw("\"><text:p>")
                        cells.xml.int(Int(n))
                        cells.xml.raw("</text:p></table:table-cell>")
                    }
                }
            case .decimal(let v, _):
                for r in range {
                    cells.next()
                    if missing[r] { continue }
                    let d = v[r]
                    let shown = c.formatted(r) ?? ""
                    if !d.isFinite {
                        string(&cells.xml, shown)
                    } else if p.isPercent {
                        value(&cells.xml, style: percentStyle(WorkbookWriterPlan.decimals(c, r)), type: "percentage", WorkbookWriterXML.percentFraction(d), shown: shown + "%")
                    } else {
                        value(&cells.xml, style: numberStyle(WorkbookWriterPlan.decimals(c, r)), type: "float", WorkbookWriterXML.number(d), shown: shown)
                    }
                }
            case .date(let days):
                for r in range {
                    cells.next()
                    if missing[r] { continue }
                    let iso = CivilDate.iso(days[r])
                    // xsd:date wants a four-digit year; any other is written as text.
                    let u = Array(iso.utf8)
                    if u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") {
                        cells.xml.raw("<table:table-cell table:style-name=\"cd\" office:value-type=\"date\" office:date-value=\"")
                        cells.xml.raw(u)
                        cells.xml.raw("\"><text:p>")
                        cells.xml.raw(u)
                        cells.xml.raw("</text:p></table:table-cell>")
                    } else {
                        string(&cells.xml, iso)
                    }
                }
            case .text(let codes, _):
                let made = text.columns[j]
                for r in range {
                    cells.next()
                    if missing[r] { continue }
                    let code = Int(codes[r])
                    guard code >= 0, code < made.count else { continue }
                    cells.xml.raw(made[code])
                }
            }
        }
        cells.next()
        // Empty cells are written only before a cell with a value, several as one; a row holds at
        // least one cell.
        var empties = 0
        var written = false
        cells.layOut(into: &out, row: { _, o in
            WorkbookWriterXML.append("<table:table-row>", to: &o)
            empties = 0
            written = false
        }, empty: { _, _ in
            empties += 1
        }, cell: { o in
            if empties == 1 {
                WorkbookWriterXML.append("<table:table-cell/>", to: &o)
            } else if empties > 1 {
                WorkbookWriterXML.append("<table:table-cell table:number-columns-repeated=\"", to: &o)
                WorkbookWriterXML.append(empties, to: &o)
                WorkbookWriterXML.append("\"/>", to: &o)
            }
            empties = 0
            written = true
        }, end: { _, o in
            if !written { WorkbookWriterXML.append("<table:table-cell/>", to: &o) }
            WorkbookWriterXML.append("</table:table-row>", to: &o)
        })
    }

    static func value(_ x: inout WorkbookWriterXML, style: String, type: StaticString, _ value: String, shown: String) {
        x.raw("<table:table-cell table:style-name=\"")
        x.plain(style)
        x.raw("\" office:value-type=\"")
        x.raw(type)
        x.raw("\" office:value=\"")
        x.plain(value)
        x.raw("\"><text:p>")
        x.text(shown)
        x.raw("</text:p></table:table-cell>")
    }

    static func string(_ x: inout WorkbookWriterXML, _ s: String) {
        x.raw("<table:table-cell office:value-type=\"string\">")
        paragraphs(&x, s)
        x.raw("</table:table-cell>")
    }
}
