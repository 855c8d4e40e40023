/// Rows split into groups by the values of some columns, in the order each group first appears.
public struct RowGroups {
    /// Each group's values (as shown; "\u{0}" for missing) and its rows, in table order.
    public var groups: [(key: [String], rows: [Int])]
}

extension Table {
    /// Groups rows by `columns`, comparing codes rather than text (no strings made per row).
    public func groupRows(by columns: [Column]) -> RowGroups {
        func code(_ c: Column, _ r: Int) -> Int64 {
            if c.isMissing(r) { return Int64.min }
            switch c.data {
            case .text(let codes, _): return Int64(codes[r])
            case .integer(let v): return v[r]
            case .date(let d): return Int64(d[r])
            case .decimal(let v, _): return Int64(bitPattern: v[r].bitPattern)
            }
        }
        var index: [[Int64]: Int] = [:]
        var out: [(key: [String], rows: [Int])] = []
        if columns.isEmpty { return RowGroups(groups: rowCount == 0 ? [] : [([], Array(0..<rowCount))]) }
        if columns.count == 1 {
            let c = columns[0]
            var single: [Int64: Int] = [:]
            for r in 0..<rowCount {
                let k = code(c, r)
                if let g = single[k] { out[g].rows.append(r) } else {
                    single[k] = out.count
                    out.append(([c.formatted(r) ?? "\u{0}"], [r]))
                }
            }
            return RowGroups(groups: out)
        }
        for r in 0..<rowCount {
            let k = columns.map { code($0, r) }
            if let g = index[k] { out[g].rows.append(r) } else {
                index[k] = out.count
                out.append((columns.map { $0.formatted(r) ?? "\u{0}" }, [r]))
            }
        }
        return RowGroups(groups: out)
    }
}
