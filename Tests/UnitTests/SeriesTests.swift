@testable import PeelStats
import XCTest

/// Expected values computed by hand and in Python 3.11 (the expressions beside them); none comes from peel.
final class SeriesTests: XCTestCase {
    let essex: [Double?] = [200, 190, 195, 185, 180, nil, 170, 175, 160, 150, 155, 140]

    func testSteps() {
        // Steps skip the missing point: 180 -> 170 is one step (-10) to index 6.
        let s = Series.steps(essex)
        XCTAssertEqual(s.map(\.to), [1, 2, 3, 4, 6, 7, 8, 9, 10, 11])
        XCTAssertEqual(s.map(\.change), [-10, 5, -10, -5, -10, 5, -15, -10, 5, -15])
    }

    func testLargestRiseAndFall() {
        // Largest rise +5, first at index 2 (190 -> 195); largest fall -15, first at index 8 (175 -> 160).
        XCTAssertEqual(Series.largestRise(essex)?.to, 2)
        XCTAssertEqual(Series.largestRise(essex)?.change, 5)
        XCTAssertEqual(Series.largestFall(essex)?.to, 8)
        XCTAssertEqual(Series.largestFall(essex)?.change, -15)
        XCTAssertNil(Series.largestRise([50, 50, 50]))
        XCTAssertNil(Series.largestFall([nil, nil]))
        XCTAssertEqual(Series.ends(essex)?.first.1, 200)
        XCTAssertEqual(Series.ends(essex)?.last.1, 140)
        XCTAssertNil(Series.ends([nil]))
    }

    func testPercentChange() {
        // (175 - 120) / 120 * 100 = 45.8333...; (140 - 200) / 200 * 100 = -30
        XCTAssertEqual(Series.percentChange(from: 120, to: 175)!, 45.833333333333336, accuracy: 1e-12)
        XCTAssertEqual(Series.percentChange(from: 200, to: 140)!, -30, accuracy: 1e-12)
        XCTAssertNil(Series.percentChange(from: 0, to: 5))
        XCTAssertNil(Series.percentChange(from: 1e-308, to: 1e308))
    }

    func testRolling() {
        // python: [sum(v[i-3:i+1]) if i>=3 and None not in v[i-3:i+1] else None for i in range(12)]
        let sums = Series.rolling(essex, window: 4, mean: false)
        XCTAssertEqual(sums, [nil, nil, nil, 770, 750, nil, nil, nil, nil, 655, 640, 605])
        // python: sum(v[i-1:i+1])/2 → 195, 192.5, 190, 182.5, None, None, 172.5, 167.5, 155, 152.5, 147.5
        let means = Series.rolling(essex, window: 2, mean: true)
        XCTAssertEqual(means, [nil, 195, 192.5, 190, 182.5, nil, nil, 172.5, 167.5, 155, 152.5, 147.5])
        // A gap before index 2 (not consecutive) spoils windows spanning it.
        let gap = Series.rolling([1, 2, 3, 4], window: 2, mean: false, consecutive: [true, true, false, true])
        XCTAssertEqual(gap, [nil, 3, nil, 7])
        XCTAssertEqual(Series.rolling([1, 2], window: 0, mean: false), [nil, nil])
        XCTAssertEqual(Series.rolling([1e308, 1e308], window: 2, mean: false), [nil, nil])
    }

    func testSparkline() {
        // Own scale: lowest value ▁, highest █, missing a space; equal values all the middle glyph.
        XCTAssertEqual(Series.sparkline([0, nil, 7, 3.5], ascii: false), "▁ █▅")
        XCTAssertEqual(Series.sparkline([0, 7], ascii: true), "_#")
        XCTAssertEqual(Series.sparkline([5, 5], ascii: false), "▄▄")
        XCTAssertEqual(Series.sparkline([nil, nil], ascii: false), "  ")
    }
}
