import Foundation

// PLACEHOLDER (issue 17): the funnel-limits API with the normal approximation, so the funnel chart
// can be built and drawn. Another helper writes the real file (exact binomial and Poisson limits
// with Spiegelhalter's interpolation, and the overdispersion estimates); it replaces this one at
// merge, keeping these declarations.

/// The scale of a funnel plot's indicator: a proportion (0…1, binomial) or events per one unit
/// of denominator (Poisson).
public enum FunnelScale: Sendable, Equatable { case proportion; case rate }

/// How the limits allow for overdispersion (Spiegelhalter 2005): not at all, by inflating the
/// variance by φ, or by adding a between-unit variance τ².
public enum Overdispersion: Sendable, Equatable { case none; case multiplicative(phi: Double); case additive(tau2: Double) }

/// One unit of a funnel plot: a count of events and its denominator.
public struct FunnelPoint: Sendable {
    public var count: Double
    public var denominator: Double
    public init(count: Double, denominator: Double) {
        self.count = count
        self.denominator = denominator
    }
}

/// The overdispersion estimates from the units' z-scores: φ, τ², how many units, and the
/// winsorised share at each end.
public struct OverdispersionEstimate: Sendable {
    public var phi: Double
    public var tau2: Double
    public var n: Int
    public var winsorised: Double
    public init(phi: Double, tau2: Double, n: Int, winsorised: Double) {
        self.phi = phi
        self.tau2 = tau2
        self.n = n
        self.winsorised = winsorised
    }
}

public enum FunnelLimits {
    /// Φ⁻¹(0.999) = 3.090232306167813 (scipy.stats.norm.ppf(0.999)), for 99.8% limits.
    private static let z998 = 3.090232306167813

    /// The variance of one observation at the target: p(1 − p) for a proportion, λ for a rate.
    private static func unitVariance(_ target: Double, _ scale: FunnelScale) -> Double? {
        guard target.isFinite else { return nil }
        switch scale {
        case .proportion: return target >= 0 && target <= 1 ? target * (1 - target) : nil
        case .rate: return target >= 0 ? target : nil
        }
    }

    /// The lower and upper control limits at `denominator` for a two-sided `level` (0.95 or
    /// 0.998), on the raw scale; nil when they cannot be computed.
    public static func limits(target: Double, denominator: Double, scale: FunnelScale, level: Double,
                              overdispersion: Overdispersion) -> (lower: Double, upper: Double)? {
        guard denominator.isFinite, denominator > 0, let v = unitVariance(target, scale) else { return nil }
        let z: Double
        if abs(level - 0.95) < 1e-12 { z = 1.959963984540054 } else if abs(level - 0.998) < 1e-12 { z = z998 } else { return nil }
        var variance = v / denominator
        switch overdispersion {
        case .none: break
        case .multiplicative(let phi):
            guard phi.isFinite, phi > 0 else { return nil }
            variance *= phi
        case .additive(let tau2):
            guard tau2.isFinite, tau2 >= 0 else { return nil }
            variance += tau2
        }
        let half = z * variance.squareRoot()
        guard half.isFinite else { return nil }
        let lower = max(0, target - half)
        let upper = scale == .proportion ? min(1, target + half) : target + half
        return (lower, upper)
    }

    /// φ and τ² from the units' z-scores, winsorised at `winsorise` (e.g. 0.1) at each end.
    public static func estimate(_ points: [FunnelPoint], target: Double, scale: FunnelScale, winsorise: Double) -> OverdispersionEstimate? {
        guard let v = unitVariance(target, scale), v > 0, winsorise >= 0, winsorise < 0.5 else { return nil }
        var z: [Double] = [], w: [Double] = []
        for p in points where p.denominator.isFinite && p.denominator > 0 && p.count.isFinite && p.count >= 0 {
            let s2 = v / p.denominator
            let zi = (p.count / p.denominator - target) / s2.squareRoot()
            guard zi.isFinite, (1 / s2).isFinite else { continue }
            z.append(zi)
            w.append(1 / s2)
        }
        let n = z.count
        guard n >= 2 else { return nil }
        let sorted = z.sorted()
        let k = Int((Double(n) * winsorise).rounded(.down))
        let lo = sorted[k], hi = sorted[n - 1 - k]
        let zw = z.map { min(max($0, lo), hi) }
        let phi = zw.reduce(0) { $0 + $1 * $1 } / Double(n)
        let sw = w.reduce(0, +), sw2 = w.reduce(0) { $0 + $1 * $1 }
        let denom = sw - sw2 / sw
        var tau2 = 0.0
        if Double(n) * phi > Double(n - 1), denom > 0 { tau2 = (Double(n) * phi - Double(n - 1)) / denom }
        return OverdispersionEstimate(phi: phi, tau2: tau2.isFinite ? tau2 : 0, n: n, winsorised: winsorise)
    }
}
