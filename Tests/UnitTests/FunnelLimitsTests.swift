@testable import PeelStats
import XCTest

/// Funnel-plot control limits and overdispersion, against values computed independently in Python
/// 3.11 with scipy 1.17 and numpy 2.4 (the scripts are written out beside each test); none comes
/// from peel.
final class FunnelLimitsTests: XCTestCase {
    private func close(_ actual: Double?, _ expected: Double, _ tol: Double = 1e-10, _ what: String = "", file: StaticString = #filePath, line: UInt = #line) {
        guard let actual else { return XCTFail("nil, expected \(expected) \(what)", file: file, line: line) }
        let scale = expected == 0 ? 1 : abs(expected)
        XCTAssertLessThanOrEqual(abs(actual - expected) / scale, tol, "\(actual) vs \(expected) \(what)", file: file, line: line)
    }

    /// Spiegelhalter's exact limits with interpolation, in Python:
    ///
    ///     def exact(p, n, t, prop):
    ///         d = stats.binom(n, t) if prop else stats.poisson(n * t)
    ///         r = d.ppf(p); F = d.cdf(r); Fb = d.cdf(r - 1)
    ///         return (r - (F - p) / (F - Fb)) / n
    ///     lo = max(0.0, exact((1 - level) / 2, n, t, prop)); hi = exact((1 + level) / 2, n, t, prop)  # min(1, hi) for proportions
    ///
    /// for a proportion of 0.0996 and a rate of 0.0798, n = 20, 500, 10,000, 1,000,000.
    func testExactLimitsWithInterpolation() throws {
        let expected: [(FunnelScale, Double, Double, Double, Double)] = [
            (.proportion, 20, 0.95, 0.0, 0.22784217799946016),
            (.proportion, 20, 0.998, 0.0, 0.3345456780305834),
            (.proportion, 500, 0.95, 0.07307847275864486, 0.12561203759541337),
            (.proportion, 500, 0.998, 0.05958991225082617, 0.1421540409632152),
            (.proportion, 10_000, 0.95, 0.09371848107838293, 0.10545766566618786),
            (.proportion, 10_000, 0.998, 0.09041113781273509, 0.10891732317784081),
            (.proportion, 1_000_000, 0.95, 0.09901293710048145, 0.10018682166738721),
            (.proportion, 1_000_000, 0.998, 0.09867522263111099, 0.10052605892035184),
            (.rate, 20, 0.95, 0.0, 0.19859711200355254),
            (.rate, 20, 0.998, 0.0, 0.31494263278404666),
            (.rate, 500, 0.95, 0.05495629313242273, 0.1045138337826514),
            (.rate, 500, 0.998, 0.04265720249918503, 0.12063853773236),
            (.rate, 10_000, 0.95, 0.0742604066724102, 0.08533424852034596),
            (.rate, 10_000, 0.998, 0.0711634350031946, 0.08862121984468371),
            (.rate, 1_000_000, 0.95, 0.079246305258576, 0.08035364195499989),
            (.rate, 1_000_000, 0.998, 0.078927970081817, 0.08067388019103024),
        ]
        for (scale, n, level, lo, hi) in expected {
            let t = scale == .proportion ? 0.0996 : 0.0798
            let l = try XCTUnwrap(FunnelLimits.limits(target: t, denominator: n, scale: scale, level: level, overdispersion: .none))
            close(l.lower, lo, 1e-9, "\(scale) lower n=\(n) level=\(level)")
            close(l.upper, hi, 1e-9, "\(scale) upper n=\(n) level=\(level)")
        }
    }

    /// The limits narrow towards the target as the denominator grows, and the 99.8% limits lie
    /// outside the 95% ones.
    func testLimitsNest() throws {
        var previous: (Double, Double)?
        for n in stride(from: 50.0, through: 50_000, by: 997) {
            let a = try XCTUnwrap(FunnelLimits.limits(target: 0.3, denominator: n, scale: .proportion, level: 0.95, overdispersion: .none))
            let b = try XCTUnwrap(FunnelLimits.limits(target: 0.3, denominator: n, scale: .proportion, level: 0.998, overdispersion: .none))
            XCTAssertLessThan(b.lower, a.lower)
            XCTAssertGreaterThan(b.upper, a.upper)
            XCTAssertLessThan(a.lower, 0.3)
            XCTAssertGreaterThan(a.upper, 0.3)
            if let (lo, hi) = previous {
                XCTAssertGreaterThan(a.lower, lo - 1e-3, "n=\(n)")
                XCTAssertLessThan(a.upper, hi + 1e-3, "n=\(n)")
            }
            previous = (a.lower, a.upper)
        }
    }

    /// A denominator that is not a whole number, for proportions: the limits at the whole numbers
    /// either side, interpolated (the exact function above at 500 and 501, in Python).
    func testProportionLimitsBetweenWholeDenominators() throws {
        let at500 = try XCTUnwrap(FunnelLimits.limits(target: 0.0996, denominator: 500, scale: .proportion, level: 0.95, overdispersion: .none))
        let at501 = try XCTUnwrap(FunnelLimits.limits(target: 0.0996, denominator: 501, scale: .proportion, level: 0.95, overdispersion: .none))
        let mid = try XCTUnwrap(FunnelLimits.limits(target: 0.0996, denominator: 500.25, scale: .proportion, level: 0.95, overdispersion: .none))
        close(mid.lower, at500.lower + 0.25 * (at501.lower - at500.lower), 1e-14)
        close(mid.upper, at500.upper + 0.25 * (at501.upper - at500.upper), 1e-14)
    }

    /// The overdispersed limits, in Python: z = stats.norm.ppf(0.975) (or 0.999 at 99.8%),
    /// V = t*(1-t) for proportions, t for rates; t ± z*math.sqrt(phi*V/n), t ± z*math.sqrt(V/n + tau2).
    func testOverdispersedLimits() throws {
        let m = try XCTUnwrap(FunnelLimits.limits(target: 0.0996, denominator: 500, scale: .proportion, level: 0.95, overdispersion: .multiplicative(phi: 2.5)))
        close(m.lower, 0.058096902982642494, 1e-13)
        close(m.upper, 0.1411030970173575, 1e-13)
        let a = try XCTUnwrap(FunnelLimits.limits(target: 0.0996, denominator: 500, scale: .proportion, level: 0.998, overdispersion: .additive(tau2: 1e-4)))
        close(a.lower, 0.04794968306970431, 1e-13)
        close(a.upper, 0.15125031693029567, 1e-13)
        let rm = try XCTUnwrap(FunnelLimits.limits(target: 0.0798, denominator: 10_000, scale: .rate, level: 0.998, overdispersion: .multiplicative(phi: 3)))
        close(rm.lower, 0.06467995089943049, 1e-13)
        close(rm.upper, 0.0949200491005695, 1e-13)
        let ra = try XCTUnwrap(FunnelLimits.limits(target: 0.0798, denominator: 1e6, scale: .rate, level: 0.95, overdispersion: .additive(tau2: 2e-5)))
        close(ra.lower, 0.07101730537774574, 1e-13)
        close(ra.upper, 0.08858269462225425, 1e-13)
        // Clamped: a wide additive interval around a small proportion stops at 0 and 1.
        let wide = try XCTUnwrap(FunnelLimits.limits(target: 0.05, denominator: 10, scale: .proportion, level: 0.998, overdispersion: .additive(tau2: 1)))
        XCTAssertEqual(wide.lower, 0)
        XCTAssertEqual(wide.upper, 1)
    }

    func testImpossibleLimitsAreNil() {
        let none = Overdispersion.none
        XCTAssertNil(FunnelLimits.limits(target: 0.1, denominator: 0, scale: .proportion, level: 0.95, overdispersion: none))
        XCTAssertNil(FunnelLimits.limits(target: 0.1, denominator: -5, scale: .rate, level: 0.95, overdispersion: none))
        XCTAssertNil(FunnelLimits.limits(target: 0.1, denominator: .nan, scale: .rate, level: 0.95, overdispersion: none))
        XCTAssertNil(FunnelLimits.limits(target: 0.1, denominator: .infinity, scale: .rate, level: 0.95, overdispersion: none))
        XCTAssertNil(FunnelLimits.limits(target: 0.1, denominator: 0.5, scale: .proportion, level: 0.95, overdispersion: none))
        XCTAssertNil(FunnelLimits.limits(target: 1.5, denominator: 100, scale: .proportion, level: 0.95, overdispersion: none))
        XCTAssertNil(FunnelLimits.limits(target: -0.1, denominator: 100, scale: .rate, level: 0.95, overdispersion: none))
        XCTAssertNil(FunnelLimits.limits(target: .nan, denominator: 100, scale: .rate, level: 0.95, overdispersion: none))
        XCTAssertNil(FunnelLimits.limits(target: 0.1, denominator: 100, scale: .rate, level: 1, overdispersion: none))
        XCTAssertNil(FunnelLimits.limits(target: 0.1, denominator: 100, scale: .rate, level: 0.95, overdispersion: .multiplicative(phi: 0)))
        XCTAssertNil(FunnelLimits.limits(target: 0.1, denominator: 100, scale: .rate, level: 0.95, overdispersion: .multiplicative(phi: .nan)))
        XCTAssertNil(FunnelLimits.limits(target: 0.1, denominator: 100, scale: .rate, level: 0.95, overdispersion: .additive(tau2: -1)))
    }

    /// Edge denominators and targets: huge denominators (normal limits, narrowing to the target),
    /// a rate of 0 (limits 0 and 0), and a small rate with a small denominator.
    func testEdgeValues() throws {
        let huge = try XCTUnwrap(FunnelLimits.limits(target: 0.0798, denominator: 1e308, scale: .rate, level: 0.95, overdispersion: .none))
        close(huge.lower, 0.0798, 1e-12)
        close(huge.upper, 0.0798, 1e-12)
        let hugeP = try XCTUnwrap(FunnelLimits.limits(target: 0.0996, denominator: 1e308, scale: .proportion, level: 0.998, overdispersion: .none))
        close(hugeP.lower, 0.0996, 1e-12)
        // 1e12 people at 0.0798: past the exact sums' variance limit for a proportion, but still exact for a rate.
        let big = try XCTUnwrap(FunnelLimits.limits(target: 0.0798, denominator: 1e12, scale: .rate, level: 0.95, overdispersion: .none))
        // Normal limits there, to within the discreteness: 0.0798 ± stats.norm.ppf(0.975)*math.sqrt(0.0798/1e12)
        close(big.lower, 0.0798 - 1.959963984540054 * (0.0798 / 1e12).squareRoot(), 1e-9)
        close(big.upper, 0.0798 + 1.959963984540054 * (0.0798 / 1e12).squareRoot(), 1e-9)
        let zero = try XCTUnwrap(FunnelLimits.limits(target: 0, denominator: 1000, scale: .rate, level: 0.95, overdispersion: .none))
        XCTAssertEqual(zero.lower, 0)
        XCTAssertEqual(zero.upper, 0)
        let one = try XCTUnwrap(FunnelLimits.limits(target: 1, denominator: 1000, scale: .proportion, level: 0.95, overdispersion: .none))
        XCTAssertLessThanOrEqual(one.upper, 1)
    }

    /// Synthetic (made up) units; Spiegelhalter's estimates in numpy:
    ///
    ///     counts = np.array([12, 30, 8, 95, 41, 160, 5, 77, 22, 300.])
    ///     dens = np.array([100, 250, 120, 800, 300, 1500, 90, 600, 260, 2500.])
    ///     z = (counts / dens - t) / np.sqrt(V / dens)
    ///     zw = np.clip(z, np.percentile(z, 10), np.percentile(z, 90))
    ///     N = len(z); phi = np.sum(zw**2) / N; w = dens / V
    ///     tau2 = max(0.0, (N * phi - (N - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    ///
    /// with t = 0.1, V = 0.1*0.9 (proportions) and t = 0.08, V = 0.08 (rates); and without
    /// Winsorising, np.sum(z**2) / N.
    func testOverdispersionEstimate() throws {
        let counts: [Double] = [12, 30, 8, 95, 41, 160, 5, 77, 22, 300]
        let dens: [Double] = [100, 250, 120, 800, 300, 1500, 90, 600, 260, 2500]
        let points = zip(counts, dens).map { FunnelPoint(count: $0, denominator: $1) }
        let p = try XCTUnwrap(FunnelLimits.estimate(points, target: 0.1, scale: .proportion, winsorise: 0.1))
        close(p.phi, 2.4781700323547575, 1e-12)
        close(p.tau2, 0.0002827021884820628, 1e-12)
        XCTAssertEqual(p.n, 10)
        XCTAssertEqual(p.winsorised, 0.1)
        let r = try XCTUnwrap(FunnelLimits.estimate(points, target: 0.08, scale: .rate, winsorise: 0.1))
        close(r.phi, 8.556580341753943, 1e-12)
        close(r.tau2, 0.001219151562760276, 1e-12)
        let raw = try XCTUnwrap(FunnelLimits.estimate(points, target: 0.1, scale: .proportion, winsorise: 0))
        close(raw.phi, 3.050629154795819, 1e-12)
        close(raw.tau2, 0.0003852484562559716, 1e-12)
        // Unusable units are left out, not counted as zero.
        let withBad = points + [FunnelPoint(count: .nan, denominator: 100), FunnelPoint(count: 5, denominator: 0),
                                FunnelPoint(count: -1, denominator: 10), FunnelPoint(count: 20, denominator: 10),
                                FunnelPoint(count: 3, denominator: .infinity)]
        let same = try XCTUnwrap(FunnelLimits.estimate(withBad, target: 0.1, scale: .proportion, winsorise: 0.1))
        XCTAssertEqual(same.n, 10)
        close(same.phi, 2.4781700323547575, 1e-12)
    }

    func testEstimateNeedsTwoUnitsAndAVariance() {
        let one = [FunnelPoint(count: 5, denominator: 50)]
        XCTAssertNil(FunnelLimits.estimate(one, target: 0.1, scale: .proportion, winsorise: 0.1))
        XCTAssertNil(FunnelLimits.estimate([], target: 0.1, scale: .rate, winsorise: 0.1))
        let two = one + [FunnelPoint(count: 9, denominator: 60)]
        XCTAssertNotNil(FunnelLimits.estimate(two, target: 0.1, scale: .proportion, winsorise: 0.1))
        XCTAssertNil(FunnelLimits.estimate(two, target: 0, scale: .proportion, winsorise: 0.1))
        XCTAssertNil(FunnelLimits.estimate(two, target: 1, scale: .proportion, winsorise: 0.1))
        XCTAssertNil(FunnelLimits.estimate(two, target: .nan, scale: .rate, winsorise: 0.1))
        XCTAssertNil(FunnelLimits.estimate(two, target: 0.1, scale: .rate, winsorise: 0.5))
        XCTAssertNil(FunnelLimits.estimate(two, target: 0.1, scale: .rate, winsorise: -0.1))
        // Units exactly on target: φ = 0 and τ² = 0, not negative.
        let flat = [FunnelPoint(count: 10, denominator: 100), FunnelPoint(count: 20, denominator: 200)]
        let e = FunnelLimits.estimate(flat, target: 0.1, scale: .rate, winsorise: 0.1)
        XCTAssertEqual(e?.phi, 0)
        XCTAssertEqual(e?.tau2, 0)
        // Huge denominators do not overflow into a NaN.
        let huge = [FunnelPoint(count: 1e300, denominator: 1e301), FunnelPoint(count: 2e300, denominator: 1e301)]
        if let h = FunnelLimits.estimate(huge, target: 0.1, scale: .rate, winsorise: 0) {
            XCTAssertFalse(h.phi.isNaN)
            XCTAssertFalse(h.tau2.isNaN)
        }
    }
}
