/// Which columns say what a row is about, as opposed to what was measured.
///
/// A row's identity is its force plus its descriptive columns: text, dates, and whole numbers whose
/// name says they are codes (`outcome_type`, `offence_code`, `year`, `quarter`, …). A measure
/// (a decimal, or a count such as `recorded`) never identifies a row. Of the descriptive columns,
/// one that holds a single value within each force describes the force itself (a note, a region,
/// a force code, the date of its latest inspection), not the row, so it is left out too, unless
/// its name says it labels a measure (`measure`, `crime_type`, …). A catalogued table names its own identity
/// (`keys` in catalog.json) and keeps it while all those columns are there.
public struct RowIdentity: Sendable {
    /// The identifying columns, other than the force, in table order.
    public var columns: [Int]
    /// Descriptive columns left out because each force has one value of them.
    public var perForce: [Int]
    /// True when the identity came from the catalogue rather than the rule.
    public var catalogued: Bool

    public init(columns: [Int], perForce: [Int], catalogued: Bool) {
        self.columns = columns
        self.perForce = perForce
        self.catalogued = catalogued
    }

    /// "force and measure", "force alone".
    public func words(in table: Table, force: Int) -> String {
        let cols = columns.map { table.columns[$0].name }
        let f = table.columns[force].name
        guard let last = cols.last else { return "\(f) alone" }
        return ([f] + cols.dropLast()).joined(separator: ", ") + " and " + last
    }
}

extension Column {
    /// Whole numbers named like a code, period or identifier: `outcome_type`, `offence_code`,
    /// `number`, `year`, `financial_quarter`, `force_id`.
    public var looksLikeCode: Bool {
        guard type == .integer else { return false }
        let words = name.lowercased().split(whereSeparator: { $0 == "_" || $0 == " " || $0 == "-" || $0 == "." })
        guard let last = words.last else { return false }
        return ["code", "id", "type", "number", "no", "year", "quarter", "month", "week", "ref", "key", "group"].contains(String(last))
    }

    /// Named as a label of what was measured (`measure`, `indicator`, `crime_type`, `offence`,
    /// `outcome`, `category`, …): such a column always identifies a row, even where each force
    /// has one value of it (a long table filtered to one measure per force must not pair Kent's
    /// "stops" with the national "arrests").
    public var namesAMeasure: Bool {
        let words = name.lowercased().split(whereSeparator: { !$0.isLetter })
        let labels: Set<Substring> = ["measure", "indicator", "metric", "variable", "statistic", "crime", "offence", "offense",
                                      "outcome", "category", "type", "kind", "question", "item", "series"]
        return words.contains { labels.contains($0) }
    }

    /// True for text, dates and code-like whole numbers.
    public var isDescriptive: Bool { type == .text || type == .date || looksLikeCode }
}

extension Table {
    /// The columns that identify a row within one force (see `RowIdentity`). `force` is the force
    /// column; `skip` are other columns never to count (the value, its unit, its interval).
    public func rowIdentity(force: Int?, skip: Set<Int> = []) -> RowIdentity {
        if let keys = info.keys {
            let found = keys.compactMap { columnIndex($0) }
            if found.count == keys.count { return RowIdentity(columns: found.filter { $0 != force }, perForce: [], catalogued: true) }
        }
        let candidates = columns.indices.filter { i in
            i != force && !skip.contains(i) && columns[i].isDescriptive
                && !["source", "unit", "notes", "note_source", "area_kind"].contains(columns[i].name.lowercased())
        }
        guard let force else { return RowIdentity(columns: candidates, perForce: [], catalogued: false) }
        // A column with one value in each force describes the force. With one row per force every
        // column does, and the force alone identifies a row.
        let forceIDs = groupIDs(by: [columns[force]])
        var kept: [Int] = [], perForce: [Int] = []
        for i in candidates {
            if columns[i].namesAMeasure { kept.append(i); continue }
            let pair = groupIDs(by: [columns[force], columns[i]])
            if pair.count == forceIDs.count { perForce.append(i) } else { kept.append(i) }
        }
        return RowIdentity(columns: kept, perForce: perForce, catalogued: false)
    }
}
