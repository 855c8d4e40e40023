import PeelSupport

/// What is wrong with a workbook or an archive: the file, the part of it (a sheet, a cell, an entry
/// inside the zip), what is wrong, and what to do. Every reader of .xlsx, .ods, .xls and .zip files
/// throws this, so that each complaint reads the same: `FILE: error: sheet 'P1', cell B7: …`.
package struct WorkbookError: DiagnosticConvertible, Equatable, Sendable, Error {
    package var file: String
    /// "sheet 'Table P1'", "cell B7 of sheet 'Data'", "xl/sharedStrings.xml" (nil for the file as a whole).
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
