import Foundation

/// The standard normal distribution.
public enum Normal {
    /// The two-sided 95% critical value, 1.959963984540054 (= Φ⁻¹(0.975)).
    public static let z95 = 1.959963984540054

    /// P(Z ≤ z).
    public static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// Two-sided p-value of a z statistic: P(|Z| ≥ |z|).
    public static func twoSidedP(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }
}

/// The result of a test of a difference.
public struct TestResult: Equatable, Sendable {
    public var difference: Double
    public var standardError: Double
    public var z: Double
    public var p: Double

    public init(difference: Double, standardError: Double, z: Double, p: Double) {
        self.difference = difference
        self.standardError = standardError
        self.z = z
        self.p = p
    }

    /// Significant at the 5% level (two-sided).
    public var significant: Bool { p < 0.05 }
    public var words: String { significant ? "statistically significant" : "not statistically significant" }
}

/// Significance tests and intervals used by compare, change and test.
public enum Significance {
    /// The standard error implied by a 95% interval of half-width `ci` (ci ÷ 1.959964).
    public static func standardError(ci: Double) -> Double { ci / Normal.z95 }

    /// Two estimates with 95% interval half-widths (nil: treated as exact), z-test of b − a.
    /// This is how HMICFRS compares recording rates between inspections.
    public static func fromIntervals(_ a: Double, ci ca: Double?, _ b: Double, ci cb: Double?) -> TestResult? {
        let se = ((ca.map { standardError(ci: $0) } ?? 0).squared + (cb.map { standardError(ci: $0) } ?? 0).squared).squareRoot()
        guard se > 0 else { return nil }
        let z = (b - a) / se
        return TestResult(difference: b - a, standardError: se, z: z, p: Normal.twoSidedP(z))
    }

    /// Two proportions from counts, x1 of n1 and x2 of n2: pooled two-proportion z-test of p2 − p1,
    /// in percentage points.
    public static func twoProportions(_ x1: Double, of n1: Double, _ x2: Double, of n2: Double) -> TestResult? {
        guard n1 > 0, n2 > 0 else { return nil }
        let p1 = x1 / n1, p2 = x2 / n2, pooled = (x1 + x2) / (n1 + n2)
        let se = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
        guard se > 0 else { return nil }
        let z = (p2 - p1) / se
        return TestResult(difference: (p2 - p1) * 100, standardError: se * 100, z: z, p: Normal.twoSidedP(z))
    }

    /// Wilson score 95% interval for x of n, as percentages (lower, upper).
    public static func wilson(_ x: Double, of n: Double) -> (Double, Double)? {
        guard n > 0, x >= 0, x <= n else { return nil }
        let z = Normal.z95, p = x / n
        let denom = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denom
        let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denom
        return (max(0, centre - half) * 100, min(1, centre + half) * 100)
    }
}

extension Double {
    package var squared: Double { self * self }
}
