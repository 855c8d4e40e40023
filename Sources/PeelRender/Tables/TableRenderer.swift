import PeelSupport
import PeelData

/// How tables are written out.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, box, markdown, csv, tsv, json, html, latex

    /// The format a file name implies (`.csv`, `.md`, …), if any.
    public static func forFile(_ path: String) -> OutputFormat? {
        let lower = path.lowercased()
        let map: [(String, OutputFormat)] = [(".csv", .csv), (".tsv", .tsv), (".md", .markdown), (".markdown", .markdown),
                                             (".json", .json), (".html", .html), (".htm", .html), (".tex", .latex), (".txt", .text)]
        return map.first { lower.hasSuffix($0.0) }?.1
    }

    /// The extensions `forFile` reads, one per format that has one (for messages).
    public static let fileExtensions = [".csv", ".tsv", ".md", ".json", ".html", ".tex", ".txt"]

    /// True for formats whose files hold data only (no notes, no blank lines between results).
    public var isData: Bool { self == .csv || self == .tsv || self == .json }
}

/// Renders tables as text for a terminal or a report. Pure functions of the table.
public enum TableRenderer {
    /// The table in `format`. Long renders stop on Ctrl-C or SIGTERM (`Interrupt.stopped`): the
    /// row loops stop early, and the cut-short text is never returned.
    /// `fit` (the interactive shell's window, for a result on the screen) fits a text table to the
    /// window; other formats ignore it.
    public static func render(_ table: Table, format: OutputFormat, fit: TableFit? = nil) throws -> String {
        let out: String
        switch format {
        case .text: out = text(table, fit: fit)
        case .csv: out = delimited(table, separator: ",")
        case .tsv: out = delimited(table, separator: "\t")
        case .markdown: out = markdown(table)
        case .json: out = json(table)
        case .box: out = box(table)
        case .html: out = html(table)
        case .latex: out = latex(table)
        }
        try Interrupt.check()
        return out
    }

    /// True, every thousand rows or so, once a stop has been asked for: the row loops then end early.
    @inline(__always)
    package static func stopping(_ row: Int) -> Bool { row & 0x3FF == 0 && Interrupt.isRequested() }

    /// Row numbers to render a column's cells for: none once a stop has been asked for.
    package static func rowsToRender(_ table: Table) -> Range<Int> { 0..<(Interrupt.isRequested() ? 0 : table.rowCount) }

    /// A value for a data file: every digit the value has, never fewer than it was written with.
    package static func raw(_ c: Column, _ row: Int) -> String? {
        guard let s = c.formatted(row) else { return nil }
        guard c.type == .decimal, let v = c.number(row), Double(s) != v else { return s }
        return NumberFormat.shortest(v)
    }

    /// A header naming the column and, when it has one, its unit: `share (%)`.
    package static func header(_ c: Column) -> String {
        if let u = c.unit, !u.isEmpty { return "\(c.name) (\(u))" }
        return c.name
    }

    package static func cell(_ c: Column, _ row: Int, missing: String) -> String {
        guard let s = c.display(row) else { return missing }
        // Keep each row on one line.
        return s.contains("\n") ? s.replacingAll("\r\n", with: " ").replacingAll("\n", with: " ") : s
    }

    /// Aligned columns: text to the left, numbers to the right, a rule under the header.
    /// The longest cell the on-screen formats (text, box) show; longer ones end in `…`. Data
    /// formats (CSV, TSV, JSON) and Markdown always carry the whole value.
    public static let maxScreenCell = 1_000

    package static func screenCell(_ s: String) -> String {
        s.utf8.count <= maxScreenCell ? s : DisplayWidth.truncate(s, to: maxScreenCell)
    }

    /// With `fit`, only the leading columns that fit the window are shown, long cells are cut with
    /// `…`, and a note names the columns left out (see `TableFit`).
    public static func text(_ table: Table, missingText: String = "n/a", fit: TableFit? = nil) -> String {
        let all = table.columns
        guard !all.isEmpty else { return "(no columns)\n" }
        var cols = all
        var headers = cols.map(header)
        var cells: [[String]] = cols.map { c in rowsToRender(table).map { screenCell(cell(c, $0, missing: missingText)) } }
        if Interrupt.isRequested() { return "" }
        var widths = cols.indices.map { i in max(DisplayWidth.of(headers[i]), cells[i].map(DisplayWidth.of).max() ?? 0) }
        var hidden: [String] = []
        if let fit {
            let limited = cols.indices.map { i in min(widths[i], max(fit.cellLimit, DisplayWidth.of(headers[i]))) }
            let shown = fittedColumns(natural: widths, limited: limited, numeric: cols.map(\.type.isNumeric), fit: fit)
            hidden = cols.indices.filter { i in !shown.contains { $0.index == i } }.map { cols[$0].name }
            for (i, w) in shown where w < widths[i] {
                headers[i] = DisplayWidth.truncate(headers[i], to: w)
                cells[i] = cells[i].map { DisplayWidth.truncate($0, to: w) }
            }
            let keep = shown.map(\.index)
            cols = keep.map { cols[$0] }
            headers = keep.map { headers[$0] }
            cells = keep.map { cells[$0] }
            widths = shown.map(\.width)
        }
        func line(_ parts: [String]) -> String {
            var s = parts.joined(separator: "  ")
            while s.hasSuffix(" ") { s.removeLast() }
            return s + "\n"
        }
        var out = line(cols.indices.map { i in
            cols[i].type.isNumeric ? DisplayWidth.padLeft(headers[i], widths[i]) : DisplayWidth.padRight(headers[i], widths[i])
        })
        out += line(widths.map { String(repeating: "-", count: $0) })
        for r in 0..<table.rowCount {
            if stopping(r) { break }
            out += line(cols.indices.map { i in
                cols[i].type.isNumeric ? DisplayWidth.padLeft(cells[i][r], widths[i]) : DisplayWidth.padRight(cells[i][r], widths[i])
            })
        }
        if table.rowCount == 0 { out += "(no rows)\n" }
        for note in table.info.footnotes(for: all) {
            let wrapped = TextWrap.wrap("note: " + note, width: fit.map { min(100, $0.columns) } ?? 100, rest: "      ")
            out += (fit.map { fitLines(wrapped, fit: $0) } ?? wrapped) + "\n"
        }
        if let fit, !hidden.isEmpty { out += hiddenNote(hidden, fit: fit) }
        cells.removeAll()
        return out
    }

    /// RFC 4180 CSV (or TSV): header of column names, missing values empty, CRLF-free.
    public static func delimited(_ table: Table, separator: Character) -> String {
        func field(_ s: String) -> String {
            if separator == "\t" { return s.replacingAll("\t", with: " ").replacingAll("\n", with: " ") }
            if s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") {
                return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
            }
            return s
        }
        let sep = String(separator)
        var out = table.columns.map { field(header($0)) }.joined(separator: sep) + "\n"
        for r in 0..<table.rowCount {
            if stopping(r) { break }
            out += table.columns.map { field(raw($0, r) ?? "") }.joined(separator: sep) + "\n"
        }
        return out
    }

    /// A GitHub table: `|` and backslashes escaped, numeric columns right-aligned.
    public static func markdown(_ table: Table) -> String {
        func esc(_ s: String) -> String { markdownEscape(s) }
        let cols = table.columns
        var out = "| " + cols.map { esc(header($0)) }.joined(separator: " | ") + " |\n"
        out += "|" + cols.map { $0.type.isNumeric ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for r in 0..<table.rowCount {
            if stopping(r) { break }
            out += "| " + cols.map { esc($0.display(r) ?? "n/a") }.joined(separator: " | ") + " |\n"
        }
        // As in text: say so, after a blank line so that it is not read as a row of the table.
        if table.rowCount == 0 { out += "\n(no rows)\n" }
        if !table.info.footnotes(for: table.columns).isEmpty { out += "\n" + table.info.footnotes(for: table.columns).map { "Note: " + esc($0) }.joined(separator: "\n\n") + "\n" }
        return out
    }

    /// Text safe inside a GitHub Markdown table cell: characters that would start formatting, a link,
    /// HTML or a new cell are backslash-escaped; newlines become spaces.
    public static func markdownEscape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\", "|", "*", "_", "`", "[", "]", "<", ">", "&", "~": out += "\\" + String(ch)
            case "\n", "\r": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    /// An array of objects: numbers as numbers, missing as null.
    public static func json(_ table: Table) -> String {
        var out = "["
        for r in 0..<table.rowCount {
            if stopping(r) { break }
            out += r == 0 ? "\n  {" : ",\n  {"
            out += table.columns.map { c in
                let v: String
                if let s = raw(c, r) { v = c.type.isNumeric ? s : jsonString(s) } else { v = "null" }
                return jsonString(header(c)) + ": " + v
            }.joined(separator: ", ")
            out += "}"
        }
        return out + (table.rowCount == 0 ? "]\n" : "\n]\n")
    }

    package static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

extension TableRenderer {
    /// Box-drawing borders around the aligned table.
    public static func box(_ table: Table) -> String {
        let cols = table.columns
        guard !cols.isEmpty else { return "(no columns)\n" }
        let headers = cols.map(header)
        let cells = cols.map { c in rowsToRender(table).map { screenCell(cell(c, $0, missing: "n/a")) } }
        if Interrupt.isRequested() { return "" }
        let widths = cols.indices.map { i in max(DisplayWidth.of(headers[i]), cells[i].map(DisplayWidth.of).max() ?? 0) }
        func rule(_ l: String, _ m: String, _ r: String) -> String {
            l + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + r + "\n"
        }
        func row(_ parts: [String]) -> String {
            "│" + cols.indices.map { i in " " + (cols[i].type.isNumeric ? DisplayWidth.padLeft(parts[i], widths[i]) : DisplayWidth.padRight(parts[i], widths[i])) + " " }.joined(separator: "│") + "│\n"
        }
        var out = rule("┌", "┬", "┐") + row(headers) + rule("├", "┼", "┤")
        for r in 0..<table.rowCount { out += row(cols.indices.map { cells[$0][r] }) }
        out += rule("└", "┴", "┘")
        for note in table.info.footnotes(for: cols) { out += TextWrap.wrap("note: " + note, width: 100, rest: "      ") + "\n" }
        return out
    }

    package static func htmlEscape(_ s: String) -> String {
        s.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;").replacingAll("\"", with: "&quot;")
    }

    /// A complete `<table>`: header cells, numeric cells right-aligned, missing cells empty, notes
    /// (and "(no rows)" when there are none) as a caption.
    public static func html(_ table: Table) -> String {
        let cols = table.columns
        var out = "<table>\n"
        let notes = (table.rowCount == 0 ? ["(no rows)"] : []) + table.info.footnotes(for: cols).map { "Note: " + $0 }
        if !notes.isEmpty { out += "<caption>" + notes.map(htmlEscape).joined(separator: "<br>") + "</caption>\n" }
        out += "<thead><tr>" + cols.map { "<th>\(htmlEscape(header($0)))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for r in 0..<table.rowCount {
            if stopping(r) { break }
            out += "<tr>" + cols.map { c in
                let v = htmlEscape(c.display(r) ?? "n/a")
                return c.type.isNumeric ? "<td style=\"text-align:right\">\(v)</td>" : "<td>\(v)</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    package static func latexEscape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\": out += "\\textbackslash{}"
            case "&", "%", "$", "#", "_", "{", "}": out += "\\" + String(ch)
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A `tabular` with numeric columns right-aligned; special characters escaped.
    public static func latex(_ table: Table) -> String {
        let cols = table.columns
        var out = "\\begin{tabular}{" + cols.map { $0.type.isNumeric ? "r" : "l" }.joined() + "}\n\\hline\n"
        out += cols.map { latexEscape(header($0)) }.joined(separator: " & ") + " \\\\\n\\hline\n"
        for r in 0..<table.rowCount {
            if stopping(r) { break }
            out += cols.map { latexEscape($0.display(r) ?? "n/a") }.joined(separator: " & ") + " \\\\\n"
        }
        out += "\\hline\n\\end{tabular}\n"
        for note in table.info.footnotes(for: cols) { out += "% note: " + note + "\n" }
        return out
    }
}
