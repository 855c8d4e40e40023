import PeelData
import PeelSupport

/// Reads an Office Open XML workbook (.xlsx, .xlsm) into a `Workbook`: every sheet in the order
/// the workbook lists them, named exactly as stored, hidden or not, with typed cells (a formula's
/// cached value) and merged areas. Chart, dialog and macro sheets are listed with no cells.
///
/// Only the cells the file holds are built: a `<dimension>` claim costs nothing, and a cell
/// beyond row `Limits.maxRows` or column XFD is refused, as is a file whose cells would take more
/// memory than the budget (`XMLSheetSupport.Budget`).
package enum XLSXReader {
    package static func read(_ zip: ZipFile, fileName: String) throws -> Workbook {
        try read(zip, fileName: fileName, memoryBudget: Limits.maxDecompressedBytes)
    }

    /// `read`, with the memory its cells may take (`XMLSheetSupport.Budget`) as given.
    static func read(_ zip: ZipFile, fileName: String, memoryBudget: Int) throws -> Workbook {
        try XMLSheetSupport.reading(fileName, as: "an Excel workbook") {
            var reader = Reader(zip: zip, file: fileName, memoryBudget: memoryBudget)
            return try reader.read()
        }
    }
}

private struct Reader {
    let zip: ZipFile
    let file: String
    /// Entry paths by their lower-cased form, for parts named with other capitals than the
    /// relationships say.
    let lowered: [String: String]
    var budget: XMLSheetSupport.Budget
    var sharedStrings: [String] = []
    var formats: [XLSXNumberFormat] = []
    var date1904 = false

    init(zip: ZipFile, file: String, memoryBudget: Int) {
        self.zip = zip
        self.file = file
        var lowered: [String: String] = [:]
        for e in zip.entries { lowered[e.path.lowercased()] = lowered[e.path.lowercased()] ?? e.path }
        self.lowered = lowered
        budget = XMLSheetSupport.Budget(remaining: memoryBudget, file: file)
    }

    /// The archive's name for `path`, matched exactly, then ignoring case.
    func entry(_ path: String) -> String? {
        if zip.contains(path) { return path }
        return lowered[path.lowercased()]
    }

    /// Scans the part `path` with `body`.
    func scan<R>(_ path: String, _ body: (inout XMLScanner) throws -> R) throws -> R {
        let bytes = try zip.read(path)
        return try bytes.withUnsafeBufferPointer { buf in
            var scanner = try XMLScanner(buf, file: file, part: path)
            return try body(&scanner)
        }
    }

    mutating func read() throws -> Workbook {
        let workbookPath = try mainPart()
        guard let workbookEntry = entry(workbookPath) else {
            if zip.contains("xl/workbook.bin") {
                throw WorkbookError(file: file, "is a binary Excel workbook (.xlsb), which peel does not read",
                                    help: "save it from Excel as .xlsx, or export the sheet as CSV")
            }
            throw WorkbookError(file: file, "has no \(workbookPath), so it is not an Excel workbook (.xlsx)",
                                help: "if it opens in a spreadsheet program, save it again as .xlsx or export the sheet as CSV")
        }
        let listed = try workbookSheets(workbookEntry)
        let folder = Self.folder(of: workbookEntry)
        let rels = try relationships(of: workbookEntry)

        if let path = rels.values.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target ?? entry(folder + "sharedStrings.xml"),
           let e = entry(path) {
            sharedStrings = try readSharedStrings(e)
        }
        if let path = rels.values.first(where: { $0.type.hasSuffix("/styles") })?.target ?? entry(folder + "styles.xml"),
           let e = entry(path) {
            formats = try readStyles(e)
        }

        var sheets: [Sheet] = []
        for s in listed {
            guard let id = s.relationship, let rel = rels[id] else {
                throw WorkbookError(file: file, part: "sheet '\(s.name)'", "is listed in \(workbookEntry) but no relationship says where its cells are",
                                    help: "the workbook is damaged; open it in a spreadsheet program and save it again")
            }
            let kind = rel.type.split(separator: "/").last.map(String.init) ?? ""
            if kind != "worksheet" && (kind.hasSuffix("sheet") || kind.hasSuffix("Sheet")) {
                // A chart sheet, dialog sheet or macro sheet.
                sheets.append(Sheet(name: s.name, hidden: s.hidden, isChart: true))
                continue
            }
            guard let part = entry(rel.target) else {
                throw WorkbookError(file: file, part: "sheet '\(s.name)'", "has no cells in the archive (its part \(rel.target) is missing)",
                                    help: "the workbook is damaged; open it in a spreadsheet program and save it again")
            }
            var sheet = try readWorksheet(part, name: s.name)
            sheet.hidden = s.hidden
            sheets.append(sheet)
        }
        return Workbook(format: .xlsx, sheets: sheets)
    }

    // MARK: Package structure

    /// The workbook part, from the package's relationships (`xl/workbook.xml` as a rule).
    func mainPart() throws -> String {
        guard let rels = entry("_rels/.rels") else { return "xl/workbook.xml" }
        let all = try parseRelationships(rels, folder: "")
        return all.values.first { $0.type.hasSuffix("/officeDocument") }?.target ?? "xl/workbook.xml"
    }

    struct ListedSheet {
        var name: String
        var hidden: Bool
        var relationship: String?
    }

    mutating func workbookSheets(_ path: String) throws -> [ListedSheet] {
        var list: [ListedSheet] = []
        var is1904 = false
        try scan(path) { s in
            var inSheets = false
            while true {
                let ev = try s.next()
                if ev == .eof { break }
                if ev == .end, s.isLocalName("sheets") { inSheets = false }
                guard ev == .start else { continue }
                if s.isLocalName("sheets") {
                    inSheets = true
                } else if inSheets && s.isLocalName("sheet") {
                    guard let n = s.attributeIndex("name") else {
                        throw s.error("a <sheet> has no name", at: s.offset)
                    }
                    let name = s.attributeValue(n)
                    let state = s.attribute("state")
                    let id = s.localAttributeIndex("id", prefixed: true).map { s.attributeValue($0) }
                    list.append(ListedSheet(name: name, hidden: state == "hidden" || state == "veryHidden", relationship: id))
                } else if s.isLocalName("workbookPr") {
                    if let v = s.attribute("date1904") { is1904 = v == "1" || v == "true" }
                }
            }
        }
        date1904 = is1904
        return list
    }

    struct Relationship {
        var type: String
        var target: String
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    /// The relationships of part `path` (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`), by id.
    func relationships(of path: String) throws -> [String: Relationship] {
        let folder = Self.folder(of: path)
        let name = path.dropFirst(folder.count)
        guard let rels = entry(folder + "_rels/" + name + ".rels") else { return [:] }
        return try parseRelationships(rels, folder: folder)
    }

    func parseRelationships(_ rels: String, folder: String) throws -> [String: Relationship] {
        var out: [String: Relationship] = [:]
        try scan(rels) { s in
            while true {
                let ev = try s.next()
                if ev == .eof { break }
                guard ev == .start, s.isLocalName("Relationship") else { continue }
                if s.attribute("TargetMode") == "External" { continue }
                guard let id = s.attribute("Id"), let target = s.attribute("Target") else { continue }
                out[id] = Relationship(type: s.attribute("Type") ?? "", target: Self.resolve(target, in: folder))
            }
        }
        return out
    }

    /// A relationship's target as an archive path: absolute (`/xl/worksheets/sheet1.xml`) or
    /// relative to the folder of the part it belongs to, with `..`, `.`, `%20` and `\` resolved.
    static func resolve(_ target: String, in folder: String) -> String {
        var t = target.replacingAll("\\", with: "/")
        if t.contains("%") { t = percentDecoded(t) }
        var parts: [Substring] = []
        let full = t.hasPrefix("/") ? t : folder + t
        for p in full.split(separator: "/", omittingEmptySubsequences: true) {
            if p == "." { continue }
            if p == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(p)
        }
        return parts.joined(separator: "/")
    }

    static func percentDecoded(_ s: String) -> String {
        let u = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count, let a = hex(u[i + 1]), let b = hex(u[i + 2]) {
                out.append(a << 4 | b)
                i += 3
            } else {
                out.append(u[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Shared strings and styles

    func readSharedStrings(_ path: String) throws -> [String] {
        var strings: [String] = []
        try scan(path) { s in
            var buf: [UInt8] = []
            var inItem = false, inText = false
            while true {
                switch try s.next() {
                case .eof:
                    return
                case .start:
                    if s.isLocalName("si") {
                        buf.removeAll(keepingCapacity: true)
                        inItem = true
                    } else if inItem && s.isLocalName("t") {
                        inText = true
                    } else if inItem && s.isLocalName("rPh") {
                        try s.skipElement()  // a phonetic reading (ruby), not part of the text
                    } else if s.isLocalName("sst"), let k = s.attributeIndex("uniqueCount") {
                        let n = s.withAttribute(k) { XMLSheetSupport.count($0) } ?? 0
                        strings.reserveCapacity(min(n, 1 << 20))
                    }
                case .text:
                    if inText { s.appendText(to: &buf) }
                case .end:
                    if s.isLocalName("t") {
                        inText = false
                    } else if s.isLocalName("si") {
                        strings.append(Self.excelString(buf))
                        inItem = false
                    }
                }
            }
        }
        return strings
    }

    /// Text as Excel stores it, with its `_xHHHH_` escapes (for characters XML cannot hold, such
    /// as a carriage return, `_x000D_`) decoded.
    static func excelString(_ b: [UInt8]) -> String {
        guard b.count >= 7, b.contains(UInt8(ascii: "_")) else { return String(decoding: b, as: UTF8.self) }
        func unit(at i: Int) -> UInt16? {
            guard i + 6 < b.count, b[i] == UInt8(ascii: "_"), b[i + 1] == UInt8(ascii: "x") || b[i + 1] == UInt8(ascii: "X"),
                  b[i + 6] == UInt8(ascii: "_") else { return nil }
            var v: UInt16 = 0
            for k in (i + 2)...(i + 5) {
                let c = b[k]
                let d: UInt16
                switch c {
                case 48...57: d = UInt16(c - 48)
                case 65...70: d = UInt16(c - 55)
                case 97...102: d = UInt16(c - 87)
                default: return nil
                }
                v = v << 4 | d
            }
            return v
        }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "_"), let u = unit(at: i) {
                var scalar: Unicode.Scalar?
                var width = 7
                if (0xD800...0xDBFF).contains(u), let low = unit(at: i + 7), (0xDC00...0xDFFF).contains(low) {
                    scalar = Unicode.Scalar(0x10000 + (UInt32(u - 0xD800) << 10) + UInt32(low - 0xDC00))
                    width = 14
                } else if u != 0 {
                    scalar = Unicode.Scalar(UInt32(u))
                }
                if let scalar {
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    i += width
                    continue
                }
            }
            out.append(b[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The number format of each cell style (`cellXfs`), in order: a cell's `s` indexes it.
    func readStyles(_ path: String) throws -> [XLSXNumberFormat] {
        var custom: [Int: XLSXNumberFormat] = [:]
        var xfs: [XLSXNumberFormat] = []
        try scan(path) { s in
            var inCellXfs = false, inNumFmts = false
            var pendingIds: [Int] = []
            while true {
                switch try s.next() {
                case .eof:
                    xfs = pendingIds.map { custom[$0] ?? XLSXNumberFormat.builtIn($0) }
                    return
                case .start:
                    if s.isLocalName("numFmts") {
                        inNumFmts = true
                    } else if inNumFmts && s.isLocalName("numFmt") {
                        guard let k = s.attributeIndex("numFmtId"), let id = s.withAttribute(k, { XMLSheetSupport.count($0) }),
                              let code = s.attribute("formatCode") else { continue }
                        custom[id] = XLSXNumberFormat.parse(code)
                    } else if s.isLocalName("cellXfs") {
                        inCellXfs = true
                    } else if inCellXfs && s.isLocalName("xf") {
                        let id = s.attributeIndex("numFmtId").flatMap { k in s.withAttribute(k) { XMLSheetSupport.count($0) } } ?? 0
                        pendingIds.append(id)
                        try s.skipElement()
                    }
                case .end:
                    if s.isLocalName("cellXfs") { inCellXfs = false }
                    if s.isLocalName("numFmts") { inNumFmts = false }
                case .text:
                    break
                }
            }
        }
        return xfs
    }

    // MARK: Worksheets

    enum CellType { case number, shared, string, inline, boolean, error, date }

    mutating func readWorksheet(_ path: String, name: String) throws -> Sheet {
        var grid = Grid()
        var merges: [CellRange] = []
        let file = self.file
        let strings = sharedStrings
        let formats = self.formats
        let date1904 = self.date1904
        var budget = self.budget
        let interrupted = zip.isInterrupted
        try scan(path) { s in
            var row = -1
            var column = -1
            var cellRow = 0, cellColumn = 0
            var type = CellType.number
            var style = 0
            var inCell = false, inValue = false, inInline = false, inInlineText = false, hasValue = false
            var value: [UInt8] = []
            var inline: [UInt8] = []
            var cells = 0
            func cellName() -> String { "cell \(CellRange.columnName(min(cellColumn, 16_383)))\(cellRow + 1) of sheet '\(name)'" }
            while true {
                switch try s.next() {
                case .eof:
                    return
                case .start:
                    if s.isLocalName("c") {
                        inCell = true
                        hasValue = false
                        value.removeAll(keepingCapacity: true)
                        inline.removeAll(keepingCapacity: true)
                        type = .number
                        style = 0
                        if let k = s.attributeIndex("r") {
                            guard let ref = s.withAttribute(k, { XMLSheetSupport.cellReference($0) }) else {
                                throw WorkbookError(file: file, part: "sheet '\(name)'", "has a cell whose reference '\(s.attributeValue(k))' is not a cell such as B7 (\(s.location()) of \(path))",
                                                    help: "the workbook is damaged; open it in a spreadsheet program and save it again")
                            }
                            (cellRow, cellColumn) = ref
                            row = ref.row
                        } else {
                            if row < 0 { row = 0 }
                            cellRow = row
                            cellColumn = column &+ 1
                        }
                        column = cellColumn
                        if cellRow >= XMLSheetSupport.maxRows { throw XMLSheetSupport.tooManyRows(file: file, sheet: name, row: cellRow) }
                        if cellColumn >= XMLSheetSupport.maxColumns {
                            throw XMLSheetSupport.tooManyColumns(file: file, sheet: name, row: cellRow, column: cellColumn)
                        }
                        if let k = s.attributeIndex("t") {
                            type = s.withAttribute(k) { b -> CellType in
                                switch b.count {
                                case 1: return b[0] == UInt8(ascii: "s") ? .shared : b[0] == UInt8(ascii: "b") ? .boolean
                                    : b[0] == UInt8(ascii: "e") ? .error : b[0] == UInt8(ascii: "d") ? .date : .number
                                case 3: return b[0] == UInt8(ascii: "s") ? .string : .number
                                case 9: return .inline
                                default: return .number
                                }
                            }
                        }
                        if let k = s.attributeIndex("s") { style = s.withAttribute(k) { XMLSheetSupport.count($0) } ?? 0 }
                    } else if inCell && s.isLocalName("v") {
                        inValue = true
                        hasValue = true
                    } else if inCell && s.isLocalName("is") {
                        inInline = true
                    } else if inInline && s.isLocalName("t") {
                        inInlineText = true
                    } else if inCell && (s.isLocalName("f") || s.isLocalName("rPh") || s.isLocalName("extLst")) {
                        try s.skipElement()
                    } else if s.isLocalName("row") {
                        if let k = s.attributeIndex("r") {
                            guard let r = s.withAttribute(k, { XMLSheetSupport.count($0) }), r >= 1 else {
                                throw WorkbookError(file: file, part: "sheet '\(name)'", "has a row numbered '\(s.attributeValue(k))' (\(s.location()) of \(path))",
                                                    help: "the workbook is damaged; open it in a spreadsheet program and save it again")
                            }
                            row = r - 1
                        } else {
                            row = row &+ 1
                        }
                        if row >= XMLSheetSupport.maxRows { throw XMLSheetSupport.tooManyRows(file: file, sheet: name, row: row) }
                        column = -1
                    } else if s.isLocalName("mergeCell") {
                        guard let k = s.attributeIndex("ref") else { continue }
                        let ref = s.attributeValue(k)
                        guard let range = CellRange.parse(ref) else {
                            throw WorkbookError(file: file, part: "sheet '\(name)'", "has a merged area '\(ref)' that is not a range of cells such as A1:C1",
                                                help: "the workbook is damaged; open it in a spreadsheet program and save it again")
                        }
                        if range.lastRow >= XMLSheetSupport.maxRows { throw XMLSheetSupport.tooManyRows(file: file, sheet: name, row: range.lastRow) }
                        try budget.charge(XMLSheetSupport.mergeBytes, sheet: name)
                        merges.append(range)
                    }
                case .text:
                    if inValue { s.appendText(to: &value) } else if inInlineText { s.appendText(to: &inline) }
                case .end:
                    if s.isLocalName("c") && inCell {
                        inCell = false
                        inInline = false
                        inInlineText = false
                        inValue = false
                        let cell: SheetCell
                        switch type {
                        case .inline:
                            cell = inline.isEmpty && hasValue ? Self.text(Self.excelString(value)) : Self.text(Self.excelString(inline))
                        case .string:
                            cell = Self.text(Self.excelString(value))
                        case _ where !hasValue:
                            cell = .empty  // a styled blank, or a formula with no cached value
                        case .shared:
                            guard let k = value.withUnsafeBufferPointer({ XMLSheetSupport.count($0) }) else {
                                throw WorkbookError(file: file, part: cellName(), "holds a shared string whose index '\(String(decoding: value, as: UTF8.self))' is not a number",
                                                    help: "the workbook is damaged; open it in a spreadsheet program and save it again")
                            }
                            guard k < strings.count else {
                                throw WorkbookError(file: file, part: cellName(), "refers to shared string \(k == Int.max ? "past the last" : String(k)), but the workbook has \(strings.count)",
                                                    help: "the workbook is damaged; open it in a spreadsheet program and save it again")
                            }
                            cell = Self.text(strings[k])
                        case .boolean:
                            let t = String(String(decoding: value, as: UTF8.self).drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
                            cell = t == "1" || t == "true" ? .bool(true) : t == "0" || t == "false" ? .bool(false) : Self.text(t)
                        case .error:
                            cell = value.isEmpty ? .empty : .error(String(decoding: value, as: UTF8.self))
                        case .date:
                            cell = value.withUnsafeBufferPointer { XMLSheetSupport.isoDateTime($0) } ?? Self.text(String(decoding: value, as: UTF8.self))
                        case .number:
                            if let v = value.withUnsafeBufferPointer({ XMLSheetSupport.double($0) }) {
                                cell = Self.number(v, style < formats.count ? formats[style] : .general, date1904: date1904)
                            } else {
                                // Not a number where one belongs: kept as the text it is, never as zero.
                                cell = Self.text(String(decoding: value, as: UTF8.self))
                            }
                        }
                        if cell != .empty {
                            try grid.set(cellRow, cellColumn, cell, budget: &budget, sheet: name)
                        }
                        cells += 1
                        if cells & 0xFFFF == 0, interrupted() { throw ZipFile.Interrupted() }
                    } else if inValue && s.isLocalName("v") {
                        inValue = false
                    } else if inInlineText && s.isLocalName("t") {
                        inInlineText = false
                    } else if inInline && s.isLocalName("is") {
                        inInline = false
                    }
                }
            }
        }
        try grid.flush(budget: &budget, sheet: name)
        self.budget = budget
        var rows = grid.rows
        while let last = rows.last, last.isEmpty { rows.removeLast() }
        return Sheet(name: name, rows: rows, merges: merges)
    }

    static func text(_ s: String) -> SheetCell { s.isEmpty ? .empty : .text(s) }

    /// A number cell as its format shows it: plain, a percentage, or a date or time.
    static func number(_ v: Double, _ format: XLSXNumberFormat, date1904: Bool) -> SheetCell {
        switch format {
        case .general: return .number(v, decimals: nil)
        case .number(let d): return .number(v, decimals: d)
        case .percent(let d): return .percent(v, decimals: d)
        case .time(let seconds, let elapsed):
            guard v.isFinite, v >= 0, v < 1e7 else { return .number(v, decimals: nil) }
            let total = Int((v * 86_400).rounded())
            return .text(XMLSheetSupport.timeText(seconds: elapsed ? total : total % 86_400, showSeconds: seconds))
        case .date(let time, let seconds):
            // Excel's last date is 9999-12-31 (serial 2,958,465); it shows nothing for earlier
            // than its epoch or later than that, and nor do we make a date of it.
            guard v.isFinite, v >= 0, v < 2_958_466 else { return .number(v, decimals: nil) }
            let total = Int((v * 86_400).rounded())
            let serial = total / 86_400, second = total % 86_400
            let label: String
            if date1904 {
                // The 1904 system: serial 0 is 1904-01-01.
                let days = Int32(serial - 24_107)
                if second == 0 { return .date(days) }
                label = CivilDate.iso(days)
            } else if serial == 60 || serial == 0 {
                // Excel's 1900 system counts a 29 February 1900 that never was (serial 60), as
                // Lotus 1-2-3 did, and shows serial 0 as 1900-01-00: kept as the text Excel shows.
                label = serial == 60 ? "1900-02-29" : "1900-01-00"
                if second == 0 { return .text(label) }
            } else {
                // Serial 1 is 1900-01-01; from serial 61 (1900-03-01) on, the fake leap day is
                // counted, so earlier serials are one day later than their count says.
                let days = Int32(serial < 60 ? serial - 25_568 : serial - 25_569)
                if second == 0 { return .date(days) }
                label = CivilDate.iso(days)
            }
            // A date with a time of day: the model has no date-time, so it is the text a reader
            // sees, `YYYY-MM-DD HH:MM` (with `:SS` when the format or the value has seconds).
            return .text(label + " " + XMLSheetSupport.timeText(seconds: second, showSeconds: seconds && time))
        }
    }
}

/// The cells of one sheet as they are read: rows in the order the file gives them, the current
/// row kept apart until the next one starts (cells out of order are put in their place).
private struct Grid {
    var rows: [[SheetCell]] = []
    var current: [SheetCell] = []
    var currentRow = -1

    mutating func set(_ r: Int, _ c: Int, _ v: SheetCell, budget: inout XMLSheetSupport.Budget, sheet: String) throws(WorkbookError) {
        if r != currentRow {
            try flush(budget: &budget, sheet: sheet)
            currentRow = r
            if r < rows.count {
                current = rows[r]
                rows[r] = []
            }
        }
        if c < current.count {
            current[c] = v
        } else {
            let pad = c - current.count
            try budget.charge((pad + 1) * XMLSheetSupport.cellBytes, sheet: sheet)
            if pad > 0 { current.append(contentsOf: repeatElement(.empty, count: pad)) }
            current.append(v)
        }
    }

    mutating func flush(budget: inout XMLSheetSupport.Budget, sheet: String) throws(WorkbookError) {
        guard currentRow >= 0 else { return }
        if currentRow < rows.count {
            rows[currentRow] = current
        } else if !current.isEmpty {
            let pad = currentRow - rows.count
            try budget.charge((pad + 1) * XMLSheetSupport.rowBytes, sheet: sheet)
            if pad > 0 { rows.append(contentsOf: repeatElement([], count: pad)) }
            rows.append(current)
        }
        current = []
        currentRow = -1
    }
}

extension String {
    fileprivate func replacingAll(_ a: Character, with b: String) -> String {
        guard contains(a) else { return self }
        return split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
