@testable import PeelIO
import PeelData
import Foundation
import XCTest

/// The .xls reader: a BIFF8 workbook composed byte by byte here (compound file and records),
/// damaged and hostile files, and real Home Office workbooks whose cells were checked with
/// python-calamine and xlrd.
final class XLSReaderTests: XCTestCase {
    typealias B = XLSTestBytes

    // MARK: The synthetic workbook

    /// The shared-string table, split over three CONTINUE records: a string whose characters
    /// switch from one byte to two at a record boundary, one that switches back, and a rich-text
    /// string whose formatting runs straddle a boundary.
    static let sst: [UInt8] = {
        let runs = B.u16(0) + B.u16(1) + B.u16(2) + B.u16(0)
        let first = B.u32(20) + B.u32(9)
            + B.string("Force")                                                   // 0
            + B.u16(4) + [0x08] + B.u16(2) + B.chars("Rich", wide: false) + runs    // 1: rich text, 2 runs
            + B.u16(3) + [0x04] + B.u32(6) + B.chars("Ext", wide: false) + [1, 2, 3, 4, 5, 6] // 2: phonetic data
            + B.u16(22) + [0x00] + B.chars("Devon and ", wide: false)              // 3: continues…
        let second = [0x01] + B.chars("Cornwall – Ü", wide: true)                 // …as UTF-16
            + B.string("Dyfed-Powys", wide: true)                                  // 4
            + B.string("")                                                         // 5
            + B.u16(12) + [0x01] + B.chars("Ünïcode ", wide: true)                 // 6: continues…
        let third = [0x00] + B.chars("tail", wide: false)                          // …compressed
            + B.u16(4) + [0x08] + B.u16(2) + B.chars("Runs", wide: false) + Array(runs.prefix(4)) // 7
        let fourth = Array(runs.suffix(4)) + B.string("last")                      // 8
        return B.record(0x00FC, first) + B.record(0x003C, second) + B.record(0x003C, third) + B.record(0x003C, fourth)
    }()

    /// Formats: 164 `0.0%`, 165 a date-time, 166 `#,##0.0`, 167 quoted letters that are no date,
    /// 168 an accounting format with escapes, fills and a colour.
    static let styles: [UInt8] = B.format(164, "0.0%") + B.format(165, "dd/mm/yyyy hh:mm") + B.format(166, "#,##0.0")
        + B.format(167, "\"Year \"0") + B.format(168, "_-* #,##0.00_-;[Red]\\-* #,##0.00_-")
        + [0, 14, 10, 164, 165, 166, 167, 3, 168].flatMap { B.xf(format: $0) }

    static let dataSheet: [UInt8] = {
        var s = B.bof(0x10) + B.record(0x0200, B.u32(0) + B.u32(10) + B.u16(0) + B.u16(9) + B.u16(0))
        for (col, index) in [0, 3, 6, 7, 1, 2, 4, 8, 5].enumerated() { s += B.labelSST(0, col, index) }
        s += B.number(1, 0, 1234.5, xf: 5)
        s += B.rk(1, 1, B.rkInt(42))
        s += B.rk(1, 2, B.rkInt(12345, times100: true), xf: 7)
        s += B.rk(1, 3, B.rkFloat(2.5))
        s += B.rk(1, 4, B.rkFloat(12.5, times100: true), xf: 2)
        s += B.rk(1, 5, B.rkInt(-7))
        s += B.mulRK(2, 0, [(3, B.rkInt(84, times100: true)), (1, B.rkInt(44651)), (0, B.rkFloat(1.5))])
        s += B.number(3, 0, 44651.75, xf: 4) + B.number(3, 1, 59, xf: 1) + B.number(3, 2, 61, xf: 1)
        s += B.number(3, 3, 1, xf: 1) + B.number(3, 4, 0.5, xf: 4) + B.number(3, 5, 2023, xf: 6) + B.number(3, 6, -3.25, xf: 8)
        s += B.formula(4, 0, xf: 5, value: B.f64(10.5))
        s += B.formula(4, 1, value: B.special(0)) + B.record(0x04BC, [UInt8](repeating: 0, count: 10)) + B.stringRecord("computed – text", wide: true)
        s += B.formula(4, 2, value: B.special(1, 1)) + B.formula(4, 3, value: B.special(2, 0x07)) + B.formula(4, 4, value: B.special(3))
        s += B.boolErr(5, 0, 0, isError: false) + B.boolErr(5, 1, 0x2A, isError: true)
        s += B.label(5, 2, "Label ü", wide: false) + B.label(5, 3, "Łódź", wide: true) + B.blank(5, 4)
        s += B.bof(0x20) + B.number(6, 0, 999) + B.eof // an embedded chart: its records are not the sheet's
        s += B.mulBlank(6, 0, 3) + B.number(9, 1, 7) + B.blank(12, 0)
        s += B.merged([(10, 11, 0, 2), (0, 0, 3, 4)])
        return s + B.eof
    }()

    /// The workbook stream: `padding` bytes of a drawing record make it big enough (4096 bytes or
    /// more) to be stored in the FAT rather than the mini stream.
    static func workbookStream(date1904: Bool = false, padding: Int = 0, extraGlobals: [UInt8] = [], dataSheet: [UInt8] = dataSheet) -> [UInt8] {
        var before = B.record(0x0022, B.u16(date1904 ? 1 : 0)) + styles + extraGlobals
        if padding > 0 { before += B.record(0x00EB, [UInt8](repeating: 0, count: padding)) }
        return B.workbook(globalsBefore: before, globalsAfter: sst, sheets: [
            ("Data", 0, 0, dataSheet),
            ("Hidden one", 1, 0, B.bof(0x10) + B.labelSST(0, 0, 0) + B.eof),
            ("Chart1", 0, 2, B.bof(0x20) + B.eof),
            ("Very", 2, 0, B.bof(0x10) + B.eof),
        ])
    }

    static func file(_ stream: [UInt8], name: String = "Workbook") -> XLSTestCompoundFile {
        XLSTestCompoundFile(streams: [("\u{05}SummaryInformation", [UInt8](repeating: 0, count: 200)), (name, stream)])
    }

    func read(_ bytes: [UInt8]) throws -> Workbook { try XLSReader.read(bytes, fileName: "t.xls") }

    func days(_ y: Int, _ m: Int, _ d: Int) -> Int32 { CivilDate.days(year: y, month: m, day: d)! }

    func checkSyntheticWorkbook(_ wb: Workbook, date1904: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(wb.format, .xls, file: file, line: line)
        XCTAssertEqual(wb.sheets.map(\.name), ["Data", "Hidden one", "Chart1", "Very"], file: file, line: line)
        XCTAssertEqual(wb.sheets.map(\.hidden), [false, true, false, true], file: file, line: line)
        XCTAssertEqual(wb.sheets.map(\.isChart), [false, false, true, false], file: file, line: line)
        guard wb.sheets.count == 4 else { return }
        let s = wb.sheets[0]
        let expected: [[SheetCell]] = [
            [.text("Force"), .text("Devon and Cornwall – Ü"), .text("Ünïcode tail"), .text("Runs"), .text("Rich"), .text("Ext"),
             .text("Dyfed-Powys"), .text("last"), .text("")],
            [.number(1234.5, decimals: 1), .number(42, decimals: nil), .number(123.45, decimals: 0), .number(2.5, decimals: nil),
             .percent(0.125, decimals: 2), .number(-7, decimals: nil)],
            [.percent(0.84, decimals: 1), .date(date1904 ? days(2026, 4, 1) : days(2022, 3, 31)), .number(1.5, decimals: nil)],
            [.text(date1904 ? "2026-04-01 18:00" : "2022-03-31 18:00"),
             .date(date1904 ? days(1904, 2, 29) : days(1900, 2, 28)),
             .date(date1904 ? days(1904, 3, 2) : days(1900, 3, 1)),
             .date(date1904 ? days(1904, 1, 2) : days(1900, 1, 1)),
             .text("12:00"), .number(2023, decimals: 0), .number(-3.25, decimals: 2)],
            [.number(10.5, decimals: 1), .text("computed – text"), .bool(true), .error("#DIV/0!")],
            [.bool(false), .error("#N/A"), .text("Label ü"), .text("Łódź")],
            [], [], [],
            [.empty, .number(7, decimals: nil)],
        ]
        XCTAssertEqual(s.rows.count, expected.count, "rows past the last value are not kept", file: file, line: line)
        for r in 0..<max(s.rows.count, expected.count) {
            let got = r < s.rows.count ? s.rows[r] : [], want = r < expected.count ? expected[r] : []
            XCTAssertEqual(got, want, "row \(r + 1)", file: file, line: line)
        }
        XCTAssertEqual(s.merges, [CellRange.parse("A11:C12")!, CellRange.parse("D1:E1")!], file: file, line: line)
        XCTAssertEqual(wb.sheets[1].rows, [[.text("Force")]], file: file, line: line)
        XCTAssertEqual(wb.sheets[2].rows, [], file: file, line: line)
        XCTAssertEqual(wb.sheets[3].rows, [], file: file, line: line)
    }

    /// Every record type, from a workbook stream small enough for the mini stream.
    func testSyntheticWorkbookInTheMiniStream() throws {
        let stream = Self.workbookStream()
        XCTAssertLessThan(stream.count, 4096)
        checkSyntheticWorkbook(try read(Self.file(stream).bytes))
    }

    /// The same cells from a stream big enough to live in the FAT's sectors.
    func testSyntheticWorkbookInTheFAT() throws {
        let stream = Self.workbookStream(padding: 5000)
        XCTAssertGreaterThanOrEqual(stream.count, 4096)
        var f = Self.file(stream)
        checkSyntheticWorkbook(try read(f.bytes))
        // Version 3 files may leave junk in the high half of a stream's size: it is ignored.
        f.setEntryField(2, 124, 0xDEAD_BEEF)
        checkSyntheticWorkbook(try read(f.bytes))
    }

    /// A version-4 compound file, with 4096-byte sectors, in both places a stream can live.
    func testSyntheticWorkbookWith4096ByteSectors() throws {
        for padding in [0, 5000] {
            let f = XLSTestCompoundFile(streams: [("\u{05}SummaryInformation", [UInt8](repeating: 0, count: 200)),
                                                  ("Workbook", Self.workbookStream(padding: padding))], sectorShift: 12)
            XCTAssertEqual(f.bytes.count % 4096, 0)
            XCTAssertEqual(Array(f.bytes[30..<32]), [12, 0])
            checkSyntheticWorkbook(try read(f.bytes))
        }
    }

    /// The 1904 date system (DATEMODE 1): serial 0 is 1904-01-01, with no false leap day.
    func testDates1904() throws {
        checkSyntheticWorkbook(try read(Self.file(Self.workbookStream(date1904: true)).bytes), date1904: true)
    }

    /// Serials either side of Excel's 29 February 1900, which never was, and times of day.
    func testDateSerials() {
        XCTAssertEqual(XLSDate.cell(25569, date1904: false), .date(0))
        XCTAssertEqual(XLSDate.cell(60, date1904: false), .date(days(1900, 3, 1)))
        XCTAssertEqual(XLSDate.cell(61, date1904: false), .date(days(1900, 3, 1)))
        XCTAssertEqual(XLSDate.cell(59, date1904: false), .date(days(1900, 2, 28)))
        XCTAssertEqual(XLSDate.cell(0, date1904: true), .text("00:00"))
        XCTAssertEqual(XLSDate.cell(1, date1904: true), .date(days(1904, 1, 2)))
        XCTAssertEqual(XLSDate.cell(2_958_465, date1904: false), .date(days(9999, 12, 31)))
        XCTAssertEqual(XLSDate.cell(43_000.999_999, date1904: false), .date(days(2017, 9, 23)), "a time that rounds to midnight is the next day")
        XCTAssertEqual(XLSDate.cell(43_000 + 1.0 / 1440 * 61, date1904: false), .text("2017-09-22 01:01"))
        XCTAssertNil(XLSDate.cell(-1, date1904: false))
        XCTAssertNil(XLSDate.cell(3_000_000, date1904: false))
        XCTAssertNil(XLSDate.cell(.nan, date1904: false))
        XCTAssertNil(XLSDate.cell(.infinity, date1904: false))
    }

    /// Number-format strings: percentages, dates and decimal places.
    func testFormatStrings() {
        let cases: [(String, XLSNumberFormat)] = [
            ("General", .number(decimals: nil)), ("0", .number(decimals: 0)), ("0.000", .number(decimals: 3)),
            ("#,##0", .number(decimals: 0)), ("#,##0.0_);(#,##0.0)", .number(decimals: 1)), ("[Red]0.0", .number(decimals: 1)),
            ("0.0E+00", .number(decimals: 1)), ("@", .number(decimals: nil)), ("\"Days \"0", .number(decimals: 0)),
            ("\\d0", .number(decimals: 0)), ("General;[Red]-General", .number(decimals: nil)),
            ("0%", .percent(decimals: 0)), ("0.0%", .percent(decimals: 1)), ("#,##0.00%;[Red]-#,##0.00%", .percent(decimals: 2)),
            ("\"%\"0", .number(decimals: 0)),
            ("dd/mm/yyyy", .date), ("mmm-yy", .date), ("[h]:mm", .date), ("[$-809]dd mmmm yyyy", .date), ("h:mm AM/PM", .date),
            ("[Red][<=100]0", .number(decimals: 0)),
        ]
        for (text, kind) in cases { XCTAssertEqual(XLSNumberFormat.parse(text), kind, text) }
        XCTAssertEqual(XLSNumberFormat.builtIn(9), .percent(decimals: 0))
        XCTAssertEqual(XLSNumberFormat.builtIn(10), .percent(decimals: 2))
        for id in Array(14...22) + Array(45...47) { XCTAssertEqual(XLSNumberFormat.builtIn(id), .date, "\(id)") }
        XCTAssertEqual(XLSNumberFormat.builtIn(0), .number(decimals: nil))
        XCTAssertEqual(XLSNumberFormat.builtIn(3), .number(decimals: 0))
        XCTAssertEqual(XLSNumberFormat.builtIn(4), .number(decimals: 2))
    }

    /// RK values: integer or float, each with or without the ×100 flag.
    func testRKValues() {
        XCTAssertEqual(BIFF8.rk(B.rkInt(42)), 42)
        XCTAssertEqual(BIFF8.rk(B.rkInt(-7)), -7)
        XCTAssertEqual(BIFF8.rk(B.rkInt(12345, times100: true)), 123.45)
        XCTAssertEqual(BIFF8.rk(B.rkFloat(2.5)), 2.5)
        XCTAssertEqual(BIFF8.rk(B.rkFloat(12.5, times100: true)), 0.125)
        XCTAssertEqual(BIFF8.rk(0x3FF0_0000), 1.0, "the top half of 1.0's bits")
        XCTAssertEqual(BIFF8.rk(0x0000_0006), 1.0, "the integer 1: 1 << 2 | 2")
        XCTAssertEqual(BIFF8.rk(0x0000_0007), 0.01, "the integer 1 with ×100")
    }

    // MARK: Comparison with other readers (not a test)

    /// Not a test: with PEEL_XLS_DUMP=<folder> and PEEL_XLS_FILES (paths, one a line), writes
    /// every cell of every sheet of each file as JSON, for a script to compare with other readers.
    func testDumpForComparison() throws {
        let env = ProcessInfo.processInfo.environment
        guard let folder = env["PEEL_XLS_DUMP"], let list = env["PEEL_XLS_FILES"] else { return }
        for path in list.split(separator: "\n").map(String.init) {
            let name = URL(fileURLWithPath: path).lastPathComponent
            var out: [String: Any] = ["file": path]
            do {
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                let wb = try XLSReader.read(bytes, fileName: name)
                out["sheets"] = wb.sheets.map { sheet -> [String: Any] in
                    ["name": sheet.name, "hidden": sheet.hidden, "chart": sheet.isChart,
                     "merges": sheet.merges.map { $0.text },
                     "rows": sheet.rows.map { row in row.map { cell -> Any in
                         switch cell {
                         case .empty: return NSNull()
                         case .number(let v, let d): return ["n": v, "dp": d as Any]
                         case .percent(let v, let d): return ["p": v, "dp": d as Any]
                         case .date(let d): return ["d": CivilDate.iso(d)]
                         case .text(let t): return ["t": t]
                         case .bool(let b): return ["b": b]
                         case .error(let e): return ["e": e]
                         }
                     } }]
                }
            } catch let e as WorkbookError {
                out["error"] = e.diagnostic.message
            }
            let data = try JSONSerialization.data(withJSONObject: out)
            try data.write(to: URL(fileURLWithPath: folder).appendingPathComponent(name + ".json"))
        }
    }

    // MARK: Damaged and hostile files

    func readError(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> WorkbookError? {
        do {
            _ = try read(bytes)
            XCTFail("read a damaged file without complaint", file: file, line: line)
        } catch let e as WorkbookError {
            XCTAssertEqual(e.file, "t.xls", file: file, line: line)
            return e
        } catch {
            XCTFail("threw \(error), not a WorkbookError", file: file, line: line)
        }
        return nil
    }

    func assertError(_ bytes: [UInt8], contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let e = readError(bytes, file: file, line: line) else { return }
        XCTAssertTrue(e.diagnostic.message.contains(text), "\(e.diagnostic.message) does not say \(text)", file: file, line: line)
    }

    /// The big variant's Workbook stream: the directory's entry 2, in the FAT.
    func bigFile() -> XLSTestCompoundFile { Self.file(Self.workbookStream(padding: 5000)) }

    func testFATCycle() {
        var f = bigFile()
        XCTAssertGreaterThan(f.streamSectors[1], 3)
        f.setFAT(f.streamStart[1] + 2, UInt32(f.streamStart[1]))
        assertError(f.bytes, contains: "loops back on itself")
    }

    func testDirectoryChainCycle() {
        var f = bigFile()
        f.setFAT(f.directorySector, UInt32(f.directorySector))
        assertError(f.bytes, contains: "the directory is a chain of sectors that loops back on itself")
    }

    func testDIFATCycle() {
        var f = bigFile()
        let sector = f.bytes.count / 512 - 1
        f.bytes += [UInt8](repeating: 0xFF, count: 508) + B.u32(sector)
        f.bytes.replaceSubrange(44..<48, with: B.u32(2))
        f.bytes.replaceSubrange(68..<76, with: B.u32(sector) + B.u32(1))
        assertError(f.bytes, contains: "loops back on itself")
    }

    func testSectorPastTheEnd() {
        var f = bigFile()
        f.setEntryField(2, 116, 100_000)
        assertError(f.bytes, contains: "past the end of the file")
        var g = bigFile()
        g.setFAT(g.streamStart[1], 5_000)
        assertError(g.bytes, contains: "past the end of the file")
        var h = bigFile()
        h.setEntryField(2, 120, 0x7FFF_FFFF)
        assertError(h.bytes, contains: "more than the whole file")
        var m = Self.file(Self.workbookStream())
        m.setEntryField(2, 116, 9_999)
        assertError(m.bytes, contains: "past the end of the file")
    }

    func testTruncatedFiles() {
        let whole = bigFile().bytes
        for cut in [0, 7, 300, 511, 512, 700, whole.count / 2, whole.count - 600] {
            _ = readError(Array(whole.prefix(cut)))
        }
        assertError(Array(whole.prefix(whole.count - 600)), contains: "truncated")
    }

    func testWrongSignatures() {
        var f = bigFile().bytes
        f[0] = 0
        assertError(f, contains: "compound-file signature")
        assertError(Array("PK\u{3}\u{4}rest of a zip".utf8), contains: "is a zip archive")
        assertError(Array("<html><body><table>".utf8), contains: "HTML or XML")
        assertError([0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00] + [UInt8](repeating: 0, count: 600), contains: "Excel 2.x–4.0 file (BIFF2–4)")
        assertError(Array("Force,Officers\nKent,3000\n".utf8), contains: "compound-file signature")
        assertError([], contains: "is empty")
    }

    func testBIFF5IsRefused() {
        let stream = Self.workbookStream()
        assertError(Self.file(stream, name: "Book").bytes, contains: "is an Excel 5.0/95 file (BIFF5); save it as .xlsx")
        let biff5 = B.bof(0x0005, version: 0x0500) + Array(stream.dropFirst(20))
        assertError(Self.file(biff5).bytes, contains: "is an Excel 5.0/95 file (BIFF5); save it as .xlsx")
        assertError(XLSTestCompoundFile(streams: [("WordDocument", [1, 2, 3])]).bytes, contains: "without a Workbook stream")
    }

    func testEncryptedWorkbookIsRefused() {
        let stream = Self.workbookStream(extraGlobals: B.record(0x002F, B.u16(1) + [UInt8](repeating: 0, count: 52)))
        assertError(Self.file(stream).bytes, contains: "password-protected (encrypted)")
        assertError(XLSTestCompoundFile(streams: [("EncryptionInfo", [1]), ("EncryptedPackage", [2])]).bytes, contains: "encrypted")
    }

    func testColumnsPastBIFF8AreRefused() {
        let sheet = B.bof(0x10) + B.number(0, 256, 1) + B.eof
        assertError(Self.file(Self.workbookStream(dataSheet: sheet)).bytes, contains: "256 columns")
        let mul = B.bof(0x10) + B.mulRK(3, 254, [(0, B.rkInt(1)), (0, B.rkInt(2)), (0, B.rkInt(3))]) + B.eof
        assertError(Self.file(Self.workbookStream(dataSheet: mul)).bytes, contains: "256 columns")
        let merge = B.bof(0x10) + B.merged([(0, 1, 0, 300)]) + B.eof
        assertError(Self.file(Self.workbookStream(dataSheet: merge)).bytes, contains: "256 columns")
        // Column 256 is the last: allowed.
        let last = B.bof(0x10) + B.number(65_535, 255, 1) + B.eof
        let wb = try? read(Self.file(Self.workbookStream(dataSheet: last)).bytes)
        XCTAssertEqual(wb?.sheets.first?[65_535, 255], .number(1, decimals: nil))
        XCTAssertEqual(wb?.sheets.first?.rows.count, 65_536)
    }

    func testDamagedRecords() {
        // A shared string longer than the table's bytes.
        let badSST = B.workbook(globalsBefore: [], globalsAfter: B.record(0x00FC, B.u32(1) + B.u32(1) + B.u16(60_000) + [0] + [65, 66]),
                                sheets: [("S", 0, 0, B.bof(0x10) + B.eof)])
        assertError(Self.file(badSST).bytes, contains: "shared-string table")
        // A cell naming a shared string the table does not hold.
        let pastTable = B.bof(0x10) + B.labelSST(0, 0, 99) + B.eof
        assertError(Self.file(Self.workbookStream(dataSheet: pastTable)).bytes, contains: "shared string 99")
        // A sheet offset pointing nowhere.
        let nowhere = B.bof(0x0005) + B.boundSheet(offset: 1_000_000, name: "Lost") + B.eof
        assertError(Self.file(nowhere).bytes, contains: "where no sheet starts")
        let atGlobals = B.bof(0x0005) + B.boundSheet(offset: 0, name: "Globals") + B.eof
        assertError(Self.file(atGlobals).bytes, contains: "where no sheet starts")
        // A dialog sheet (WSBOOL's dialog flag) is listed without cells, as a chart sheet is.
        let dialog = B.bof(0x10) + B.record(0x0081, [0x10, 0x04]) + B.number(0, 0, 1) + B.eof
        let wb = try? read(Self.file(Self.workbookStream(dataSheet: dialog)).bytes)
        XCTAssertEqual(wb?.sheets.first?.isChart, true)
        XCTAssertEqual(wb?.sheets.first?.rows, [])
        // A record whose length runs past the stream.
        let long = B.bof(0x10) + B.u16(0x0203) + B.u16(500) + [1, 2, 3]
        assertError(Self.file(Self.workbookStream(dataSheet: long)).bytes, contains: "runs past")
        // Records too short for their fields.
        for short in [B.record(0x0203, [0, 0, 0]), B.record(0x027E, [0]), B.record(0x00BD, B.u16(0) + B.u16(0)), B.record(0x00FD, [0]),
                      B.record(0x0205, [0]), B.record(0x0006, [0]), B.record(0x00E5, B.u16(3)), B.record(0x0204, [0, 0])] {
            assertError(Self.file(Self.workbookStream(dataSheet: B.bof(0x10) + short + B.eof)).bytes, contains: "too short")
        }
        // An empty stream, and one that does not start with BOF.
        assertError(Self.file([]).bytes, contains: "empty")
        assertError(Self.file(B.eof).bytes, contains: "BOF")
    }

    /// A directory whose sibling links loop still finds its streams, without hanging.
    func testDirectorySiblingCycle() throws {
        var f = Self.file(Self.workbookStream())
        f.setEntryField(2, 72, 1)
        checkSyntheticWorkbook(try read(f.bytes))
        f.setEntryField(1, 68, 1)
        checkSyntheticWorkbook(try read(f.bytes))
    }

    /// Random damage to both variants and to a real workbook: every read either succeeds or throws
    /// a WorkbookError (a trap would stop the test run). PEEL_XLS_FUZZ_ROUNDS=N runs N rounds each.
    func testRandomDamageNeverTraps() throws {
        var rng = SplitMix(seed: 0x5EED_0F_0B1F)
        let rounds = ProcessInfo.processInfo.environment["PEEL_XLS_FUZZ_ROUNDS"].flatMap { Int($0) }
        let real = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent("hosb1410-supptabs.xls")))
        for (base, defaultRounds) in [(Self.file(Self.workbookStream()).bytes, 1_500), (bigFile().bytes, 1_500), (real, 50)] {
            for round in 0..<(rounds ?? defaultRounds) {
                var b = base
                if round % 10 == 0 {
                    b = Array(b.prefix(Int(rng.next() % UInt64(b.count))))
                } else {
                    for _ in 0..<(1 + Int(rng.next() % 8)) {
                        let at = Int(rng.next() % UInt64(b.count))
                        b[at] = round % 3 == 0 ? 0xFF : UInt8(truncatingIfNeeded: rng.next())
                    }
                }
                do {
                    _ = try read(b)
                } catch is WorkbookError {
                } catch {
                    XCTFail("round \(round) threw \(error)")
                }
            }
        }
    }

    // MARK: Real workbooks

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/xls")

    func fixture(_ name: String) throws -> Workbook {
        let bytes = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent(name)))
        return try XLSReader.read(bytes, fileName: name)
    }

    /// Home Office, Police workforce England and Wales 31 March 2014, supplementary tables (OGL v3).
    /// Expected values were read from the file with python-calamine 0.9.1 and xlrd 2.0.2.
    func testHomeOfficeWorkforceSupplementaryTables() throws {
        let wb = try fixture("hosb1410-supptabs.xls")
        XCTAssertEqual(wb.sheets.map(\.name), ["Police Officers BCU", "PCSOs BCU", "Police Staff Regions"])
        XCTAssertEqual(wb.sheets.map(\.hidden), [false, false, false])
        let officers = wb.sheets[0]
        XCTAssertEqual(officers[0, 0], .text("Police officer strength and officers per 100,000 population by Basic Command Unit, 31 March 2010 1"))
        XCTAssertEqual(officers[4, 0], .text("Avon & Somerset"))
        XCTAssertEqual(officers[4, 1], .text("Bath and North East Somerset"))
        XCTAssertEqual(officers[4, 2], .number(226.24, decimals: 0))
        XCTAssertEqual(officers[4, 3], .number(127.51950218695004, decimals: 0))
        XCTAssertEqual(officers[10, 3], .text("N/A"))
        XCTAssertEqual(officers[11, 2], .number(3301.4700000000003, decimals: 0))
        XCTAssertEqual(officers[12, 1], .text("Bedfordshire County"))
        XCTAssertEqual(officers.rows.count, 314)
        XCTAssertEqual(officers.merges.count, 3)
        XCTAssertTrue(officers.merges.contains(CellRange.parse("A1:D1")!))
        XCTAssertEqual(wb.sheets[1][11, 2], .number(430.16999999999996, decimals: 0))
        let staff = wb.sheets[2]
        XCTAssertEqual(staff[7, 0], .text("NORTH EAST"))
        XCTAssertEqual(staff[4, 1], .date(days(2009, 3, 1)))
        XCTAssertEqual(staff[4, 3], .date(days(2010, 3, 1)))
        XCTAssertEqual(staff[7, 10], .percent(-0.031047764550193348, decimals: 1))
        XCTAssertEqual(staff[8, 12], .percent(0.009079688453189917, decimals: 1))
        XCTAssertEqual(staff[7, 9], .number(-115.42999999999984, decimals: 0))
        XCTAssertEqual(staff[3, 5], .text("Police staff less those on career\nbreaks or maternity/paternity leave\n(comparable with previously\npublished figures) (FTE)"))
        XCTAssertEqual(staff.rows.count, 76)
        XCTAssertEqual(staff.merges.count, 7)
        XCTAssertTrue(staff.merges.contains(CellRange.parse("A76:M76")!))
        XCTAssertTrue(staff.merges.contains(CellRange.parse("B4:D4")!))
    }

    /// Home Office, Police workforce England and Wales 31 March 2013, tables (OGL v3): formula
    /// cells whose cached result is #REF! (xlrd reads error code 0x17 in K8:P8).
    func testHomeOfficeWorkforceTablesWithErrorCells() throws {
        let wb = try fixture("hosb1311-tabs.xls")
        XCTAssertEqual(wb.sheets.map(\.name), ["Table 1", "Table 2 and 3", "Table 4", "Table 5", "Table 6", "Table 7", "Table 8",
                                               "Table 9", "Table 10a", "Table 10b", "Table 11"])
        let t = wb.sheets[9]
        XCTAssertEqual(t[7, 0], .text("Avon and Somerset"))
        for c in 10...15 { XCTAssertEqual(t[7, c], .error("#REF!")) }
        XCTAssertEqual(t[8, 1], .number(21, decimals: 0), "format #,##0")
        XCTAssertEqual(t[8, 5], .number(53.6, decimals: 0), "format #,##0")
        XCTAssertEqual(t[6, 5], .text("strength2"))
        var errors = 0
        for row in t.rows { for cell in row { if case .error = cell { errors += 1 } } }
        XCTAssertEqual(errors, 276)
    }
}

// MARK: - Building BIFF8 records and compound files byte by byte

/// Little-endian bytes and BIFF8 records, for composing synthetic .xls files in the tests.
enum XLSTestBytes {
    static func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    static func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xFF) } }
    static func u32(_ v: Int) -> [UInt8] { u32(UInt32(truncatingIfNeeded: v)) }
    static func f64(_ v: Double) -> [UInt8] { (0..<8).map { UInt8((v.bitPattern >> (8 * UInt64($0))) & 0xFF) } }

    static func record(_ type: Int, _ data: [UInt8]) -> [UInt8] { u16(type) + u16(data.count) + data }

    /// BOF: version (0x0600 for BIFF8), substream type (5 globals, 0x10 worksheet, 0x20 chart).
    static func bof(_ type: Int, version: Int = 0x0600) -> [UInt8] {
        record(0x0809, u16(version) + u16(type) + u16(0x0DBB) + u16(0x07CC) + u32(0) + u32(0x0006))
    }
    static let eof = record(0x000A, [])

    /// Characters compressed (one byte each) or UTF-16LE.
    static func chars(_ s: String, wide: Bool) -> [UInt8] {
        wide ? s.utf16.flatMap { u16(Int($0)) } : s.unicodeScalars.map { UInt8($0.value) }
    }
    /// XLUnicodeString: 2-byte count, option byte, characters.
    static func string(_ s: String, wide: Bool = false) -> [UInt8] {
        u16(s.utf16.count) + [wide ? 1 : 0] + chars(s, wide: wide)
    }

    static func boundSheet(offset: Int, name: String, state: UInt8 = 0, type: UInt8 = 0) -> [UInt8] {
        record(0x0085, u32(offset) + [state, type, UInt8(name.utf16.count), 0] + chars(name, wide: false))
    }
    static func xf(format: Int) -> [UInt8] { record(0x00E0, u16(0) + u16(format) + [UInt8](repeating: 0, count: 16)) }
    static func format(_ id: Int, _ s: String) -> [UInt8] { record(0x041E, u16(id) + string(s)) }
    static func cell(_ type: Int, _ row: Int, _ col: Int, _ xf: Int, _ rest: [UInt8]) -> [UInt8] {
        record(type, u16(row) + u16(col) + u16(xf) + rest)
    }
    static func number(_ row: Int, _ col: Int, _ v: Double, xf: Int = 0) -> [UInt8] { cell(0x0203, row, col, xf, f64(v)) }
    static func rk(_ row: Int, _ col: Int, _ raw: UInt32, xf: Int = 0) -> [UInt8] { cell(0x027E, row, col, xf, u32(raw)) }
    /// An RK integer: the value shifted left two bits, bit 1 set, bit 0 the ×100 flag.
    static func rkInt(_ v: Int32, times100: Bool = false) -> UInt32 { UInt32(bitPattern: v << 2) | 2 | (times100 ? 1 : 0) }
    /// An RK float: the top 32 bits of the double (its low 32 bits must be zero).
    static func rkFloat(_ v: Double, times100: Bool = false) -> UInt32 {
        UInt32(truncatingIfNeeded: v.bitPattern >> 32) & 0xFFFF_FFFC | (times100 ? 1 : 0)
    }
    static func mulRK(_ row: Int, _ firstCol: Int, _ cells: [(xf: Int, raw: UInt32)]) -> [UInt8] {
        record(0x00BD, u16(row) + u16(firstCol) + cells.flatMap { u16($0.xf) + u32($0.raw) } + u16(firstCol + cells.count - 1))
    }
    static func labelSST(_ row: Int, _ col: Int, _ index: Int) -> [UInt8] { cell(0x00FD, row, col, 0, u32(index)) }
    static func label(_ row: Int, _ col: Int, _ s: String, wide: Bool) -> [UInt8] { cell(0x0204, row, col, 0, string(s, wide: wide)) }
    static func boolErr(_ row: Int, _ col: Int, _ value: UInt8, isError: Bool) -> [UInt8] {
        cell(0x0205, row, col, 0, [value, isError ? 1 : 0])
    }
    /// FORMULA with a cached result (`value`: 8 bytes), its flags, and a one-token formula (ptgInt 1).
    static func formula(_ row: Int, _ col: Int, xf: Int = 0, value: [UInt8]) -> [UInt8] {
        cell(0x0006, row, col, xf, value + u16(0) + u32(0) + u16(3) + [0x1E] + u16(1))
    }
    /// A non-number formula result: type 0 string, 1 bool, 2 error, 3 empty string.
    static func special(_ type: UInt8, _ v: UInt8 = 0) -> [UInt8] { [type, 0, v, 0, 0, 0, 0xFF, 0xFF] }
    static func stringRecord(_ s: String, wide: Bool = false) -> [UInt8] { record(0x0207, string(s, wide: wide)) }
    static func blank(_ row: Int, _ col: Int) -> [UInt8] { cell(0x0201, row, col, 0, []) }
    static func mulBlank(_ row: Int, _ first: Int, _ last: Int) -> [UInt8] {
        record(0x00BE, u16(row) + u16(first) + (first...last).flatMap { _ in u16(0) } + u16(last))
    }
    static func merged(_ ranges: [(r1: Int, r2: Int, c1: Int, c2: Int)]) -> [UInt8] {
        record(0x00E5, u16(ranges.count) + ranges.flatMap { u16($0.r1) + u16($0.r2) + u16($0.c1) + u16($0.c2) })
    }

    /// A workbook stream: the globals (with a BOUNDSHEET per sheet, pointing at its substream)
    /// and then each sheet's substream.
    static func workbook(globalsBefore: [UInt8], globalsAfter: [UInt8] = [],
                         sheets: [(name: String, state: UInt8, type: UInt8, body: [UInt8])]) -> [UInt8] {
        func globals(_ offsets: [Int]) -> [UInt8] {
            var g = bof(0x0005) + globalsBefore
            for (s, o) in zip(sheets, offsets) { g += boundSheet(offset: o, name: s.name, state: s.state, type: s.type) }
            return g + globalsAfter + eof
        }
        let size = globals(sheets.map { _ in 0 }).count
        var offsets: [Int] = []
        var at = size
        for s in sheets { offsets.append(at); at += s.body.count }
        return globals(offsets) + sheets.flatMap(\.body)
    }
}

/// A compound file (MS-CFB version 3 with 512-byte sectors, or version 4 with 4096) holding streams in its root storage, and
/// where its parts are, for tests that damage them.
struct XLSTestCompoundFile {
    var bytes: [UInt8] = []
    /// Byte offsets in `bytes`: of the FAT's first sector, of each directory entry.
    var fatOffset = 0
    var directoryOffset = 0
    /// The first sector (or mini sector) of each stream, and how many it takes.
    var streamStart: [Int] = []
    var streamSectors: [Int] = []
    var directorySector = 0

    static let end: UInt32 = 0xFFFF_FFFE, free: UInt32 = 0xFFFF_FFFF, fatMark: UInt32 = 0xFFFF_FFFD

    init(streams: [(name: String, data: [UInt8])], sectorShift: Int = 9) {
        let size = 1 << sectorShift
        func pad(_ b: [UInt8], _ to: Int) -> [UInt8] { b + [UInt8](repeating: 0, count: (to - b.count % to) % to) }
        // Small streams go in the mini stream (64-byte mini sectors), the rest in whole sectors.
        var mini: [UInt8] = [], miniFAT: [UInt32] = []
        var big: [[UInt8]] = []
        var starts: [UInt32] = []
        var counts: [Int] = []
        for s in streams where s.data.count < 4096 {
            let n = (s.data.count + 63) / 64
            starts.append(s.data.isEmpty ? Self.end : UInt32(miniFAT.count))
            counts.append(n)
            for k in 0..<n { miniFAT.append(k == n - 1 ? Self.end : UInt32(miniFAT.count + 1)) }
            mini += pad(s.data, 64)
        }
        let entries = 1 + streams.count
        let directorySectors = (entries * 128 + size - 1) / size
        let miniFATSectors = miniFAT.isEmpty ? 0 : (miniFAT.count * 4 + size - 1) / size
        let miniSectors = (mini.count + size - 1) / size
        for s in streams where s.data.count >= 4096 { big.append(pad(s.data, size)) }
        let bigSectors = big.reduce(0) { $0 + $1.count / size }
        let others = directorySectors + miniFATSectors + miniSectors + bigSectors
        var fatSectors = 1
        while fatSectors * (size / 4) < fatSectors + others { fatSectors += 1 }
        // Sector order: FAT, directory, mini FAT, mini stream, big streams.
        var fat: [UInt32] = []
        func chain(_ n: Int) -> UInt32 {
            let first = UInt32(fat.count)
            for k in 0..<n { fat.append(k == n - 1 ? Self.end : UInt32(fat.count + 1)) }
            return n == 0 ? Self.end : first
        }
        for _ in 0..<fatSectors { fat.append(Self.fatMark) }
        let dirStart = chain(directorySectors)
        let miniFATStart = chain(miniFATSectors)
        let miniStart = chain(miniSectors)
        var bigStarts: [UInt32] = []
        for b in big { bigStarts.append(chain(b.count / size)) }
        while fat.count % (size / 4) != 0 { fat.append(Self.free) }

        // The directory: the root, then each stream as the right sibling of the one before.
        func entry(_ name: String, type: UInt8, right: UInt32, child: UInt32, start: UInt32, size: Int) -> [UInt8] {
            var e = XLSTestBytes.chars(name, wide: true) + [0, 0]
            let nameLength = e.count
            e += [UInt8](repeating: 0, count: 64 - e.count)
            e += XLSTestBytes.u16(nameLength) + [type, 1] + XLSTestBytes.u32(Self.free) + XLSTestBytes.u32(right) + XLSTestBytes.u32(child)
            e += [UInt8](repeating: 0, count: 16 + 4 + 16)
            e += XLSTestBytes.u32(start) + XLSTestBytes.u32(size) + XLSTestBytes.u32(0)
            return e
        }
        var directory = entry("Root Entry", type: 5, right: Self.free, child: streams.isEmpty ? Self.free : 1,
                              start: mini.isEmpty ? Self.end : miniStart, size: mini.count)
        var smallIndex = 0, bigIndex = 0
        for (i, s) in streams.enumerated() {
            let right = i + 1 < streams.count ? UInt32(i + 2) : Self.free
            let start: UInt32
            if s.data.count < 4096 {
                start = starts[smallIndex]
                streamStart.append(Int(start))
                streamSectors.append(counts[smallIndex])
                smallIndex += 1
            } else {
                start = bigStarts[bigIndex]
                streamStart.append(Int(start))
                streamSectors.append(big[bigIndex].count / size)
                bigIndex += 1
            }
            directory += entry(s.name, type: 2, right: right, child: Self.free, start: start, size: s.data.count)
        }
        directory = pad(directory, size)

        var header: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 16)
        header += XLSTestBytes.u16(0x3E) + XLSTestBytes.u16(sectorShift == 9 ? 3 : 4) + XLSTestBytes.u16(0xFFFE) + XLSTestBytes.u16(sectorShift) + XLSTestBytes.u16(6) + [0, 0, 0, 0, 0, 0]
        header += XLSTestBytes.u32(sectorShift == 9 ? 0 : directorySectors) + XLSTestBytes.u32(fatSectors) + XLSTestBytes.u32(dirStart) + XLSTestBytes.u32(0) + XLSTestBytes.u32(4096)
        header += XLSTestBytes.u32(miniFATStart) + XLSTestBytes.u32(miniFATSectors) + XLSTestBytes.u32(Self.end) + XLSTestBytes.u32(0)
        for k in 0..<109 { header += XLSTestBytes.u32(k < fatSectors ? UInt32(k) : Self.free) }
        bytes = pad(header, size)
        fatOffset = bytes.count
        bytes += fat.flatMap { XLSTestBytes.u32($0) }
        directorySector = Int(dirStart)
        directoryOffset = bytes.count
        bytes += directory
        bytes += pad(miniFAT.flatMap { XLSTestBytes.u32($0) }, size)
        bytes += pad(mini, size)
        for b in big { bytes += b }
    }

    /// Overwrites FAT entry `sector`.
    mutating func setFAT(_ sector: Int, _ value: UInt32) {
        bytes.replaceSubrange(fatOffset + 4 * sector..<fatOffset + 4 * sector + 4, with: XLSTestBytes.u32(value))
    }
    /// Overwrites a 4-byte field of directory entry `index` (68 left, 72 right, 76 child, 116 start).
    mutating func setEntryField(_ index: Int, _ field: Int, _ value: UInt32) {
        let at = directoryOffset + 128 * index + field
        bytes.replaceSubrange(at..<at + 4, with: XLSTestBytes.u32(value))
    }
}
