import PeelData
import PeelSupport

/// What the .xlsx and .ods readers share: numbers and cell references read straight from bytes,
/// dates and times as text, and the one budget that bounds what a hostile file can make them build.
enum XMLSheetSupport {
    /// Runs a reader so that it throws only `WorkbookError`: Ctrl-C says so, and anything else is
    /// wrapped as "cannot be read as `what`".
    static func reading(_ fileName: String, as what: String, _ body: () throws -> Workbook) throws -> Workbook {
        do {
            return try body()
        } catch let e as WorkbookError {
            throw e
        } catch is ZipFile.Interrupted {
            throw WorkbookError(file: fileName, "was not read: interrupted")
        } catch {
            throw WorkbookError(file: fileName, "cannot be read as \(what) (\(error))")
        }
    }

    /// Excel's last column, XFD; OpenDocument files written by Excel go as far.
    static let maxColumns = 16_384
    /// The most rows a sheet may have (the same bound as a table read from any file).
    static let maxRows = Limits.maxRows

    // MARK: Numbers

    private static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// A decimal number as XML stores one (`-12`, `0.125`, `1.5E-3`, surrounding spaces allowed);
    /// nil for anything else (no `inf`, `nan` or hex). Correctly rounded.
    static func double(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0, n = b.count
        while i < n, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        while n > i, b[n - 1] == 0x20 || b[n - 1] == 0x09 || b[n - 1] == 0x0A || b[n - 1] == 0x0D { n -= 1 }
        let start = i
        var negative = false
        if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { negative = b[i] == UInt8(ascii: "-"); i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, significant = 0, scale = 0
        var exact = true
        while i < n, b[i] >= 48, b[i] <= 57 {
            let d = UInt64(b[i] - 48)
            if significant > 0 || d != 0 {
                if significant < 19 { mantissa = mantissa * 10 + d } else { scale += 1; exact = false }
                significant += 1
            }
            digits += 1
            i += 1
        }
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, b[i] >= 48, b[i] <= 57 {
                let d = UInt64(b[i] - 48)
                if significant > 0 || d != 0 {
                    if significant < 19 { mantissa = mantissa * 10 + d; scale -= 1 } else { exact = false }
                    significant += 1
                } else {
                    scale -= 1
                }
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { expNegative = b[i] == UInt8(ascii: "-"); i += 1 }
            var e = 0, expDigits = 0
            while i < n, b[i] >= 48, b[i] <= 57 {
                if e < 100_000 { e = e * 10 + Int(b[i] - 48) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            scale += expNegative ? -e : e
        }
        guard i == n else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if exact, mantissa <= 1 << 53, scale >= -22, scale <= 22 {
            let m = Double(mantissa)
            let v = scale >= 0 ? m * exactPowers[scale] : m / exactPowers[-scale]
            return negative ? -v : v
        }
        // Rare (more than 15 digits, or a large exponent): the standard library rounds it correctly.
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<n]), as: UTF8.self)
        guard let v = Double(text), v.isFinite else { return nil }
        return v
    }

    /// A non-negative decimal integer, saturating at `Int.max` (so a huge repeat count stays huge
    /// rather than wrapping); nil when it is not all digits.
    static func count(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !b.isEmpty else { return nil }
        var v = 0
        for c in b {
            guard c >= 48, c <= 57 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(c - 48))
            v = o1 || o2 ? Int.max : s
        }
        return v
    }

    /// A cell reference such as `B7` → (row 6, column 1), 0-based; rows and columns past any limit
    /// saturate (the caller refuses them). nil when it is not letters then digits.
    static func cellReference(_ b: UnsafeBufferPointer<UInt8>) -> (row: Int, column: Int)? {
        var i = 0, column = 0
        while i < b.count {
            var c = b[i]
            if c >= 97 && c <= 122 { c -= 32 }
            guard c >= 65 && c <= 90 else { break }
            column = column > 1 << 40 ? column : column * 26 + Int(c - 64)
            i += 1
        }
        guard i > 0, i < b.count, let row = count(UnsafeBufferPointer(rebasing: b[i...])), row >= 1 else { return nil }
        return (row - 1, column - 1)
    }

    // MARK: Dates and times

    /// `2018-06-30 14:05`, with `:SS` when the seconds are not zero or `showSeconds`.
    static func dateTimeText(days: Int32, secondOfDay: Int, showSeconds: Bool) -> String {
        CivilDate.iso(days) + " " + timeText(seconds: secondOfDay, showSeconds: showSeconds)
    }

    /// `14:05` or `14:05:09` (hours past 23 are kept, for durations).
    static func timeText(seconds: Int, showSeconds: Bool) -> String {
        let negative = seconds < 0
        let s = seconds.magnitude
        func two(_ v: UInt) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var out = (negative ? "-" : "") + two(s / 3600) + ":" + two(s / 60 % 60)
        if showSeconds || s % 60 != 0 { out += ":" + two(s % 60) }
        return out
    }

    /// An ISO 8601 date or date-time as OpenDocument and .xlsx `t="d"` cells store it:
    /// `2016-09-30`, `2016-09-30T12:30:00`, `2016-09-30T12:30:00.5Z`. A date at midnight is
    /// `.date`; one with a time of day is text, `2016-09-30 12:30` (the model has no date-time).
    static func isoDateTime(_ b: UnsafeBufferPointer<UInt8>) -> SheetCell? {
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from >= 0, from + count <= b.count else { return nil }
            var v = 0
            for k in from..<(from + count) {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            return v
        }
        guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y = digits(0, 4), let m = digits(5, 2), let d = digits(8, 2),
              let days = CivilDate.days(year: y, month: m, day: d) else { return nil }
        if b.count == 10 { return .date(days) }
        guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), let hh = digits(11, 2), b.count >= 16,
              b[13] == UInt8(ascii: ":"), let mm = digits(14, 2), hh < 24, mm < 60 else { return nil }
        var ss = 0.0
        var k = 16
        if k < b.count, b[k] == UInt8(ascii: ":") {
            let from = k + 1
            k = from
            while k < b.count, (b[k] >= 48 && b[k] <= 57) || b[k] == UInt8(ascii: ".") { k += 1 }
            guard let s = double(UnsafeBufferPointer(rebasing: b[from..<k])), s >= 0, s < 61 else { return nil }
            ss = s
        }
        // A time zone (Z, +01:00) is ignored: a spreadsheet's dates are local.
        if k < b.count, !(b[k] == UInt8(ascii: "Z") || b[k] == UInt8(ascii: "+") || b[k] == UInt8(ascii: "-")) { return nil }
        let total = hh * 3600 + mm * 60 + Int(ss.rounded())
        if total == 0 { return .date(days) }
        if total >= 86_400 { return .date(days + 1) }
        return .text(dateTimeText(days: days, secondOfDay: total, showSeconds: false))
    }

    // MARK: Memory

    /// What one cell costs in a sheet's rows.
    static let cellBytes = MemoryLayout<SheetCell>.stride
    /// What one row costs beyond its cells (the array and its header).
    static let rowBytes = MemoryLayout<[SheetCell]>.stride
    static let mergeBytes = MemoryLayout<CellRange>.stride

    /// The memory every sheet of one workbook may take together: as much as one part of the
    /// archive may expand to. Repeated rows and cells in .ods, and cells far from the others in
    /// .xlsx, are cheap to write and dear to build; this stops a file that would take more.
    struct Budget {
        var remaining: Int
        let limit: Int
        let file: String

        init(remaining: Int, file: String) {
            self.remaining = remaining
            self.limit = remaining
            self.file = file
        }

        mutating func charge(_ bytes: Int, sheet: String) throws(WorkbookError) {
            remaining -= min(max(bytes, 0), remaining)
            if remaining == 0 {
                throw WorkbookError(file: file, part: "sheet '\(sheet)'",
                                    "would take more than \(Limits.bytes(limit)) of memory as cells (its repeated or far-flung cells expand that far)",
                                    help: "nothing was loaded; if the file is real, export the sheet as CSV and load that")
            }
        }
    }

    static func tooManyRows(file: String, sheet: String, row: Int) -> WorkbookError {
        WorkbookError(file: file, part: "sheet '\(sheet)'",
                      "has content at row \(row == Int.max ? "past \(maxRows.grouped)" : (row + 1).grouped), beyond the \(maxRows.grouped) rows peel reads",
                      help: "nothing was loaded; the file is damaged or hostile")
    }

    static func tooManyColumns(file: String, sheet: String, row: Int, column: Int) -> WorkbookError {
        WorkbookError(file: file, part: "sheet '\(sheet)'",
                      "has content in row \(row == Int.max ? "?" : (row + 1).grouped) at column \(column == Int.max ? "past 16,384" : (column + 1).grouped), beyond the 16,384 columns (XFD) a sheet has",
                      help: "nothing was loaded; the file is damaged or hostile")
    }
}

extension Int {
    /// `1,048,576`.
    fileprivate var grouped: String {
        let digits = Array(String(self.magnitude))
        var out = ""
        for (k, d) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return (self < 0 ? "-" : "") + out
    }
}
