// TEMPORARY: removed when the readers are merged.
package enum XLSXReader { package static func read(_ zip: ZipFile, fileName: String) throws -> Workbook { throw WorkbookError(file: fileName, "stub") } }
package enum ODSReader { package static func read(_ zip: ZipFile, fileName: String) throws -> Workbook { throw WorkbookError(file: fileName, "stub") } }
package enum SheetTable {
    package static func extract(_ sheet: Sheet, tableName: String, fileName: String, options: SheetOptions) throws -> SheetTableResult { throw WorkbookError(file: fileName, "stub") }
    package static func holdsTable(_ sheet: Sheet) -> Bool { false }
    package static func title(_ sheet: Sheet) -> String? { nil }
}
