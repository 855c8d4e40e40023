/// How a period stands against another in time, for comparisons (`where period >= "2015/16"`).
/// `atOrAfter` and `before` look at where the periods start, `atOrBefore` and `after` at where they
/// end, so each is the other's opposite, and for periods of one length (financial years among
/// financial years, rolling years among rolling years) all four follow the order `sort` uses.
/// Between lengths they read as a person would: a month of 2015/16 is `>=` and `<=` 2015/16
/// (within it), and neither `<` nor `>` it.
public enum TimeTest: Sendable, CaseIterable {
    /// The same months.
    case same
    case different
    /// Starts before the other starts.
    case before
    /// Ends no later than the other ends.
    case atOrBefore
    /// Ends after the other ends.
    case after
    /// Starts no earlier than the other starts.
    case atOrAfter
}

extension Period {
    /// Whether `self` stands so against `other` (see `TimeTest`).
    public func test(_ t: TimeTest, _ other: Period) -> Bool {
        switch t {
        case .same: return sameSpan(other)
        case .different: return !sameSpan(other)
        case .before: return first < other.first
        case .atOrBefore: return last <= other.last
        case .after: return last > other.last
        case .atOrAfter: return first >= other.first
        }
    }
}

extension Column {
    /// The period of each dictionary entry, when this is a text column with periods that match its
    /// dictionary (anything else reads as no periods, so a stale list can never be indexed).
    public var validPeriods: [Period]? {
        guard let p = periods, case .text(_, let dict) = data, p.count == dict.count else { return nil }
        return p
    }

    /// This column with `periods` set when it is a text column whose every present value is a
    /// period (`Period.parse`, with `Period.detect`'s reading of `2011-12`); otherwise unchanged.
    /// A column with no value present is not marked. Dictionary entries no row uses (left by
    /// `where`) are dropped when one of them is not a period, so every entry has its period.
    public func detectingPeriods() -> Column {
        guard case .text(let codes, let dict) = data else { return self }
        if validPeriods != nil { return self }
        let n = codes.count
        guard n > 0, missing.count(upTo: n) < n, !dict.isEmpty else { return self }
        // Whether each entry is used by a row with a value: found only when an entry is not a
        // period, and then first by looking for it (a used entry is usually found at once).
        var used: [Bool]?
        func isUsed(_ k: Int) -> Bool {
            if let used { return used[k] }
            for (r, c) in codes.enumerated() where Int(c) == k && !missing[r] { return true }
            var u = [Bool](repeating: false, count: dict.count)
            for (r, c) in codes.enumerated() where !missing[r] && Int(c) >= 0 && Int(c) < dict.count { u[Int(c)] = true }
            used = u
            return u[k]
        }
        var readings: [Period.Reading?] = []
        readings.reserveCapacity(dict.count)
        for (k, text) in dict.enumerated() {
            let r = Period.reading(text)
            if r == nil, isUsed(k) { return self }
            readings.append(r)
        }
        var out = self
        if readings.allSatisfy({ $0 != nil }) {
            guard let p = Period.resolve(readings.compactMap { $0 }) else { return self }
            out.periods = p
            return out
        }
        // Some entries are not periods but no row uses them: keep the entries that are.
        var remap = [Int32](repeating: 0, count: dict.count)
        var kept: [String] = []
        var keptReadings: [Period.Reading] = []
        for (k, r) in readings.enumerated() {
            guard let r else { continue }
            remap[k] = Int32(kept.count)
            kept.append(dict[k])
            keptReadings.append(r)
        }
        guard let p = Period.resolve(keptReadings) else { return self }
        let newCodes = codes.enumerated().map { r, c -> Int32 in
            missing[r] || Int(c) < 0 || Int(c) >= dict.count ? 0 : remap[Int(c)]
        }
        out.data = .text(codes: newCodes, dictionary: kept)
        out.periods = p
        return out
    }

    /// The column's type as `load` and `describe` show it: the kind of period (`financial year`,
    /// `quarter`, `month`, `calendar year`, `rolling year`), `period` for a mix of kinds, or the
    /// type (`text`, `integer`, …).
    public var typeName: String {
        guard let p = validPeriods, case .text(let codes, _) = data else { return type.rawValue }
        // The kinds of the entries that present rows use, found from the dictionary: a row pass
        // (no hashing) only when the entries are of more than one kind.
        guard let firstKind = p.first?.kind else { return "period" }
        let anyPresent = missing.count(upTo: codes.count) < codes.count
        if p.allSatisfy({ $0.kind == firstKind }) { return anyPresent ? firstKind.rawValue : "period" }
        let used = usedEntries(codes: codes, entries: p.count)
        var kind: Period.Kind?
        for k in p.indices where used[k] {
            if let kind, kind != p[k].kind { return "period" }
            kind = p[k].kind
        }
        return kind.map { $0.rawValue } ?? "period"
    }

    /// For a column with periods: the rank of each dictionary entry in time order (by last month,
    /// then first); entries covering the same months share a rank.
    public func periodRanks() -> [Int32]? {
        guard let p = validPeriods else { return nil }
        let order = p.indices.sorted { (p[$0].last, p[$0].first) < (p[$1].last, p[$1].first) }
        var rank = [Int32](repeating: 0, count: p.count)
        var r: Int32 = -1
        for (k, i) in order.enumerated() {
            if k == 0 || !p[order[k - 1]].sameSpan(p[i]) { r += 1 }
            rank[i] = r
        }
        return rank
    }

    /// The rows in time order by this column's periods (stable: rows of one period keep their
    /// order; missing last), or nil when the column has no periods.
    public func rowsInPeriodOrder() -> [Int]? {
        guard let rank = periodRanks(), case .text(let codes, _) = data else { return nil }
        let key = codes.enumerated().map { r, c -> Int32 in
            missing[r] || Int(c) < 0 || Int(c) >= rank.count ? Int32.max : rank[Int(c)]
        }
        return codes.indices.sorted { key[$0] != key[$1] ? key[$0] < key[$1] : $0 < $1 }
    }

    /// A column of quarters made from a year column and a quarter column, as files that give
    /// them separately write them. The quarter is `1`–`4` (a number) or `Q1`, `1`, `Quarter 1`
    /// (text). A text year is a financial year (`2017/18`, Q1 = April to June) and each label is
    /// the year as written and ` Q1`; a whole-number year is a calendar year (Q1 = January to
    /// March), labelled `2018 Q1`. A row missing either is missing. Nil when the columns differ
    /// in length or a row's year or quarter is not one.
    public static func quarters(named name: String, year: Column, quarter: Column) -> Column? {
        let n = year.count
        guard quarter.count == n else { return nil }
        var dict: [String] = [], periods: [Period] = [], index: [String: Int32] = [:]
        var codes = [Int32](repeating: 0, count: n)
        var miss = [Bool](repeating: false, count: n)
        for r in 0..<n {
            if year.isMissing(r) || quarter.isMissing(r) { miss[r] = true; continue }
            let q: Int?
            switch quarter.data {
            case .integer, .decimal: q = quarter.number(r).flatMap { Int(exactly: $0) }.flatMap { (1...4).contains($0) ? $0 : nil }
            case .text: q = quarter.text(r).flatMap(Period.quarterNumber)
            case .date: q = nil
            }
            guard let q else { return nil }
            let label: String, period: Period?
            switch year.data {
            case .integer, .decimal:
                guard let y = year.number(r).flatMap({ Int(exactly: $0) }) else { return nil }
                label = "\(y) Q\(q)"
                period = Period.quarter(year: y, quarter: q)
            case .text:
                guard let t = year.text(r) else { return nil }
                label = t + " Q\(q)"
                period = Period.quarter(financialYear: t, quarter: "\(q)")
            case .date:
                return nil
            }
            guard let period else { return nil }
            if let k = index[label] { codes[r] = k; continue }
            let k = Int32(dict.count)
            index[label] = k
            dict.append(label)
            periods.append(period)
            codes[r] = k
        }
        var col = Column(name: name, data: .text(codes: codes, dictionary: dict.isEmpty ? [""] : dict), missing: MissingMask(miss))
        if !dict.isEmpty { col.periods = periods }
        return col
    }
}
