import Foundation
import PeelSupport
import PeelData

/// Which sheet of a workbook to read, and where its table is, as `load` was told.
package struct SheetOptions: Sendable {
    package enum Choice: Sendable, Equatable {
        /// The sheet's name as the file spells it (matched exactly, then ignoring case and outer spaces).
        case name(String)
        /// 1 is the first sheet.
        case index(Int)
    }

    package var sheet: Choice?
    /// The header's row number as the user counts (1 is the sheet's first row); nil finds it.
    package var headerRow: Int?
    /// The cells to read; nil finds the table's extent.
    package var range: CellRange?
    /// Checked while reading: true stops the load (Ctrl-C).
    package var isInterrupted: @Sendable () -> Bool = { false }

    package init() {}
}

/// A table found in a sheet, with what was done to find it, for `load`'s summary.
package struct SheetTableResult: Sendable {
    package var table: Table
    /// The sheet as the file names it.
    package var sheetName: String
    /// The header's row number (1-based, as the spreadsheet shows it).
    package var headerRow: Int
    /// The cells the table was read from.
    package var range: CellRange
    /// What was skipped or changed, one sentence each ("3 title rows above the header skipped",
    /// "footnote digits removed from 2 labels: Leicestershire3 → Leicestershire").
    package var notes: [String]
    /// Located warnings (a column read as text because of one value, say).
    package var warnings: [Diagnostic]

    package init(table: Table, sheetName: String, headerRow: Int, range: CellRange, notes: [String] = [], warnings: [Diagnostic] = []) {
        self.table = table
        self.sheetName = sheetName
        self.headerRow = headerRow
        self.range = range
        self.notes = notes
        self.warnings = warnings
    }
}

/// Loading a table from a workbook file: read the workbook, pick the sheet, find the table.
package enum WorkbookLoad {
    /// The workbook format a file name says, from its extension (nil for anything else).
    package static func format(of path: String) -> Workbook.Format? {
        let lower = path.lowercased()
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") { return .xlsx }
        if lower.hasSuffix(".ods") { return .ods }
        if lower.hasSuffix(".xls") { return .xls }
        return nil
    }

    /// Reads the workbook at `path` and returns the table of the chosen sheet (or of the first
    /// sheet that holds one). `fileName` is how errors name the file.
    package static func load(path: String, fileName: String, tableName: String, options: SheetOptions) throws -> SheetTableResult {
        // Filled in when the readers and SheetTable are merged.
        throw WorkbookError(file: fileName, "workbooks cannot be read yet")
    }
}
