import PeelSupport
import PeelData

/// Finds the table in a publisher's worksheet and builds a typed `Table` from it.
///
/// Publishers' sheets put title rows, notes and blank rows above the header, glue footnote digits
/// to labels ("Leicestershire3"), split the header over two rows (group labels above), write notes
/// and sources below the table, and sometimes put a second block of data below a blank row.
/// `SheetTableLayout` finds the header and the extent (see there for how); this builds the columns:
/// names (`SheetTableNames`), types and missing values (`SheetTableColumns`), and says in `notes`
/// what was skipped or changed. The title lines above the table and the footnote rows below it go
/// to the table's `info.notes`, verbatim (spaces and newlines inside made one space), so `describe`
/// shows them; they are never values.
package enum SheetTable {
    package static func extract(_ sheet: Sheet, tableName: String, fileName: String, options: SheetOptions) throws -> SheetTableResult {
        let sheetName = sheet.name
        func noTable(empty: Bool = false) -> WorkbookError {
            WorkbookError(file: fileName, "sheet '\(sheetName)' holds no table",
                          help: empty ? "the sheet has no cells with values; choose another sheet"
                                      : "a table needs a row of headings with rows of values below it; give the header row or the cells to read (header row N, range A5:H50) if peel did not find it")
        }
        if sheet.isChart {
            throw WorkbookError(file: fileName, "sheet '\(sheetName)' is a chart sheet and holds no table", help: "choose a sheet of cells")
        }
        guard let used = sheet.usedRange else { throw noTable(empty: true) }

        // The rectangle to read.
        var region = used
        if let given = options.range {
            // As given, but corners in order and nothing before A1.
            let r = CellRange(firstRow: max(0, min(given.firstRow, given.lastRow)), firstColumn: max(0, min(given.firstColumn, given.lastColumn)),
                              lastRow: max(0, given.firstRow, given.lastRow), lastColumn: max(0, given.firstColumn, given.lastColumn))
            guard r.firstRow <= used.lastRow, r.firstColumn <= used.lastColumn, r.lastRow >= used.firstRow, r.lastColumn >= used.firstColumn else {
                throw WorkbookError(file: fileName, "range \(r.text) is outside sheet '\(sheetName)', whose cells are \(used.text)",
                                    help: "give a range within \(used.text)")
            }
            region = CellRange(firstRow: r.firstRow, firstColumn: r.firstColumn,
                               lastRow: min(r.lastRow, used.lastRow), lastColumn: min(r.lastColumn, used.lastColumn))
        }
        var headerIndex: Int?
        if let h = options.headerRow {
            guard h >= 1, h - 1 <= region.lastRow, h - 1 >= region.firstRow || options.range == nil else {
                if let r = options.range {
                    throw WorkbookError(file: fileName, "header row \(h) is outside the range \(r.text)", help: "give a header row between \(r.firstRow + 1) and \(r.lastRow + 1)")
                }
                throw WorkbookError(file: fileName, "header row \(h) is outside sheet '\(sheetName)', whose cells are in rows \(used.firstRow + 1)–\(used.lastRow + 1)",
                                    help: "give a header row between \(used.firstRow + 1) and \(used.lastRow + 1)")
            }
            headerIndex = h - 1
            if options.range == nil { region.firstRow = min(region.firstRow, h - 1) }
        }

        let grid: SheetGrid
        let layout: SheetTableLayout
        do {
            grid = try SheetGrid(sheet: sheet, region: region, isInterrupted: options.isInterrupted)
            if let m = headerIndex, grid.isBlank(m) {
                throw WorkbookError(file: fileName, "row \(m + 1) of sheet '\(sheetName)' is blank, so it holds no headings",
                                    help: "give the row of the table's headings as the header row")
            }
            if options.range != nil {
                layout = SheetTableLayout.inRange(grid, headerRow: headerIndex)
            } else if let m = headerIndex {
                layout = SheetTableLayout.withHeader(grid, headerRow: m)
            } else {
                guard let found = try SheetTableLayout.find(grid, strict: false, isInterrupted: options.isInterrupted) else { throw noTable() }
                layout = found
            }
        } catch is SheetGridInterrupted {
            throw CSVReader.interrupted(tableName)
        }
        guard !layout.columns.isEmpty else { throw noTable() }
        guard layout.columns.count <= Table.maxColumns else {
            throw WorkbookError(file: fileName, "sheet '\(sheetName)' has \(NumberFormat.grouped(layout.columns.count)) columns; a table may have at most \(NumberFormat.grouped(Table.maxColumns))",
                                help: "give the cells to read (range A5:H50)")
        }
        if headerIndex == nil && options.range == nil && layout.body.isEmpty { throw noTable() }
        guard layout.body.count < Int(Int32.max) else {
            throw WorkbookError(file: fileName, "sheet '\(sheetName)' has more rows than a table may hold", help: "give the cells to read (range A5:H50)")
        }
        return try build(grid, layout, sheetName: sheetName, tableName: tableName, fileName: fileName, options: options, auto: headerIndex == nil && options.range == nil)
    }

    /// Whether the sheet holds a table at all (a header row with at least two columns and at least one data row below it): for choosing the first table sheet.
    package static func holdsTable(_ sheet: Sheet) -> Bool {
        guard !sheet.isChart, let used = sheet.usedRange,
              let grid = try? SheetGrid(sheet: sheet, region: used, isInterrupted: { false }),
              let found = try? SheetTableLayout.find(grid, strict: true, isInterrupted: { false }) else { return false }
        return found.columns.count >= 2 && !found.body.isEmpty
    }

    /// The first line of title text at the top of the sheet (for the `sheets` listing), or nil.
    package static func title(_ sheet: Sheet) -> String? {
        guard !sheet.isChart else { return nil }
        for r in 0..<min(sheet.rows.count, 20) {
            let cells = sheet.rows[r].filter { !$0.isEmpty }
            if cells.isEmpty { continue }
            guard cells.count == 1, case .text(let t) = cells[0] else { return nil }
            let line = t.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { SheetText.collapsed(String($0)) }.first { !$0.isEmpty }
            return line
        }
        return nil
    }

    // MARK: - Building the table

    private static func build(_ g: SheetGrid, _ layout: SheetTableLayout, sheetName: String, tableName: String, fileName: String,
                              options: SheetOptions, auto: Bool) throws -> SheetTableResult {
        let named = SheetTableNames.names(layout.heads, columns: layout.columns)

        // Cells of the body; rows in which every value is missing carry nothing.
        var rows: [Int] = []
        var cells: [[SheetTableColumns.Parsed]] = Array(repeating: [], count: layout.columns.count)
        var dropped = 0
        var line: [SheetTableColumns.Parsed] = []
        for (n, r) in layout.body.enumerated() {
            if n & 4095 == 4095, options.isInterrupted() { throw CSVReader.interrupted(tableName) }
            line.removeAll(keepingCapacity: true)
            for c in layout.columns { line.append(SheetTableColumns.parse(g.sheet[r, c])) }
            if line.allSatisfy(\.isMissing) { dropped += 1; continue }
            rows.append(r)
            for j in line.indices { cells[j].append(line[j]) }
        }

        var columns: [Column] = []
        var warnings: [Diagnostic] = []
        var notes: [String] = []
        var strippedLabels = 0
        var strippedExample: (String, String)?
        for (j, c) in layout.columns.enumerated() {
            let built = SheetTableColumns.build(name: named.names[j], cells: cells[j])
            var column = built.column
            // Where the column came from, so `describe` can send the reader back to the sheet.
            column.description = named.descriptions[j].map { "\($0) (sheet column \(CellRange.columnName(c)))" } ?? "sheet column \(CellRange.columnName(c))"
            columns.append(column)
            if let (k, value, others) = built.textBecause {
                let ref = CellRange.columnName(c) + String(rows[k] + 1)
                let more = others > 0 ? " (and \(others) other word\(others == 1 ? "" : "s"))" : ""
                var d = Diagnostic("sheet '\(sheetName)' cell \(ref): column '\(named.names[j])' read as text because of '\(DisplayWidth.truncate(value, to: 60))'\(more)",
                                   file: fileName, help: "correct that value in the sheet, or write a missing-value marker such as '..', if the column should hold numbers")
                d.isWarning = true
                warnings.append(d)
            }
            if let k = built.mixedPercent {
                let ref = CellRange.columnName(c) + String(rows[k] + 1)
                var d = Diagnostic("sheet '\(sheetName)' cell \(ref): column '\(named.names[j])' mixes percentages and plain numbers; the percentages were read ×100 (84.1% as 84.1), the plain numbers as they are",
                                   file: fileName, help: "check the column's format in the sheet")
                d.isWarning = true
                warnings.append(d)
            }
            strippedLabels += built.strippedLabels
            if strippedExample == nil { strippedExample = built.strippedExample }
        }

        // What was skipped or changed, one sentence each.
        let titleCount = layout.titleRows.count
        if auto {
            let rowsText = layout.groupRow.map { "rows \($0 + 1)–\(layout.headerRow + 1)" } ?? "row \(layout.headerRow + 1)"
            var s = "header in \(rowsText)"
            if titleCount > 0 { s += " (\(titleCount) title row\(titleCount == 1 ? "" : "s") above it skipped)" }
            if let f = layout.fillRow {
                let filled = layout.columns.filter { layout.heads.fill[$0] != nil }.map { CellRange.columnName($0) }
                s += "; names for column\(filled.count == 1 ? "" : "s") \(filled.joined(separator: ", ")) from row \(f + 1)"
            }
            if layout.headerRow > g.top || layout.groupRow != nil || layout.fillRow != nil { notes.append(s) }
        } else if titleCount > 0 {
            notes.append("\(titleCount) row\(titleCount == 1 ? "" : "s") above the header skipped")
        }
        if !layout.unitRows.isEmpty {
            let texts = layout.unitRows.map { rowText(g, $0) }.joined(separator: "; ")
            notes.append("\(rowList(layout.unitRows)) between the header and the data left out (\(DisplayWidth.truncate(texts, to: 60)))")
        }
        if !named.joined.isEmpty {
            let n = named.joined.count
            notes.append("\(n) heading\(n == 1 ? "" : "s") repeated under different group labels joined with the label (\(named.joined[0]))")
        }
        if let first = named.stripped.first {
            let n = Set(named.stripped.map(\.0)).count
            notes.append("footnote digits removed from \(n) column name\(n == 1 ? "" : "s") (\(first.0) → \(first.1))")
        }
        let unnamed = named.renamed.filter { $0.0 == "(empty)" }.map(\.1)
        if !unnamed.isEmpty {
            notes.append("\(unnamed.count) column\(unnamed.count == 1 ? "" : "s") without a heading named \(unnamed.joined(separator: ", "))")
        }
        let repeats = named.renamed.filter { $0.0 != "(empty)" }
        if let first = repeats.first {
            notes.append("\(repeats.count) repeated heading\(repeats.count == 1 ? "" : "s") renamed (\(first.0) → \(first.1))")
        }
        if !layout.emptyColumns.isEmpty {
            let n = layout.emptyColumns.count
            notes.append("\(n) empty column\(n == 1 ? "" : "s") left out (\(layout.emptyColumns.map { CellRange.columnName($0) }.joined(separator: ", ")))")
        }
        if layout.blankRowsInside > 0 {
            let n = layout.blankRowsInside
            notes.append("\(n) blank row\(n == 1 ? "" : "s") inside the table skipped")
        }
        if dropped > 0 {
            notes.append("\(dropped) row\(dropped == 1 ? "" : "s") with no values left out")
        }
        if strippedLabels > 0, let (a, b) = strippedExample {
            notes.append("footnote digits removed from \(strippedLabels) label\(strippedLabels == 1 ? "" : "s") (\(a) → \(b))")
        }
        if !layout.footnoteRows.isEmpty {
            let n = layout.footnoteRows.count
            notes.append("\(n) note row\(n == 1 ? "" : "s") below the table left out")
        }
        for b in layout.blocksBelow {
            notes.append(b.count == 1 ? "row \(b.lowerBound + 1) below a blank row was not read; use range to read it"
                                      : "rows \(b.lowerBound + 1)–\(b.upperBound + 1) below a blank row were not read; use range to read them")
        }
        if let side = layout.columnsRight {
            let a = CellRange.columnName(side.lowerBound), b = CellRange.columnName(side.upperBound)
            notes.append(side.count == 1 ? "column \(a) right of a blank column was not read; use range to read it"
                                         : "columns \(a)–\(b) right of a blank column were not read; use range to read them")
        }

        var info = TableInfo()
        for r in layout.titleRows {
            for cell in g.row(r).cells {
                let t = SheetText.collapsed(g.text(r, cell.column))
                if !t.isEmpty { info.notes.append(t) }
            }
        }
        info.notes += layout.heads.ignored.map(SheetText.collapsed)
        for r in layout.unitRows { info.notes.append(rowText(g, r)) }
        for r in layout.footnoteRows {
            let t = rowText(g, r)
            if !t.isEmpty { info.notes.append(t) }
        }

        let table = Table(name: tableName, columns: columns, info: info)
        let firstColumn = layout.columns.first ?? g.region.firstColumn
        let range = CellRange(firstRow: layout.headerTop, firstColumn: firstColumn,
                              lastRow: layout.body.last ?? layout.headerRow, lastColumn: layout.columns.last ?? firstColumn)
        return SheetTableResult(table: table, sheetName: sheetName, headerRow: layout.headerRow + 1, range: range, notes: notes, warnings: warnings)
    }

    /// A row's cells as one line of text.
    private static func rowText(_ g: SheetGrid, _ r: Int) -> String {
        g.row(r).cells.map { SheetText.collapsed(g.text(r, $0.column)) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// "row 6" or "rows 6–7" (1-based) for the given rows.
    private static func rowList(_ rows: [Int]) -> String {
        guard let a = rows.first, let b = rows.last else { return "" }
        return rows.count == 1 ? "row \(a + 1)" : (b - a + 1 == rows.count ? "rows \(a + 1)–\(b + 1)" : "rows " + rows.map { String($0 + 1) }.joined(separator: ", "))
    }
}
