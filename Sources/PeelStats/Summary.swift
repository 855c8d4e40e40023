/// Descriptive statistics over the present values of a column (missing values are skipped).
public enum Summary {
    /// The mean; values near 1e308, whose sum would overflow, are averaged by parts.
    public static func mean(_ v: [Double]) -> Double? {
        guard !v.isEmpty else { return nil }
        let n = Double(v.count)
        let sum = v.reduce(0, +)
        if sum.isFinite || v.contains(where: { !$0.isFinite }) { return sum / n }
        return v.reduce(0) { $0 + $1 / n }
    }

    /// The q-quantile by linear interpolation between closest ranks: the "inclusive" method of Python's
    /// `statistics.quantiles(method="inclusive")`, Excel's QUARTILE.INC and R's type 7.
    public static func quantile(_ v: [Double], _ q: Double) -> Double? {
        guard !v.isEmpty else { return nil }
        let s = v.sorted()
        let h = Double(s.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, s.count - 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }

    public static func median(_ v: [Double]) -> Double? { quantile(v, 0.5) }
}

/// The mean of values printed with `scale` decimals, kept exactly as a fraction of whole numbers
/// (the sum of the values in units of 10^-scale, over the count), so that a difference from it is
/// rounded once, when shown, and "same" means exactly equal: the mean of 5, 4, 3 and 1 is 3.25, and
/// 3 is 0.25 below it, not "3, same".
public struct DecimalMean: Sendable {
    /// The sum in units of 10^-scale (a whole number while it is below 2^53); used only when `exact`.
    package let units: Double
    public let count: Int
    public let scale: Int
    package let step: Double
    /// False when the sum was too large to be held exactly; the mean is then an ordinary average.
    package let exact: Bool

    public init?(_ values: [Double], scale: Int) {
        guard !values.isEmpty else { return nil }
        let s = max(0, min(scale, 12))
        var step = 1.0
        for _ in 0..<s { step *= 10 }
        var units = 0.0
        var exact = true
        for v in values {
            let u = (v * step).rounded(.toNearestOrAwayFromZero)
            units += u
            if !u.isFinite || abs(units) >= 9.0e15 || abs(u - v * step) > 1e-6 * max(1, abs(u)) { exact = false }
        }
        self.count = values.count
        self.scale = s
        self.step = step
        self.exact = exact
        self.units = units
        self.plainMean = exact ? nil : Summary.mean(values)
    }

    /// The mean when the values could not be held as whole numbers of 10^-scale.
    package let plainMean: Double?

    public var value: Double { plainMean ?? units / (Double(count) * step) }

    /// x − mean, for an x printed with at most `scale` decimals: computed on whole numbers, so
    /// that its sign is exact and it is rounded once.
    public func difference(from x: Double) -> Double {
        guard exact else { return x - value }
        let xu = (x * step).rounded(.toNearestOrAwayFromZero)
        let num = xu * Double(count) - units
        guard abs(num) < 9.0e15 else { return x - value }
        return num / (Double(count) * step)
    }

    /// Decimals that show the mean honestly: one more than the values had, or two more when that
    /// shows it exactly (3.25 from whole numbers); a mean that no short decimal shows exactly
    /// (a third) gets one more.
    public var displayScale: Int {
        guard exact else { return scale + 1 }
        let n = Double(count)
        for extra in 1...2 {
            var p = 1.0
            for _ in 0..<extra { p *= 10 }
            let scaled = units * p
            if abs(scaled) < 9.0e15, scaled.truncatingRemainder(dividingBy: n) == 0 { return scale + extra }
        }
        return scale + 1
    }
}

/// Where each value stands among all of them, and the inspectorate's banding.
///
/// The rule for ties, used alike by `rank`, `compare` and `compare each`: tied values share the
/// competition rank of the first of them ("1224": two values tied for 2nd are both "=2nd", the next
/// is 4th), and a tie is banded by that shared position. With n values ranked, a position p is
/// "one of the highest" when p ≤ n/4 and "one of the lowest" when n + 1 − p ≤ n/4 (counting from
/// the other end), else "broadly in line" (Annex A of the PEEL 2016 report bands the top and bottom
/// 25 percent). So position and band never disagree: "=4th highest of 8" is broadly in line even
/// when the tie runs down to 8th. When a tie spans a band's edge its members all get the band of
/// the shared position, and `straddles` says so, so that the note can state it.
public enum Ranking {
    public enum Band: String, Sendable {
        case highest = "one of the highest"
        case lowest = "one of the lowest"
        case inLine = "broadly in line"
    }

    /// One value's place among n.
    public struct Place: Equatable, Sendable {
        /// The shared competition rank: 1 + the number of values strictly ahead.
        public var rank: Int
        /// How many values share this rank (1 when not tied).
        public var tied: Int
        /// How many values were ranked.
        public var of: Int
        public var band: Band
        /// True when the tie's positions (rank … rank + tied − 1) cross the edge of the top or the
        /// bottom quarter, so that the shared position decides the band of values on both sides.
        public var straddles: Bool
        public var isTied: Bool { tied > 1 }
    }

    /// The place of every value (in the order given), ranked from the largest (`descending`) or
    /// from the smallest. O(n log n): one sort, then one pass over runs of equal values. NaN is
    /// never ranked (callers leave missing values out before ranking; a NaN gets nil).
    public static func places(_ values: [Double], descending: Bool = true) -> [Place?] {
        var out = [Place?](repeating: nil, count: values.count)
        var order = values.indices.filter { !values[$0].isNaN }
        order.sort { a, b in
            let x = values[a], y = values[b]
            return x != y ? (descending ? x > y : x < y) : a < b
        }
        let n = order.count
        let quarter = Double(n) / 4
        var i = 0
        while i < n {
            var j = i + 1
            while j < n && values[order[j]] == values[order[i]] { j += 1 }
            let rank = i + 1, last = j
            let band = self.band(position: rank, of: n)
            // Positions in the top quarter are 1…⌊n/4⌋; in the bottom quarter, n + 1 − ⌊n/4⌋ … n.
            let topEdge = Int(quarter.rounded(.down)), bottomEdge = n + 1 - topEdge
            let straddles = (rank <= topEdge && last > topEdge) || (rank < bottomEdge && last >= bottomEdge && topEdge > 0)
            for k in i..<j {
                out[order[k]] = Place(rank: rank, tied: j - i, of: n, band: band, straddles: straddles)
            }
            i = j
        }
        return out
    }

    /// The band of a (shared) position p of n, counted from the top: see the type's rule.
    public static func band(position p: Int, of n: Int) -> Band {
        let quarter = Double(n) / 4
        if Double(p) <= quarter { return .highest }
        if Double(n + 1 - p) <= quarter { return .lowest }
        return .inLine
    }

    /// Competition ranks ("1224"): 1 for the largest value when `descending`; tied values share a rank.
    public static func ranks(_ values: [Double], descending: Bool = true) -> [Int] {
        places(values, descending: descending).map { $0?.rank ?? 0 }
    }

    /// "5th highest of 43", with "=" before a shared rank ("=5th highest of 43").
    public static func position(rank: Int, of n: Int, tied: Bool, from end: String = "highest") -> String {
        (tied ? "=" : "") + ordinal(rank) + " \(end) of \(n)"
    }

    /// The band's words when ranked from the other end (`rank … asc`: 1 = lowest): the top of that
    /// ranking is the lowest values.
    public static func words(_ band: Band, ascending: Bool) -> String {
        guard ascending else { return band.rawValue }
        switch band {
        case .highest: return Band.lowest.rawValue
        case .lowest: return Band.highest.rawValue
        case .inLine: return band.rawValue
        }
    }

    /// The note for a tie that spans a band's edge: "5 values tied at =4th highest of 8 (positions
    /// 4–8) span the edge of the lowest quarter; a tie is banded by its shared position, so all 5
    /// are 'broadly in line'".
    public static func straddleNote(_ p: Place, ascending: Bool, what: String = "values") -> String {
        let end = ascending ? "lowest" : "highest"
        let topEdge = p.of / 4
        let edge = p.rank <= topEdge ? (ascending ? "lowest" : "highest") : (ascending ? "highest" : "lowest")
        return "\(p.tied) \(what) tied at \(position(rank: p.rank, of: p.of, tied: true, from: end)) (positions \(p.rank)–\(p.rank + p.tied - 1)) "
            + "span the edge of the \(edge) quarter; a tie is banded by its shared position, so \(p.tied == 2 ? "both" : "all \(p.tied)") are '\(words(p.band, ascending: ascending))'"
    }

    public static func ordinal(_ n: Int) -> String {
        let tens = n % 100
        let suffix = (11...13).contains(tens) ? "th" : (n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th")
        return "\(n)\(suffix)"
    }
}
