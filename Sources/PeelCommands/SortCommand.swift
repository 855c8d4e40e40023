import PeelSupport
import PeelData
import PeelEvaluation

/// `sort COLUMN [asc|desc], ...`: order rows; missing values always go last.
package struct SortCommand: Command {
    package struct Key {
        package var column: String
        package var range: SourceRange
        package var descending: Bool
    }
    package let keys: [Key]

    package static let spec = CommandSpec(
        name: "sort", kind: .stage, group: "Rows",
        usage: "sort COLUMN [asc|desc], ...",
        summary: "Order the rows by one or more columns (ascending unless desc).",
        details: """
            Rows that tie on the first column are ordered by the next, and otherwise keep their
            order. Missing values go last whichever the direction. Periods (2015/16, 2015/16 Q1,
            Jan 2019, year ending March 2018) sort in time order, by when they end.
            """,
        examples: ["outcomes | where force = \"Leicestershire\" | sort share desc | top 5"],
        arguments: [.column, .keywords(["asc", "desc"])],
        otherToolsNames: ["order", "orderby"],
        parse: { p, _ in
            var keys: [Key] = []
            repeat {
                let (name, range) = try p.name("a column name", help: "e.g. sort share desc")
                var desc = false
                if p.matchWord("desc") { desc = true } else { _ = p.matchWord("asc") }
                keys.append(Key(column: name, range: range, descending: desc))
            } while p.match(.comma)
            try p.expectStepEnd()
            return SortCommand(keys: keys)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input)
        let cols = try keys.map { (table.columns[try requireColumn($0.column, in: table, at: $0.range)], $0.descending) }
        return .table(table.gather(try Self.order(table.rowCount, by: cols)))
    }

    /// A stable ordering of row indices by the given columns: missing values last, then by value
    /// (numbers by size, text in code-point order, dates and periods in time). Each column's sort keys are made
    /// once (text by the rank of its dictionary entry), so no value is built per comparison. Stops
    /// with `Interrupt.stopped` when Ctrl-C or SIGTERM asks it to.
    package static func order(_ count: Int, by cols: [(Column, Bool)]) throws -> [Int] {
        enum Keys { case numbers([Double]), ranks([Int32]) }
        let keys: [(Keys, MissingMask, Bool)] = cols.map { col, desc in
            switch col.data {
            case .integer, .decimal: return (.numbers(col.doubles()), col.missing, desc)
            case .date(let d): return (.ranks(d), col.missing, desc)
            case .text(let codes, _) where col.validPeriods != nil:
                // Periods in time order (by end, then start), not as text.
                let rank = col.periodRanks() ?? []
                return (.ranks(codes.map { rank[Int($0)] }), col.missing, desc)
            case .text(let codes, let dict):
                var rank = [Int32](repeating: 0, count: dict.count)
                for (r, i) in dict.indices.sorted(by: { dict[$0] < dict[$1] }).enumerated() { rank[i] = Int32(r) }
                return (.ranks(codes.map { rank[Int($0)] }), col.missing, desc)
            }
        }
        var compared = 0
        var stopped = false
        let rows = Array(0..<count).sorted { a, b in
            if stopped { return a < b }
            compared += 1
            if compared & 0xFFFF == 0, Interrupt.isRequested() { stopped = true; return a < b }
            for (k, missing, desc) in keys {
                let ma = missing[a], mb = missing[b]
                if ma != mb { return mb }
                if ma { continue }
                switch k {
                case .numbers(let v):
                    let x = v[a], y = v[b]
                    if x != y { return desc ? x > y : x < y }
                case .ranks(let v):
                    let x = v[a], y = v[b]
                    if x != y { return desc ? x > y : x < y }
                }
            }
            return a < b
        }
        if stopped { throw Interrupt.stopped }
        return rows
    }

    package var dump: String { "sort [" + keys.map { $0.column + ($0.descending ? " desc" : " asc") }.joined(separator: ", ") + "]" }
}
