/// Descriptive statistics over the present values of a column (missing values are skipped).
public enum Summary {
    public static func mean(_ v: [Double]) -> Double? {
        v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
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

/// Where each value stands among all of them, and the inspectorate's banding.
public enum Ranking {
    /// Competition ranks ("1224"): 1 for the largest value when `descending`; tied values share a rank.
    public static func ranks(_ values: [Double], descending: Bool = true) -> [Int] {
        values.map { v in 1 + values.filter { descending ? $0 > v : $0 < v }.count }
    }

    /// "one of the highest", "one of the lowest" or "broadly in line", as in Annex A of the PEEL 2016
    /// report: forces are ranked and the top and bottom 25 percent highlighted. A value is in the top
    /// quarter when its rank from the top is at most n/4 (10 of 43), in the bottom quarter when its rank
    /// from the bottom is; tied values share a rank, so they share a band.
    public static func band(rankFromTop: Int, rankFromBottom: Int, of n: Int) -> String {
        let quarter = Double(n) / 4
        if Double(rankFromTop) <= quarter { return "one of the highest" }
        if Double(rankFromBottom) <= quarter { return "one of the lowest" }
        return "broadly in line"
    }

    /// "5th highest of 43", with "=" before a shared rank ("=5th highest of 43").
    public static func position(rank: Int, of n: Int, tied: Bool) -> String {
        (tied ? "=" : "") + ordinal(rank) + " highest of \(n)"
    }

    public static func ordinal(_ n: Int) -> String {
        let tens = n % 100
        let suffix = (11...13).contains(tens) ? "th" : (n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th")
        return "\(n)\(suffix)"
    }
}
