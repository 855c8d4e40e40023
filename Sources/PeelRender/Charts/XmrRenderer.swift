import PeelSupport
import PeelStats

/// An individuals and moving-range (XmR) control chart: the X chart (the points, the mean as the
/// centre line, the natural process limits), the mR chart under it (the moving ranges, their
/// mean and upper limit) on the same period axis, and the signals listed with their periods.
package enum XmrRenderer {
    package static func render(_ spec: ChartSpec) -> String {
        let kit = ChartKit(spec: spec)
        guard let x = spec.xmr, x.values.count == spec.periods.count else { return kit.title + "\n\n(no XmR chart)\n" }
        let point: Character = kit.ascii ? "o" : "●"
        let signal: Character = kit.ascii ? "*" : "◆"
        let dot: Character = kit.ascii ? "." : "·"
        let centre: Character = kit.ascii ? "-" : "─"
        let limit: Character = kit.ascii ? "=" : "┈"
        let sc = min(12, kit.shownScale + 1)
        func t(_ v: Double) -> String { NumberFormat.fixed(v, scale: sc) }
        // A point or a moving range is shown as the values were written; limits get one more decimal.
        func val(_ v: Double) -> String { NumberFormat.fixed(v, scale: kit.shownScale) }
        let names = ["UNPL \(t(x.upperLimit))", "mean \(t(x.mean))", "LNPL \(t(x.lowerLimit))",
                     "URL \(t(x.rangeUpperLimit))", "mean mR \(t(x.meanMovingRange))"]
        let margin = (names.map(DisplayWidth.of).max() ?? 0) + 1
        let periodWidth = spec.periods.map(DisplayWidth.of).max() ?? 1
        let h = LineRenderer.height(forWidth: spec.width)
        let n = x.values.count
        var beyond = Set<Int>()
        for s in x.signals { if case .beyondLimits(let i, _) = s { beyond.insert(i) } }
        var rangeBeyond = Set<Int>()
        for s in x.signals { if case .rangeAboveLimit(let i) = s { rangeBeyond.insert(i) } }

        func panels(_ w: Int) -> (PlotPanel, PlotPanel) {
            (PlotPanel(values: x.values + [x.lowerLimit, x.upperLimit], count: n, totalWidth: spec.width, height: h,
                       rightMargin: margin, periodWidth: periodWidth, ascii: kit.ascii, minimumLabelWidth: w),
             PlotPanel(values: x.movingRanges + [x.rangeUpperLimit], count: n, totalWidth: spec.width, height: max(6, h / 2),
                       rightMargin: margin, periodWidth: periodWidth, ascii: kit.ascii, from: true, minimumLabelWidth: w))
        }
        var (xp, rp) = panels(0)
        // Both panels share the x axis: the wider tick values set the plot for both.
        if rp.labelWidth != xp.labelWidth { (xp, rp) = panels(max(rp.labelWidth, xp.labelWidth)) }
        for i in 0..<(n - 1) { xp.connect((i, x.values[i]), (i + 1, x.values[i + 1]), glyph: dot) }
        for i in 1..<max(1, n - 1) { rp.connect((i, x.movingRanges[i - 1]), (i + 1, x.movingRanges[i]), glyph: dot) }
        xp.rule(x.upperLimit, glyph: limit, name: names[0])
        xp.rule(x.mean, glyph: centre, name: names[1])
        xp.rule(x.lowerLimit, glyph: limit, name: names[2])
        rp.rule(x.rangeUpperLimit, glyph: limit, name: names[3])
        rp.rule(x.meanMovingRange, glyph: centre, name: names[4])
        for (i, v) in x.values.enumerated() { xp.put(beyond.contains(i) ? signal : point, row: xp.row(v), col: xp.col(i)) }
        for (k, r) in x.movingRanges.enumerated() { rp.put(rangeBeyond.contains(k + 1) ? signal : point, row: rp.row(r), col: rp.col(k + 1)) }

        var out = kit.title + "\n\n"
        out += "Individual values (X)\n" + xp.lines(periods: nil).joined(separator: "\n") + "\n"
        out += "Moving ranges (mR)\n" + rp.lines(periods: spec.periods).joined(separator: "\n") + "\n\n"

        func p(_ i: Int) -> String { i >= 0 && i < spec.periods.count ? spec.periods[i] : "?" }
        var lines: [String] = []
        for s in x.signals {
            switch s {
            case .beyondLimits(let i, let side):
                lines.append("\(p(i)): \(val(x.values[i])) is \(side == .above ? "above the upper" : "below the lower") natural process limit")
            case .rangeAboveLimit(let i):
                lines.append("\(p(i)): the moving range from \(p(i - 1)), \(val(x.movingRanges[i - 1])), is above its upper limit")
            case .run(let a, let b, let side):
                lines.append("\(p(a)) to \(p(b)): \(b - a + 1) points in a row \(side.rawValue) the mean")
            case .trend(let a, let b, let d):
                lines.append("\(p(a)) to \(p(b)): \(b - a + 1) points in a row, each \(d == .rising ? "higher" : "lower") than the one before")
            }
        }
        if lines.isEmpty {
            out += TextWrap.wrap("Signals: none (no point beyond the limits, no moving range above its limit, no run of 8 on one side, no 6 rising or falling)", width: spec.width, rest: "  ") + "\n"
        } else {
            out += "Signals:\n" + lines.map { TextWrap.wrap($0, width: spec.width - 2, rest: "  ").split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") }.joined(separator: "\n") + "\n"
        }
        out += "\n"
        let legend = ["\(point) point", "\(signal) beyond a limit", "\(centre) mean", "\(limit) limits", "\(dot) joins the points"]
        let one = legend.joined(separator: "   ")
        out += (DisplayWidth.of(one) <= spec.width ? one : legend.joined(separator: "\n")) + "\n"
        var notes = ["\(n) points; limits: mean ± 2.66 × mean moving range; mR upper limit: 3.267 × mean moving range"]
        notes += spec.notes
        for note in notes { out += TextWrap.wrap(note, width: spec.width, rest: "  ") + "\n" }
        if let src = spec.source { out += TextWrap.wrap("Source: " + src, width: spec.width, rest: "  ") + "\n" }
        return out
    }
}
