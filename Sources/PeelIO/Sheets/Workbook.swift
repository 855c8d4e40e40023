import PeelSupport

/// A spreadsheet file as its readers see it, before any table is found in it: the sheets in the
/// file's order, each a grid of typed cells. The .xlsx, .ods and .xls readers produce this; finding
/// the header and the table's extent (`SheetTable`) works on it alone.
package struct Workbook: Sendable {
    package enum Format: String, Sendable {
        case xlsx, ods, xls
    }

    package var format: Format
    package var sheets: [Sheet]

    package init(format: Format, sheets: [Sheet]) {
        self.format = format
        self.sheets = sheets
    }
}

/// One cell's value as the file stores it (a formula's cached value for a formula cell).
package enum SheetCell: Equatable, Sendable {
    case empty
    /// A number; `decimals` is the number of places its format shows (`0.0` → 1), nil for General.
    case number(Double, decimals: Int?)
    /// A number formatted as a percentage: `fraction` as stored (0.841 for 84.1%).
    case percent(Double, decimals: Int?)
    /// A date cell (days since 1970-01-01), already converted from the file's date system.
    case date(Int32)
    case text(String)
    case bool(Bool)
    /// An error value such as `#DIV/0!` or `#N/A`.
    case error(String)

    package var isEmpty: Bool {
        if case .empty = self { return true }
        if case .text(let t) = self { return t.allSatisfy { $0 == " " || $0 == "\u{A0}" || $0 == "\t" || $0 == "\n" } }
        return false
    }
}

/// A rectangle of cells, 0-based and inclusive (`A1` is row 0, column 0).
package struct CellRange: Equatable, Sendable {
    package var firstRow: Int
    package var firstColumn: Int
    package var lastRow: Int
    package var lastColumn: Int

    package init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
        self.firstRow = firstRow
        self.firstColumn = firstColumn
        self.lastRow = lastRow
        self.lastColumn = lastColumn
    }

    package var rows: Int { lastRow - firstRow + 1 }
    package var columns: Int { lastColumn - firstColumn + 1 }

    /// `A` → 0, `Z` → 25, `AA` → 26 (nil past Excel's last column, XFD).
    package static func columnIndex(_ letters: Substring) -> Int? {
        guard !letters.isEmpty, letters.count <= 3 else { return nil }
        var n = 0
        for c in letters.uppercased().utf8 {
            guard c >= 65, c <= 90 else { return nil }
            n = n * 26 + Int(c - 64)
        }
        return n - 1 < 16_384 ? n - 1 : nil
    }

    /// 0 → `A`, 26 → `AA`.
    package static func columnName(_ index: Int) -> String {
        var n = index + 1
        var out: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            out.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(out)
    }

    /// A cell reference such as `B7` → (row 6, column 1).
    package static func cell(_ ref: Substring) -> (row: Int, column: Int)? {
        let letters = ref.prefix { $0.isASCII && $0.isLetter }
        let digits = ref.dropFirst(letters.count)
        guard let c = columnIndex(letters), !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let r = Int(digits), r >= 1 else { return nil }
        return (r - 1, c)
    }

    /// `A5:H50` (or a single cell, `B2`).
    package static func parse(_ text: String) -> CellRange? {
        let parts = text.filter { $0 != "$" }.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let a = cell(parts[0]) else { return nil }
        let b = parts.count == 2 ? cell(parts[1]) : a
        guard let b else { return nil }
        return CellRange(firstRow: min(a.row, b.row), firstColumn: min(a.column, b.column),
                         lastRow: max(a.row, b.row), lastColumn: max(a.column, b.column))
    }

    /// `A5:H50`.
    package var text: String {
        "\(Self.columnName(firstColumn))\(firstRow + 1):\(Self.columnName(lastColumn))\(lastRow + 1)"
    }
}

/// One worksheet: its name exactly as the file spells it, whether it is hidden, and its cells.
package struct Sheet: Sendable {
    package var name: String
    package var hidden: Bool
    /// Row-major cells; `rows[r][c]` is the cell in row r, column c (0-based). Rows may be shorter
    /// than others (missing cells are empty) and trailing empty rows are not kept.
    package var rows: [[SheetCell]]
    /// Merged areas; the value is in the top-left cell and the others are empty.
    package var merges: [CellRange]
    /// A chart sheet, dialog or macro sheet: listed, but it holds no cells.
    package var isChart: Bool

    package init(name: String, hidden: Bool = false, rows: [[SheetCell]] = [], merges: [CellRange] = [], isChart: Bool = false) {
        self.name = name
        self.hidden = hidden
        self.rows = rows
        self.merges = merges
        self.isChart = isChart
    }

    package subscript(row: Int, column: Int) -> SheetCell {
        guard row >= 0, row < rows.count, column >= 0, column < rows[row].count else { return .empty }
        return rows[row][column]
    }

    /// The smallest rectangle holding every non-empty cell, or nil for an empty sheet.
    package var usedRange: CellRange? {
        var firstRow = -1, lastRow = -1, firstCol = Int.max, lastCol = -1
        for (r, row) in rows.enumerated() {
            guard let a = row.firstIndex(where: { !$0.isEmpty }), let b = row.lastIndex(where: { !$0.isEmpty }) else { continue }
            if firstRow < 0 { firstRow = r }
            lastRow = r
            firstCol = min(firstCol, a)
            lastCol = max(lastCol, b)
        }
        guard firstRow >= 0 else { return nil }
        return CellRange(firstRow: firstRow, firstColumn: firstCol, lastRow: lastRow, lastColumn: lastCol)
    }
}
