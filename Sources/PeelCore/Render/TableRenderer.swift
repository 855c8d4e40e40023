/// How tables are written out.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, csv, tsv, markdown, json
}

/// Renders tables as text for a terminal or a report. Pure functions of the table.
public enum TableRenderer {
    public static func render(_ table: Table, format: OutputFormat) -> String {
        switch format {
        case .text: return text(table)
        case .csv: return delimited(table, separator: ",")
        case .tsv: return delimited(table, separator: "\t")
        case .markdown: return markdown(table)
        case .json: return json(table)
        }
    }

    /// A header naming the column and, when it has one, its unit: `share (%)`.
    static func header(_ c: Column) -> String {
        if let u = c.unit, !u.isEmpty { return "\(c.name) (\(u))" }
        return c.name
    }

    static func cell(_ c: Column, _ row: Int, missing: String) -> String {
        guard let s = c.display(row) else { return missing }
        // Keep each row on one line.
        return s.contains("\n") ? s.replacingAll("\r\n", with: " ").replacingAll("\n", with: " ") : s
    }

    /// Aligned columns: text to the left, numbers to the right, a rule under the header.
    public static func text(_ table: Table, missingText: String = "n/a") -> String {
        let cols = table.columns
        guard !cols.isEmpty else { return "(no columns)\n" }
        let headers = cols.map(header)
        var cells: [[String]] = cols.map { c in (0..<table.rowCount).map { cell(c, $0, missing: missingText) } }
        let widths = cols.indices.map { i in max(DisplayWidth.of(headers[i]), cells[i].map(DisplayWidth.of).max() ?? 0) }
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
            out += line(cols.indices.map { i in
                cols[i].type.isNumeric ? DisplayWidth.padLeft(cells[i][r], widths[i]) : DisplayWidth.padRight(cells[i][r], widths[i])
            })
        }
        if table.rowCount == 0 { out += "(no rows)\n" }
        for note in table.info.footnotes(for: table.columns) { out += TextWrap.wrap("note: " + note, width: 100, rest: "      ") + "\n" }
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
        var out = table.columns.map { field($0.name) }.joined(separator: sep) + "\n"
        for r in 0..<table.rowCount {
            out += table.columns.map { field($0.formatted(r) ?? "") }.joined(separator: sep) + "\n"
        }
        return out
    }

    /// A GitHub table: `|` and backslashes escaped, numeric columns right-aligned.
    public static func markdown(_ table: Table) -> String {
        func esc(_ s: String) -> String {
            s.replacingAll("\\", with: "\\\\").replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
        }
        let cols = table.columns
        var out = "| " + cols.map { esc(header($0)) }.joined(separator: " | ") + " |\n"
        out += "|" + cols.map { $0.type.isNumeric ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for r in 0..<table.rowCount {
            out += "| " + cols.map { esc($0.display(r) ?? "") }.joined(separator: " | ") + " |\n"
        }
        if !table.info.footnotes(for: table.columns).isEmpty { out += "\n" + table.info.footnotes(for: table.columns).map { "Note: " + esc($0) }.joined(separator: "\n\n") + "\n" }
        return out
    }

    /// An array of objects: numbers as numbers, missing as null.
    public static func json(_ table: Table) -> String {
        var out = "["
        for r in 0..<table.rowCount {
            out += r == 0 ? "\n  {" : ",\n  {"
            out += table.columns.map { c in
                let v: String
                if let s = c.formatted(r) { v = c.type.isNumeric ? s : jsonString(s) } else { v = "null" }
                return jsonString(c.name) + ": " + v
            }.joined(separator: ", ")
            out += "}"
        }
        return out + (table.rowCount == 0 ? "]\n" : "\n]\n")
    }

    static func jsonString(_ s: String) -> String {
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
