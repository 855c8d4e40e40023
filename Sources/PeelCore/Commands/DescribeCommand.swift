/// `describe TABLE`: what a table holds, where it came from, and its columns.
struct DescribeCommand: Step {
    let name: String
    let range: SourceRange

    static let spec = CommandSpec(
        name: "describe", kind: .source, group: "Tables",
        usage: "describe TABLE",
        summary: "Describe a table: title, source, period, notes, and each column's type and unit.",
        details: """
            Shows where TABLE's figures come from (document and figure), the period they cover,
            the caveats that apply to them, and for each column its type (integer, decimal, text),
            unit, how many values are missing, and what it means.
            """,
        examples: ["describe outcomes"],
        arguments: [.table],
        parse: { p, _ in
            let (name, range) = try p.name("a table name", help: "type 'tables' to list the tables")
            try p.expectStepEnd("describe")
            return DescribeCommand(name: name, range: range)
        })

    func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let t = try ctx.table(name, at: range)
        var out = "\(t.name)"
        if let title = t.info.title { out += ": \(title)" }
        out += "\n"
        if let d = t.info.description { out += "\n" + TextWrap.wrap(d, width: 78) + "\n\n" }
        if let s = t.info.source { out += "source:  \(s)\n" }
        if let p = t.info.period { out += "period:  \(p)\n" }
        out += "rows:    \(t.rowCount)\n\n"
        var name = ColumnBuilder.text("column")
        var type = ColumnBuilder.text("type")
        var unit = ColumnBuilder.text("unit")
        var missing = ColumnBuilder.integer("missing")
        var desc = ColumnBuilder.text("description")
        for c in t.columns {
            name.append(c.name)
            type.append(c.type.rawValue)
            unit.append(c.unit)
            missing.append(Double(c.missing.count(upTo: c.count)))
            desc.append(c.description)
        }
        let columns = Table(name: "columns", columns: [name.build(), type.build(), unit.build(), missing.build(), desc.build()])
        out += TableRenderer.text(columns, missingText: "")
        if !t.info.notes.isEmpty {
            out += "\nnotes:\n"
            for n in t.info.notes { out += TextWrap.wrap(n, width: 78, first: "- ", rest: "  ") + "\n" }
        }
        return .text(out)
    }

    var dump: String { "describe(\(name))" }
}

/// Greedy word wrapping for prose in help and descriptions.
enum TextWrap {
    static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> String {
        var lines: [String] = []
        var line = first
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let w = String(word)
            if lineHasWord, DisplayWidth.of(line) + 1 + DisplayWidth.of(w) > width {
                lines.append(line)
                line = rest + w
            } else {
                line += (lineHasWord ? " " : "") + w
            }
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
