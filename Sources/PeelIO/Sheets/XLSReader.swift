import PeelSupport
import PeelData

/// Reads a legacy Excel workbook (.xls: BIFF8, the format of Excel 97–2003) into a `Workbook`:
/// the "Workbook" stream of the compound file, its global records (sheets, shared strings, number
/// formats, the date system) and each worksheet's cell records. A formula cell holds its cached
/// value. Excel 5.0/95 (BIFF5) and older files, and encrypted workbooks, are refused with a
/// `WorkbookError`; so is anything damaged, without trapping and within bounded memory.
package enum XLSReader {
    /// Reads the bytes of an .xls file. `fileName` is how errors name it.
    package static func read(_ bytes: [UInt8], fileName: String) throws -> Workbook {
        try bytes.withUnsafeBufferPointer { try read($0, fileName: fileName) }
    }

    package static func read(_ bytes: UnsafeBufferPointer<UInt8>, fileName: String) throws -> Workbook {
        guard CompoundFile.hasSignature(bytes) else { throw notCompoundFile(bytes, fileName: fileName) }
        let container = try CompoundFile(bytes, fileName: fileName)
        guard let entry = container.rootStream(named: "Workbook") else {
            if container.rootStream(named: "Book") != nil {
                throw WorkbookError(file: fileName, "is an Excel 5.0/95 file (BIFF5); save it as .xlsx",
                                    help: "peel reads Excel 97–2003 .xls files; open this one in Excel or LibreOffice and save it as .xlsx (or export the sheet as CSV)")
            }
            if container.rootStream(named: "EncryptedPackage") != nil || container.rootStream(named: "EncryptionInfo") != nil {
                throw WorkbookError(file: fileName, "is a password-protected (encrypted) workbook, which peel cannot read",
                                    help: "open it with its password in Excel or LibreOffice and save a copy without one")
            }
            throw WorkbookError(file: fileName, "is a compound file without a Workbook stream: it is not an Excel workbook (a Word or PowerPoint file named .xls?)")
        }
        var reader = BIFF8(stream: try container.read(entry), fileName: fileName)
        return try reader.workbook()
    }

    /// The error for a file without the compound-file signature, saying what it looks like.
    static func notCompoundFile(_ bytes: UnsafeBufferPointer<UInt8>, fileName: String) -> WorkbookError {
        let head = Array(bytes.prefix(512))
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return WorkbookError(file: fileName, "is a zip archive (an .xlsx or .ods workbook?) though its name ends in .xls",
                                 help: "rename it to .xlsx (or .ods) and load it again")
        }
        // A BIFF2–4 file is a bare record stream, starting with its BOF record (0x0009, 0x0209, 0x0409).
        if head.count >= 4, head[0] == 0x09, head[1] == 0x00 || head[1] == 0x02 || head[1] == 0x04, head[3] == 0 {
            return WorkbookError(file: fileName, "is an Excel 2.x–4.0 file (BIFF2–4); save it as .xlsx",
                                 help: "peel reads Excel 97–2003 .xls files; open this one in Excel or LibreOffice and save it as .xlsx (or export the sheet as CSV)")
        }
        var text = head
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
        let start = text.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if start.first == UInt8(ascii: "<") {
            return WorkbookError(file: fileName, "is an HTML or XML file named .xls (a web page or an Excel 2003 XML spreadsheet), not an Excel 97–2003 workbook",
                                 help: "open it in Excel or LibreOffice and save it as .xlsx (or export the sheet as CSV)")
        }
        if bytes.isEmpty { return WorkbookError(file: fileName, "is empty: it holds no workbook") }
        return WorkbookError(file: fileName, "is not an Excel 97–2003 workbook (it does not start with the compound-file signature D0 CF 11 E0)",
                             help: "if it opens in Excel or LibreOffice, save it as .xlsx; if it is text, load it as CSV")
    }
}

/// What a cell's number format makes of its number.
enum XLSNumberFormat: Equatable, Sendable {
    /// A plain number, with the decimal places its format shows (nil for General).
    case number(decimals: Int?)
    case percent(decimals: Int?)
    /// A date, time or date-time.
    case date

    /// Excel's built-in formats (ids below 50) that a file need not spell out in a FORMAT record:
    /// the same table as .xlsx (`XLSXNumberFormat`), which also tells dates from times.
    static func builtIn(_ id: Int) -> XLSNumberFormat { XLSNumberFormat(XLSXNumberFormat.builtIn(id)) }

    /// Classifies a format string as .xlsx does (`XLSXNumberFormat.parse`): `%` outside quotes
    /// makes a percentage, y/m/d/h/s outside quotes and brackets a date, and the decimals are the
    /// digit placeholders after the first section's point.
    static func parse(_ format: String) -> XLSNumberFormat { XLSNumberFormat(XLSXNumberFormat.parse(format)) }

    /// BIFF8 cells need only three kinds: every date or time format is `.date` here, and
    /// `XLSDate.cell` makes times of day and date-times into text.
    init(_ f: XLSXNumberFormat) {
        switch f {
        case .general: self = .number(decimals: nil)
        case .number(let d): self = .number(decimals: d)
        case .percent(let d): self = .percent(decimals: d)
        case .date, .time: self = .date
        }
    }
}

/// Date serials: days since 1899-12-30 (Excel's 1900 system, which counts a 29 February 1900
/// that never was) or since 1904-01-01 (the 1904 system).
enum XLSDate {
    /// The cell a date-formatted serial makes: `.date` for a whole day, `YYYY-MM-DD HH:MM` text for
    /// a date with a time, `HH:MM` for a time of day alone (a serial below 1); nil for a serial no
    /// date can have (negative, or past 9999-12-31).
    static func cell(_ serial: Double, date1904: Bool) -> SheetCell? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        let minutes = (serial * 1440).rounded()
        let day = Int((minutes / 1440).rounded(.down))
        let minuteOfDay = Int(minutes) - day * 1440
        let days: Int
        if date1904 {
            days = day - 24_107
        } else {
            days = day < 61 ? day - 25_568 : day - 25_569
        }
        guard let d = Int32(exactly: days) else { return nil }
        let time = "\(two(minuteOfDay / 60)):\(two(minuteOfDay % 60))"
        if day == 0 { return .text(time) }
        if minuteOfDay == 0 { return .date(d) }
        return .text(CivilDate.iso(d) + " " + time)
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}

/// The records of a BIFF8 Workbook stream.
struct BIFF8 {
    let stream: [UInt8]
    let fileName: String
    var date1904 = false
    var formats: [Int: XLSNumberFormat] = [:]
    var xfFormats: [Int] = []
    var xfKinds: [XLSNumberFormat] = []
    var strings: [String] = []
    /// Cells a workbook may hold, counting every cell of a row up to its last: a full BIFF8 sheet,
    /// or less where memory is small.
    var cellBudget = min(1 << 24, Limits.maxDecompressedBytes / max(1, MemoryLayout<SheetCell>.stride))

    struct SheetEntry {
        var name: String
        var offset: Int
        var hidden: Bool
        var type: UInt8
    }

    init(stream: [UInt8], fileName: String) {
        self.stream = stream
        self.fileName = fileName
    }

    // Record types.
    static let bof: UInt16 = 0x0809, eof: UInt16 = 0x000A, continueRecord: UInt16 = 0x003C
    static let filePass: UInt16 = 0x002F, dateMode: UInt16 = 0x0022, format: UInt16 = 0x041E, xf: UInt16 = 0x00E0
    static let boundSheet: UInt16 = 0x0085, sst: UInt16 = 0x00FC, wsBool: UInt16 = 0x0081
    static let number: UInt16 = 0x0203, rk: UInt16 = 0x027E, mulRK: UInt16 = 0x00BD, labelSST: UInt16 = 0x00FD
    static let label: UInt16 = 0x0204, rString: UInt16 = 0x00D6, boolErr: UInt16 = 0x0205, formula: UInt16 = 0x0006
    static let string: UInt16 = 0x0207, mergedCells: UInt16 = 0x00E5

    struct Record {
        var type: UInt16
        /// Where the record's data starts in the stream, and its length.
        var start: Int
        var length: Int
        var end: Int { start + length }
    }

    func damaged(_ what: String, part: String? = nil) -> WorkbookError {
        WorkbookError(file: fileName, part: part, "is damaged: \(what)",
                      help: "download the file again; if it opens in Excel or LibreOffice, save it as .xlsx")
    }

    /// The record at `offset`, or nil at the end of the stream.
    func record(at offset: Int) throws -> Record? {
        guard offset + 4 <= stream.count else { return nil }
        let type = UInt16(stream[offset]) | UInt16(stream[offset + 1]) << 8
        let length = Int(stream[offset + 2]) | Int(stream[offset + 3]) << 8
        guard offset + 4 + length <= stream.count else {
            throw damaged("a record at byte \(offset) of its Workbook stream runs past the stream's end (the file is truncated?)")
        }
        return Record(type: type, start: offset + 4, length: length)
    }

    func u8(_ r: Record, _ at: Int) -> Int? { at < r.length ? Int(stream[r.start + at]) : nil }
    func u16(_ r: Record, _ at: Int) -> Int? {
        at + 2 <= r.length ? Int(stream[r.start + at]) | Int(stream[r.start + at + 1]) << 8 : nil
    }
    func u32(_ r: Record, _ at: Int) -> UInt32? {
        guard at + 4 <= r.length else { return nil }
        let p = r.start + at
        return UInt32(stream[p]) | UInt32(stream[p + 1]) << 8 | UInt32(stream[p + 2]) << 16 | UInt32(stream[p + 3]) << 24
    }
    func f64(_ r: Record, _ at: Int) -> Double? {
        guard at + 8 <= r.length else { return nil }
        var bits: UInt64 = 0
        for k in 0..<8 { bits |= UInt64(stream[r.start + at + k]) << (8 * k) }
        return Double(bitPattern: bits)
    }

    /// The record's data followed by the data of the CONTINUE records after it, as segments.
    func segments(_ r: Record) throws -> (segments: [Range<Int>], next: Int) {
        var out = [r.start..<r.end]
        var offset = r.end
        while let c = try record(at: offset), c.type == Self.continueRecord {
            out.append(c.start..<c.end)
            offset = c.end
        }
        return (out, offset)
    }

    mutating func workbook() throws -> Workbook {
        guard let first = try record(at: 0) else { throw damaged("its Workbook stream is empty") }
        guard first.type == Self.bof, let version = u16(first, 0) else {
            if first.type == 0x0009 || first.type == 0x0209 || first.type == 0x0409 {
                throw oldVersion("an Excel 2.x–4.0 file (BIFF2–4)")
            }
            throw damaged("its Workbook stream does not start with a BOF record")
        }
        if version == 0x0500 || version == 0x0400 || version == 0x0300 || version == 0x0200 {
            throw oldVersion(version == 0x0500 ? "an Excel 5.0/95 file (BIFF5)" : "an Excel 2.x–4.0 file (BIFF\(version >> 8))")
        }

        // The globals: everything up to the first EOF.
        var sheets: [SheetEntry] = []
        var offset = first.end
        while let r = try record(at: offset) {
            offset = r.end
            switch r.type {
            case Self.eof:
                offset = stream.count
            case Self.filePass:
                throw WorkbookError(file: fileName, "is a password-protected (encrypted) workbook, which peel cannot read",
                                    help: "open it with its password in Excel or LibreOffice and save a copy without one")
            case Self.dateMode:
                date1904 = u16(r, 0) == 1
            case Self.format:
                if let id = u16(r, 0), let text = try? unicodeString([r.start + 2..<r.end], lengthBytes: 2) {
                    formats[id] = XLSNumberFormat.parse(text)
                }
            case Self.xf:
                xfFormats.append(u16(r, 2) ?? 0)
            case Self.boundSheet:
                guard let pos = u32(r, 0), let state = u8(r, 4), let type = u8(r, 5) else {
                    throw damaged("a sheet's entry (BOUNDSHEET) is too short")
                }
                let name: String
                do {
                    name = try unicodeString([r.start + 6..<r.end], lengthBytes: 1)
                } catch {
                    throw damaged("the name of sheet \(sheets.count + 1) runs past its record")
                }
                sheets.append(SheetEntry(name: name, offset: Int(pos), hidden: state & 0x03 != 0, type: UInt8(type)))
            case Self.sst:
                let (parts, next) = try segments(r)
                try readSST(parts)
                offset = next
            default:
                break
            }
        }
        xfKinds = xfFormats.map { formats[$0] ?? XLSNumberFormat.builtIn($0) }

        var out: [Sheet] = []
        for entry in sheets {
            // 0 worksheet (or dialog); 1 macro sheet, 2 chart, 6 VBA module: listed, with no cells.
            guard entry.type == 0 else {
                out.append(Sheet(name: entry.name, hidden: entry.hidden, isChart: true))
                continue
            }
            out.append(try readSheet(entry))
        }
        return Workbook(format: .xls, sheets: out)
    }

    func oldVersion(_ what: String) -> WorkbookError {
        WorkbookError(file: fileName, "is \(what); save it as .xlsx",
                      help: "peel reads Excel 97–2003 .xls files; open this one in Excel or LibreOffice and save it as .xlsx (or export the sheet as CSV)")
    }

    // MARK: Strings

    /// Reads across the segments of a record and its CONTINUE records.
    struct Cursor {
        let stream: [UInt8]
        let segments: [Range<Int>]
        var segment = 0
        var position: Int

        init(stream: [UInt8], segments: [Range<Int>]) {
            self.stream = stream
            self.segments = segments
            position = segments.first?.lowerBound ?? 0
        }

        struct End: Error {}

        var atEnd: Bool {
            var s = segment, p = position
            while s < segments.count {
                if p < segments[s].upperBound { return false }
                s += 1
                if s < segments.count { p = segments[s].lowerBound }
            }
            return true
        }

        /// Moves to the next segment when this one is used up; false at the very end.
        mutating func ensureByte() -> Bool {
            while segment < segments.count, position >= segments[segment].upperBound {
                segment += 1
                guard segment < segments.count else { return false }
                position = segments[segment].lowerBound
            }
            return segment < segments.count
        }

        mutating func byte() throws -> UInt8 {
            guard ensureByte() else { throw End() }
            defer { position += 1 }
            return stream[position]
        }

        mutating func u16() throws -> Int {
            let low = try byte(), high = try byte()
            return Int(low) | Int(high) << 8
        }

        mutating func u32() throws -> Int {
            let low = try u16(), high = try u16()
            return low | high << 16
        }

        mutating func skip(_ n: Int) throws {
            var left = n
            while left > 0 {
                guard ensureByte() else { throw End() }
                let take = min(left, segments[segment].upperBound - position)
                position += take
                left -= take
            }
        }

        /// `count` characters, one byte each (Latin-1) or two (UTF-16LE) as `highByte` says; when
        /// the characters run into the next CONTINUE record, it starts with a new option byte that
        /// chooses the width of the rest.
        mutating func characters(_ count: Int, highByte: Bool) throws -> String {
            var units: [UInt16] = []
            units.reserveCapacity(min(count, 8_224))
            var wide = highByte
            guard segment < segments.count else { throw End() }
            while units.count < count {
                if position >= segments[segment].upperBound {
                    segment += 1
                    guard segment < segments.count else { throw End() }
                    position = segments[segment].lowerBound
                    guard position < segments[segment].upperBound else { throw End() }
                    wide = stream[position] & 0x01 != 0
                    position += 1
                    continue
                }
                let available = segments[segment].upperBound - position
                if wide {
                    guard available >= 2 else { throw End() }
                    let n = min(count - units.count, available / 2)
                    for k in 0..<n {
                        let p = position + 2 * k
                        units.append(UInt16(stream[p]) | UInt16(stream[p + 1]) << 8)
                    }
                    position += 2 * n
                } else {
                    let n = min(count - units.count, available)
                    for k in 0..<n { units.append(UInt16(stream[position + k])) }
                    position += n
                }
            }
            return String(decoding: units, as: UTF16.self)
        }
    }

    /// An XLUnicodeString (`lengthBytes` 2) or ShortXLUnicodeString (1): length, option byte, characters.
    func unicodeString(_ segments: [Range<Int>], lengthBytes: Int) throws -> String {
        var c = Cursor(stream: stream, segments: segments)
        let count = lengthBytes == 1 ? Int(try c.byte()) : try c.u16()
        let flags = try c.byte()
        return try c.characters(count, highByte: flags & 0x01 != 0)
    }

    /// The shared-string table: the SST record and its CONTINUE records.
    mutating func readSST(_ segments: [Range<Int>]) throws {
        var c = Cursor(stream: stream, segments: segments)
        do {
            _ = try c.u32()
            let unique = try c.u32()
            strings.reserveCapacity(min(unique, stream.count / 3))
            while strings.count < unique, !c.atEnd {
                let count = try c.u16()
                let flags = try c.byte()
                let runs = flags & 0x08 != 0 ? try c.u16() : 0
                let extended = flags & 0x04 != 0 ? try c.u32() : 0
                strings.append(try c.characters(count, highByte: flags & 0x01 != 0))
                try c.skip(4 * runs)
                try c.skip(extended)
            }
        } catch is Cursor.End {
            throw damaged("its shared-string table (SST) ends inside string \(strings.count + 1)")
        }
    }

    // MARK: Sheets

    func kind(_ xf: Int) -> XLSNumberFormat {
        xf < xfKinds.count ? xfKinds[xf] : .number(decimals: nil)
    }

    func numberCell(_ v: Double, xf: Int) -> SheetCell {
        switch kind(xf) {
        case .date: return XLSDate.cell(v, date1904: date1904) ?? .number(v, decimals: nil)
        case .percent(let d): return .percent(v, decimals: d)
        case .number(let d): return .number(v, decimals: d)
        }
    }

    static func rk(_ raw: UInt32) -> Double {
        var v: Double
        if raw & 0x02 != 0 {
            v = Double(Int32(bitPattern: raw) >> 2)
        } else {
            v = Double(bitPattern: UInt64(raw & 0xFFFF_FFFC) << 32)
        }
        if raw & 0x01 != 0 { v /= 100 }
        return v
    }

    static func errorText(_ code: Int) -> String {
        switch code {
        case 0x00: return "#NULL!"
        case 0x07: return "#DIV/0!"
        case 0x0F: return "#VALUE!"
        case 0x17: return "#REF!"
        case 0x1D: return "#NAME?"
        case 0x24: return "#NUM!"
        case 0x2A: return "#N/A"
        case 0x2B: return "#GETTING_DATA"
        default: return "#ERROR!"
        }
    }

    /// One worksheet's cells, from its BOF (at the offset its BOUNDSHEET gives) to its EOF.
    mutating func readSheet(_ entry: SheetEntry) throws -> Sheet {
        let part = "sheet '\(entry.name)'"
        guard entry.offset < stream.count, let bof = try record(at: entry.offset), bof.type == Self.bof else {
            throw damaged("its record of where the sheet starts (BOUNDSHEET) points to byte \(entry.offset) of the Workbook stream, where no sheet starts", part: part)
        }
        switch u16(bof, 2) ?? 0x0010 {
        case 0x0010: break // a worksheet (or a dialog sheet, which WSBOOL says)
        case 0x0020, 0x0040, 0x0006: return Sheet(name: entry.name, hidden: entry.hidden, isChart: true) // chart, macro sheet, VBA module
        default:
            throw damaged("its record of where the sheet starts (BOUNDSHEET) points to byte \(entry.offset) of the Workbook stream, where no sheet starts", part: part)
        }
        var rows: [[SheetCell]] = []
        var merges: [CellRange] = []
        var pendingString: (row: Int, column: Int)? = nil
        var isDialog = false

        func put(_ row: Int, _ column: Int, _ value: SheetCell) throws {
            guard row < 65_536, column < 256 else {
                throw damaged("it has a cell at row \(row + 1), column \(column + 1), past the 65,536 rows and 256 columns of an Excel 97–2003 sheet", part: part)
            }
            if case .empty = value { return }
            if rows.count <= row {
                rows.append(contentsOf: repeatElement([], count: row + 1 - rows.count))
            }
            if rows[row].count <= column {
                let grow = column + 1 - rows[row].count
                guard grow <= cellBudget else {
                    throw WorkbookError(file: fileName, part: part, "holds more cells than peel reads from one workbook (counting each row up to its last cell)",
                                        help: "export the sheet you need as CSV and load that")
                }
                cellBudget -= grow
                rows[row].append(contentsOf: repeatElement(.empty, count: grow))
            }
            rows[row][column] = value
        }
        func short(_ what: String) -> WorkbookError { damaged("a \(what) record is too short", part: part) }

        var offset = bof.end
        var depth = 0
        loop: while let r = try record(at: offset) {
            offset = r.end
            if depth > 0 {
                // A chart or other substream embedded in the sheet: skipped to its EOF.
                if r.type == Self.bof { depth += 1 } else if r.type == Self.eof { depth -= 1 }
                continue
            }
            switch r.type {
            case Self.eof:
                break loop
            case Self.bof:
                depth = 1
            case Self.wsBool:
                if let flags = u8(r, 0), flags & 0x10 != 0 { isDialog = true }
            case Self.number:
                guard let row = u16(r, 0), let col = u16(r, 2), let xf = u16(r, 4), let v = f64(r, 6) else { throw short("NUMBER") }
                try put(row, col, numberCell(v, xf: xf))
            case Self.rk:
                guard let row = u16(r, 0), let col = u16(r, 2), let xf = u16(r, 4), let raw = u32(r, 6) else { throw short("RK") }
                try put(row, col, numberCell(Self.rk(raw), xf: xf))
            case Self.mulRK:
                guard let row = u16(r, 0), let firstCol = u16(r, 2), r.length >= 12 else { throw short("MULRK") }
                let n = (r.length - 6) / 6
                for k in 0..<n {
                    guard let xf = u16(r, 4 + 6 * k), let raw = u32(r, 6 + 6 * k) else { throw short("MULRK") }
                    try put(row, firstCol + k, numberCell(Self.rk(raw), xf: xf))
                }
            case Self.labelSST:
                guard let row = u16(r, 0), let col = u16(r, 2), let index = u32(r, 6) else { throw short("LABELSST") }
                guard Int(index) < strings.count else {
                    throw damaged("cell \(CellRange.columnName(col))\(row + 1) refers to shared string \(index), but the table holds \(strings.count)", part: part)
                }
                try put(row, col, .text(strings[Int(index)]))
            case Self.label, Self.rString:
                guard let row = u16(r, 0), let col = u16(r, 2), r.length >= 9 else { throw short("LABEL") }
                let (parts, _) = try segments(r)
                var rest = parts
                rest[0] = r.start + 6..<r.end
                guard let text = try? unicodeString(rest, lengthBytes: 2) else { throw short("LABEL") }
                try put(row, col, .text(text))
            case Self.boolErr:
                guard let row = u16(r, 0), let col = u16(r, 2), let value = u8(r, 6), let isError = u8(r, 7) else { throw short("BOOLERR") }
                try put(row, col, isError != 0 ? .error(Self.errorText(value)) : .bool(value != 0))
            case Self.formula:
                guard let row = u16(r, 0), let col = u16(r, 2), let xf = u16(r, 4), r.length >= 14 else { throw short("FORMULA") }
                pendingString = nil
                if u16(r, 12) == 0xFFFF {
                    switch u8(r, 6) {
                    case 0: pendingString = (row, col)
                    case 1: try put(row, col, .bool((u8(r, 8) ?? 0) != 0))
                    case 2: try put(row, col, .error(Self.errorText(u8(r, 8) ?? 0xFF)))
                    default: try put(row, col, .empty)
                    }
                } else if let v = f64(r, 6) {
                    try put(row, col, numberCell(v, xf: xf))
                }
            case Self.string:
                guard let cell = pendingString else { break }
                pendingString = nil
                let (parts, next) = try segments(r)
                guard let text = try? unicodeString(parts, lengthBytes: 2) else { throw short("STRING") }
                try put(cell.row, cell.column, .text(text))
                offset = next
            case Self.mergedCells:
                guard let count = u16(r, 0) else { throw short("MERGEDCELLS") }
                for k in 0..<count {
                    guard let r1 = u16(r, 2 + 8 * k), let r2 = u16(r, 4 + 8 * k), let c1 = u16(r, 6 + 8 * k), let c2 = u16(r, 8 + 8 * k) else {
                        throw short("MERGEDCELLS")
                    }
                    guard c1 < 256, c2 < 256 else {
                        throw damaged("it has a merged area reaching column \(max(c1, c2) + 1), past the 256 columns of an Excel 97–2003 sheet", part: part)
                    }
                    merges.append(CellRange(firstRow: min(r1, r2), firstColumn: min(c1, c2), lastRow: max(r1, r2), lastColumn: max(c1, c2)))
                }
            default:
                break
            }
        }
        if isDialog { return Sheet(name: entry.name, hidden: entry.hidden, isChart: true) }
        while let last = rows.last, last.allSatisfy(\.isEmpty) { rows.removeLast() }
        return Sheet(name: entry.name, hidden: entry.hidden, rows: rows, merges: merges)
    }
}
