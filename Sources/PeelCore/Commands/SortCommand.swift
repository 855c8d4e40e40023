/// `sort COLUMN [asc|desc], ...`: order rows; missing values always go last.
struct SortCommand: Step {
    struct Key {
        var column: String
        var range: SourceRange
        var descending: Bool
    }
    let keys: [Key]

    static let spec = CommandSpec(
        name: "sort", kind: .stage, group: "Rows",
        usage: "sort COLUMN [asc|desc], ...",
        summary: "Order the rows by one or more columns (ascending unless desc).",
        details: """
            Rows that tie on the first column are ordered by the next, and otherwise keep their
            order. Missing values go last whichever the direction.
            """,
        examples: ["outcomes | where force = \"Leicestershire\" | sort share desc | top 5"],
        arguments: [.column, .keywords(["asc", "desc"])],
        parse: { p, _ in
            var keys: [Key] = []
            repeat {
                let (name, range) = try p.name("a column name", help: "e.g. sort share desc")
                var desc = false
                if p.matchWord("desc") { desc = true } else { _ = p.matchWord("asc") }
                keys.append(Key(column: name, range: range, descending: desc))
            } while p.match(.comma)
            try p.expectStepEnd("sort")
            return SortCommand(keys: keys)
        })

    func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        let table = try requireTable(input, verb: "sort")
        let cols = try keys.map { (table.columns[try requireColumn($0.column, in: table, at: $0.range)], $0.descending) }
        return .table(table.gather(Self.order(table.rowCount, by: cols)))
    }

    /// A stable ordering of row indices by the given columns.
    static func order(_ count: Int, by cols: [(Column, Bool)]) -> [Int] {
        Array(0..<count).sorted { a, b in
            for (col, desc) in cols {
                let ma = col.isMissing(a), mb = col.isMissing(b)
                if ma != mb { return mb }
                if ma { continue }
                guard let c = ExprCompiler.order(col.value(a), col.value(b)), c != 0 else { continue }
                return desc ? c > 0 : c < 0
            }
            return a < b
        }
    }

    var dump: String { "sort [" + keys.map { $0.column + ($0.descending ? " desc" : " asc") }.joined(separator: ", ") + "]" }
}
