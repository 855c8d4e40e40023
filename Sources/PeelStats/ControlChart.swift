/// An individuals and moving-range (XmR) control chart (Wheeler's process behaviour chart):
/// the arithmetic only, so it can be checked apart from any drawing.
///
/// For values x₁…xₙ (n ≥ 2) in time order:
/// - the centre line is the mean x̄ = Σxᵢ ÷ n;
/// - the moving ranges are mRᵢ = |xᵢ − xᵢ₋₁| for i = 2…n, and their mean is m̄R;
/// - the natural process limits are x̄ ± 2.66 × m̄R;
/// - the moving-range chart's upper limit is 3.267 × m̄R (its lower limit is 0).
///
/// Signals (each reported once, as the longest stretch it covers):
/// - a point above the upper or below the lower natural process limit;
/// - a moving range above its upper limit;
/// - a run: 8 or more consecutive points all above the centre line, or all below it (a point on
///   the centre line ends a run);
/// - a trend: 6 or more consecutive points each higher than the one before (rising), or each
///   lower than the one before (falling); an equal value ends a trend.
public enum ControlChart {
    /// The scaling constants: 2.66 = 3 ÷ d₂ (d₂ = 1.128 for ranges of two), 3.267 = D₄ for n = 2.
    public static let limitFactor = 2.66
    public static let rangeFactor = 3.267
    /// Lengths at which a run and a trend become signals.
    public static let runLength = 8
    public static let trendLength = 6

    public enum Failure: Error, Equatable, Sendable {
        /// Fewer than two values: there is no moving range.
        case tooFew(count: Int)
        /// A value, or the arithmetic on the values, is not finite (NaN, ±inf, or too large).
        case notFinite
    }

    public enum Side: String, Sendable { case above, below }
    public enum Direction: String, Sendable { case rising, falling }

    public enum Signal: Equatable, Sendable {
        /// Point `index` (0-based) outside the natural process limits.
        case beyondLimits(index: Int, side: Side)
        /// Moving range ending at point `index` (0-based, ≥ 1) above its upper limit.
        case rangeAboveLimit(index: Int)
        /// Points `start`…`end` (inclusive) all on one side of the centre line.
        case run(start: Int, end: Int, side: Side)
        /// Points `start`…`end` (inclusive) each higher (lower) than the one before.
        case trend(start: Int, end: Int, direction: Direction)
    }

    public struct XmR: Equatable, Sendable {
        public var values: [Double]
        public var mean: Double
        /// mR for points 1…n−1 (the first point has none): `movingRanges[i - 1]` ends at point i.
        public var movingRanges: [Double]
        public var meanMovingRange: Double
        public var lowerLimit: Double
        public var upperLimit: Double
        public var rangeUpperLimit: Double
        public var signals: [Signal]
    }

    public static func xmr(_ values: [Double]) throws(Failure) -> XmR {
        guard values.count >= 2 else { throw .tooFew(count: values.count) }
        guard values.allSatisfy(\.isFinite) else { throw .notFinite }
        let n = Double(values.count)
        // Each value divided by n before summing, so values near ±1.8e308 do not overflow the sum.
        let mean = values.reduce(0) { $0 + $1 / n }
        var ranges: [Double] = []
        ranges.reserveCapacity(values.count - 1)
        for i in 1..<values.count { ranges.append(abs(values[i] - values[i - 1])) }
        let m = Double(ranges.count)
        let mR = ranges.reduce(0) { $0 + $1 / m }
        let lower = mean - limitFactor * mR, upper = mean + limitFactor * mR, rangeUpper = rangeFactor * mR
        guard mean.isFinite, mR.isFinite, lower.isFinite, upper.isFinite, rangeUpper.isFinite,
              ranges.allSatisfy(\.isFinite) else { throw .notFinite }
        return XmR(values: values, mean: mean, movingRanges: ranges, meanMovingRange: mR, lowerLimit: lower, upperLimit: upper,
                   rangeUpperLimit: rangeUpper, signals: signals(values, mean: mean, lower: lower, upper: upper, ranges: ranges, rangeUpper: rangeUpper))
    }

    /// The signals in the values, in order of the point where each starts (beyond-limit points,
    /// then ranges, then runs, then trends, at the same point).
    public static func signals(_ x: [Double], mean: Double, lower: Double, upper: Double, ranges: [Double], rangeUpper: Double) -> [Signal] {
        var out: [(Int, Int, Signal)] = []
        for (i, v) in x.enumerated() {
            if v > upper { out.append((i, 0, .beyondLimits(index: i, side: .above))) }
            else if v < lower { out.append((i, 0, .beyondLimits(index: i, side: .below))) }
        }
        for (k, r) in ranges.enumerated() where r > rangeUpper { out.append((k + 1, 1, .rangeAboveLimit(index: k + 1))) }
        // Runs: maximal stretches strictly on one side.
        var start = 0
        while start < x.count {
            let side: Side? = x[start] > mean ? .above : (x[start] < mean ? .below : nil)
            var end = start
            if let side {
                while end + 1 < x.count, (side == .above ? x[end + 1] > mean : x[end + 1] < mean) { end += 1 }
                if end - start + 1 >= runLength { out.append((start, 2, .run(start: start, end: end, side: side))) }
            }
            start = end + 1
        }
        // Trends: maximal stretches of strict rises (falls).
        for direction in [Direction.rising, .falling] {
            var s = 0
            while s < x.count {
                var e = s
                while e + 1 < x.count, (direction == .rising ? x[e + 1] > x[e] : x[e + 1] < x[e]) { e += 1 }
                if e - s + 1 >= trendLength { out.append((s, 3, .trend(start: s, end: e, direction: direction))) }
                s = e > s ? e : s + 1
            }
        }
        return out.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    }
}
