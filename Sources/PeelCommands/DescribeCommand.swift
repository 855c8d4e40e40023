import PeelSupport
import PeelData
import PeelEvaluation

/// `describe TABLE`: what a table holds, where it came from, and its columns.
package struct DescribeCommand: Command {
    package let name: String
    package let range: SourceRange

    package static let spec = CommandSpec(
        name: "describe", kind: .source, group: "Tables",
        usage: "describe TABLE",
        summary: "Describe a table: title, source, period, notes, and each column's type and unit.",
        details: """
            Shows where TABLE's figures come from (document and figure), the period they cover,
            the caveats that apply to them, which columns identify a row ("row id": the force and
            the descriptive columns that `compare` matches rows on), and for each column its type
            (integer, decimal, text), unit, how many values are missing, and what it means.
            """,
        examples: ["describe outcomes"],
        arguments: [.table],
        parse: { p, _ in
            let (name, range) = try p.name("a table name", help: "type 'tables' to list the tables")
            try p.expectStepEnd()
            return DescribeCommand(name: name, range: range)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let t = try ctx.table(name, at: range)
        var out = "\(t.name)"
        if let title = t.info.title { out += ": \(title)" }
        out += "\n"
        if let d = t.info.description { out += "\n" + TextWrap.wrap(d, width: 78) + "\n\n" }
        if let s = t.info.source { out += TextWrap.wrap(s, width: 80, first: "source:  ", rest: "         ") + "\n" }
        if let p = t.info.period { out += "period:  \(p)\n" }
        out += "rows:    \(t.rowCount)\n"
        if let fi = t.columnIndex(t.info.forceColumn ?? "force") {
            // What compare matches rows on (the value column, its unit and interval never count).
            var skip = Set([t.info.valueColumn, "unit", t.info.ciColumn].compactMap { $0.flatMap { t.columnIndex($0) } })
            skip.formUnion(t.columns.indices.filter { t.columns[$0].type.isNumeric && !t.columns[$0].looksLikeCode })
            let id = t.rowIdentity(force: fi, skip: skip)
            out += TextWrap.wrap(id.words(in: t, force: fi)
                                 + (id.catalogued ? "" : " (found from the columns: text, dates and codes identify a row, measures never do)"),
                                 width: 80, first: "row id:  ", rest: "         ") + "\n"
        }
        out += "\n"
        // Columns, with each description wrapped to fit 80 columns beside the others.
        let rows = t.columns.map { c in
            [c.name, c.typeName, c.unit ?? "", String(c.missing.count(upTo: c.count))]
        }
        let heads = ["column", "type", "unit", "missing"]
        let widths = heads.indices.map { i in max(DisplayWidth.of(heads[i]), rows.map { DisplayWidth.of($0[i]) }.max() ?? 0) }
        func cells(_ r: [String]) -> String {
            r.indices.map { i in i == 3 ? DisplayWidth.padLeft(r[i], widths[i]) : DisplayWidth.padRight(r[i], widths[i]) }
                .joined(separator: "  ")
        }
        let indent = widths.reduce(0, +) + 2 * widths.count
        let descWidth = max(30, 80 - indent)
        out += cells(heads) + "  description\n"
        out += cells(widths.map { String(repeating: "-", count: $0) }) + "  " + String(repeating: "-", count: 11) + "\n"
        for (c, r) in zip(t.columns, rows) {
            let pad = String(repeating: " ", count: indent)
            let wrapped = TextWrap.wrap(c.description ?? "", width: descWidth).split(separator: "\n").map(String.init)
            var line = cells(r) + "  " + (wrapped.first ?? "")
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
            for more in wrapped.dropFirst() { out += pad + more + "\n" }
        }
        out += Self.missingByMarker(t)
        if !t.info.notes.isEmpty {
            out += "\nnotes:\n"
            for n in t.info.notes { out += TextWrap.wrap(n, width: 78, first: "- ", rest: "  ") + "\n" }
        }
        return .text(out)
    }

    /// For each column with values missing by a publisher's marker, how many rows each marker
    /// made missing and what it means ("12 × '[c]' confidential"), most first, then the empty
    /// fields; nothing when no column has such markers.
    package static func missingByMarker(_ t: Table) -> String {
        var lines = ""
        for c in t.columns {
            guard let reasons = c.missingReasons else { continue }
            let counts = reasons.counts().enumerated().sorted { a, b in
                a.element.rows != b.element.rows ? a.element.rows > b.element.rows : a.offset < b.offset
            }.map(\.element)
            guard !counts.isEmpty else { continue }
            var parts = counts.map { m in
                "\(m.rows) × '\(m.marker)' " + (MissingMarkers.meaning(of: m.marker) ?? "given as missing")
            }
            let empty = c.missing.count(upTo: c.count) - counts.reduce(0) { $0 + $1.rows }
            if empty > 0 { parts.append("\(empty) empty") }
            // Whole items to a line where they fit (a count never parts from its marker).
            var line = "- \(c.name):"
            for (i, part) in parts.enumerated() {
                let item = part + (i + 1 < parts.count ? "," : "")
                if DisplayWidth.of(line) + 1 + DisplayWidth.of(item) <= 78 {
                    line += " " + item
                } else {
                    lines += line + "\n"
                    // An item too long for a line of its own (a long marker the user gave) is wrapped.
                    var wrapped = TextWrap.wrap(item, width: 78, first: "    ", rest: "    ").split(separator: "\n").map(String.init)
                    line = wrapped.popLast() ?? ""
                    for w in wrapped { lines += w + "\n" }
                }
            }
            lines += line + "\n"
        }
        return lines.isEmpty ? "" : "\nmissing values, by the marker the source used:\n" + lines
    }

    package var dump: String { "describe(\(name))" }
}

