import Foundation
import PeelSupport
import PeelData

/// What one non-empty cell looks like when looking for a table: a word, a number (including text
/// that reads as one), a publisher's marker or an error value (a number that is missing), or a date.
enum SheetCellKind: UInt8 {
    case text, number, marker, date
}

/// The cells of a sheet inside the rectangle being read, classified once: each row's non-empty
/// cells (column and kind), so that finding the header, the body and the notes below never
/// re-reads a cell's text.
struct SheetGrid {
    struct Cell {
        var column: Int
        var kind: SheetCellKind
        /// For a number: a whole number between 1900 and 2100 (a year heading such as `2017`). For a
        /// marker: a symbol alone (`+`, `%`), not a standard marker.
        var yearLike: Bool
    }

    struct Row {
        var cells: [Cell] = []
        var texts = 0
        /// Numbers and markers.
        var numeric = 0
        /// Numbers only (not markers or errors).
        var numbers = 0
        var dates = 0
        var years = 0
        /// Symbols alone (counted in `numeric` too).
        var symbols = 0
    }

    let sheet: Sheet
    /// The rectangle read (0-based sheet rows and columns).
    let region: CellRange
    /// `rows[r - region.firstRow]`.
    private(set) var rows: [Row] = []
    /// Merged areas that overlap the region.
    let merges: [CellRange]

    init(sheet: Sheet, region: CellRange, isInterrupted: () -> Bool) throws {
        self.sheet = sheet
        self.region = region
        self.merges = sheet.merges.filter {
            $0.lastRow >= region.firstRow && $0.firstRow <= region.lastRow && $0.lastColumn >= region.firstColumn && $0.firstColumn <= region.lastColumn
        }
        rows.reserveCapacity(region.rows)
        for r in region.firstRow...region.lastRow {
            if (r - region.firstRow) & 4095 == 4095, isInterrupted() { throw SheetGridInterrupted() }
            var row = Row()
            if r < sheet.rows.count {
                let cells = sheet.rows[r]
                let last = min(region.lastColumn, cells.count - 1)
                if region.firstColumn <= last {
                    for c in region.firstColumn...last {
                        guard let (kind, year) = Self.classify(cells[c]) else { continue }
                        row.cells.append(Cell(column: c, kind: kind, yearLike: year))
                        switch kind {
                        case .text: row.texts += 1
                        case .number: row.numeric += 1; row.numbers += 1; if year { row.years += 1 }
                        case .marker: row.numeric += 1; if year { row.symbols += 1 }
                        case .date: row.dates += 1
                        }
                    }
                }
            }
            rows.append(row)
        }
    }

    /// The kind of a cell (nil for an empty one) and a flag: for a number, whether it is a year-like
    /// whole number; for a marker, whether it is a symbol alone (`+`, `%`) rather than a standard marker.
    static func classify(_ cell: SheetCell) -> (SheetCellKind, Bool)? {
        switch cell {
        case .empty: return nil
        case .number(let v, _):
            return (.number, v == v.rounded() && v >= 1900 && v <= 2100)
        case .percent: return (.number, false)
        case .date: return (.date, false)
        case .bool: return (.text, false)
        case .error: return (.marker, false)
        case .text(let t):
            let s = SheetText.trimmed(t)
            if s.isEmpty { return nil }
            if MissingMarkers.isMarker(s) { return (.marker, false) }
            // A symbol alone (`+`, `~`): a marker in a row of data, a heading (`%`) in a header.
            if SheetText.isSymbol(s) { return (.marker, true) }
            switch ValueKind.classify(s, markers: []) {
            case .integer(let i): return (.number, i >= 1900 && i <= 2100 && s.count == 4)
            case .decimal, .percent: return (.number, false)
            case .date: return (.date, false)
            case .missing: return nil
            case .text: return (.text, false)
            }
        }
    }

    var top: Int { region.firstRow }
    var bottom: Int { region.lastRow }

    func row(_ r: Int) -> Row {
        let i = r - region.firstRow
        return i >= 0 && i < rows.count ? rows[i] : Row()
    }

    func isBlank(_ r: Int) -> Bool { row(r).cells.isEmpty }

    /// Blank within the given columns (cells elsewhere do not count).
    func isBlank(_ r: Int, within columns: ClosedRange<Int>) -> Bool {
        !row(r).cells.contains { columns.contains($0.column) }
    }

    func kind(_ r: Int, _ c: Int) -> SheetCellKind? {
        row(r).cells.first { $0.column == c }?.kind
    }

    /// The cell's text for headings and notes: outer spaces trimmed, numbers as shown.
    func text(_ r: Int, _ c: Int) -> String {
        SheetText.display(sheet[r, c])
    }

    /// A row of headings: two or more cells, all words, dates (`Mar-16  Sep-16  Mar-17`) or
    /// year-like numbers over a row of data.
    func isHeaderish(_ r: Int) -> Bool {
        let row = row(r)
        guard row.cells.count >= 2 else { return false }
        if row.numeric > row.symbols && !isYearHeading(r) { return false }
        return !isNote(r, firstColumn: nil)
    }

    /// A row whose numbers are all year-like (`2010  2011  2012`) above a row of other numbers:
    /// headings, not data.
    func isYearHeading(_ r: Int) -> Bool {
        let row = row(r)
        guard row.numbers >= 2, row.years == row.numbers, row.numeric == row.numbers + row.symbols else { return false }
        var k = r + 1
        while k <= min(bottom, r + 3) {
            let next = self.row(k)
            if next.cells.isEmpty { k += 1; continue }
            return next.numbers > next.years
        }
        return false
    }

    /// A row holding data: a number or a marker somewhere (not a row of year headings; a symbol
    /// alone such as `%` does not count).
    func isData(_ r: Int) -> Bool {
        let row = row(r)
        return row.numeric > row.symbols && !isYearHeading(r)
    }

    /// One word cell and nothing else in the row.
    func isSingleText(_ r: Int) -> Bool {
        let row = row(r)
        return row.cells.count == 1 && row.texts == 1
    }

    /// A footnote, source or note line: one word cell, in the table's first column (or left of it),
    /// that starts like a note ("1. Includes …", "Source: …", "Notes", "* …").
    func isNote(_ r: Int, firstColumn: Int?) -> Bool {
        let row = row(r)
        guard row.cells.count == 1, row.texts == 1 else { return false }
        let t = text(r, row.cells[0].column)
        // A source line may stand anywhere in the row (the Home Office puts "Source: Home Office"
        // under the last column); other notes start at the table's left edge.
        if let f = firstColumn, row.cells[0].column > f { return SheetText.looksLikeSourceLine(t) }
        return SheetText.looksLikeNote(t)
    }

    /// The merged area covering a cell, if any.
    func merge(covering r: Int, _ c: Int) -> CellRange? {
        merges.first { $0.firstRow <= r && r <= $0.lastRow && $0.firstColumn <= c && c <= $0.lastColumn }
    }
}

struct SheetGridInterrupted: Error {}

/// Text helpers shared by the sheet-table code.
enum SheetText {
    static func isSpace(_ c: Character) -> Bool {
        c == " " || c == "\u{A0}" || c == "\t" || c == "\n" || c == "\r" || c == "\u{2007}" || c == "\u{202F}"
    }

    /// Outer spaces (including no-break spaces, tabs and newlines) removed.
    static func trimmed(_ s: String) -> String {
        guard let a = s.firstIndex(where: { !isSpace($0) }), let b = s.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(s[a...b])
    }

    /// Text with no letter and no digit in it (`+`, `~`, `—`, `**`).
    static func isSymbol(_ s: String) -> Bool {
        !s.isEmpty && !s.contains { $0.isLetter || $0.isNumber }
    }

    /// Trimmed, and every run of spaces and newlines inside made one space.
    static func collapsed(_ s: String) -> String {
        var out = ""
        var pendingSpace = false
        for c in s {
            if isSpace(c) { pendingSpace = !out.isEmpty; continue }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(c)
        }
        return out
    }

    /// A cell as text for headings, titles and notes (numbers as the sheet shows them).
    static func display(_ cell: SheetCell) -> String {
        switch cell {
        case .empty: return ""
        case .text(let t): return trimmed(t)
        case .number(let v, let d): return numberText(v, decimals: d)
        case .percent(let v, let d): return numberText(v * 100, decimals: d) + "%"
        case .date(let d): return CivilDate.iso(d)
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .error(let e): return e
        }
    }

    static func numberText(_ v: Double, decimals: Int?) -> String {
        guard let d = decimals else {
            let (value, scale) = SheetNumbers.general(v)
            return NumberFormat.fixed(value, scale: scale)
        }
        return NumberFormat.fixed(v, scale: max(0, min(d, ValueKind.maxScale)))
    }

    /// `Source: …`, `Sources: …`, `Source - …`: the publisher naming where the figures came from.
    static func looksLikeSourceLine(_ s: String) -> Bool {
        let lower = trimmed(s).lowercased()
        for p in ["source:", "sources:", "source -", "source –", "source "] where lower.hasPrefix(p) {
            return p != "source " || lower.count < 120
        }
        return false
    }

    /// A line that starts like a footnote or a note: `1. …`, `1 …`, `12) …`, `Source: …`, `Notes`,
    /// `* …`, `† …`, `'..' …`.
    static func looksLikeNote(_ s: String) -> Bool {
        let t = trimmed(s)
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty {
            // Footnotes are numbered 1 to 99: `12. …`, `3) …`, `1 Includes …`, `3 '..' Not available`
            // (but not `999 calls received` or `12 months to March`).
            guard digits.count <= 2 else { return false }
            let rest = t.dropFirst(digits.count)
            guard let next = rest.first else { return false }
            if next == "." || next == ")" || next == ":" {
                // `1.5 million …` is a number, not a footnote.
                return !(rest.dropFirst().first.map { $0.isASCII && $0.isNumber } ?? false)
            }
            if isSpace(next), let word = rest.first(where: { !isSpace($0) }) {
                return word.isUppercase || word == "'" || word == "\"" || word == "‘" || word == "“"
            }
            return false
        }
        let lower = t.lowercased()
        for p in ["source", "note", "footnote", "*", "†", "‡", "'..'", "\"..\"", "symbol", "key:"] where lower.hasPrefix(p) {
            return true
        }
        return false
    }
}

/// Numbers as a spreadsheet shows them.
enum SheetNumbers {
    /// A General number (no decimals in its format) as a spreadsheet shows it: the fewest decimals,
    /// up to 12, that write it to 12 significant digits, and the value so written. Float noise of a
    /// formula goes (730.8800000000001 → 730.88 with 2 decimals, 2337.76 - 2280.33 = 57.43000000000029
    /// → 57.43); a value that needs more keeps 12 decimals (2/3 → 0.666666666667).
    static func general(_ v: Double) -> (value: Double, scale: Int) {
        guard v.isFinite, v != v.rounded() else { return (v, 0) }
        let tolerance = abs(v) * 1e-12
        var p = 1.0
        for s in 1...ValueKind.maxScale {
            p *= 10
            let x = (v * p).rounded(.toNearestOrAwayFromZero)
            if abs(x) < 9e15 {
                // x and 10^s are exact, so x / 10^s is the double nearest the decimal, as parsing it would give.
                let d = x / p
                if abs(d - v) <= tolerance { return (d, s) }
            } else if let d = Double(NumberFormat.fixed(v, scale: s)), abs(d - v) <= tolerance {
                return (d, s)
            }
        }
        return (Double(NumberFormat.fixed(v, scale: ValueKind.maxScale)) ?? v, ValueKind.maxScale)
    }
}
