@testable import PeelCore
import XCTest

/// Every expected value below was computed independently in Python 3.11 with scipy 1.17 and the
/// standard library, by the commands written beside it; none comes from peel.
final class StatsTests: XCTestCase {
    func testNormal() {
        // scipy.stats.norm.ppf(0.975), norm.cdf(1.0), norm.cdf(-2.5)
        XCTAssertEqual(Normal.z95, 1.959963984540054, accuracy: 1e-15)
        XCTAssertEqual(Normal.cdf(1.0), 0.8413447460685429, accuracy: 1e-12)
        XCTAssertEqual(Normal.cdf(-2.5), 0.006209665325776132, accuracy: 1e-12)
    }

    /// The seed: 75.8 (± 1.94) in 2017 to 84.1 (± 1.71) in 2018 is a statistically significant improvement.
    /// z = 8.3 / hypot(1.94/z95, 1.71/z95); p = 2 * norm.sf(z)
    func testChangeBetweenInspectionsFromIntervals() throws {
        let t = try XCTUnwrap(Significance.fromIntervals(75.8, ci: 1.94, 84.1, ci: 1.71))
        XCTAssertEqual(t.difference, 8.3, accuracy: 1e-9)
        XCTAssertEqual(t.z, 6.290538024136351, accuracy: 1e-9)
        XCTAssertEqual(t.p, 3.163675421611148e-10, accuracy: 1e-15)
        XCTAssertEqual(t.words, "statistically significant")
    }

    /// Against a national figure given without an interval (treated as exact):
    /// z = (87.7 - 84.1) / (1.71/z95); p = 2 * norm.sf(z)
    func testForceAgainstExactNational() throws {
        let t = try XCTUnwrap(Significance.fromIntervals(84.1, ci: 1.71, 87.7, ci: nil))
        XCTAssertEqual(t.z, 4.126239967452755, accuracy: 1e-9)
        XCTAssertEqual(t.p, 3.6874250612951025e-05, accuracy: 1e-12)
        XCTAssertNil(Significance.fromIntervals(1, ci: nil, 2, ci: nil), "no interval on either side: no test")
    }

    /// Overlapping intervals: Cambridgeshire 87.8 overall vs its violent 80.0 (± 3.15) against Cheshire's 83.6 (± 3.00):
    /// z = (80.0 - 83.6) / hypot(3.15/z95, 3.00/z95); p = 2 * norm.sf(|z|)
    func testNotSignificant() throws {
        let t = try XCTUnwrap(Significance.fromIntervals(83.6, ci: 3.00, 80.0, ci: 3.15))
        XCTAssertEqual(t.z, -1.6220391596193526, accuracy: 1e-9)
        XCTAssertEqual(t.p, 0.1047949636657445, accuracy: 1e-12)
        XCTAssertEqual(t.words, "not statistically significant")
    }

    /// scipy.stats.binomtest(84, 93).proportion_ci(method="wilson") and (34, 49)
    func testWilsonIntervals() throws {
        let (lo, hi) = try XCTUnwrap(Significance.wilson(84, of: 93))
        XCTAssertEqual(lo, 82.62133606698858, accuracy: 1e-9)
        XCTAssertEqual(hi, 94.82483307722633, accuracy: 1e-9)
        let (lo2, hi2) = try XCTUnwrap(Significance.wilson(34, of: 49))
        XCTAssertEqual(lo2, 55.472106441089366, accuracy: 1e-9)
        XCTAssertEqual(hi2, 80.48450873199343, accuracy: 1e-9)
        XCTAssertNil(Significance.wilson(5, of: 0))
        XCTAssertNil(Significance.wilson(6, of: 5))
    }

    /// The pooled two-proportion z-test equals the uncorrected chi-squared test on the 2x2 table:
    /// scipy.stats.chi2_contingency([[556, 55], [220, 24]], correction=False) → p; z = sqrt(chi2)
    func testTwoProportions() throws {
        let t = try XCTUnwrap(Significance.twoProportions(556, of: 611, 220, of: 244))
        XCTAssertEqual(abs(t.z), 0.3804902330291461, accuracy: 1e-9)
        XCTAssertEqual(t.p, 0.7035815452785825, accuracy: 1e-12)
        XCTAssertEqual(t.difference, (220.0 / 244 - 556.0 / 611) * 100, accuracy: 1e-12)
        // chi2_contingency([[100, 15], [6, 10]], correction=False)
        let u = try XCTUnwrap(Significance.twoProportions(100, of: 115, 6, of: 16))
        XCTAssertEqual(abs(u.z), 4.7167753441574725, accuracy: 1e-9)
        XCTAssertEqual(u.p, 2.3961201818842732e-06, accuracy: 1e-15)
    }

    /// statistics.quantiles(d, n=4, method="inclusive"), statistics.median(d), statistics.mean(d)
    func testQuantiles() {
        let d = [75.8, 84.1, 89.56, 87.8, 83.6, 90.4, 95.8, 65.3]
        XCTAssertEqual(Summary.quantile(d, 0.25)!, 81.64999999999999, accuracy: 1e-9)
        XCTAssertEqual(Summary.median(d)!, 85.94999999999999, accuracy: 1e-9)
        XCTAssertEqual(Summary.quantile(d, 0.75)!, 89.77000000000001, accuracy: 1e-9)
        XCTAssertEqual(Summary.mean(d)!, 84.045, accuracy: 1e-12)
        XCTAssertNil(Summary.median([]))
        XCTAssertEqual(Summary.median([7]), 7)
    }

    func testRanksBandsAndOrdinals() {
        XCTAssertEqual(Ranking.ranks([10, 30, 20, 30]), [4, 1, 3, 1])
        XCTAssertEqual(Ranking.ranks([10, 30, 20, 30], descending: false), [1, 3, 2, 3])
        // 43 forces: the top quarter is ranks 1-10 (10 ≤ 43/4 = 10.75 < 11).
        XCTAssertEqual(Ranking.band(rankFromTop: 10, rankFromBottom: 34, of: 43), "one of the highest")
        XCTAssertEqual(Ranking.band(rankFromTop: 11, rankFromBottom: 33, of: 43), "broadly in line")
        XCTAssertEqual(Ranking.band(rankFromTop: 34, rankFromBottom: 10, of: 43), "one of the lowest")
        XCTAssertEqual(Ranking.position(rank: 5, of: 43, tied: false), "5th highest of 43")
        XCTAssertEqual(Ranking.position(rank: 2, of: 43, tied: true), "=2nd highest of 43")
        XCTAssertEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(Ranking.ordinal),
                       ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"])
    }
}
