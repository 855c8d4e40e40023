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

    /// Reads the workbook at `path`, whatever its extension says: a zip holding `xl/workbook.xml`
    /// is .xlsx, one holding `content.xml` is .ods, a compound file is .xls.
    package static func read(path: String, fileName: String, isInterrupted: @escaping @Sendable () -> Bool = { false }) throws -> Workbook {
        let head = FileBytes.prefix(path, count: 8)
        if head.starts(with: [0x50, 0x4B]) {
            let zip = try ZipFile(path: path, fileName: fileName)
            zip.isInterrupted = isInterrupted
            if zip.contains("xl/workbook.xml") { return try XLSXReader.read(zip, fileName: fileName) }
            if zip.contains("content.xml") { return try ODSReader.read(zip, fileName: fileName) }
            let names = zip.entries.prefix(5).map(\.path).joined(separator: ", ")
            throw WorkbookError(file: fileName, "is a zip archive but not a workbook: it has no xl/workbook.xml (.xlsx) or content.xml (.ods)",
                                help: zip.entries.isEmpty ? "the archive is empty" : "it holds \(names)\(zip.entries.count > 5 ? ", …" : ""); to stack the CSV files in it, load it by its .zip name")
        }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return try FileBytes.withContents(path) { bytes, _ in try XLSReader.read(bytes, fileName: fileName) }
        }
        let text = head.allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || ($0 >= 32 && $0 < 127) || $0 >= 0x80 }
        if head.isEmpty { throw WorkbookError(file: fileName, "is empty: it holds no workbook") }
        throw WorkbookError(file: fileName, "is not a workbook: it starts as neither a zip archive (.xlsx, .ods) nor an Excel 97–2003 file (.xls)",
                            help: text ? "it looks like text: if it is a CSV or HTML file saved under a spreadsheet's name, rename it .csv and load that"
                                       : "the file may be damaged; download it again")
    }

    /// Finds the sheet `options` names (or the first that holds a table) and reads its table.
    package static func load(path: String, fileName: String, tableName: String, options: SheetOptions) throws -> SheetTableResult {
        let book = try read(path: path, fileName: fileName, isInterrupted: options.isInterrupted)
        let sheet = try choose(options.sheet, in: book, fileName: fileName)
        var result = try SheetTable.extract(sheet, tableName: tableName, fileName: fileName, options: options)
        result.table.columns = result.table.columns.map { $0.detectingPeriods() }
        if result.table.info.title == nil { result.table.info.title = SheetTable.title(sheet) }
        return result
    }

    /// The sheet `choice` names, or without one the first that holds a table.
    package static func choose(_ choice: SheetOptions.Choice?, in book: Workbook, fileName: String) throws -> Sheet {
        let names = book.sheets.map(\.name)
        func listed() -> String { names.prefix(12).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 12 ? ", …" : "") }
        switch choice {
        case .index(let n)?:
            guard n >= 1, n <= book.sheets.count else {
                throw WorkbookError(file: fileName, "has \(book.sheets.count) sheet\(book.sheets.count == 1 ? "" : "s"), so there is no sheet \(n)",
                                    help: "its sheets are \(listed()); `sheets \"\(fileName)\"` lists them")
            }
            return book.sheets[n - 1]
        case .name(let wanted)?:
            if let s = book.sheets.first(where: { $0.name == wanted }) { return s }
            func loose(_ s: String) -> String { s.trimmingSpaces().lowercased() }
            let near = book.sheets.filter { loose($0.name) == loose(wanted) }
            if near.count == 1 { return near[0] }
            throw WorkbookError(file: fileName, "has no sheet named '\(wanted)'",
                                help: (Suggest.hint(for: wanted, in: names).map { $0 + " " } ?? "") + "Its sheets are \(listed()).")
        case nil:
            if let s = book.sheets.first(where: { !$0.isChart && !$0.hidden && SheetTable.holdsTable($0) }) { return s }
            if let s = book.sheets.first(where: { !$0.isChart && SheetTable.holdsTable($0) }) { return s }
            throw WorkbookError(file: fileName, "holds no sheet with a table (a header row above rows of values)",
                                help: book.sheets.isEmpty ? "the workbook has no sheets" : "its sheets are \(listed()); name one with `sheet` and give `header row N` or `range \"A5:H50\"`")
        }
    }
}

extension FileBytes {
    /// The first `count` bytes of a regular file (fewer when it is shorter; none when unreadable).
    package static func prefix(_ path: String, count: Int) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, count) }
        return n > 0 ? Array(out[0..<n]) : []
    }
}
