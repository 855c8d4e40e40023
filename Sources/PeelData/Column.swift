import PeelSupport

/// The storage of one column: typed, contiguous, with missing values in a separate mask.
public enum ColumnData: Sendable {
    case integer([Int64])
    /// Decimal numbers, shown with `scale` digits after the point (as printed in the source).
    case decimal([Double], scale: Int)
    /// Text, dictionary-encoded: each row holds an index into `dictionary`.
    case text(codes: [Int32], dictionary: [String])
    /// Calendar dates as days since 1970-01-01; shown and compared as ISO text (2018-06-30).
    case date([Int32])
}

public enum ColumnType: String, Sendable {
    case integer, decimal, text, date

    public var isNumeric: Bool { self == .integer || self == .decimal }
}

/// A column's values as `numerator / denominator × factor` of two other columns of the same table.
public struct Ratio: Sendable, Equatable {
    public var numerator: String
    public var denominator: String
    /// 100 for a percentage, 1,000 or 100,000 for a rate.
    public var factor: Double

    public init(numerator: String, denominator: String, factor: Double) {
        self.numerator = numerator
        self.denominator = denominator
        self.factor = factor
    }
}

/// A typed column with its name, unit and description.
public struct Column: Sendable {
    public var name: String
    public var unit: String?
    public var description: String?
    public var data: ColumnData
    /// `missing[i]` is true when row i has no value. Empty means nothing is missing.
    public var missing: MissingMask
    /// Per-row decimal places, when a decimal column's values were printed with differing precision
    /// (e.g. `17` beside `11.1`); nil when every row uses `scale`.
    public var rowScales: [UInt8]?
    /// Shown as a p-value in text and Markdown: four decimals, or "<0.0001".
    public var isPValue = false
    /// Why values are missing, when the file said so with a publisher's marker (`[c]`, `..`).
    public var missingReasons: MissingReasons?
    /// For a text column whose every value is a period (a financial year, quarter, month or rolling
    /// year): the period of each dictionary entry, so the column sorts and compares in time order.
    public var periods: [Period]?
    /// For a column that is one count over another (made by `pct`, `per_1000`, `per_100000`,
    /// `proportion`, or declared in the catalogue): which columns, so that a national or group
    /// figure can be pooled (sum of numerators over sum of denominators) rather than averaged.
    public var ratio: Ratio?

    public init(name: String, unit: String? = nil, description: String? = nil, data: ColumnData,
                missing: MissingMask = MissingMask(), rowScales: [UInt8]? = nil) {
        self.name = name
        self.unit = unit
        self.description = description
        self.data = data
        self.missing = missing
        self.rowScales = rowScales
    }

    public var count: Int {
        switch data {
        case .integer(let v): return v.count
        case .decimal(let v, _): return v.count
        case .text(let c, _): return c.count
        case .date(let d): return d.count
        }
    }

    public var type: ColumnType {
        switch data {
        case .integer: return .integer
        case .decimal: return .decimal
        case .text: return .text
        case .date: return .date
        }
    }

    /// Digits after the decimal point when displayed.
    public var scale: Int {
        if case .decimal(_, let s) = data { return s }
        return 0
    }

    /// Digits after the decimal point for one row.
    public func scale(_ row: Int) -> Int {
        if let r = rowScales { return Int(r[row]) }
        return scale
    }

    public func isMissing(_ row: Int) -> Bool { missing[row] }

    /// The numeric value at `row`, or nil when missing or not numeric.
    public func number(_ row: Int) -> Double? {
        if missing[row] { return nil }
        switch data {
        case .integer(let v): return Double(v[row])
        case .decimal(let v, _): return v[row]
        case .text, .date: return nil
        }
    }

    /// Every value as a number (0 where missing or not numeric): one pass, for hot loops that would
    /// otherwise unpack the column's storage on every row.
    public func doubles() -> [Double] {
        switch data {
        case .integer(let v):
            return [Double](largeUninitializedCapacity: v.count) { out, n in
                v.withUnsafeBufferPointer { v in for i in 0..<v.count { out[i] = Double(v[i]) } }
                n = v.count
            }
        case .decimal(let v, _): return v
        default: return Array(repeating: 0, count: count)
        }
    }

    /// The distinct text values present in the column, found from the codes in use (no string per row).
    public func presentTexts() -> Set<String> {
        guard case .text(let codes, let dict) = data else { return Set((0..<count).compactMap { formatted($0) }) }
        let used = usedEntries(codes: codes, entries: dict.count)
        return Set(dict.indices.filter { used[$0] }.map { dict[$0] })
    }

    /// Which of `entries` dictionary entries a row with a value uses: one tight pass over the codes
    /// (the missing mask is looked at only when something is missing; codes out of range are ignored).
    package func usedEntries(codes: [Int32], entries: Int) -> [Bool] {
        var used = [Bool](repeating: false, count: entries)
        let anyMissing = !missing.isEmpty
        used.withUnsafeMutableBufferPointer { u in
            codes.withUnsafeBufferPointer { c in
                // A block at a time, stopping once every entry is seen: a column just read uses
                // them all, and most of them turn up in its first rows.
                var found = 0, r = 0
                while r < c.count, found < entries {
                    let end = min(c.count, r + 4096)
                    while r < end {
                        let k = Int(c[r])
                        if k >= 0, k < entries, !u[k], !anyMissing || !missing[r] { u[k] = true; found += 1 }
                        r += 1
                    }
                }
            }
        }
        return used
    }

    /// The text value at `row`, or nil when missing or not text.
    public func text(_ row: Int) -> String? {
        if missing[row] { return nil }
        if case .text(let codes, let dict) = data { return dict[Int(codes[row])] }
        if case .date(let d) = data { return CivilDate.iso(d[row]) }
        return nil
    }

    /// The value at `row` as a dynamically typed value.
    public func value(_ row: Int) -> Value {
        if missing[row] { return .missing }
        switch data {
        case .integer(let v): return .number(Double(v[row]))
        case .decimal(let v, _): return .number(v[row])
        case .text(let codes, let dict): return .text(dict[Int(codes[row])])
        case .date(let d): return .text(CivilDate.iso(d[row]))
        }
    }

    /// The value at `row` formatted for display (missing is nil).
    public func formatted(_ row: Int) -> String? {
        if missing[row] { return nil }
        switch data {
        case .integer(let v): return String(v[row])
        case .decimal(let v, let s): return NumberFormat.fixed(v[row], scale: rowScales.map { Int($0[row]) } ?? s)
        case .text(let codes, let dict): return dict[Int(codes[row])]
        case .date(let d): return CivilDate.iso(d[row])
        }
    }

    /// A new column holding the given rows, in order.
    public func gather(_ rows: [Int]) -> Column {
        var out = self
        switch data {
        case .integer(let v): out.data = .integer(Self.pick(v, rows))
        case .decimal(let v, let s): out.data = .decimal(Self.pick(v, rows), scale: s)
        case .text(let c, let d): out.data = .text(codes: Self.pick(c, rows), dictionary: d)
        case .date(let d): out.data = .date(Self.pick(d, rows))
        }
        out.missing = missing.gather(rows)
        out.rowScales = rowScales.map { Self.pick($0, rows) }
        out.missingReasons = missingReasons.map { MissingReasons(codes: Self.pick($0.codes, rows), markers: $0.markers) }
        return out
    }

    /// A new column holding the given rows, in order, and a missing value where the row is nil
    /// (a left join's unmatched rows).
    public func gather(_ rows: [Int?]) -> Column {
        guard count > 0 else {
            var out = self
            out.rowScales = nil
            switch data {
            case .integer: out.data = .integer([Int64](repeating: 0, count: rows.count))
            case .decimal(_, let s): out.data = .decimal([Double](repeating: 0, count: rows.count), scale: s)
            case .text: out.data = .text(codes: [Int32](repeating: 0, count: rows.count), dictionary: [""])
            case .date: out.data = .date([Int32](repeating: 0, count: rows.count))
            }
            out.missing = MissingMask([Bool](repeating: true, count: rows.count))
            return out
        }
        var out = gather(rows.map { $0 ?? 0 })
        if rows.contains(nil) {
            out.missing = MissingMask(rows.indices.map { rows[$0] == nil || out.missing[$0] })
            if var reasons = out.missingReasons {
                for (i, r) in rows.enumerated() where r == nil { reasons.codes[i] = 0 }
                out.missingReasons = reasons
            }
        }
        return out
    }

    /// `rows.map { values[$0] }` without per-element bounds checks (every row is below the count).
    package static func pick<T>(_ values: [T], _ rows: [Int]) -> [T] {
        values.withUnsafeBufferPointer { v in
            rows.withUnsafeBufferPointer { r in
                [T](largeUninitializedCapacity: r.count) { out, n in
                    for i in 0..<r.count {
                        precondition(r[i] >= 0 && r[i] < v.count)
                        (out.baseAddress! + i).initialize(to: v[r[i]])
                    }
                    n = r.count
                }
            }
        }
    }
}

/// The marker that made each missing value missing: `codes[row]` is 0 for a value that is present
/// or simply empty, and k for `markers[k - 1]` (as the file wrote it, e.g. `[c]`).
public struct MissingReasons: Sendable, Equatable {
    public var codes: [UInt8]
    public var markers: [String]

    public init(codes: [UInt8], markers: [String]) {
        self.codes = codes
        self.markers = markers
    }

    /// How many rows each marker made missing, in marker order (markers with no rows left out).
    public func counts() -> [(marker: String, rows: Int)] {
        var n = [Int](repeating: 0, count: markers.count + 1)
        for c in codes { n[Int(c)] += 1 }
        return markers.indices.compactMap { n[$0 + 1] > 0 ? (markers[$0], n[$0 + 1]) : nil }
    }
}

/// Which rows of a column are missing. Stored as bits; an empty mask means none are missing.
public struct MissingMask: Sendable, Equatable {
    private var words: [UInt64] = []

    public init() {}

    public init(_ flags: [Bool]) {
        guard flags.contains(true) else { return }
        words = Array(repeating: 0, count: (flags.count + 63) / 64)
        for (i, f) in flags.enumerated() where f { words[i >> 6] |= 1 << UInt64(i & 63) }
    }

    public subscript(_ row: Int) -> Bool {
        let w = row >> 6
        return w < words.count && words[w] & (1 << UInt64(row & 63)) != 0
    }

    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// One flag per row for the first `rows` rows, set a word at a time (no per-row lookup).
    package func flags(_ rows: Int) -> [Bool] {
        var out = [Bool](largeRepeating: false, count: rows)
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                let i = (w << 6) + bits.trailingZeroBitCount
                if i >= rows { break }
                out[i] = true
                bits &= bits - 1
            }
        }
        return out
    }

    public func count(upTo rows: Int) -> Int {
        var n = 0
        for (w, word) in words.enumerated() {
            let first = w * 64
            if first >= rows { break }
            let bits = rows - first >= 64 ? word : word & ((1 << UInt64(rows - first)) - 1)
            n += bits.nonzeroBitCount
        }
        return n
    }

    package func gather(_ rows: [Int]) -> MissingMask {
        if words.isEmpty { return MissingMask() }
        var out = MissingMask()
        var any = false
        var w = [UInt64](repeating: 0, count: (rows.count + 63) / 64)
        for (i, r) in rows.enumerated() where self[r] { w[i >> 6] |= 1 << UInt64(i & 63); any = true }
        if any { out.words = w }
        return out
    }
}

/// A single dynamically typed value, used by expressions and comparisons.
public enum Value: Equatable, Sendable {
    case missing
    case number(Double)
    case text(String)
    case bool(Bool)
}
