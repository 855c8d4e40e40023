import Testing
@testable import PeelStats

/// XmR limits and signals. Expected numbers computed independently in Python 3.11 (plain formulas,
/// not peel):
///   x = [...]; m = sum(x)/len(x); mr = [abs(b-a) for a, b in zip(x, x[1:])]; r = sum(mr)/len(mr)
///   print(m, r, m + 2.66*r, m - 2.66*r, 3.267*r)
/// For the Northshire series of Tests/GoldenTests/Fixtures/synthetic-series.csv
/// x = [12.0, 12.4, 11.8, 12.1, 12.6, 11.9, 12.3, 12.0, 15.9, 12.2]:
///   12.52 1.2 15.712 9.328 3.9204; points beyond the limits: [8] (15.9 > 15.712); no mR > 3.9204.
/// For England and Wales without its missing year
/// x = [10.5, 10.4, 10.6, 10.3, 10.2, 10.4, 10.1, 10.0, 9.9]:
///   10.266666666666667 0.175 10.732166666666668 9.801166666666667 0.571725; no signals.
@Suite struct ControlChartTests {
    func close(_ a: Double, _ b: Double, _ tol: Double = 1e-9) -> Bool { abs(a - b) <= tol * max(1, abs(b)) }

    @Test func northshireLimitsAndOnePointAbove() throws {
        let x = try ControlChart.xmr([12.0, 12.4, 11.8, 12.1, 12.6, 11.9, 12.3, 12.0, 15.9, 12.2])
        #expect(close(x.mean, 12.52))
        #expect(close(x.meanMovingRange, 1.2))
        #expect(close(x.upperLimit, 15.712))
        #expect(close(x.lowerLimit, 9.328))
        #expect(close(x.rangeUpperLimit, 3.9204))
        #expect(x.movingRanges.count == 9)
        #expect(close(x.movingRanges[7], 3.9))
        #expect(x.signals == [.beyondLimits(index: 8, side: .above)])
    }

    @Test func englandAndWalesNoSignals() throws {
        let x = try ControlChart.xmr([10.5, 10.4, 10.6, 10.3, 10.2, 10.4, 10.1, 10.0, 9.9])
        #expect(close(x.mean, 10.266666666666667))
        #expect(close(x.meanMovingRange, 0.175))
        #expect(close(x.upperLimit, 10.732166666666668))
        #expect(close(x.lowerLimit, 9.801166666666667))
        #expect(close(x.rangeUpperLimit, 0.571725))
        #expect(x.signals.isEmpty)
    }

    /// 8 below then 2 above: mean = (8*1 + 2*3)/10 = 1.4; the first eight points are a run below.
    /// mR = [0]*7 + [2, 0] -> mean 2/9; UNPL = 1.4 + 2.66*2/9 = 1.99111…, so both 3s are beyond it,
    /// and the range 2 > 3.267*2/9 = 0.726 is a range signal at point 8.
    @Test func runOfEightBelow() throws {
        let x = try ControlChart.xmr([1, 1, 1, 1, 1, 1, 1, 1, 3, 3])
        #expect(close(x.upperLimit, 1.4 + 2.66 * 2 / 9))
        #expect(x.signals == [.run(start: 0, end: 7, side: .below), .beyondLimits(index: 8, side: .above), .rangeAboveLimit(index: 8),
                              .beyondLimits(index: 9, side: .above)])
    }

    /// Seven points below the mean is not a run; a point on the mean ends a run.
    @Test func sevenIsNotARun() throws {
        // mean of [0]*7 + [7] = 0.875; 7 points below: no run signal.
        let x = try ControlChart.xmr([0, 0, 0, 0, 0, 0, 0, 7])
        #expect(!x.signals.contains { if case .run = $0 { return true } else { return false } })
        // [0,0,0,0,1,0,0,0,0,9] has mean 10/10 = 1 (python: 0.1 + 0.9 == 1.0), so point 4 (value 1)
        // sits on the centre and splits the eight 0s into runs of 4 and 4: no run signal.
        let y = try ControlChart.xmr([0, 0, 0, 0, 1, 0, 0, 0, 0, 9])
        #expect(close(y.mean, 1))
        #expect(!y.signals.contains { if case .run = $0 { return true } else { return false } })
    }

    /// Six points each higher than the one before is a trend; five is not; an equal value ends it.
    @Test func trends() throws {
        let six = try ControlChart.xmr([5, 1, 2, 3, 4, 5, 6, 3])
        #expect(six.signals.contains(.trend(start: 1, end: 6, direction: .rising)))
        let five = try ControlChart.xmr([5, 1, 2, 3, 4, 5, 3])
        #expect(!five.signals.contains { if case .trend = $0 { return true } else { return false } })
        let tie = try ControlChart.xmr([1, 2, 3, 3, 4, 5, 6])
        #expect(!tie.signals.contains { if case .trend = $0 { return true } else { return false } })
        let falling = try ControlChart.xmr([9, 8, 7, 6, 5, 4])
        #expect(falling.signals.contains(.trend(start: 0, end: 5, direction: .falling)))
    }

    @Test func tooFewAndNotFinite() {
        #expect(throws: ControlChart.Failure.tooFew(count: 1)) { try ControlChart.xmr([3]) }
        #expect(throws: ControlChart.Failure.tooFew(count: 0)) { try ControlChart.xmr([]) }
        #expect(throws: ControlChart.Failure.notFinite) { try ControlChart.xmr([1, .nan]) }
        #expect(throws: ControlChart.Failure.notFinite) { try ControlChart.xmr([-1.7e308, 1.7e308]) }
        // Huge but same-signed values have a finite mean and range.
        #expect(throws: Never.self) { try ControlChart.xmr([1e307, 2e307]) }
    }

    /// Constant values: every moving range 0, limits on the mean, no signal (no point beyond).
    @Test func constant() throws {
        let x = try ControlChart.xmr([4, 4, 4])
        #expect(x.meanMovingRange == 0 && x.upperLimit == 4 && x.lowerLimit == 4)
        #expect(x.signals.isEmpty)
    }
}
