import PeelSupport
import PeelStats

/// The kinds of chart peel draws.
public enum ChartKind: String, CaseIterable, Sendable {
    case bar, grouped, diverging, interval, strip, line, spark, xmr, funnel
}

/// One series of values, one per row (a line chart's rows are series; its values run over periods).
public struct ChartSeries: Sendable {
    public var name: String
    public var values: [Double?]
    /// Display precision for each value.
    public var scales: [Int]
    /// 95% interval half-widths, for interval plots, and the digits each was printed with.
    public var intervals: [Double?]?
    public var intervalScales: [Int]?

    public init(name: String, values: [Double?], scales: [Int], intervals: [Double?]? = nil) {
        self.name = name
        self.values = values
        self.scales = scales
        self.intervals = intervals
    }
}

/// Everything needed to draw a chart; each kind's renderer is a pure function of it.
public struct ChartSpec: Sendable {
    public var kind: ChartKind
    public var title: String
    /// One label per row (bars, intervals); the points' names for a strip; the series for a line.
    public var labels: [String]
    public var series: [ChartSeries]
    /// A value per row drawn as a rule (e.g. England and Wales), or one value for every row.
    public var marks: [Double?]?
    public var markScales: [Int]?
    public var markName: String?
    /// True when the rule is one value for every row (drawn through all bars, not repeated in each label).
    public var markIsConstant = false
    /// Rows to pick out (the force under inspection).
    public var highlight: Set<Int> = []
    /// Period names, for line charts (the columns of each series).
    public var periods: [String] = []
    /// For line charts: values[series][period], and the digits each was written with.
    public var grid: [[Double?]] = []
    public var gridScales: [[Int]] = []
    public var unit: String?
    public var source: String?
    public var width: Int = 80
    public var ascii = false
    /// For funnel plots: the units' counts and denominators, the target and the limits.
    public var funnel: FunnelChart?
    /// For XmR charts: the limits and signals of the one series in `grid[0]` over `periods`, and
    /// notes (points left out) for under the chart.
    public var xmr: ControlChart.XmR?
    public var notes: [String] = []

    public init(kind: ChartKind, title: String, labels: [String], series: [ChartSeries]) {
        self.kind = kind
        self.title = title
        self.labels = labels
        self.series = series
    }
}

/// What a funnel plot draws: one point per label (its count and denominator), the target as a
/// rule, and the 95% and 99.8% control limits around it as curves over the denominator.
public struct FunnelChart: Sendable {
    public var scale: FunnelScale
    /// The units, one per `ChartSpec.labels` entry (same order).
    public var points: [FunnelPoint]
    /// The target on the raw scale (a proportion 0…1, or events per one unit of denominator).
    public var target: Double
    /// What the target is ("England and Wales", "all rows").
    public var targetName: String
    /// Shown values are raw × `per`: 100 for a percentage, 1,000 or 100,000 for a rate.
    public var per: Double
    public var countName: String
    public var denominatorName: String
    /// What one point is, for the legend ("force", "row").
    public var unitName = "unit"
    public var overdispersion: Overdispersion = .none
    /// How the limits are computed, in words, for the notes.
    public var method: String
    /// Lines after the lists of units outside the limits (the target's origin, overdispersion,
    /// rows left out).
    public var notes: [String] = []
    /// The (lower, upper) limits on the raw scale at a denominator, for a level (0.95, 0.998).
    public var limits: @Sendable (_ denominator: Double, _ level: Double) -> (lower: Double, upper: Double)?

    public init(scale: FunnelScale, points: [FunnelPoint], target: Double, targetName: String, per: Double,
                countName: String, denominatorName: String, overdispersion: Overdispersion = .none, method: String,
                limits: (@Sendable (_ denominator: Double, _ level: Double) -> (lower: Double, upper: Double)?)? = nil) {
        self.scale = scale
        self.points = points
        self.target = target
        self.targetName = targetName
        self.per = per
        self.countName = countName
        self.denominatorName = denominatorName
        self.overdispersion = overdispersion
        self.method = method
        self.limits = limits ?? { n, level in
            FunnelLimits.limits(target: target, denominator: n, scale: scale, level: level, overdispersion: overdispersion)
        }
    }
}

/// Draws charts as text. Widths are in terminal columns; wide and combining characters are measured.
public enum Charts {
    public static func render(_ spec: ChartSpec) -> String {
        // Periods (financial years, months, …) are drawn in time order whatever the rows' order.
        let spec = spec.inTimeOrder()
        switch spec.kind {
        case .bar: return BarRenderer.render(spec)
        case .grouped: return GroupedRenderer.render(spec)
        case .diverging: return DivergingRenderer.render(spec)
        case .interval: return IntervalRenderer.render(spec)
        case .strip: return StripRenderer.render(spec)
        case .line: return LineRenderer.render(spec)
        case .spark: return SparkRenderer.render(spec)
        case .xmr: return XmrRenderer.render(spec)
        case .funnel: return FunnelRenderer.render(spec)
        }
    }
}

/// Pieces every chart shares: value text, labels, glyphs, the footer.
package struct ChartKit {
    package let spec: ChartSpec

    package var ascii: Bool { spec.ascii }
    package var full: Character { ascii ? "#" : "█" }
    package var rule: Character { ascii ? "|" : "│" }
    package static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// Short units go on every value; a long unit is named once, in the title.
    package var unitSuffix: String {
        guard let u = spec.unit else { return "" }
        return u == "%" ? "%" : (u == "pp" ? " pp" : "")
    }

    package func text(_ v: Double?, _ scale: Int) -> String {
        v.map { NumberFormat.fixed($0, scale: scale) + unitSuffix } ?? "n/a"
    }

    /// The title, with a long unit in brackets.
    package var title: String {
        if let u = spec.unit, u != "%", u != "pp" { return spec.title + " (\(u))" }
        return spec.title + (spec.unit == "%" ? " (%)" : spec.unit == "pp" ? " (percentage points)" : "")
    }

    /// Labels cut to fit (ending in an ellipsis), padded, with the highlighted rows marked by a pointer
    /// (so the highlight never depends on colour).
    package func labels(maxWidth: Int) -> (texts: [String], width: Int) {
        let marker = spec.highlight.isEmpty ? 0 : 2
        let widest = spec.labels.map(DisplayWidth.of).max() ?? 0
        let w = min(widest, max(6, maxWidth - marker))
        let texts = spec.labels.enumerated().map { i, l -> String in
            let cut = DisplayWidth.padRight(DisplayWidth.truncate(l, to: w), w)
            guard marker > 0 else { return cut }
            return (spec.highlight.contains(i) ? (ascii ? "> " : "▶ ") : "  ") + cut
        }
        return (texts, w + marker)
    }

    /// A horizontal bar from `start` to `end` (cells, fractional) drawn into `cells`; a partial cell
    /// at the far end uses eighth blocks (Unicode) on the right, a half block on the left.
    package func fill(_ cells: inout [Character], from a0: Double, to b: Double, glyph: Character? = nil) {
        guard a0.isFinite, b.isFinite else { return }
        let a = a0
        let g = glyph ?? full
        let lo = max(0, min(a, b)), hi = min(Double(cells.count), max(a, b))
        guard hi > lo else { return }
        if ascii || glyph != nil {
            var a = Int(cell: lo.rounded(), in: 0...cells.count), e = max(a, Int(cell: hi.rounded(), in: 0...cells.count))
            // A value that is not zero always shows as at least one cell.
            if e == a { if b >= a0 { e = min(cells.count, a + 1) } else { a = max(0, e - 1) } }
            for c in a..<e where c < cells.count { cells[c] = g }
            return
        }
        if b >= a {
            // Growing right from a whole cell: eighths at the tip.
            let start = Int(cell: lo.rounded(), in: 0...cells.count)
            // A value that is not zero always shows at least a sliver.
            let eighthsLong = max(1, Int(cell: ((hi - Double(start)) * 8).rounded(), in: 0...(8 * cells.count)))
            for c in start..<min(cells.count, start + eighthsLong / 8) { cells[c] = full }
            if eighthsLong % 8 > 0, start + eighthsLong / 8 < cells.count { cells[start + eighthsLong / 8] = Self.eighths[eighthsLong % 8 - 1] }
        } else {
            // Growing left: whole cells, and a right half block for a half cell at the tip.
            let end = Int(cell: hi.rounded(), in: 0...cells.count)
            let halves = Int(cell: ((Double(end) - lo) * 2).rounded(), in: 0...(2 * cells.count))
            if halves == 0 {
                if end - 1 >= 0 { cells[end - 1] = "▕" }
                return
            }
            for c in max(0, end - halves / 2)..<end { cells[c] = full }
            if halves % 2 == 1, end - halves / 2 - 1 >= 0 { cells[end - halves / 2 - 1] = "▐" }
        }
    }

    /// The legend, scale note and source, wrapped to the chart's width.
    package func footer(_ parts: [String], lo: Double, hi: Double, scale: Int) -> String {
        var legend = parts
        legend.append("scale: \(NumberFormat.fixed(lo, scale: scale)) to \(NumberFormat.fixed(hi, scale: scale))\(unitSuffix)" + (unitSuffix.isEmpty ? (spec.unit.map { " " + $0 } ?? "") : ""))
        // The parts on one line when they fit, else one per line.
        let line = legend.joined(separator: "   ")
        var out = DisplayWidth.of(line) <= spec.width ? line + "\n"
            : legend.map { TextWrap.wrap($0, width: spec.width, rest: "  ") }.joined(separator: "\n") + "\n"
        if let s = spec.source { out += TextWrap.wrap("Source: " + s, width: spec.width, rest: "  ") + "\n" }
        return out
    }

    /// The largest number of decimals among values shown.
    package var shownScale: Int {
        var s = 0
        for series in spec.series { for (v, sc) in zip(series.values, series.scales) where v != nil { s = max(s, sc) } }
        return s
    }

    /// A scale that always includes zero, so bars are measured from it.
    package static func zeroBasedScale(_ values: [Double]) -> (Double, Double) {
        let lo = min(0, values.min() ?? 0)
        let hi = max(0, values.max() ?? 0)
        return (lo, hi == lo ? lo + 1 : hi)
    }

    package static func trimmed(_ line: String) -> String {
        var l = line
        while l.hasSuffix(" ") { l.removeLast() }
        return l
    }
}

extension Int {
    /// A chart position from a computed one: rounded down, held inside `range`, and the range's
    /// start for NaN. Positions come from data (1e308, a scale of zero width), so a plain
    /// `Int(_:)` could trap.
    package init(cell d: Double, in range: ClosedRange<Int>) {
        if d.isNaN { self = range.lowerBound; return }
        if d <= Double(range.lowerBound) { self = range.lowerBound; return }
        if d >= Double(range.upperBound) { self = range.upperBound; return }
        self = Int(d)
    }
}
