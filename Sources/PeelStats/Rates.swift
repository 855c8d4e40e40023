/// How a rate's confidence interval is computed.
public enum RateMethod: String, Sendable, CaseIterable {
    /// Garwood's exact interval from the chi-square (gamma) quantiles.
    case exact
    /// Byar's approximation to it.
    case byar

    /// The footnote's words for a 95% interval.
    public var words: String {
        switch self {
        case .exact: return "exact Poisson (Garwood) 95% interval"
        case .byar: return "Byar's approximation to the exact Poisson 95% interval"
        }
    }
}

/// Rates of events in a population, with intervals that treat the count as Poisson and the
/// denominator as exact.
public enum Rates {
    /// count ÷ denominator × per, with the 95% interval of the count likewise scaled. nil when
    /// the count is not a whole number from 0 to 2^53, the denominator is not a finite number above
    /// 0, `per` is not a finite number above 0, or the result is not finite.
    public static func rate(count: Double, denominator: Double, per: Double, method: RateMethod = .exact) -> (rate: Double, lower: Double, upper: Double)? {
        guard denominator > 0, denominator.isFinite, per > 0, per.isFinite else { return nil }
        let interval = method == .exact ? Poisson.exactInterval(count: count, level: 0.95) : Poisson.byarInterval(count: count, level: 0.95)
        guard let (lo, hi) = interval else { return nil }
        // Divide before multiplying, so a large count over a large denominator does not overflow.
        let r = count / denominator * per, l = lo / denominator * per, u = hi / denominator * per
        guard r.isFinite, l.isFinite, u.isFinite else { return nil }
        return (r, l, u)
    }
}

/// Significance tests of one force's count against a national figure taken as exact (the
/// pooled England and Wales rate or proportion).
public enum CountTest {
    /// The words for a p-value at the 5% level, as `TestResult.words` has them.
    static func words(_ p: Double) -> String { p < 0.05 ? "statistically significant" : "not statistically significant" }

    /// A force's count against a national rate taken as exact: exact Poisson test of `count`
    /// against `denominator × nationalRate` (`Poisson.test`: two-sided by doubling the smaller
    /// tail); returns p and words "statistically significant"/"not statistically significant"
    /// at 0.05. `nationalRate` is events per one unit of the denominator. nil when the count is
    /// not a whole number from 0 to 2^53 or the expected count is not a finite number above 0.
    public static func rate(count: Double, denominator: Double, nationalRate: Double) -> (p: Double, words: String)? {
        guard denominator > 0, denominator.isFinite, nationalRate > 0, nationalRate.isFinite else { return nil }
        guard let p = Poisson.test(count: count, expected: denominator * nationalRate) else { return nil }
        return (p, words(p))
    }

    /// The same for a proportion: exact binomial test of `count` of `n` against
    /// `nationalProportion` (0 to 1; `Binomial.test`, doubling the smaller tail). nil for counts
    /// that are not whole numbers from 0 to 2^53, count > n, n = 0, or a proportion outside 0…1.
    public static func proportion(count: Double, of n: Double, nationalProportion: Double) -> (p: Double, words: String)? {
        guard let p = Binomial.test(count, of: n, p: nationalProportion) else { return nil }
        return (p, words(p))
    }

    /// The exact conditional test of two Poisson counts a (earlier) and b (later) over exposures
    /// (populations; 1 and 1 for plain counts): given a + b, b is binomial(a + b, p₀) with
    /// p₀ = exposureB ÷ (exposureA + exposureB) when the rates are equal; two-sided by doubling
    /// the smaller tail (`Binomial.test`). 1 when both counts are 0; nil for counts that are not
    /// whole numbers from 0 to 2^53 or exposures that are not finite numbers above 0.
    public static func twoCounts(_ a: Double, _ b: Double, exposureA: Double = 1, exposureB: Double = 1) -> Double? {
        guard isCount(a), isCount(b), exposureA > 0, exposureB > 0, exposureA.isFinite, exposureB.isFinite else { return nil }
        let n = a + b
        guard isCount(n) else { return nil }
        if n == 0 { return 1 }
        let p0 = exposureB / (exposureA + exposureB)
        return Binomial.test(b, of: n, p: p0)
    }

    /// The square-root test statistic of two counts, z = 2(√b − √a), as crime analysts use it
    /// (|z| > 3 marks a notable change). nil for negative or non-finite counts.
    public static func squareRootZ(_ a: Double, _ b: Double) -> Double? {
        guard a >= 0, b >= 0, a.isFinite, b.isFinite else { return nil }
        return 2 * (b.squareRoot() - a.squareRoot())
    }
}
