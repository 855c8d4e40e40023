import PeelSupport
import PeelData

/// Writing a table as a workbook (.xlsx or .ods) with typed cells: whole and decimal numbers as
/// numbers with a number format showing the column's decimals, a column whose unit is `%` as
/// fractions with a percent format (84.1 is stored as 0.841 and shown as 84.1%), dates as date
/// cells shown yyyy-mm-dd, text as text, and a missing value as an empty cell. The first row holds
/// the headers (bold), and the one sheet is named as the caller says.
///
/// The bytes of the whole file are returned, for `AtomicFile` to write whole or not at all. The
/// sheet's XML is never held whole in memory: it is made twice in blocks of rows, once to measure
/// it and once to compress it into the zip (`WorkbookWriterZip`).
///
/// Text is written as it is, except for what XML 1.0 cannot hold: the control characters other
/// than tab, line feed and carriage return (U+0000–U+001F) are replaced by their control
/// pictures (U+0001 becomes ␁, U+001B becomes ␛), and U+FFFE and U+FFFF by U+FFFD. In .ods a line
/// break (LF, CR LF or CR) becomes a new paragraph of the cell, which readers give back as LF.
/// An integer past 2^53 (which a spreadsheet's numbers cannot hold exactly), `inf` and `NaN`, and in
/// .xlsx a date before 1 March 1900 (which Excel numbers wrongly), are written as text.
package enum WorkbookWriter {
    /// The most rows a sheet holds, the header's included (Excel's and LibreOffice's limit).
    package static let maxRows = 1_048_576
    /// The most columns a sheet holds (Excel's limit, and `Table.maxColumns`).
    package static let maxColumns = 16_384
    /// The most characters (UTF-16 code units) an Excel cell holds; .ods has no such limit.
    package static let maxCellCharacters = 32_767
    /// The most characters (UTF-16 code units) in a sheet's name (Excel's limit, kept for .ods too
    /// so that a file opens everywhere).
    package static let maxSheetNameLength = 31
    /// The most decimals a number format shows (as many as peel shows).
    package static let maxDecimals = 12
    /// Rows per block of XML (and between checks for Ctrl-C).
    package static let rowsPerBlock = 1_024

    /// The workbook a file name asks for by its extension: .xlsx or .ods (nil for any other,
    /// .xls and .xlsm included, which are not written).
    package static func format(of path: String) -> Workbook.Format? {
        let lower = path.lowercased()
        if lower.hasSuffix(".xlsx") { return .xlsx }
        if lower.hasSuffix(".ods") { return .ods }
        return nil
    }

    /// The name Excel keeps for itself (in any case).
    package static let reservedSheetName = "History"

    /// The characters Excel refuses in a sheet's name.
    package static let forbiddenSheetNameCharacters: Set<Character> = [":", "\\", "/", "?", "*", "[", "]"]

    /// What is wrong with `name` as a sheet's name, as a message and a help line (nil when it is a
    /// good name). Excel's rules: 1 to 31 characters, none of `: \ / ? * [ ]`, not starting or
    /// ending with an apostrophe, and not `History` (which Excel keeps for itself); control
    /// characters are refused too.
    package static func sheetNameProblem(_ name: String) -> (message: String, help: String)? {
        if name.isEmpty {
            return ("a sheet name cannot be empty", "give a name of 1 to 31 characters, e.g. sheet \"Rates\"")
        }
        if let bad = name.first(where: { forbiddenSheetNameCharacters.contains($0) }) {
            return ("a sheet name cannot hold '\(bad)'",
                    "spreadsheets refuse : \\ / ? * [ ] in sheet names; e.g. sheet \"\(quoted(replacingForbidden(name)))\"")
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return ("a sheet name cannot hold control characters (tabs, line breaks and the like)",
                    "e.g. sheet \"\(quoted(replacingForbidden(name)))\"")
        }
        if name.hasPrefix("'") || name.hasSuffix("'") {
            return ("a sheet name cannot start or end with an apostrophe (')",
                    "e.g. sheet \"\(quoted(trimmingApostrophes(name).isEmpty ? "Sheet1" : trimmingApostrophes(name)))\"")
        }
        let length = name.utf16.count
        if length > maxSheetNameLength {
            return ("a sheet name has at most \(maxSheetNameLength) characters, and '\(name)' has \(length)",
                    "e.g. sheet \"\(quoted(String(truncated(name).reversed().drop { $0 == " " }.reversed())))\"")
        }
        if name.lowercased() == reservedSheetName.lowercased() {
            return ("'\(name)' cannot name a sheet: Excel keeps the name History for itself", "choose another name, e.g. sheet \"\(name) 1\"")
        }
        return nil
    }

    /// A good sheet name made from a table's name: refused characters become `_`, apostrophes at
    /// either end are dropped, and the name is cut to 31 characters (`Sheet1` when nothing is left).
    package static func defaultSheetName(_ tableName: String) -> String {
        var name = String(tableName.map { c -> Character in
            forbiddenSheetNameCharacters.contains(c) || c.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ? "_" : c
        })
        name = trimmingApostrophes(name)
        name = truncated(name)
        name = trimmingApostrophes(name)
        if name.isEmpty || sheetNameProblem(name) != nil { return "Sheet1" }
        return name
    }

    private static func replacingForbidden(_ name: String) -> String {
        String(name.map { c in
            forbiddenSheetNameCharacters.contains(c) || c.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ? "-" : c
        })
    }

    private static func trimmingApostrophes(_ name: String) -> String {
        String(name.drop { $0 == "'" }.reversed().drop { $0 == "'" }.reversed())
    }

    /// The longest start of `name` within 31 UTF-16 code units, cut between characters.
    private static func truncated(_ name: String) -> String {
        var out = ""
        var units = 0
        for c in name {
            let n = c.utf16.count
            if units + n > maxSheetNameLength { break }
            out.append(c)
            units += n
        }
        return out
    }

    /// `name` as it goes inside double quotes in a help line.
    private static func quoted(_ name: String) -> String {
        name.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
    }

    /// The bytes of a workbook holding `table` in one sheet called `sheetName`, the first row
    /// holding `headers` (one per column; a column without one is headed by its name). `fileName`
    /// names the file in errors. Throws `WorkbookError` for a table a workbook cannot hold (too
    /// many rows or columns, a text longer than an Excel cell holds), a bad sheet name, and
    /// `Interrupt.stopped` when Ctrl-C is pressed.
    package static func write(_ table: Table, headers: [String], sheetName: String, as format: Workbook.Format,
                              fileName: String) throws -> [UInt8] {
        if let problem = sheetNameProblem(sheetName) {
            throw WorkbookError(file: fileName, problem.message, help: problem.help)
        }
        let plan = try WorkbookWriterPlan(table, headers: headers, fileName: fileName)
        switch format {
        case .xlsx: return try XLSXWriter.write(plan, sheetName: sheetName, fileName: fileName)
        case .ods: return try ODSWriter.write(plan, sheetName: sheetName, fileName: fileName)
        case .xls:
            throw WorkbookError(file: fileName, "peel writes .xlsx and .ods workbooks, not the old .xls format",
                                help: "name the file .xlsx")
        }
    }
}

/// What each column of a table becomes in a workbook, decided once before any XML is made.
package struct WorkbookWriterPlan {
    /// What a column's cells are.
    package enum Kind: Equatable {
        /// Whole numbers (number format `0`, or `0%` for a percent column).
        case integer
        /// Decimal numbers, shown with each row's decimals.
        case decimal
        /// Calendar dates, shown yyyy-mm-dd.
        case date
        case text
    }

    package struct PlannedColumn {
        package var column: Column
        package var header: String
        package var kind: Kind
        /// A numeric column whose unit is `%`: stored as a fraction with a percent format.
        package var isPercent: Bool
        /// The decimals its rows show (0 for whole numbers), each 0 to 12.
        package var decimalsUsed: Set<Int>
        /// For a text column: which dictionary entries some row uses (the others are not written).
        package var codesUsed: [Bool]
    }

    package var columns: [PlannedColumn]
    package var rowCount: Int

    /// Spreadsheets hold numbers as doubles: whole numbers past 2^53 are written as text, so that
    /// their digits are kept exactly.
    package static let largestExactInteger: Int64 = 1 << 53

    package init(_ table: Table, headers: [String], fileName: String) throws {
        let rows = table.rowCount
        guard table.columns.count <= WorkbookWriter.maxColumns else {
            throw WorkbookError(file: fileName, "the table has \(NumberFormat.grouped(table.columns.count)) columns, and a sheet holds at most \(NumberFormat.grouped(WorkbookWriter.maxColumns))",
                                help: "select fewer columns, or export to .csv")
        }
        guard rows < WorkbookWriter.maxRows else {
            throw WorkbookError(file: fileName, "the table has \(NumberFormat.grouped(rows)) rows, and a sheet holds at most \(NumberFormat.grouped(WorkbookWriter.maxRows - 1)) below its header",
                                help: "export to .csv, which has no row limit, or keep fewer rows with where")
        }
        rowCount = rows
        columns = []
        columns.reserveCapacity(table.columns.count)
        for (j, c) in table.columns.enumerated() {
            guard c.count == rows else {
                throw WorkbookError(file: fileName, "column '\(c.name)' has \(c.count) rows and the table \(rows)")
            }
            let kind: Kind
            switch c.type {
            case .integer: kind = .integer
            case .decimal: kind = .decimal
            case .date: kind = .date
            case .text: kind = .text
            }
            var decimals = Set<Int>()
            var codesUsed: [Bool] = []
            switch c.data {
            case .integer:
                decimals.insert(0)
            case .decimal(_, let scale):
                if let per = c.rowScales, per.count == rows {
                    var seen = [Bool](repeating: false, count: 256)
                    for r in 0..<rows where !c.missing[r] { seen[Int(per[r])] = true }
                    for s in 0..<256 where seen[s] { decimals.insert(Self.clampDecimals(s)) }
                } else {
                    decimals.insert(Self.clampDecimals(scale))
                }
            case .text(let codes, let dictionary):
                codesUsed = [Bool](repeating: false, count: dictionary.count)
                for r in 0..<rows where !c.missing[r] {
                    let code = Int(codes[r])
                    guard code >= 0, code < dictionary.count else {
                        throw WorkbookError(file: fileName, "column '\(c.name)' row \(r + 1) has no text")
                    }
                    codesUsed[code] = true
                }
            case .date:
                break
            }
            let percent = c.type.isNumeric && c.unit == "%"
            columns.append(PlannedColumn(column: c, header: j < headers.count ? headers[j] : c.name, kind: kind,
                                         isPercent: percent, decimalsUsed: decimals, codesUsed: codesUsed))
        }
    }

    /// Decimals as a number format shows them: 0 to 12.
    package static func clampDecimals(_ s: Int) -> Int { max(0, min(s, WorkbookWriter.maxDecimals)) }

    /// The decimals row `r` of a numeric column shows.
    @inline(__always)
    package static func decimals(_ c: Column, _ r: Int) -> Int {
        if let per = c.rowScales, r < per.count { return Int(per[r]) > WorkbookWriter.maxDecimals ? WorkbookWriter.maxDecimals : Int(per[r]) }
        return clampDecimals(c.scale)
    }

    /// Checks for Ctrl-C between blocks of rows.
    package static func checkInterrupt() throws {
        if Interrupt.isRequested() { throw Interrupt.stopped }
    }

    /// A rough width for each column, in characters: its header and the first rows' values.
    package func widths(sample: Int = 1_000) -> [Int] {
        columns.map { p in
            var w = DisplayWidth.of(p.header)
            for r in 0..<min(rowCount, sample) {
                guard let s = p.column.formatted(r) else { continue }
                w = max(w, min(DisplayWidth.of(s) + (p.isPercent ? 1 : 0), 200))
            }
            return max(6, min(w + 2, 60))
        }
    }
}
