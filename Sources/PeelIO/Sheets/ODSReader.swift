import PeelData
import PeelSupport

/// Reads an OpenDocument spreadsheet (.ods) into a `Workbook`: every `table:table` of
/// content.xml in order, named as stored, hidden when its table style says `table:display="false"`,
/// with typed cells (`office:value-type`), text from its paragraphs, and merged areas
/// (`table:number-columns-spanned`, `table:number-rows-spanned`).
///
/// Repeated rows and cells (`table:number-rows-repeated`, `table:number-columns-repeated`) cost
/// nothing while they are empty: trailing empty rows and cells are dropped, and an empty block is
/// only built when content follows it. Content past row `Limits.maxRows` or column 16,384 is
/// refused, and so is a file whose repeated content would take more memory than the budget
/// (`XMLSheetSupport.Budget`).
package enum ODSReader {
    package static func read(_ zip: ZipFile, fileName: String) throws -> Workbook {
        try read(zip, fileName: fileName, memoryBudget: Limits.maxDecompressedBytes)
    }

    /// `read`, with the memory its cells may take (`XMLSheetSupport.Budget`) as given.
    static func read(_ zip: ZipFile, fileName: String, memoryBudget: Int) throws -> Workbook {
        try XMLSheetSupport.reading(fileName, as: "an OpenDocument spreadsheet") {
            var reader = ODSContentReader(zip: zip, file: fileName, memoryBudget: memoryBudget)
            return try reader.read()
        }
    }
}

/// Styles that matter to cells: which table styles hide their sheet, and how many decimals a cell
/// style's data style shows.
private struct ODSStyles {
    struct CellStyle {
        var dataStyle: String?
        var parent: String?
    }

    struct DataStyle {
        var decimals: Int?
        /// `style:map` targets: the styles for other conditions (LibreOffice's positive part).
        var maps: [String] = []
    }

    var hiddenTables: Set<String> = []
    var cellStyles: [String: CellStyle] = [:]
    var dataStyles: [String: DataStyle] = [:]
    var cache: [String: Int?] = [:]

    /// The decimals the data style of cell style `name` shows (nil: unknown, or General).
    mutating func decimals(_ name: String) -> Int? {
        if let d = cache[name] { return d }
        var d: Int?
        var style: String? = name
        var steps = 0
        var data: String?
        while let s = style, steps < 32 {
            guard let c = cellStyles[s] else { break }
            if let ds = c.dataStyle { data = ds; break }
            style = c.parent
            steps += 1
        }
        var seen = 0
        while let ds = data, seen < 8, let found = dataStyles[ds] {
            if let k = found.decimals { d = k; break }
            data = found.maps.first
            seen += 1
        }
        cache[name] = d
        return d
    }

    /// Reads a style element just started (`style:style` or a `number:*-style`), through its end.
    mutating func read(_ s: inout XMLScanner) throws(WorkbookError) {
        if s.isName("style:style") {
            guard let name = s.attribute("style:name") else { try s.skipElement(); return }
            let family = s.attribute("style:family")
            if family == "table-cell" {
                cellStyles[name] = CellStyle(dataStyle: s.attribute("style:data-style-name"), parent: s.attribute("style:parent-style-name"))
                try s.skipElement()
            } else if family == "table" {
                let depth = s.depth
                while s.depth >= depth {
                    let ev = try s.next()
                    if ev == .eof { return }
                    if ev == .start, s.isName("style:table-properties"), s.attributeEquals("table:display", "false") {
                        hiddenTables.insert(name)
                    }
                }
            } else {
                try s.skipElement()
            }
            return
        }
        // A data style: number, percentage, currency, date, time, boolean or text.
        guard let name = s.attribute("style:name") else { try s.skipElement(); return }
        var style = DataStyle()
        let depth = s.depth
        while s.depth >= depth {
            let ev = try s.next()
            if ev == .eof { break }
            guard ev == .start else { continue }
            if s.isName("number:number") || s.isName("number:scientific-number") {
                if style.decimals == nil, let k = s.attributeIndex("number:decimal-places") {
                    style.decimals = s.withAttribute(k) { XMLSheetSupport.count($0) }.map { min($0, 30) }
                }
            } else if s.isName("style:map"), let target = s.attribute("style:apply-style-name") {
                style.maps.append(target)
            }
        }
        dataStyles[name] = style
    }

    static func isDataStyle(_ s: XMLScanner) -> Bool {
        s.isName("number:number-style") || s.isName("number:percentage-style") || s.isName("number:currency-style")
            || s.isName("number:date-style") || s.isName("number:time-style") || s.isName("number:boolean-style")
            || s.isName("number:text-style")
    }
}

private struct ODSContentReader {
    let zip: ZipFile
    let file: String
    var styles = ODSStyles()
    var budget: XMLSheetSupport.Budget

    init(zip: ZipFile, file: String, memoryBudget: Int) {
        self.zip = zip
        self.file = file
        budget = XMLSheetSupport.Budget(remaining: memoryBudget, file: file)
    }

    func scan<R>(_ path: String, _ body: (inout XMLScanner) throws -> R) throws -> R {
        let bytes = try zip.read(path)
        return try bytes.withUnsafeBufferPointer { buf in
            var scanner = try XMLScanner(buf, file: file, part: path)
            return try body(&scanner)
        }
    }

    mutating func read() throws -> Workbook {
        guard zip.contains("content.xml") else {
            throw WorkbookError(file: file, "has no content.xml, so it is not an OpenDocument spreadsheet (.ods)",
                                help: "if it opens in a spreadsheet program, save it again as .ods or export the sheet as CSV")
        }
        if zip.contains("styles.xml") {
            var styles = self.styles
            // Only the common styles: styles.xml's automatic styles belong to its page layouts.
            try scan("styles.xml") { s in
                var inStyles = false
                while true {
                    let ev = try s.next()
                    if ev == .eof { break }
                    if ev == .start {
                        if s.isName("office:styles") {
                            inStyles = true
                        } else if inStyles && (s.isName("style:style") || ODSStyles.isDataStyle(s)) {
                            try styles.read(&s)
                        } else if s.isName("office:automatic-styles") || s.isName("office:master-styles") {
                            try s.skipElement()
                        }
                    } else if ev == .end, s.isName("office:styles") {
                        inStyles = false
                    }
                }
            }
            self.styles = styles
        }
        var sheets: [Sheet] = []
        var styles = self.styles
        var budget = self.budget
        let file = self.file
        let interrupted = zip.isInterrupted
        try scan("content.xml") { s in
            var inAutomatic = false
            while true {
                let ev = try s.next()
                if ev == .eof { break }
                if ev == .start {
                    if s.isName("table:table") {
                        var table = ODSTable(file: file, interrupted: interrupted)
                        try table.read(&s, styles: &styles, budget: &budget)
                        sheets.append(table.sheet)
                    } else if s.isName("office:automatic-styles") {
                        inAutomatic = true
                    } else if inAutomatic && (s.isName("style:style") || ODSStyles.isDataStyle(s)) {
                        try styles.read(&s)
                    } else if s.isName("office:font-face-decls") || s.isName("office:scripts") || s.isName("table:named-expressions")
                        || s.isName("table:database-ranges") || s.isName("table:content-validations") {
                        try s.skipElement()
                    }
                } else if ev == .end, s.isName("office:automatic-styles") {
                    inAutomatic = false
                }
            }
        }
        return Workbook(format: .ods, sheets: sheets)
    }
}

/// One `table:table` as it is read.
private struct ODSTable {
    let file: String
    let interrupted: () -> Bool
    var name = ""
    var hidden = false
    var rows: [[SheetCell]] = []
    var merges: [CellRange] = []
    /// Empty rows read since the last row kept: built only if a row with content follows.
    var pendingRows = 0
    /// Default cell styles of the columns: (first column past the interval, style).
    var columnStyles: [(end: Int, style: String?)] = []
    var columnsSeen = 0

    init(file: String, interrupted: @escaping () -> Bool) {
        self.file = file
        self.interrupted = interrupted
    }

    var sheet: Sheet { Sheet(name: name, hidden: hidden, rows: rows, merges: merges) }

    static func add(_ a: Int, _ b: Int) -> Int {
        let (s, o) = a.addingReportingOverflow(b)
        return o ? Int.max : s
    }

    /// A repeat count: at least 1, saturating.
    static func repeats(_ s: inout XMLScanner, _ attribute: StaticString) -> Int {
        guard let k = s.attributeIndex(attribute) else { return 1 }
        return max(1, s.withAttribute(k) { XMLSheetSupport.count($0) } ?? 1)
    }

    func columnStyle(_ column: Int) -> String? {
        var lo = 0, hi = columnStyles.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if columnStyles[mid].end <= column { lo = mid + 1 } else { hi = mid }
        }
        return lo < columnStyles.count ? columnStyles[lo].style : nil
    }

    mutating func read(_ s: inout XMLScanner, styles: inout ODSStyles, budget: inout XMLSheetSupport.Budget) throws(WorkbookError) {
        name = s.attribute("table:name") ?? ""
        if let style = s.attribute("table:style-name") { hidden = styles.hiddenTables.contains(style) }
        let tableDepth = s.depth
        var rowCount = 0
        while true {
            let ev = try s.next()
            if ev == .eof { return }
            if ev == .end {
                if s.depth < tableDepth { return }
                continue
            }
            guard ev == .start else { continue }
            if s.isName("table:table-row") {
                try readRow(&s, styles: &styles, budget: &budget)
                rowCount += 1
                if rowCount & 0xFFF == 0, interrupted() {
                    throw WorkbookError(file: file, "was not read: interrupted")
                }
            } else if s.isName("table:table-column") {
                let n = Self.repeats(&s, "table:number-columns-repeated")
                let style = s.attribute("table:default-cell-style-name")
                if columnsSeen < XMLSheetSupport.maxColumns {
                    columnsSeen = Self.add(columnsSeen, n)
                    columnStyles.append((end: columnsSeen, style: style))
                }
            } else if s.isName("table:table-row-group") || s.isName("table:table-header-rows") || s.isName("table:table-rows")
                || s.isName("table:table-column-group") || s.isName("table:table-header-columns") || s.isName("table:table-columns") {
                continue  // containers: their rows and columns are read as they come
            } else {
                try s.skipElement()  // shapes, forms, scenarios, a nested table
            }
        }
    }

    enum ValueType { case none, float, percentage, currency, date, time, boolean, string }

    mutating func readRow(_ s: inout XMLScanner, styles: inout ODSStyles, budget: inout XMLSheetSupport.Budget) throws(WorkbookError) {
        let rowRepeat = Self.repeats(&s, "table:number-rows-repeated")
        let rowStyle = s.attribute("table:default-cell-style-name")
        let rowDepth = s.depth
        var cells: [SheetCell] = []
        var pendingCells = 0
        var rowMerges: [(column: Int, columns: Int, rows: Int)] = []
        let r0 = Self.add(rows.count, pendingRows)
        var text: [UInt8] = []

        while true {
            let ev = try s.next()
            if ev == .eof { return }
            if ev == .end {
                if s.depth < rowDepth { break }
                continue
            }
            guard ev == .start else { continue }
            let covered = s.isName("table:covered-table-cell")
            guard covered || s.isName("table:table-cell") else {
                try s.skipElement()
                continue
            }
            let n = Self.repeats(&s, "table:number-columns-repeated")
            let c0 = Self.add(cells.count, pendingCells)
            if covered {
                // Covered by a merged area: its value, if any, is hidden by the merge.
                if !s.isSelfClosing { try s.skipElement() } else { _ = try s.next() }
                pendingCells = Self.add(pendingCells, n)
                continue
            }
            var type = ValueType.none
            if let k = s.attributeIndex("office:value-type") {
                type = s.withAttribute(k) { b -> ValueType in
                    switch b.count {
                    case 4: return b[0] == UInt8(ascii: "d") ? .date : b[0] == UInt8(ascii: "t") ? .time : .none
                    case 5: return b[0] == UInt8(ascii: "f") ? .float : .none
                    case 6: return b[0] == UInt8(ascii: "s") ? .string : .none
                    case 7: return b[0] == UInt8(ascii: "b") ? .boolean : .none
                    case 8: return b[0] == UInt8(ascii: "c") ? .currency : .none
                    case 10: return b[0] == UInt8(ascii: "p") ? .percentage : .none
                    default: return .none
                    }
                }
            }
            let columnSpan = s.attributeIndex("table:number-columns-spanned").flatMap { k in s.withAttribute(k) { XMLSheetSupport.count($0) } } ?? 1
            let rowSpan = s.attributeIndex("table:number-rows-spanned").flatMap { k in s.withAttribute(k) { XMLSheetSupport.count($0) } } ?? 1
            let merged = columnSpan > 1 || rowSpan > 1

            if type == .none && s.isSelfClosing && !merged {
                _ = try s.next()  // its end
                pendingCells = Self.add(pendingCells, n)
                continue
            }

            // The value, from the attributes (they are gone once the scanner moves on).
            var value: SheetCell = .empty
            let isError = s.attributeEquals("calcext:value-type", "error")
            switch type {
            case .float, .percentage, .currency:
                if let k = s.attributeIndex("office:value"), let v = s.withAttribute(k, { XMLSheetSupport.double($0) }) {
                    let styleName = s.attribute("table:style-name") ?? rowStyle ?? columnStyle(c0)
                    let decimals = styleName.flatMap { styles.decimals($0) }
                    value = type == .percentage ? .percent(v, decimals: decimals) : .number(v, decimals: decimals)
                }
            case .date:
                if let k = s.attributeIndex("office:date-value") {
                    value = s.withAttribute(k) { XMLSheetSupport.isoDateTime($0) } ?? .empty
                }
            case .time:
                if let k = s.attributeIndex("office:time-value") {
                    value = s.withAttribute(k) { Self.duration($0) } ?? .empty
                }
            case .boolean:
                if let v = s.attribute("office:boolean-value") {
                    value = v == "true" || v == "1" ? .bool(true) : v == "false" || v == "0" ? .bool(false) : .text(v)
                }
            case .string:
                if let v = s.attribute("office:string-value"), !v.isEmpty { value = .text(v) }
            case .none:
                break
            }

            // The paragraphs: the text a reader sees, and the value itself for a string.
            text.removeAll(keepingCapacity: true)
            if !s.isSelfClosing {
                try readParagraphs(&s, into: &text, budget: &budget)
            } else {
                _ = try s.next()
            }
            if isError {
                value = .error(text.isEmpty ? "#VALUE!" : String(decoding: text, as: UTF8.self))
            } else if case .empty = value, !text.isEmpty {
                // A string, or a value the attributes did not give: the text as shown.
                value = .text(String(decoding: text, as: UTF8.self))
            }

            if case .empty = value, !merged {
                pendingCells = Self.add(pendingCells, n)
                continue
            }
            let last = Self.add(Self.add(c0, n - 1), columnSpan - 1)
            if last >= XMLSheetSupport.maxColumns {
                throw XMLSheetSupport.tooManyColumns(file: file, sheet: name, row: r0, column: last)
            }
            try budget.charge((pendingCells + n) * XMLSheetSupport.cellBytes, sheet: name)
            if pendingCells > 0 { cells.append(contentsOf: repeatElement(.empty, count: pendingCells)) }
            pendingCells = 0
            if n == 1 { cells.append(value) } else { cells.append(contentsOf: repeatElement(value, count: n)) }
            if merged {
                for k in 0..<n { rowMerges.append((column: c0 + k, columns: columnSpan, rows: rowSpan)) }
            }
        }

        // Trailing empty cells are dropped; an empty row waits to see if content follows it.
        while let last = cells.last, case .empty = last { cells.removeLast() }
        if cells.isEmpty && rowMerges.isEmpty {
            pendingRows = Self.add(pendingRows, rowRepeat)
            return
        }
        let lastRow = Self.add(r0, rowRepeat - 1)
        let maxSpan = rowMerges.map(\.rows).max() ?? 1
        if lastRow >= XMLSheetSupport.maxRows || Self.add(lastRow, maxSpan - 1) >= XMLSheetSupport.maxRows {
            throw XMLSheetSupport.tooManyRows(file: file, sheet: name, row: lastRow >= XMLSheetSupport.maxRows ? lastRow : Self.add(lastRow, maxSpan - 1))
        }
        try budget.charge((pendingRows + rowRepeat) * XMLSheetSupport.rowBytes + rowMerges.count * rowRepeat * XMLSheetSupport.mergeBytes, sheet: name)
        if pendingRows > 0 { rows.append(contentsOf: repeatElement([], count: pendingRows)) }
        pendingRows = 0
        // Repeated rows share one array of cells.
        if rowRepeat == 1 { rows.append(cells) } else { rows.append(contentsOf: repeatElement(cells, count: rowRepeat)) }
        for k in 0..<rowRepeat {
            for m in rowMerges {
                merges.append(CellRange(firstRow: r0 + k, firstColumn: m.column, lastRow: r0 + k + m.rows - 1, lastColumn: m.column + m.columns - 1))
            }
        }
    }

    /// The paragraphs of the cell just started, through its end: `text:p` (and `text:h`, also
    /// inside lists) joined by line ends, with `text:s` spaces, tabs and line breaks; notes,
    /// annotations and drawings left out.
    func readParagraphs(_ s: inout XMLScanner, into text: inout [UInt8], budget: inout XMLSheetSupport.Budget) throws(WorkbookError) {
        let cellDepth = s.depth
        var paragraphs = 0, open = 0
        while true {
            let ev = try s.next()
            switch ev {
            case .eof:
                return
            case .end:
                if s.depth < cellDepth { return }
                if s.isName("text:p") || s.isName("text:h") { open -= 1 }
            case .text:
                if open > 0 { s.appendText(to: &text) }
            case .start:
                if s.isName("text:p") || s.isName("text:h") {
                    if paragraphs > 0 { text.append(0x0A) }
                    paragraphs += 1
                    open += 1
                } else if open == 0 {
                    // Around the paragraphs: lists hold more of them; annotations, drawings and
                    // anything else are not the cell's text.
                    if !(s.isName("text:list") || s.isName("text:list-item") || s.isName("text:list-header") || s.isName("text:section")) {
                        try s.skipElement()
                    }
                } else if s.isName("text:s") {
                    let n = Self.repeats(&s, "text:c")
                    if n > 1 { try budget.charge(n, sheet: name) }
                    text.append(contentsOf: repeatElement(0x20, count: n))
                } else if s.isName("text:tab") {
                    text.append(0x09)
                } else if s.isName("text:line-break") {
                    text.append(0x0A)
                } else if s.isName("office:annotation") || s.isName("text:note") || s.isName("text:ruby-text") || s.hasPrefix("draw") {
                    try s.skipElement()
                }
            }
        }
    }

    /// An ISO 8601 duration as `office:time-value` stores it (`PT12H30M00S`), as text (`12:30`).
    static func duration(_ b: UnsafeBufferPointer<UInt8>) -> SheetCell? {
        var i = 0
        var negative = false
        if i < b.count, b[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        guard i < b.count, b[i] == UInt8(ascii: "P") else { return nil }
        i += 1
        var total = 0.0, number = 0.0, inTime = false, digits = 0, fraction = 0.0, scale = 1.0, inFraction = false
        while i < b.count {
            let c = b[i]
            if c >= 48 && c <= 57 {
                if inFraction { scale /= 10; fraction += Double(c - 48) * scale } else { number = number * 10 + Double(c - 48) }
                digits += 1
                if number > 1e9 { return nil }
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: ",") {
                inFraction = true
            } else {
                let v = number + fraction
                switch c {
                case UInt8(ascii: "T"): inTime = true
                case UInt8(ascii: "D") where !inTime: total += v * 86_400
                case UInt8(ascii: "H") where inTime: total += v * 3600
                case UInt8(ascii: "M") where inTime: total += v * 60
                case UInt8(ascii: "S") where inTime: total += v
                default: return nil
                }
                number = 0; fraction = 0; scale = 1; inFraction = false
            }
            i += 1
        }
        guard digits > 0, total < 1e11 else { return nil }
        let seconds = Int(total.rounded())
        return .text(XMLSheetSupport.timeText(seconds: negative ? -seconds : seconds, showSeconds: false))
    }
}
