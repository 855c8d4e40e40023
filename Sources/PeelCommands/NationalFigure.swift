import PeelSupport
import PeelData
import PeelIO

/// What each label of a force column stands for: the 43 territorial forces, and the rows that are
/// not forces (British Transport Police, fraud bodies, regions, countries, totals) or not known.
package struct ForceRows {
    /// Labels in the table that name a territorial force, in the order the table first names them.
    package let forces: [String]
    /// Each territorial label's canonical name.
    package let canonical: [String: String]
    /// Labels that are not territorial forces, with what they are ("British Transport Police",
    /// "region", "not a force name peel knows").
    package let others: [(label: String, kind: String)]
    /// Territorial forces (canonical names) with no row in the table.
    package let absent: [String]
    /// True when peel knows the 43 forces (the bundled `forces` table is there).
    package let known: Bool

    package init(_ column: Column, names: ForceNames, territorial: Set<String>) {
        var forces: [String] = []
        var canonical: [String: String] = [:]
        var others: [(String, String)] = []
        var seen = Set<String>()
        for r in 0..<column.count {
            guard let label = column.text(r), seen.insert(label).inserted else { continue }
            if territorial.isEmpty { forces.append(label); canonical[label] = label; continue }
            let rec = names.recognise(label)
            if case .force(let c) = rec, territorial.contains(c) {
                forces.append(label)
                canonical[label] = c
            } else if territorial.contains(label) {
                forces.append(label)
                canonical[label] = label
            } else {
                others.append((label, ForceNames.kindLabel(rec) ?? "not a force name peel knows"))
            }
        }
        self.forces = forces
        self.canonical = canonical
        self.others = others
        let present = Set(canonical.values)
        absent = territorial.subtracting(present).sorted()
        known = !territorial.isEmpty
    }

    package var territorialSet: Set<String> { Set(forces) }

    /// "British Transport Police (British Transport Police), Wales (country)": what was left out for not being a force.
    package var othersWords: String {
        others.map { $0.label.lowercased() == $0.kind.lowercased() ? $0.label : "\($0.label) (\($0.kind))" }.joined(separator: ", ")
    }
}

/// A value column that is one count over another, with both counts in the table, so that a figure
/// for several forces can be pooled: the sum of the numerators over the sum of the denominators.
package struct PooledRatio {
    package let ratio: Ratio
    package let numerator: Column
    package let denominator: Column

    /// The counts behind `value` in `table`, or why they cannot be used (nil when the column is
    /// not a ratio at all).
    package static func find(_ value: Column, in table: Table) -> (pooled: PooledRatio?, reason: String?) {
        guard let r = value.ratio else { return (nil, nil) }
        guard let n = table.column(r.numerator), let d = table.column(r.denominator), n.type.isNumeric, d.type.isNumeric else {
            return (nil, "\(value.name) is \(r.numerator) ÷ \(r.denominator), but the table no longer has both counts")
        }
        // The column must still be what it was made from (an `add` may have replaced a count since).
        for row in 0..<table.rowCount {
            guard let v = value.number(row), let a = n.number(row), let b = d.number(row), b != 0 else { continue }
            let expected = a / b * r.factor
            var half = 0.5
            for _ in 0..<min(value.scale(row), 12) { half /= 10 }
            if !(abs(v - expected) <= half * 1.0001 + 1e-9 * abs(expected)) {
                return (nil, "\(value.name) is no longer \(r.numerator) ÷ \(r.denominator) on every row")
            }
        }
        return (PooledRatio(ratio: r, numerator: n, denominator: d), nil)
    }

    /// Σ numerators ÷ Σ denominators × factor over `rows`; the rows used and those with a count
    /// missing. Nil value when no row has both counts or the denominators sum to zero.
    package func pool(_ rows: [Int]) -> (value: Double?, numerator: Double, denominator: Double, used: [Int], missing: [Int]) {
        var sn = 0.0, sd = 0.0
        var used: [Int] = [], missing: [Int] = []
        for r in rows {
            guard let a = numerator.number(r), let b = denominator.number(r), a.isFinite, b.isFinite else { missing.append(r); continue }
            sn += a
            sd += b
            used.append(r)
        }
        guard !used.isEmpty, sd != 0, sn.isFinite, sd.isFinite else { return (nil, sn, sd, used, missing) }
        let v = sn / sd * ratio.factor
        return (v.isFinite ? v : nil, sn, sd, used, missing)
    }

    /// "charged ÷ offences" or "crimes ÷ population × 1,000".
    package var words: String {
        let f = ratio.factor
        let per = f == 1 || f == 100 ? "" : " × " + NumberFormat.count(f)
        return "\(ratio.numerator) ÷ \(ratio.denominator)\(per)"
    }
}

extension NumberFormat {
    /// A count with commas between thousands ("4,818,517"); fractions and huge values as written.
    package static func count(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 9e15, let n = Int(exactly: v) { return grouped(n) }
        return shortest(v)
    }
}
