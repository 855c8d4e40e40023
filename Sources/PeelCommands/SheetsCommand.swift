import Foundation
import PeelSupport
import PeelData
import PeelIO
import PeelEvaluation
import PeelLanguage

/// `sheets "FILE"`: the sheets of a workbook (.xlsx, .ods, .xls), before loading one.
package struct SheetsCommand: Command {
    package let path: (String, SourceRange)

    package static let spec = CommandSpec(
        name: "sheets", kind: .source, group: "Tables",
        usage: "sheets \"FILE\"",
        summary: "List a workbook's sheets: name, whether hidden, used range, size and title.",
        details: """
            FILE is an .xlsx, .xlsm, .ods or .xls workbook (the format is read from the file itself,
            not its name). One row per sheet, in the workbook's order: its number (for `load … sheet
            N`), its name exactly as the file spells it (a name with spaces at either end is shown in
            quotes, so they can be seen and typed), whether it is hidden, the range of cells that hold
            anything (A1:H52), its rows × columns, and the first line of title text at its top. A
            chart sheet is listed as such. The result is a table: `sheets "x.xlsx" | where hidden = "no"`.
            Then `load "FILE" sheet N` (or sheet "NAME") loads one; `describe` works on it as on any table.
            """,
        examples: ["sheets \"Tests/UnitTests/Fixtures/workbooks/policeforceareatablesyeendingmarch2019.xlsx\""],
        arguments: [],
        takesFile: true,
        parse: { p, _ in
            guard case .string(let file) = p.peek.kind else {
                throw p.unexpected(expected: "a workbook's file name in quotes", help: "e.g. sheets \"tables.xlsx\"")
            }
            let t = p.advance()
            try p.expectStepEnd()
            return SheetsCommand(path: (file, t.range))
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let (file, range) = path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDir) else { throw CommandError.noSuchFile(file: file, at: range) }
        if isDir.boolValue { throw CommandError.isDirectory(file: file, writing: false, at: range) }
        let book: Workbook
        do {
            book = try WorkbookLoad.read(path: file, fileName: file, isInterrupted: Interrupt.isRequested)
        } catch is ZipFile.Interrupted {
            throw Interrupt.stopped
        } catch let f as FileBytes.Failure {
            throw CommandError.reading(file, f, at: range)
        }
        var number = ColumnBuilder.integer("sheet")
        var name = ColumnBuilder.text("name")
        var hidden = ColumnBuilder.text("hidden")
        var used = ColumnBuilder.text("used_range")
        var rows = ColumnBuilder.integer("rows")
        var cols = ColumnBuilder.integer("columns")
        var title = ColumnBuilder.text("title")
        var spaced = false
        for (i, s) in book.sheets.enumerated() {
            number.append(Double(i + 1))
            let outer = s.name.first == " " || s.name.last == " " || s.name.isEmpty
            spaced = spaced || outer
            name.append(outer ? "\"\(s.name)\"" : s.name)
            hidden.append(s.hidden ? "yes" : "no")
            if s.isChart {
                used.append("(chart)")
                rows.append(nil as Double?)
                cols.append(nil as Double?)
                title.append(nil)
                continue
            }
            let r = s.usedRange
            used.append(r?.text ?? "(empty)")
            rows.append(r.map { Double($0.rows) } ?? 0)
            cols.append(r.map { Double($0.columns) } ?? 0)
            title.append(SheetTable.title(s).map { DisplayWidth.truncate($0, to: 60) })
        }
        var table = Table(name: "sheets", columns: [number.build(), name.build(), hidden.build(), used.build(), rows.build(), cols.build(), title.build()])
        table.info.source = file
        table.info.footnotes.append("\(book.format.rawValue) workbook, \(book.sheets.count) sheet\(book.sheets.count == 1 ? "" : "s"): load one with `load \"FILE\" sheet N` (or sheet \"NAME\")")
        if spaced { table.info.footnotes.append("names in quotes begin or end with spaces, which are part of the name: type them as shown") }
        return .table(table)
    }

    package var dump: String { "sheets \(quoteForDump(path.0))" }
}
