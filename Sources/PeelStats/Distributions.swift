import Glibc

// Exact discrete distributions for counts: the regularised incomplete gamma and beta functions,
// their inverses, and the Poisson and binomial distributions built on them.
//
// Accuracy. Large counts are the hard part: x^a·e^(−x)/Γ(a) for a = 10^9 computed as
// exp(a·ln x − x − lgamma(a)) loses six digits to cancellation. Every prefactor here is
// computed instead in Loader's saddle-point form ("Fast and accurate computation of binomial
// probabilities", C. Loader, 2000): the Stirling remainder `stirlingError(n)` and the deviance
// `bd0(x, m) = x·ln(x/m) + m − x` (summed as a series when x is near m), so the result keeps
// about 1e-13 relative accuracy up to a = 10^10 (checked against scipy and mpmath). The series
// and continued fractions then need about 9·√a terms; every loop is capped.
//
// Beyond a = 10^10 (a count or mean of ten thousand million) the exact sums would take a
// million terms, and the gamma function is approximated instead by the Wilson–Hilferty normal
// approximation, P(a, x) ≈ Φ(3√a·((x/a)^(1/3) − 1 + 1/(9a))), whose error falls as a^(−3/2)
// (about 1e-16 relative in a quantile there). Binomial probabilities are summed exactly while
// the variance n·p·(1−p) is at most 10^10, and beyond use the normal approximation with a
// continuity correction.
//
// Impossible input (negative or non-whole counts, NaN, infinities, probabilities outside 0…1)
// gives NaN from the functions returning a Double and nil from those returning an optional.

/// The largest shape (a count or mean) computed exactly; beyond, Wilson–Hilferty.
let exactShapeLimit = 1e10
/// The largest whole number a double holds exactly, 2^53.
let wholeLimit = 9_007_199_254_740_992.0

/// True when `x` is a whole number from 0 to 2^53.
func isCount(_ x: Double) -> Bool { x >= 0 && x <= wholeLimit && x == x.rounded(.down) }

/// ln √(2π).
private let lnSqrt2Pi = 0.918_938_533_204_672_741_78

/// Loader's Stirling remainder: lgamma(n + 1) − (n + ½)·ln n + n − ln √(2π), for n > 0. Above 15
/// by its asymptotic series (exact to double precision there), below from lgamma directly
/// (where the terms are small, so nothing cancels).
func stirlingError(_ n: Double) -> Double {
    if n <= 15 { return lgamma(n + 1) - (n + 0.5) * log(n) + n - lnSqrt2Pi }
    let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
    let nn = n * n
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
}

/// Loader's deviance term x·ln(x/m) + m − x for x, m > 0, summed as a series in
/// v = (x − m)/(x + m) when x is within 10% of m (where the direct form cancels).
func bd0(_ x: Double, _ m: Double) -> Double {
    if abs(x - m) < 0.1 * (x + m) {
        var v = (x - m) / (x + m)
        var s = (x - m) * v
        var ej = 2 * x * v
        v *= v
        // |v| < 0.1, so each term is 100 times smaller: the cap is never reached.
        for j in 1..<200 {
            ej *= v
            let next = s + ej / Double(2 * j + 1)
            if next == s { return next }
            s = next
        }
        return s
    }
    return x * log(x / m) + m - x
}

/// x^a·e^(−x) / Γ(a + 1) for a, x > 0 (the Poisson probability of a at mean x when a is whole).
func poissonTerm(_ a: Double, _ x: Double) -> Double {
    exp(-stirlingError(a) - bd0(a, x)) / (2 * Double.pi * a).squareRoot()
}

/// The regularised incomplete gamma functions P(a, x) = γ(a, x)/Γ(a) and Q(a, x) = 1 − P(a, x).
public enum IncompleteGamma {
    /// P(a, x), for a > 0 and x ≥ 0; NaN otherwise.
    public static func p(_ a: Double, _ x: Double) -> Double { pq(a, x)?.p ?? .nan }
    /// Q(a, x) = 1 − P(a, x), computed without the cancellation of 1 − P in the upper tail.
    public static func q(_ a: Double, _ x: Double) -> Double { pq(a, x)?.q ?? .nan }

    /// Both P and Q, each computed on its own side so the smaller keeps its relative accuracy.
    /// Series for x < a + 1, Legendre's continued fraction (modified Lentz) otherwise.
    static func pq(_ a: Double, _ x: Double) -> (p: Double, q: Double)? {
        guard a > 0, a.isFinite, x >= 0, !x.isNaN else { return nil }
        if x == 0 { return (0, 1) }
        if x == .infinity { return (1, 0) }
        if a > exactShapeLimit {
            let z = 3 * a.squareRoot() * (cbrt(x / a) - 1 + 1 / (9 * a))
            return (Normal.cdf(z), Normal.cdf(-z))
        }
        let cap = Int(20 * a.squareRoot()) + 1000
        if x < a + 1 {
            // P = x^a e^(−x)/Γ(a+1) · Σ_{n≥0} x^n / ((a+1)…(a+n)).
            var sum = 1.0, term = 1.0
            for n in 1...cap {
                term *= x / (a + Double(n))
                sum += term
                if term < sum * 1e-17 { break }
            }
            let p = min(1, poissonTerm(a, x) * sum)
            return (p, 1 - p)
        }
        // Q = x^a e^(−x)/Γ(a) · 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …))).
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...cap {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        let q = min(1, max(0, a * poissonTerm(a, x) * h))
        return (1 - q, q)
    }

    /// The x with P(a, x) = p, for a > 0 and 0 ≤ p ≤ 1 (0 → 0, 1 → ∞); NaN otherwise.
    public static func inverseP(_ a: Double, _ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        return inverse(a, p: p, q: 1 - p, upper: p > 0.5)
    }

    /// The x with Q(a, x) = q (the upper-tail quantile, accurate for small q).
    public static func inverseQ(_ a: Double, _ q: Double) -> Double {
        guard q >= 0, q <= 1 else { return .nan }
        return inverse(a, p: 1 - q, q: q, upper: q < 0.5)
    }

    /// Newton's method on the smaller tail, kept inside a bracket that bisects (or doubles
    /// outwards) whenever a step leaves it; at most 400 steps.
    static func inverse(_ a: Double, p: Double, q: Double, upper: Bool) -> Double {
        guard a > 0, a.isFinite, !p.isNaN, !q.isNaN else { return .nan }
        if p <= 0 { return 0 }
        if q <= 0 { return .infinity }
        // Wilson–Hilferty starting point, or the small-x form P ≈ x^a/Γ(a+1).
        let z = upper ? -Normal.quantile(q) : Normal.quantile(p)
        var x = a * pow(max(0, 1 - 1 / (9 * a) + z / (3 * a.squareRoot())), 3)
        if !(x > 0) || !x.isFinite || a < 1 {
            let small = exp((log(p) + lgamma(a + 1)) / a)
            x = small.isFinite && small > 0 ? small : max(a, 1)
        }
        var lo = 0.0, hi = Double.infinity
        for _ in 0..<400 {
            guard let (pp, qq) = pq(a, x) else { return .nan }
            // f increases with x; f < 0 means x is too small.
            let f = upper ? q - qq : pp - p
            if f == 0 { return x }
            if f < 0 { lo = x } else { hi = x }
            let density = a * poissonTerm(a, x) / x
            var next = x - f / density
            if !(next > lo && next < hi) || !next.isFinite {
                next = hi.isFinite ? lo + (hi - lo) / 2 : max(2 * x, 1)
            }
            if abs(next - x) <= 4e-16 * x || (hi.isFinite && hi - lo <= 4e-16 * hi) { return next }
            x = next
        }
        return x
    }
}

/// The regularised incomplete beta function I_x(a, b).
public enum IncompleteBeta {
    /// I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1; NaN otherwise.
    public static func regularised(_ x: Double, _ a: Double, _ b: Double) -> Double { pq(x, 1 - x, a, b)?.p ?? .nan }
    /// 1 − I_x(a, b), computed on its own side.
    public static func complement(_ x: Double, _ a: Double, _ b: Double) -> Double { pq(x, 1 - x, a, b)?.q ?? .nan }

    /// ln[x^a·y^b / B(a, b)] with y = 1 − x given separately (so a tiny 1 − x keeps its digits),
    /// in Loader's form: −bd0(a, nx) − bd0(b, ny) + ½·ln(ab/n) − ln √(2π) + δ(n) − δ(a) − δ(b),
    /// n = a + b, δ the Stirling remainder.
    static func logPrefix(_ x: Double, _ y: Double, _ a: Double, _ b: Double) -> Double {
        let n = a + b
        return -bd0(a, n * x) - bd0(b, n * y) + 0.5 * log(a * b / n) - lnSqrt2Pi
            + stirlingError(n) - stirlingError(a) - stirlingError(b)
    }

    /// Both I_x(a, b) and 1 − I_x(a, b), x and y = 1 − x given separately. The continued
    /// fraction of Numerical Recipes' betacf (modified Lentz), on I_x(a, b) when
    /// x < (a+1)/(a+b+2) and on I_y(b, a) otherwise, where it converges quickly.
    ///
    /// Accuracy: about 1e-12 relative, except in the lower tail with x within about 1e-5 of 1
    /// and a ≫ b, where the fraction's terms cancel and about 1e-9 is kept (`Binomial` sums
    /// its probabilities directly and does not use this).
    static func pq(_ x: Double, _ y: Double, _ a: Double, _ b: Double) -> (p: Double, q: Double)? {
        guard a > 0, b > 0, a.isFinite, b.isFinite, x >= 0, x <= 1, y >= 0, y <= 1 else { return nil }
        if x == 0 { return (0, 1) }
        if y == 0 { return (1, 0) }
        if x < (a + 1) / (a + b + 2) {
            let p = min(1, exp(logPrefix(x, y, a, b)) * fraction(x, y, a, b) / a)
            return (p, 1 - p)
        }
        let q = min(1, exp(logPrefix(x, y, a, b)) * fraction(y, x, b, a) / b)
        return (1 - q, q)
    }

    private static func fraction(_ x: Double, _ y: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        // 1 − (a+b)x/(a+1), written with y when x is near 1.
        var d = (x > 0.5 ? 1 - b + qab * y : qap - qab * x) / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        let cap = Int(20 * max(a, b).squareRoot()) + 1000
        for i in 1...cap {
            let m = Double(i), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }

    /// The x with I_x(a, b) = p, for a, b > 0 and 0 ≤ p ≤ 1; NaN otherwise. Newton's method on
    /// the smaller tail inside a bisected bracket [0, 1], at most 1,200 steps.
    public static func inverse(_ p: Double, _ a: Double, _ b: Double) -> Double {
        guard p >= 0, p <= 1, a > 0, b > 0, a.isFinite, b.isFinite else { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return 1 }
        let q = 1 - p, upper = p > 0.5
        // Start at the normal approximation to the beta distribution, inside (0, 1).
        let mean = a / (a + b), sd = (a * b / ((a + b) * (a + b) * (a + b + 1))).squareRoot()
        var x = mean + (upper ? -Normal.quantile(q) : Normal.quantile(p)) * sd
        if !(x > 0 && x < 1) { x = mean }
        var lo = 0.0, hi = 1.0
        for _ in 0..<1200 {
            guard let (pp, qq) = pq(x, 1 - x, a, b) else { return .nan }
            let f = upper ? q - qq : pp - p
            if f == 0 { return x }
            if f < 0 { lo = x } else { hi = x }
            // The density x^(a−1)(1−x)^(b−1)/B(a, b).
            let density = exp(logPrefix(x, 1 - x, a, b)) / (x * (1 - x))
            var next = x - f / density
            if !(next > lo && next < hi) || !next.isFinite { next = lo + (hi - lo) / 2 }
            if abs(next - x) <= 4e-16 * x || hi - lo <= 4e-16 * hi { return next }
            x = next
        }
        return x
    }
}

extension Normal {
    /// Φ⁻¹(p), the standard normal quantile: ±∞ at 0 and 1, NaN outside 0…1. Acklam's rational
    /// approximation (relative error below 1.2e-9) refined by two Halley steps on the lower tail
    /// (computed with erfc, so the tails keep their digits; the upper half by symmetry,
    /// Φ⁻¹(p) = −Φ⁻¹(1 − p), where 1 − p is exact): about 1e-15 relative against scipy.
    public static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p > 0.5 { return -lowerQuantile(1 - p) }
        return lowerQuantile(p)
    }

    private static func lowerQuantile(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        var x: Double
        if p < 0.02425 {
            let t = (-2 * log(p)).squareRoot()
            x = (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1)
        } else {
            let u = p - 0.5, r = u * u
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * u / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        }
        for _ in 0..<2 {
            let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
            let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
            guard u.isFinite else { break }
            x -= u / (1 + x * u / 2)
        }
        return x
    }
}

/// The Poisson distribution.
public enum Poisson {
    /// P(X ≤ k) for X ~ Poisson(mean) = Q(k + 1, mean); k a whole number ≥ 0 (as Double), mean ≥
    /// 0 and finite. NaN otherwise.
    public static func cdf(_ k: Double, mean: Double) -> Double { tails(k, mean: mean)?.atMost ?? .nan }

    /// P(X ≤ k) and P(X ≥ k), each on its own side.
    static func tails(_ k: Double, mean: Double) -> (atMost: Double, atLeast: Double)? {
        guard isCount(k), mean >= 0, mean.isFinite else { return nil }
        if mean == 0 { return (1, k == 0 ? 1 : 0) }
        guard let atMost = IncompleteGamma.pq(k + 1, mean)?.q else { return nil }
        // P(X ≥ k) = P(k, mean) for k ≥ 1.
        let atLeast = k == 0 ? 1 : IncompleteGamma.pq(k, mean)?.p ?? .nan
        return (atMost, atLeast)
    }

    /// The smallest whole k with cdf(k) ≥ p (scipy's poisson.ppf): 0 at p = 0, ∞ at p = 1 (for
    /// a mean > 0); NaN for p outside 0…1 or a negative, infinite or NaN mean. Found by
    /// bisection on whole numbers (about 40 evaluations of the cdf).
    public static func quantile(_ p: Double, mean: Double) -> Double {
        guard p >= 0, p <= 1, mean >= 0, mean.isFinite else { return .nan }
        if p == 0 || mean == 0 { return 0 }
        if p == 1 { return .infinity }
        let sd = mean.squareRoot(), z = Normal.quantile(p)
        // Cornish–Fisher: mean + z·sd + (z² − 1)/6 is within a fraction of sd of the quantile.
        return wholeQuantile(guess: mean + z * sd + (z * z - 1) / 6, spread: 5 + 0.1 * sd, upTo: wholeLimit) { cdf($0, mean: mean) >= p }
    }

    /// Garwood's exact interval for the mean of a Poisson count k: lower = ½·χ²(α/2; 2k) (0 when
    /// k = 0), upper = ½·χ²(1 − α/2; 2k + 2), with α = 1 − level; i.e. the gamma quantiles
    /// lower = P⁻¹(k, α/2), upper = Q⁻¹(k + 1, α/2). Garwood, "Fiducial limits for the Poisson
    /// distribution", Biometrika 28 (1936) 437–442. nil for a count that is not a whole number
    /// from 0 to 2^53, or a level outside (0, 1).
    public static func exactInterval(count: Double, level: Double) -> (lower: Double, upper: Double)? {
        guard isCount(count), level > 0, level < 1 else { return nil }
        let alpha = 1 - level
        let lower = count == 0 ? 0 : IncompleteGamma.inverseP(count, alpha / 2)
        let upper = IncompleteGamma.inverseQ(count + 1, alpha / 2)
        guard lower.isFinite, upper.isFinite else { return nil }
        return (lower, upper)
    }

    /// Byar's approximation to Garwood's interval (Breslow and Day, "Statistical methods in cancer
    /// research" vol. II, 1987, p. 69), with z = Φ⁻¹(1 − α/2):
    /// lower = k·(1 − 1/(9k) − z/(3√k))³ (0 when k = 0),
    /// upper = (k + 1)·(1 − 1/(9(k + 1)) + z/(3√(k + 1)))³.
    /// nil for a count that is not a whole number from 0 to 2^53, or a level outside (0, 1).
    public static func byarInterval(count: Double, level: Double) -> (lower: Double, upper: Double)? {
        guard isCount(count), level > 0, level < 1 else { return nil }
        let z = Normal.quantile(1 - (1 - level) / 2)
        let k = count, k1 = count + 1
        let lower = k == 0 ? 0 : k * pow(1 - 1 / (9 * k) - z / (3 * k.squareRoot()), 3)
        let upper = k1 * pow(1 - 1 / (9 * k1) + z / (3 * k1.squareRoot()), 3)
        return (max(0, lower), upper)
    }

    /// The two-sided exact test that `count` comes from Poisson(expected), by doubling the
    /// smaller tail: p = min(1, 2·min(P(X ≤ k), P(X ≥ k))). (This is not scipy's
    /// poisson_means_test, which compares two counts; it is the doubling rule of, e.g.,
    /// Armitage, Berry and Matthews, "Statistical methods in medical research".) nil for a count
    /// that is not a whole number from 0 to 2^53, or an expected count that is not a finite
    /// number above 0.
    public static func test(count: Double, expected: Double) -> Double? {
        guard expected > 0, expected.isFinite, let (below, above) = tails(count, mean: expected) else { return nil }
        guard !below.isNaN, !above.isNaN else { return nil }
        return min(1, 2 * min(below, above))
    }
}

/// The binomial distribution.
public enum Binomial {
    /// P(X ≤ k) for X ~ Binomial(n, p); k and n whole numbers (as Double), 0 ≤ p ≤ 1. NaN for
    /// impossible input; k > n gives 1.
    public static func cdf(_ k: Double, n: Double, p: Double) -> Double {
        guard isCount(k) else { return .nan }
        return tails(k, n: n, p: p)?.atMost ?? .nan
    }

    /// The binomial probability of exactly k, in Loader's form
    /// exp(δ(n) − δ(k) − δ(n−k) − bd0(k, np) − bd0(n−k, nq))·√(n/(2πk(n−k))).
    static func probability(_ k: Double, n: Double, p: Double, q: Double) -> Double {
        if p == 0 { return k == 0 ? 1 : 0 }
        if q == 0 { return k == n ? 1 : 0 }
        if k == 0 { return exp(n * log1p(-p)) }
        if k == n { return exp(n * log(p)) }
        let lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - bd0(k, n * p) - bd0(n - k, n * q)
        return exp(lc) * (n / (2 * Double.pi * k * (n - k))).squareRoot()
    }

    /// P(X ≤ k) and P(X > k). The tail away from the mean is summed term by term from the
    /// probability of k (each term from the last by the ratio of binomial coefficients), which
    /// keeps full relative accuracy in both tails; the other is its complement. Beyond a
    /// variance of 10^10, the normal approximation with a continuity correction.
    static func tails(_ k: Double, n: Double, p: Double) -> (atMost: Double, above: Double)? {
        guard isCount(n), p >= 0, p <= 1, k >= 0, !k.isNaN else { return nil }
        if k >= n { return (1, 0) }
        let k = k.rounded(.down)
        let q = 1 - p
        if p == 0 { return (1, 0) }
        if p == 1 { return (0, 1) }
        let variance = n * p * q
        if variance > exactShapeLimit {
            let z = (k + 0.5 - n * p) / variance.squareRoot()
            return (Normal.cdf(z), Normal.cdf(-z))
        }
        let cap = Int(20 * variance.squareRoot()) + 2000
        if k < n * p {
            // Σ_{j ≤ k}: P(j − 1) = P(j)·j/(n − j + 1)·q/p.
            var term = probability(k, n: n, p: p, q: q), sum = term
            var j = k
            var steps = 0
            while j > 0 && steps < cap {
                term *= j / (n - j + 1) * (q / p)
                sum += term
                if term < sum * 1e-17 { break }
                j -= 1
                steps += 1
            }
            let below = min(1, sum)
            return (below, 1 - below)
        }
        // Σ_{j > k}: P(j + 1) = P(j)·(n − j)/(j + 1)·p/q.
        var j = k + 1
        var term = probability(j, n: n, p: p, q: q), sum = term
        var steps = 0
        while j < n && steps < cap {
            term *= (n - j) / (j + 1) * (p / q)
            sum += term
            if term < sum * 1e-17 { break }
            j += 1
            steps += 1
        }
        let above = min(1, sum)
        return (1 - above, above)
    }

    /// The smallest whole k with cdf(k) ≥ q (scipy's binom.ppf): 0 at q = 0, n at q = 1; NaN
    /// for impossible input. Bisection on whole numbers from 0 to n.
    public static func quantile(_ q: Double, n: Double, p: Double) -> Double {
        guard q >= 0, q <= 1, isCount(n), p >= 0, p <= 1 else { return .nan }
        if q == 0 { return 0 }
        if q == 1 { return n }
        let mean = n * p, sd = (n * p * (1 - p)).squareRoot(), z = Normal.quantile(q)
        return wholeQuantile(guess: mean + z * sd + (z * z - 1) * (1 - 2 * p) / 6, spread: 5 + 0.1 * sd, upTo: n) { cdf($0, n: n, p: p) >= q }
    }

    /// The two-sided exact binomial test of x successes of n against p, by doubling the smaller
    /// tail: min(1, 2·min(P(X ≤ x), P(X ≥ x))) (not scipy's binomtest, which sums the outcomes
    /// no more likely than x). nil for counts that are not whole numbers from 0 to 2^53, x > n,
    /// n = 0, or p outside 0…1.
    public static func test(_ x: Double, of n: Double, p: Double) -> Double? {
        guard isCount(x), isCount(n), n > 0, x <= n, p >= 0, p <= 1 else { return nil }
        guard let below = tails(x, n: n, p: p) else { return nil }
        // P(X ≥ x) = 1 − P(X ≤ x − 1).
        let atLeast = x == 0 ? 1 : tails(x - 1, n: n, p: p)?.above ?? .nan
        guard !below.atMost.isNaN, !atLeast.isNaN else { return nil }
        return min(1, 2 * min(below.atMost, atLeast))
    }
}

/// The smallest whole k in 0…`upTo` for which the monotone `holds` is true (NaN when none),
/// searched from a bracket `guess` ± `spread` that is widened, doubling, until it holds it.
func wholeQuantile(guess: Double, spread: Double, upTo top: Double, _ holds: (Double) -> Bool) -> Double {
    guard guess.isFinite, spread.isFinite else { return .nan }
    var lo = min(top, max(0, (guess - spread).rounded(.down)))
    var hi = min(top, max(0, (guess + spread).rounded(.up)))
    var width = max(1, hi - lo)
    var steps = 0
    while steps < 80 && lo > 0 && holds(lo) {
        hi = lo
        lo = max(0, lo - width)
        width *= 2
        steps += 1
    }
    while steps < 160 && hi < top && !holds(hi) {
        lo = hi
        hi = min(top, hi + width)
        width *= 2
        steps += 1
    }
    guard holds(hi) else { return .nan }
    return smallestWhole(from: lo, to: hi, holds)
}

/// The smallest whole number in lo…hi for which `holds` is true, given that it holds at hi and
/// is monotone (false then true); at most 64 halvings.
func smallestWhole(from lo: Double, to hi: Double, _ holds: (Double) -> Bool) -> Double {
    var lo = lo, hi = hi
    if holds(lo) { return lo }
    // Invariant: holds(hi), !holds(lo).
    for _ in 0..<64 where hi - lo > 1 {
        let mid = (lo + (hi - lo) / 2).rounded(.down)
        if holds(mid) { hi = mid } else { lo = mid }
    }
    return hi
}
