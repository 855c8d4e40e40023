import Glibc

// Control limits for funnel plots, after D. J. Spiegelhalter, "Funnel plots for comparing
// institutional performance", Statistics in Medicine 24 (2005) 1185–1202 (the exact limits with
// interpolation: appendix A.1.1), and "Handling over-dispersion of performance indicators",
// Quality and Safety in Health Care 14 (2005) 347–351 (the multiplicative φ and additive τ²
// adjustments and their estimates from Winsorised z-scores).

/// What the plotted values are, on the raw scale: a proportion from 0 to 1 (a count out of a
/// whole number of cases, binomial) or events per one unit of the denominator (a rate, Poisson).
public enum FunnelScale: Sendable, Equatable { case proportion; case rate }

/// How the limits allow for more spread between units than chance gives: not at all, by
/// multiplying the variance by φ, or by adding a between-unit variance τ².
public enum Overdispersion: Sendable, Equatable { case none; case multiplicative(phi: Double); case additive(tau2: Double) }

/// One unit on the plot: its count and its denominator (cases, or population).
public struct FunnelPoint: Sendable {
    public var count: Double
    public var denominator: Double
    public init(count: Double, denominator: Double) {
        self.count = count
        self.denominator = denominator
    }
}

/// The overdispersion estimated from the units: φ (multiplicative), τ² (additive), how many
/// units were used, and the Winsorising fraction applied to their z-scores.
public struct OverdispersionEstimate: Sendable {
    public var phi: Double
    public var tau2: Double
    /// The number of units used (those with a denominator above 0 and a count that is a number
    /// from 0, and for proportions at most the denominator).
    public var n: Int
    /// The fraction Winsorised at each end (0.1: the lowest and highest 10% of z-scores).
    public var winsorised: Double
}

public enum FunnelLimits {
    /// The variance of one observation at the target: t(1 − t) for a proportion, t for a rate.
    static func unitVariance(_ t: Double, _ scale: FunnelScale) -> Double { scale == .proportion ? t * (1 - t) : t }

    /// The lower and upper control limit at one denominator for a target (national) value; level
    /// 0.95 or 0.998 (any in (0, 1)).
    ///
    /// - `.none`: the exact limits with Spiegelhalter's interpolation (Stat Med 2005, appendix
    ///   A.1.1). For p = (1 − level)/2 and (1 + level)/2, r_p is the p-quantile of
    ///   Binomial(n, target) (for a rate, of Poisson(n·target)), the smallest r with F(r) ≥ p;
    ///   α = (F(r_p) − p) / (F(r_p) − F(r_p − 1)), with F(−1) = 0; the limit is (r_p − α)/n. For
    ///   a proportion with a denominator that is not a whole number, the limits at the whole
    ///   numbers either side are interpolated linearly. Past 2^52 cases (or an expected count
    ///   past 2^52), where the discreteness no longer shows, the normal limits
    ///   target ± z·√(V/n).
    /// - `.multiplicative(φ)`: target ± z·√(φ·V(target)/n), V = t(1 − t) for proportions, t for
    ///   rates, z = Φ⁻¹((1 + level)/2).
    /// - `.additive(τ²)`: target ± z·√(V(target)/n + τ²).
    ///
    /// Every limit is clamped at 0 (the upper one too: at a target of 0 the interpolation would put it
    /// just below), and for proportions at 1.
    /// nil for impossible input: a target that is not a finite number ≥ 0 (and, for proportions,
    /// ≤ 1), a denominator that is not finite and above 0 (for proportions, at least 1), a level
    /// outside (0, 1), φ not finite and above 0, τ² not finite and ≥ 0.
    public static func limits(target: Double, denominator: Double, scale: FunnelScale, level: Double,
                              overdispersion: Overdispersion) -> (lower: Double, upper: Double)? {
        guard target >= 0, target.isFinite, denominator > 0, denominator.isFinite, level > 0, level < 1 else { return nil }
        if scale == .proportion { guard target <= 1, denominator >= 1 else { return nil } }
        let z = Normal.quantile((1 + level) / 2)
        let v = unitVariance(target, scale)
        func clamped(_ lo: Double, _ hi: Double) -> (lower: Double, upper: Double)? {
            guard lo.isFinite, hi.isFinite else { return nil }
            return (max(0, lo), scale == .proportion ? min(1, max(0, hi)) : max(0, hi))
        }
        switch overdispersion {
        case .multiplicative(let phi):
            guard phi > 0, phi.isFinite else { return nil }
            let se = (phi * v / denominator).squareRoot()
            return clamped(target - z * se, target + z * se)
        case .additive(let tau2):
            guard tau2 >= 0, tau2.isFinite else { return nil }
            let se = (v / denominator + tau2).squareRoot()
            return clamped(target - z * se, target + z * se)
        case .none:
            let big = 4_503_599_627_370_496.0  // 2^52
            if denominator > big || (scale == .rate && denominator * target > big) {
                let se = (v / denominator).squareRoot()
                return clamped(target - z * se, target + z * se)
            }
            let pLow = (1 - level) / 2, pHigh = (1 + level) / 2
            if scale == .rate {
                guard let lo = exact(pLow, n: denominator, target: target, scale: scale),
                      let hi = exact(pHigh, n: denominator, target: target, scale: scale) else { return nil }
                return clamped(lo, hi)
            }
            let n0 = denominator.rounded(.down), n1 = denominator.rounded(.up)
            guard let lo0 = exact(pLow, n: n0, target: target, scale: scale),
                  let hi0 = exact(pHigh, n: n0, target: target, scale: scale) else { return nil }
            if n0 == n1 { return clamped(lo0, hi0) }
            guard let lo1 = exact(pLow, n: n1, target: target, scale: scale),
                  let hi1 = exact(pHigh, n: n1, target: target, scale: scale) else { return nil }
            let f = denominator - n0
            return clamped(lo0 + f * (lo1 - lo0), hi0 + f * (hi1 - hi0))
        }
    }

    /// (r_p − α)/n for one p (see `limits`).
    static func exact(_ p: Double, n: Double, target: Double, scale: FunnelScale) -> Double? {
        let r: Double, fr: Double, fBelow: Double
        switch scale {
        case .proportion:
            r = Binomial.quantile(p, n: n, p: target)
            guard r.isFinite else { return nil }
            fr = Binomial.cdf(r, n: n, p: target)
            fBelow = r == 0 ? 0 : Binomial.cdf(r - 1, n: n, p: target)
        case .rate:
            let mean = n * target
            r = Poisson.quantile(p, mean: mean)
            guard r.isFinite else { return nil }
            fr = Poisson.cdf(r, mean: mean)
            fBelow = r == 0 ? 0 : Poisson.cdf(r - 1, mean: mean)
        }
        guard fr.isFinite, fBelow.isFinite else { return nil }
        let step = fr - fBelow
        let alpha = step > 0 ? (fr - p) / step : 0
        return (r - alpha) / n
    }

    /// Spiegelhalter's (QSHC 2005) estimate of overdispersion from the units. For each unit i
    /// with value y_i = count/denominator, z_i = (y_i − t)/√(V(t)/n_i), V as in `limits`. The
    /// z-scores are Winsorised: those below the `winsorise` quantile of the z-scores are set to
    /// it, and those above the 1 − `winsorise` quantile to that (quantiles interpolated linearly
    /// between order statistics, numpy's default and Excel's PERCENTILE.INC), keeping all N of
    /// them. Then φ = Σ z_i²/N over the Winsorised z-scores, and, with weights w_i = n_i/V(t)
    /// (1 over each unit's variance), τ² = max(0, (N·φ − (N − 1)) / (Σw − Σw²/Σw)), the
    /// DerSimonian–Laird-type moment estimate.
    ///
    /// Units with a denominator that is not a finite number above 0, or a count that is not a
    /// finite number from 0 (for proportions, at most the denominator), are left out. nil when
    /// fewer than two units remain, for a target that gives no variance (a proportion of 0 or 1,
    /// a rate of 0) or is not finite, or a `winsorise` outside 0 ≤ f < 0.5 (0: none).
    public static func estimate(_ points: [FunnelPoint], target: Double, scale: FunnelScale, winsorise: Double = 0.1) -> OverdispersionEstimate? {
        guard target.isFinite, target > 0, scale == .rate || target < 1, winsorise >= 0, winsorise < 0.5 else { return nil }
        let v = unitVariance(target, scale)
        var z: [Double] = [], w: [Double] = []
        for pt in points {
            guard pt.denominator > 0, pt.denominator.isFinite, pt.count >= 0, pt.count.isFinite else { continue }
            if scale == .proportion && pt.count > pt.denominator { continue }
            let y = pt.count / pt.denominator
            let zi = (y - target) / (v / pt.denominator).squareRoot()
            guard zi.isFinite else { continue }
            z.append(zi)
            w.append(pt.denominator / v)
        }
        guard z.count >= 2, let low = Summary.quantile(z, winsorise), let high = Summary.quantile(z, 1 - winsorise) else { return nil }
        let count = Double(z.count)
        let phi = z.reduce(0) { $0 + min(high, max(low, $1)).squared } / count
        let sw = w.reduce(0, +)
        let denominator = sw - w.reduce(0) { $0 + $1 * ($1 / sw) }
        guard phi.isFinite, denominator.isFinite else { return nil }
        let tau2 = denominator > 0 ? max(0, (count * phi - (count - 1)) / denominator) : 0
        return OverdispersionEstimate(phi: phi, tau2: tau2, n: z.count, winsorised: winsorise)
    }
}
