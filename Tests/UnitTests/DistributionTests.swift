@testable import PeelStats
import XCTest

/// Every expected value below was computed independently in Python 3.11 with scipy 1.17
/// (`from scipy import stats, special`), by the expression written beside it; none comes from
/// peel. Tolerances are relative (`close`), since the values span many orders of magnitude.
final class DistributionTests: XCTestCase {
    /// |actual − expected| ≤ tol·|expected| (or ≤ tol when expected is 0).
    private func close(_ actual: Double?, _ expected: Double, _ tol: Double = 1e-10, _ what: String = "", file: StaticString = #filePath, line: UInt = #line) {
        guard let actual else { return XCTFail("nil, expected \(expected) \(what)", file: file, line: line) }
        let scale = expected == 0 ? 1 : abs(expected)
        XCTAssertLessThanOrEqual(abs(actual - expected) / scale, tol, "\(actual) vs \(expected) \(what)", file: file, line: line)
    }

    func testNormalQuantile() {
        close(Normal.quantile(0.975), 1.959963984540054, 1e-14)    // stats.norm.ppf(0.975)
        close(Normal.quantile(0.999), 3.090232306167813, 1e-14)    // stats.norm.ppf(0.999)
        close(Normal.quantile(1e-10), -6.361340902404056, 1e-14)   // stats.norm.ppf(1e-10)
        close(Normal.quantile(0.0005), -3.2905267314918945, 1e-14) // stats.norm.ppf(0.0005)
        close(Normal.quantile(0.3), -0.5244005127080409, 1e-14)    // stats.norm.ppf(0.3)
        XCTAssertEqual(Normal.quantile(0.5), 0)
        XCTAssertEqual(Normal.quantile(0), -.infinity)
        XCTAssertEqual(Normal.quantile(1), .infinity)
        XCTAssertTrue(Normal.quantile(.nan).isNaN)
        XCTAssertTrue(Normal.quantile(1.5).isNaN)
        XCTAssertTrue(Normal.quantile(-0.1).isNaN)
        XCTAssertTrue(Normal.quantile(5e-324).isFinite, "the smallest subnormal still gives a number")
    }

    func testIncompleteGamma() {
        close(IncompleteGamma.p(5, 3), 0.18473675547622787)         // special.gammainc(5, 3)
        close(IncompleteGamma.q(37, 50), 0.02375890899806621)       // special.gammaincc(37, 50)
        close(IncompleteGamma.p(0.5, 0.1), 0.34527915398142317)     // special.gammainc(0.5, 0.1)
        // a = 1e9 + 1, three standard deviations either side: special.gammainc(a, a - 3*sqrt(a)),
        // special.gammaincc(a, a + 3*sqrt(a)); scipy's Temme expansion there is good to ~1e-10.
        let a = 1e9 + 1
        close(IncompleteGamma.p(a, a - 3 * a.squareRoot()), 0.0013495243297367958, 1e-9)
        close(IncompleteGamma.q(a, a + 3 * a.squareRoot()), 0.001350271782280377, 1e-9)
        close(IncompleteGamma.inverseP(5, 0.025), 1.6234863901184207, 1e-12)    // special.gammaincinv(5, 0.025)
        close(IncompleteGamma.inverseQ(38, 0.025), 50.99962614193084, 1e-12)    // special.gammainccinv(38, 0.025)
        close(IncompleteGamma.inverseP(0.5, 0.3), 0.07423593091627269, 1e-12)   // special.gammaincinv(0.5, 0.3)
        XCTAssertEqual(IncompleteGamma.p(3, 0), 0)
        XCTAssertEqual(IncompleteGamma.q(3, .infinity), 0)
        for bad in [(0.0, 1.0), (-1, 1), (1, -1), (.nan, 1), (1, .nan), (.infinity, 1)] {
            XCTAssertTrue(IncompleteGamma.p(bad.0, bad.1).isNaN, "\(bad)")
        }
        XCTAssertTrue(IncompleteGamma.inverseP(5, 1.5).isNaN)
        XCTAssertEqual(IncompleteGamma.inverseP(5, 0), 0)
        XCTAssertEqual(IncompleteGamma.inverseP(5, 1), .infinity)
    }

    func testIncompleteBeta() {
        close(IncompleteBeta.regularised(0.3, 2.5, 7), 0.6412224629717214)   // special.betainc(2.5, 7, 0.3)
        close(IncompleteBeta.regularised(0.9, 300, 40), 0.8447268042558698)  // special.betainc(300, 40, 0.9)
        close(IncompleteBeta.complement(0.9, 300, 40), 1 - 0.8447268042558698, 1e-9)
        close(IncompleteBeta.inverse(0.9, 2.5, 7), 0.4517268017641158, 1e-12)     // special.betaincinv(2.5, 7, 0.9)
        close(IncompleteBeta.inverse(0.001, 300, 40), 0.822267856609217, 1e-12)   // special.betaincinv(300, 40, 0.001)
        XCTAssertEqual(IncompleteBeta.regularised(0, 2, 3), 0)
        XCTAssertEqual(IncompleteBeta.regularised(1, 2, 3), 1)
        XCTAssertTrue(IncompleteBeta.regularised(1.1, 2, 3).isNaN)
        XCTAssertTrue(IncompleteBeta.regularised(0.5, 0, 3).isNaN)
        XCTAssertTrue(IncompleteBeta.regularised(.nan, 2, 3).isNaN)
        XCTAssertTrue(IncompleteBeta.inverse(0.5, -1, 3).isNaN)
    }

    func testPoissonCdfAndQuantile() {
        close(Poisson.cdf(0, mean: 0.5), 0.6065306597126334)          // stats.poisson.cdf(0, 0.5)
        close(Poisson.cdf(3, mean: 2.5), 0.7575761331330662)          // stats.poisson.cdf(3, 2.5)
        close(Poisson.cdf(37, mean: 40), 0.3546507360773502)          // stats.poisson.cdf(37, 40)
        close(Poisson.cdf(1000, mean: 1100), 0.001175230568136558)    // stats.poisson.cdf(1000, 1100)
        close(Poisson.cdf(250_000, mean: 249_000), 0.97746536360446)  // stats.poisson.cdf(250000, 249000)
        close(Poisson.cdf(999_970_000, mean: 1e9), 0.1713950117571839, 1e-9)  // stats.poisson.cdf(999970000, 1e9)
        XCTAssertEqual(Poisson.quantile(0.025, mean: 37), 26)         // stats.poisson.ppf(0.025, 37)
        XCTAssertEqual(Poisson.quantile(0.975, mean: 37), 49)         // stats.poisson.ppf(0.975, 37)
        XCTAssertEqual(Poisson.quantile(0.975, mean: 1e6), 1_001_960) // stats.poisson.ppf(0.975, 1e6)
        XCTAssertEqual(Poisson.quantile(0.001, mean: 0.5), 0)         // stats.poisson.ppf(0.001, 0.5)
        XCTAssertEqual(Poisson.quantile(0.5, mean: 0), 0)             // stats.poisson.ppf(0.5, 0)
        XCTAssertEqual(Poisson.quantile(1, mean: 3), .infinity)
        XCTAssertEqual(Poisson.cdf(5, mean: 0), 1)
        for (k, m) in [(-1.0, 2.0), (1.5, 2), (.nan, 2), (.infinity, 2), (2, -1), (2, .nan), (2, .infinity), (1e308, 2)] {
            XCTAssertTrue(Poisson.cdf(k, mean: m).isNaN, "cdf(\(k), \(m))")
        }
        XCTAssertTrue(Poisson.quantile(1.5, mean: 3).isNaN)
        XCTAssertTrue(Poisson.quantile(0.5, mean: .infinity).isNaN)
        XCTAssertTrue(Poisson.quantile(0.5, mean: 1e308).isNaN, "a quantile past 2^53 is not a whole number a double holds")
    }

    func testBinomialCdfAndQuantile() {
        close(Binomial.cdf(0, n: 20, p: 0.0996), 0.12266191103230863)          // stats.binom.cdf(0, 20, 0.0996)
        close(Binomial.cdf(2, n: 20, p: 0.0996), 0.6792077232706821)           // stats.binom.cdf(2, 20, 0.0996)
        close(Binomial.cdf(45, n: 500, p: 0.0996), 0.2642408248049796)         // stats.binom.cdf(45, 500, 0.0996)
        close(Binomial.cdf(99_000, n: 1e6, p: 0.0996), 0.022575673422487303)   // stats.binom.cdf(99000, 1e6, 0.0996)
        close(Binomial.cdf(100_500, n: 1e6, p: 0.0996), 0.9986653152025422)    // stats.binom.cdf(100500, 1e6, 0.0996)
        // A tiny p with a huge n, where the incomplete beta's continued fraction loses digits:
        // stats.binom.cdf(50, 10**9, 1e-7) (mpmath's exact sum of the 51 terms agrees to 3e-15).
        close(Binomial.cdf(50, n: 1e9, p: 1e-7), 2.4015891777631087e-08, 1e-12)
        XCTAssertEqual(Binomial.quantile(0.001, n: 1e6, p: 0.0996), 98_676)  // stats.binom.ppf(0.001, 1e6, 0.0996)
        XCTAssertEqual(Binomial.quantile(0.999, n: 500, p: 0.0996), 72)      // stats.binom.ppf(0.999, 500, 0.0996)
        XCTAssertEqual(Binomial.quantile(0.025, n: 20, p: 0.0996), 0)        // stats.binom.ppf(0.025, 20, 0.0996)
        XCTAssertEqual(Binomial.quantile(0.5, n: 10_000, p: 0.5), 5000)      // stats.binom.ppf(0.5, 10000, 0.5)
        XCTAssertEqual(Binomial.quantile(1, n: 30, p: 0.2), 30)
        XCTAssertEqual(Binomial.cdf(30, n: 30, p: 0.2), 1)
        XCTAssertEqual(Binomial.cdf(3, n: 30, p: 0), 1)
        XCTAssertEqual(Binomial.cdf(3, n: 30, p: 1), 0)
        for (k, n, p) in [(-1.0, 10.0, 0.5), (1.5, 10, 0.5), (1, 10.5, 0.5), (1, 10, 1.5), (1, 10, .nan), (.nan, 10, 0.5), (1, 1e308, 0.5), (1, .infinity, 0.5)] {
            XCTAssertTrue(Binomial.cdf(k, n: n, p: p).isNaN, "cdf(\(k), \(n), \(p))")
        }
        XCTAssertTrue(Binomial.quantile(0.5, n: -3, p: 0.5).isNaN)
    }

    /// Garwood: lower = stats.chi2.ppf(0.025, 2*k)/2 (0 at k = 0), upper = stats.chi2.ppf(0.975, 2*k+2)/2;
    /// 99.8%: the same with 0.001 and 0.999.
    func testGarwoodInterval() throws {
        let expected: [(Double, Double, Double, Double, Double)] = [
            (0, 0.0, 3.6888794541139354, 0.0, 6.907755278982137),
            (1, 0.025317807984289876, 5.571643390938898, 0.001000500333583534, 9.233413476451585),
            (5, 1.6234863901184207, 11.66833207932267, 0.7393717319178323, 16.454745203680105),
            (37, 26.05141456710603, 50.999626141930825, 21.004826923143977, 59.925174928752654),
            (1000, 938.9730184076952, 1063.952136016302, 905.1207909349766, 1101.6269438790305),
            (250_000, 249020.96550432124, 250981.93076097712, 248457.73325284434, 251548.9695246505),
        ]
        for (k, lo, hi, lo9, hi9) in expected {
            let i = try XCTUnwrap(Poisson.exactInterval(count: k, level: 0.95))
            close(i.lower, lo, 1e-11, "lower at \(k)")
            close(i.upper, hi, 1e-11, "upper at \(k)")
            let j = try XCTUnwrap(Poisson.exactInterval(count: k, level: 0.998))
            close(j.lower, lo9, 1e-11, "99.8% lower at \(k)")
            close(j.upper, hi9, 1e-11, "99.8% upper at \(k)")
        }
    }

    /// Large counts: stats.chi2.ppf(0.025, 2*k)/2 and stats.chi2.ppf(0.975, 2*k+2)/2 at k = 2e6, 1e9
    /// and 3e10 (the last past the exact sums, by Wilson–Hilferty).
    func testGarwoodIntervalAtLargeCounts() throws {
        for (k, lo, hi) in [(2e6, 1997229.1396258022, 2002773.755372962), (1e9, 999938021.4439279, 1000061981.4504089),
                            (3e10, 29999660525.226933, 30000339477.66738)] {
            let i = try XCTUnwrap(Poisson.exactInterval(count: k, level: 0.95))
            close(i.lower, lo, 1e-12, "lower at \(k)")
            close(i.upper, hi, 1e-12, "upper at \(k)")
        }
    }

    /// Byar, written out in Python: z = stats.norm.ppf(0.975);
    /// lower = k*(1 - 1/(9*k) - z/(3*math.sqrt(k)))**3 (0 at k = 0); upper = (k+1)*(1 - 1/(9*(k+1)) + z/(3*math.sqrt(k+1)))**3.
    /// At 250,000 it agrees with Garwood (above) to 1e-9 relative, as it should.
    func testByarInterval() throws {
        let expected: [(Double, Double, Double)] = [
            (0, 0.0, 3.6680118321737507), (1, 0.013072132901504331, 5.5637555824752605),
            (5, 1.6113477157471932, 11.668164123398595), (37, 26.04796451440657, 51.00109659326506),
            (1000, 938.9724987154902, 1063.9525812714862), (250_000, 249020.96547363148, 250981.9307913697),
        ]
        for (k, lo, hi) in expected {
            let i = try XCTUnwrap(Poisson.byarInterval(count: k, level: 0.95))
            close(i.lower, lo, 1e-12, "lower at \(k)")
            close(i.upper, hi, 1e-12, "upper at \(k)")
        }
    }

    func testIntervalsRefuseImpossibleCounts() {
        for k in [-1.0, 2.5, .nan, .infinity, -.infinity, 1e308] {
            XCTAssertNil(Poisson.exactInterval(count: k, level: 0.95), "\(k)")
            XCTAssertNil(Poisson.byarInterval(count: k, level: 0.95), "\(k)")
        }
        for level in [0.0, 1, -0.5, 95, .nan] {
            XCTAssertNil(Poisson.exactInterval(count: 5, level: level), "level \(level)")
            XCTAssertNil(Poisson.byarInterval(count: 5, level: level), "level \(level)")
        }
        // The largest count allowed, 2^53, still gives an interval (Wilson–Hilferty there).
        XCTAssertNotNil(Poisson.exactInterval(count: 9_007_199_254_740_992, level: 0.95))
    }

    /// The doubling rule, in Python: min(1, 2*min(stats.poisson.cdf(k, mu), stats.poisson.sf(k-1, mu))),
    /// and for the binomial min(1, 2*min(stats.binom.cdf(x, n, p), stats.binom.sf(x-1, n, p))).
    func testExactTests() {
        close(Poisson.test(count: 0, expected: 2.5), 0.1641699972477976)
        close(Poisson.test(count: 10, expected: 4), 0.016264485593867742)
        XCTAssertEqual(Poisson.test(count: 37, expected: 37), 1)
        close(Poisson.test(count: 120, expected: 100), 0.0564607879297313)
        close(Poisson.test(count: 1_003_000, expected: 1e6), 0.002716070545366258, 1e-9)
        XCTAssertEqual(Poisson.test(count: 0, expected: 0.01), 1)
        close(Binomial.test(0, of: 20, p: 0.0996), 0.24532382206461725)
        close(Binomial.test(84, of: 93, p: 0.8), 0.011756811354769796)
        close(Binomial.test(520, of: 5000, p: 0.0996), 0.31001220263768814)
        close(Binomial.test(20, of: 20, p: 0.5), 1.9073486328125e-06)
        XCTAssertNil(Poisson.test(count: 3, expected: 0))
        XCTAssertNil(Poisson.test(count: -3, expected: 2))
        XCTAssertNil(Poisson.test(count: 3, expected: .nan))
        XCTAssertNil(Poisson.test(count: 3, expected: .infinity))
        XCTAssertNil(Binomial.test(6, of: 5, p: 0.5))
        XCTAssertNil(Binomial.test(0, of: 0, p: 0.5))
        XCTAssertNil(Binomial.test(1, of: 5, p: 1.2))
        XCTAssertNil(Binomial.test(1.5, of: 5, p: 0.5))
    }

    func testCountTestsForCompare() throws {
        // 120 events in 1,000 people against a national rate of 0.1 per person: Poisson(100), as above.
        let r = try XCTUnwrap(CountTest.rate(count: 120, denominator: 1000, nationalRate: 0.1))
        close(r.p, 0.0564607879297313)
        XCTAssertEqual(r.words, "not statistically significant")
        let s = try XCTUnwrap(CountTest.rate(count: 10, denominator: 40, nationalRate: 0.1))
        close(s.p, 0.016264485593867742)
        XCTAssertEqual(s.words, "statistically significant")
        let b = try XCTUnwrap(CountTest.proportion(count: 84, of: 93, nationalProportion: 0.8))
        close(b.p, 0.011756811354769796)
        XCTAssertEqual(b.words, "statistically significant")
        XCTAssertNil(CountTest.rate(count: 5, denominator: 0, nationalRate: 0.1))
        XCTAssertNil(CountTest.rate(count: 5, denominator: 1e308, nationalRate: 1e308))
        XCTAssertNil(CountTest.proportion(count: 5, of: 4, nationalProportion: 0.5))
    }

    /// The rate helper: Garwood's interval over the denominator, × per.
    func testRates() throws {
        // 37 in 12,345 people per 1,000: stats.chi2.ppf(0.025, 74)/2/12345*1000, stats.chi2.ppf(0.975, 76)/2/12345*1000
        let r = try XCTUnwrap(Rates.rate(count: 37, denominator: 12_345, per: 1000))
        close(r.rate, 37.0 / 12_345 * 1000, 1e-15)
        close(r.lower, 26.05141456710603 / 12_345 * 1000, 1e-11)
        close(r.upper, 50.999626141930825 / 12_345 * 1000, 1e-11)
        XCTAssertNil(Rates.rate(count: 5, denominator: 0, per: 1000))
        XCTAssertNil(Rates.rate(count: 5, denominator: .nan, per: 1000))
        XCTAssertNil(Rates.rate(count: -5, denominator: 10, per: 1000))
        XCTAssertNil(Rates.rate(count: 5, denominator: 10, per: 0))
        XCTAssertNil(Rates.rate(count: 1e15, denominator: 1e-300, per: 1e10), "an infinite rate is no rate")
        let tiny = try XCTUnwrap(Rates.rate(count: 0, denominator: 1e308, per: 100_000))
        XCTAssertEqual(tiny.rate, 0)
        XCTAssertEqual(tiny.lower, 0)
    }
}
