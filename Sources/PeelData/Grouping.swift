import OrderedCollections

/// Rows split into groups by the values of some columns, in the order each group first appears.
public struct RowGroups {
    /// Each group's values (as shown; "\u{0}" for missing) and its rows, in table order.
    public var groups: [(key: [String], rows: [Int])]
}

/// Each row's group number (0, 1, 2, … in order of first appearance) and each group's first row.
public struct GroupIDs {
    public var ids: [Int32]
    public var firstRows: [Int]
    public var count: Int { firstRows.count }
}

extension Table {
    /// Groups rows by `columns`, comparing codes rather than text (no strings made per row).
    public func groupRows(by columns: [Column]) -> RowGroups {
        if columns.isEmpty { return RowGroups(groups: rowCount == 0 ? [] : [([], Array(0..<rowCount))]) }
        let g = groupIDs(by: columns)
        // Rows of each group, in table order, by a counting pass (no per-group appends).
        var sizes = [Int](repeating: 0, count: g.count)
        for id in g.ids { sizes[Int(id)] += 1 }
        var rows = sizes.map { [Int](repeating: 0, count: $0) }
        var fill = [Int](repeating: 0, count: g.count)
        for r in 0..<rowCount {
            let id = Int(g.ids[r])
            rows[id][fill[id]] = r
            fill[id] += 1
        }
        return RowGroups(groups: g.firstRows.enumerated().map { id, first in
            (columns.map { $0.formatted(first) ?? "\u{0}" }, rows[id])
        })
    }

    /// Each row's group by the values of `columns`. Text columns are grouped by dictionary code;
    /// when every key column is small (text codes), the combined code indexes a table directly.
    public func groupIDs(by columns: [Column]) -> GroupIDs {
        let n = rowCount
        if columns.isEmpty {
            return GroupIDs(ids: [Int32](repeating: 0, count: n), firstRows: n == 0 ? [] : [0])
        }
        var ids = [Int32](repeating: 0, count: n)
        var firstRows: [Int] = []
        // Small keys: text codes (plus one slot for missing) combined in mixed radix.
        var radix: [Int] = []
        var space = 1
        for c in columns {
            guard case .text(_, let dict) = c.data, space <= (1 << 22) / (dict.count + 1) else { space = 0; break }
            radix.append(dict.count + 1)
            space *= dict.count + 1
        }
        if space > 0 {
            var slot = [Int32](repeating: -1, count: space)
            let codes: [[Int32]] = columns.map { if case .text(let c, _) = $0.data { return c }; return [] }
            let missing = columns.map(\.missing)
            let anyMissing = missing.contains { !$0.isEmpty }
            ids.withUnsafeMutableBufferPointer { out in
                slot.withUnsafeMutableBufferPointer { slots in
                    if columns.count == 1 && !anyMissing {
                        codes[0].withUnsafeBufferPointer { c in
                            for r in 0..<n {
                                let k = Int(c[r])
                                var id = slots[k]
                                if id < 0 { id = Int32(firstRows.count); slots[k] = id; firstRows.append(r) }
                                out[r] = id
                            }
                        }
                        return
                    }
                    for r in 0..<n {
                        var k = 0
                        for j in 0..<codes.count {
                            let code = anyMissing && missing[j][r] ? radix[j] - 1 : Int(codes[j][r])
                            k = k * radix[j] + code
                        }
                        var id = slots[k]
                        if id < 0 { id = Int32(firstRows.count); slots[k] = id; firstRows.append(r) }
                        out[r] = id
                    }
                }
            }
            return GroupIDs(ids: ids, firstRows: firstRows)
        }
        // A value's code (missing values are told apart by the mask below, so Int64.min is a value
        // like any other); decimals by value, so -0.0 meets 0 and every NaN meets every other.
        func code(_ c: Column, _ r: Int) -> Int64 {
            if c.isMissing(r) { return 0 }
            switch c.data {
            case .text(let codes, _): return Int64(codes[r])
            case .integer(let v): return v[r]
            case .date(let d): return Int64(d[r])
            case .decimal(let v, _):
                let x = v[r]
                return Int64(bitPattern: (x == 0 ? 0 : x.isNaN ? Double.nan : x).bitPattern)
            }
        }
        if columns.count == 1 {
            let c = columns[0]
            var single: [Int64: Int32] = [:]
            var missingGroup: Int32?
            for r in 0..<n {
                if c.isMissing(r) {
                    if let g = missingGroup { ids[r] = g } else {
                        let g = Int32(firstRows.count)
                        missingGroup = g
                        firstRows.append(r)
                        ids[r] = g
                    }
                    continue
                }
                let k = code(c, r)
                if let g = single[k] { ids[r] = g } else {
                    let g = Int32(firstRows.count)
                    single[k] = g
                    firstRows.append(r)
                    ids[r] = g
                }
            }
            return GroupIDs(ids: ids, firstRows: firstRows)
        }
        // Several columns: group by each alone, then fold them in one at a time, numbering the
        // (groups so far, this column's group) pairs in first-seen order. Each fold keeps first
        // appearance, so the result is the order in which each whole key first appears.
        var current = groupIDs(by: [columns[0]])
        for c in columns.dropFirst() {
            current = Self.fold(current, groupIDs(by: [c]), rows: n)
        }
        return current
    }

    /// Numbers the distinct pairs (a's group, b's group) of each row, in order of first appearance.
    static func fold(_ a: GroupIDs, _ b: GroupIDs, rows n: Int) -> GroupIDs {
        var ids = [Int32](repeating: 0, count: n)
        var firstRows: [Int] = []
        let width = max(1, b.count)
        let (space, overflow) = a.count.multipliedReportingOverflow(by: width)
        if !overflow && space <= (1 << 22) {
            var slot = [Int32](repeating: -1, count: space)
            a.ids.withUnsafeBufferPointer { x in
                b.ids.withUnsafeBufferPointer { y in
                    slot.withUnsafeMutableBufferPointer { slots in
                        ids.withUnsafeMutableBufferPointer { out in
                            for r in 0..<n {
                                let k = Int(x[r]) * width + Int(y[r])
                                var id = slots[k]
                                if id < 0 { id = Int32(firstRows.count); slots[k] = id; firstRows.append(r) }
                                out[r] = id
                            }
                        }
                    }
                }
            }
        } else {
            // Group numbers are below 2³¹, so the pair packs into one Int64 key.
            var seen: [Int64: Int32] = [:]
            seen.reserveCapacity(min(n, 1 << 20))
            for r in 0..<n {
                let k = Int64(a.ids[r]) << 32 | Int64(b.ids[r])
                if let g = seen[k] { ids[r] = g } else {
                    let g = Int32(firstRows.count)
                    seen[k] = g
                    firstRows.append(r)
                    ids[r] = g
                }
            }
        }
        return GroupIDs(ids: ids, firstRows: firstRows)
    }
}

/// Keys shared by the rows of two tables: for pairs of key columns (one from each table), a group
/// number per row such that two rows, from either table, have the same number exactly when their
/// keys are equal. Made from dictionary codes and numbers, not from a string per row. A row with a
/// missing key value gets -1: missing matches nothing.
public struct SharedKeys {
    public var left: [Int32]
    public var right: [Int32]
    public var count: Int

    /// `canonical[j]`, when given, maps a text value of pair j to the spelling it is matched by
    /// (force names through their aliases).
    public init(_ pairs: [(Column, Column)], canonical: [Int: (String) -> String] = [:]) {
        let nl = pairs.first?.0.count ?? 0, nr = pairs.first?.1.count ?? 0
        var codeColumns: [Column] = []
        var missing = [Bool](repeating: false, count: nl + nr)
        for (j, (a, b)) in pairs.enumerated() {
            var codes = [Int64](repeating: 0, count: nl + nr)
            for r in 0..<nl where a.isMissing(r) { missing[r] = true }
            for r in 0..<nr where b.isMissing(r) { missing[nl + r] = true }
            let map = canonical[j] ?? { $0 }
            switch (a.data, b.data) {
            case (.text(let ca, let da), .text(let cb, let db)):
                // One numbering of both dictionaries' (canonical) values.
                var ids: [String: Int64] = [:]
                func numbering(_ d: [String]) -> [Int64] {
                    d.map { v in
                        let k = map(v)
                        if let id = ids[k] { return id }
                        let id = Int64(ids.count)
                        ids[k] = id
                        return id
                    }
                }
                let ma = numbering(da), mb = numbering(db)
                for r in 0..<nl { codes[r] = ma[Int(ca[r])] }
                for r in 0..<nr { codes[nl + r] = mb[Int(cb[r])] }
            case (.integer, .integer), (.integer, .decimal), (.decimal, .integer), (.decimal, .decimal):
                // Numbers by value (1 meets 1.0; -0.0 meets 0).
                let va = a.doubles(), vb = b.doubles()
                for r in 0..<nl { codes[r] = Int64(bitPattern: (va[r] == 0 ? 0 : va[r]).bitPattern) }
                for r in 0..<nr { codes[nl + r] = Int64(bitPattern: (vb[r] == 0 ? 0 : vb[r]).bitPattern) }
            case (.date(let da), .date(let db)):
                for r in 0..<nl { codes[r] = Int64(da[r]) }
                for r in 0..<nr { codes[nl + r] = Int64(db[r]) }
            default:
                // Different types: matched as shown ("1" meets 1).
                var ids: [String: Int64] = [:]
                func id(_ s: String?) -> Int64 {
                    guard let s else { return 0 }
                    let k = map(s)
                    if let i = ids[k] { return i }
                    ids[k] = Int64(ids.count)
                    return Int64(ids.count - 1)
                }
                for r in 0..<nl { codes[r] = id(a.formatted(r)) }
                for r in 0..<nr { codes[nl + r] = id(b.formatted(r)) }
            }
            codeColumns.append(Column(name: "k\(j)", data: .integer(codes)))
        }
        let g = Table(name: "keys", columns: codeColumns).groupIDs(by: codeColumns)
        var ids = g.ids
        for (r, m) in missing.enumerated() where m { ids[r] = -1 }
        left = Array(ids[0..<nl])
        right = Array(ids[nl...])
        count = g.count
    }
}
