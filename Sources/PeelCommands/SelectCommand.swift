import OrderedCollections
import PeelSupport
import PeelData
import PeelLanguage
import PeelEvaluation

/// `select COLUMN [as NAME], ...`: keep these columns, in this order, renaming any given `as NAME`.
package struct SelectCommand: Command {
    package struct Item {
        package var column: (String, SourceRange)
        package var rename: (String, SourceRange)?
    }
    package let items: [Item]

    package static let spec = CommandSpec(
        name: "select", kind: .stage, group: "Columns",
        usage: "select COLUMN [as NAME], ...",
        summary: "Keep only the named columns, in the order given; `as NAME` renames one.",
        details: """
            Names that contain spaces or clash with a keyword go in backquotes: `crime type`.
            `COLUMN as NAME` keeps the column under a new name (`recording_rate_pct as rate`);
            later verbs use the new name. Two columns of the result may not share a name
            (ignoring case), so a column selected twice needs `as` for its copy.
            """,
        examples: [
            "outcomes | where force = \"Leicestershire\" | select outcome, share",
            "cdi_forces | top 3 by recording_rate_pct | select force, recording_rate_pct as rate",
        ],
        arguments: [.column, .rename],
        otherToolsNames: ["cut", "project", "columns"],
        parse: { p, _ in
            var items: [Item] = []
            repeat {
                let column = try p.name("a column name", help: "e.g. select outcome, share")
                items.append(Item(column: column, rename: p.matchWord("as") ? try newName(&p, for: column.0) : nil))
            } while p.match(.comma)
            try p.expectStepEnd()
            try checkClashes(items)
            return SelectCommand(items: items)
        })

    /// The name after `as`: a word or a backquoted name, not empty.
    package static func newName(_ p: inout Parser, for column: String) throws -> (String, SourceRange) {
        let example = "e.g. select \(column) as \(column == "value" ? "amount" : "value")"
        if case .string(let s) = p.peek.kind {
            throw ParseError.quotedColumnName(p.peek.range, text: s)
        }
        let (name, range) = try p.name("a new name for '\(column)' after 'as'", help: example)
        if name.allSatisfy({ $0 == " " || $0 == "\t" }) {
            throw ParseError.emptyColumnName(range, example: example)
        }
        if name.first == " " || name.last == " " {
            throw ParseError.columnNameSpaces(range, name: name)
        }
        return (name, range)
    }

    /// Two columns of the result may not share a name (names are matched ignoring case).
    package static func checkClashes(_ items: [Item]) throws {
        // The result's columns so far, by name ignoring case, in order.
        var seen = OrderedDictionary<String, (name: String, item: Item)>()
        for item in items {
            let name = item.rename?.0 ?? item.column.0
            if let at = seen.index(forKey: name.lowercased()) {
                let first = seen.values[at], position = at + 1
                if item.rename == nil, first.item.rename == nil {
                    throw ParseError.columnSelectedTwice(item.column.1, column: item.column.0)
                }
                throw ParseError.columnNameClash(item.rename?.1 ?? item.column.1, name: name, position: position, existing: first.name)
            }
            seen[name.lowercased()] = (name, item)
        }
    }

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        var table = try requireTable(input)
        var renamed: [String: String] = [:]
        table.columns = try items.map { item in
            var column = table.columns[try requireColumn(item.column.0, in: table, at: item.column.1)]
            if let (name, _) = item.rename {
                renamed[column.name] = name
                column.name = name
            }
            return column
        }
        if !renamed.isEmpty {
            table.info.rename(renamed)
            // A ratio follows its numerator and denominator to their new names.
            for i in table.columns.indices {
                guard var r = table.columns[i].ratio else { continue }
                r.numerator = renamed[r.numerator] ?? r.numerator
                r.denominator = renamed[r.denominator] ?? r.denominator
                table.columns[i].ratio = r
            }
        }
        return .table(table)
    }

    package var dump: String { "select [\(items.map { $0.column.0 + ($0.rename.map { " as \($0.0)" } ?? "") }.joined(separator: ", "))]" }
}

extension TableInfo {
    /// Follows renamed columns (old name → new name), so that the force column, the value column,
    /// row keys, interval column, column notes and a comparison still name the same columns.
    package mutating func rename(_ map: [String: String]) {
        func new(_ name: String) -> String { map[name] ?? map.first { $0.key.lowercased() == name.lowercased() }?.value ?? name }
        forceColumn = forceColumn.map(new)
        valueColumn = valueColumn.map(new)
        keys = keys?.map(new)
        ciColumn = ciColumn.map(new)
        footnoteColumns = footnoteColumns.mapValues { $0.map(new) }
        if var c = comparison {
            c.keys = c.keys.map(new)
            c.force = new(c.force)
            c.national = new(c.national)
            c.difference = new(c.difference)
            comparison = c
        }
    }
}
