@testable import PeelStats
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
        // 43 forces: the top quarter is positions 1-10 (10 ≤ 43/4 = 10.75 < 11), the bottom 34-43.
        XCTAssertEqual(Ranking.band(position: 10, of: 43), .highest)
        XCTAssertEqual(Ranking.band(position: 11, of: 43), .inLine)
        XCTAssertEqual(Ranking.band(position: 33, of: 43), .inLine)
        XCTAssertEqual(Ranking.band(position: 34, of: 43), .lowest)
        // Fewer than four values: no quarter holds a whole position.
        XCTAssertEqual(Ranking.band(position: 1, of: 3), .inLine)
        XCTAssertEqual(Ranking.position(rank: 5, of: 43, tied: false), "5th highest of 43")
        XCTAssertEqual(Ranking.position(rank: 2, of: 43, tied: true), "=2nd highest of 43")
        XCTAssertEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(Ranking.ordinal),
                       ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"])
    }

    /// Ties, worked by hand: a tie takes the competition rank of its first member and is banded by it.
    func testTiesAreBandedByTheirSharedPosition() throws {
        // 5, 4, 3, 0, 0, 0, 0, 0: quarter = 2; positions 1-2 highest, 7-8 lowest.
        let p = Ranking.places([5, 4, 3, 0, 0, 0, 0, 0]).map { $0! }
        XCTAssertEqual(p.map(\.rank), [1, 2, 3, 4, 4, 4, 4, 4])
        XCTAssertEqual(p.map(\.band), [.highest, .highest, .inLine, .inLine, .inLine, .inLine, .inLine, .inLine])
        XCTAssertEqual(p.map(\.straddles), [false, false, false, true, true, true, true, true])
        XCTAssertEqual(p[3].tied, 5)
        XCTAssertEqual(Ranking.straddleNote(p[3], ascending: false, what: "forces"),
                       "5 forces tied at =4th highest of 8 (positions 4–8) span the edge of the lowest quarter; a tie is banded by its shared position, so all 5 are 'broadly in line'")
        // Six of eight tied at the top: all =1st, so all "one of the highest", and the tie is flagged.
        let q = Ranking.places([9, 9, 9, 9, 9, 9, 2, 1]).map { $0! }
        XCTAssertEqual(q.map(\.band), [.highest, .highest, .highest, .highest, .highest, .highest, .lowest, .lowest])
        XCTAssertTrue(q[0].straddles)
        XCTAssertFalse(q[7].straddles)
        // 43 values, ten distinct at the top, then 33 tied: =11th highest is broadly in line, never lowest.
        let r = Ranking.places((0..<10).map { Double(100 - $0) } + Array(repeating: 1, count: 33)).map { $0! }
        XCTAssertEqual(r[10].rank, 11)
        XCTAssertEqual(r[42].band, .inLine)
        XCTAssertEqual(Ranking.position(rank: r[42].rank, of: 43, tied: r[42].isTied), "=11th highest of 43")
        // Ranked from the bottom (rank … asc), the same rule from the other end.
        let s = Ranking.places([5, 4, 3, 0, 0, 0, 0, 0], descending: false).map { $0! }
        XCTAssertEqual(s.map(\.rank), [8, 7, 6, 1, 1, 1, 1, 1])
        XCTAssertEqual(s.map { Ranking.words($0.band, ascending: true) },
                       ["one of the highest", "one of the highest", "broadly in line"] + Array(repeating: "one of the lowest", count: 5))
        // NaN is never ranked; -0.0 ties with 0.
        let t = Ranking.places([.nan, 0, -0.0, 1])
        XCTAssertNil(t[0])
        XCTAssertEqual(t[1]?.rank, 2)
        XCTAssertEqual(t[2]?.rank, 2)
        XCTAssertEqual(t[3]?.of, 3)
    }

    /// Ranking 450,912 values is one sort, not a pass over all of them per value.
    func testRankingIsOneSort() {
        var g = SystemRandomNumberGenerator()
        let v = (0..<450_912).map { _ in Double(Int.random(in: 0..<5_000, using: &g)) }
        let p = Ranking.places(v)
        // Checked against counting: a value's rank is 1 + the number of larger values.
        var counts = [Int](repeating: 0, count: 5_000)
        for x in v { counts[Int(x)] += 1 }
        var above = [Int](repeating: 0, count: 5_001)
        for k in stride(from: 4_999, through: 0, by: -1) { above[k] = above[k + 1] + counts[k] }
        for i in stride(from: 0, to: v.count, by: 997) {
            XCTAssertEqual(p[i]?.rank, 1 + above[Int(v[i]) + 1])
            XCTAssertEqual(p[i]?.tied, counts[Int(v[i])])
        }
    }

    /// Means of printed decimals are exact fractions: differences are rounded once, and "same" is exact.
    func testDecimalMeanKeepsFullPrecision() throws {
        let m = try XCTUnwrap(DecimalMean([5, 4, 3, 1], scale: 0))
        XCTAssertEqual(m.value, 3.25)
        XCTAssertEqual(m.difference(from: 3), -0.25)
        XCTAssertEqual(m.displayScale, 2)
        let n = try XCTUnwrap(DecimalMean([77.4, 80.1, 79.0, 82.5], scale: 1))
        XCTAssertEqual(n.value, 79.75, accuracy: 1e-12)
        XCTAssertEqual(n.difference(from: 77.4), -2.35, accuracy: 1e-12)
        XCTAssertEqual(n.displayScale, 2)  // 79.75: one more decimal than the values
        // 0.1 and 0.2: the mean is exactly 0.15, so 0.15 is "same" (no float noise).
        let o = try XCTUnwrap(DecimalMean([0.1, 0.2], scale: 2))
        XCTAssertEqual(o.difference(from: 0.15), 0)
        // Thirds are shown with one more decimal than the values; quarters exactly.
        XCTAssertEqual(try XCTUnwrap(DecimalMean([1, 1, 2], scale: 0)).displayScale, 1)
        XCTAssertEqual(try XCTUnwrap(DecimalMean([1, 2, 2, 2], scale: 0)).displayScale, 2)
        XCTAssertEqual(try XCTUnwrap(DecimalMean([2, 4], scale: 0)).displayScale, 1)
        XCTAssertNil(DecimalMean([], scale: 0))
    }
}
