import PeelSupport

/// What is wrong with a data file that has parts (a workbook's sheets and cells, a zip's entries,
/// a Parquet file's footer and columns): the file, the part, what is wrong, and what to do, so that
/// each complaint reads the same: `FILE: error: sheet 'P1', cell B7: …`, `FILE: error: column 'x': …`.
package struct FilePartError: DiagnosticConvertible, Equatable, Sendable, Error {
    package var file: String
    /// "sheet 'Table P1'", "cell B7 of sheet 'Data'", "xl/sharedStrings.xml", "column 'force'" (nil
    /// for the file as a whole).
    package var part: String?
    package var message: String
    package var help: String?

    package init(file: String, part: String? = nil, _ message: String, help: String? = nil) {
        self.file = file
        self.part = part
        self.message = message
        self.help = help
    }

    package var diagnostic: Diagnostic {
        Diagnostic((part.map { "\($0): " } ?? "") + message, file: file, help: help)
    }
}

/// What every reader of .xlsx, .ods, .xls and .zip files throws.
package typealias WorkbookError = FilePartError
