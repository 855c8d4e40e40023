import PeelSupport
import PeelStats

/// Each row's value as a point with its 95% confidence interval as a whisker, and a rule at the
/// national (or other) value through every row. The scale spans the intervals, not from zero.
package enum IntervalRenderer {
    package static func render(_ spec: ChartSpec) -> String {
        let kit = ChartKit(spec: spec)
        let s = spec.series[0]
        let n = spec.labels.count
        let ci = s.intervals ?? Array(repeating: nil, count: n)
        let texts = (0..<n).map { i -> String in
            guard let v = s.values[i] else { return "n/a" }
            return kit.text(v, s.scales[i]) + (ci[i].map { " ± " + NumberFormat.fixed($0, scale: s.intervalScales?[i] ?? 2) } ?? "")
        }
        let vw = texts.map(DisplayWidth.of).max() ?? 0
        let (labels, lw) = kit.labels(maxWidth: spec.width / 3)
        let plotWidth = max(10, spec.width - lw - vw - 4)
        var ends: [Double] = []
        for i in 0..<n { if let v = s.values[i] { ends += [v - (ci[i] ?? 0), v + (ci[i] ?? 0)] } }
        ends += spec.marks?.compactMap { $0 } ?? []
        var lo = ends.min() ?? 0, hi = ends.max() ?? 1
        if hi == lo { lo -= 1; hi += 1 }
        // Round the scale outwards to whole units (tenths for a narrow range), so the axis reads simply.
        let unitStep = hi - lo > 5 ? 1.0 : 0.1
        lo = (lo / unitStep).rounded(.down) * unitStep
        hi = (hi / unitStep).rounded(.up) * unitStep
        let per = Double(plotWidth - 1) / (hi - lo)
        func col(_ v: Double) -> Int { Int(cell: ((v - lo) * per).rounded(), in: 0...(plotWidth - 1)) }
        let point: Character = kit.ascii ? "o" : "●"
        let dash: Character = kit.ascii ? "-" : "─"
        let leftEnd: Character = kit.ascii ? "[" : "├"
        let rightEnd: Character = kit.ascii ? "]" : "┤"
        let markGlyph: Character = kit.ascii ? ":" : "┆"

        var out = kit.title + "\n\n"
        for i in 0..<n {
            var cells = [Character](repeating: " ", count: plotWidth)
            if let m = spec.marks?[i] ?? spec.marks?.first ?? nil, spec.marks != nil { cells[col(m)] = markGlyph }
            if let v = s.values[i] {
                if let h = ci[i] {
                    let a = col(v - h), b = col(v + h)
                    for c in a...b { cells[c] = dash }
                    cells[a] = leftEnd
                    cells[b] = rightEnd
                }
                cells[col(v)] = point
            } else {
                for (k, ch) in "n/a".enumerated() where k < plotWidth { cells[k] = ch }
            }
            out += ChartKit.trimmed(labels[i] + "  " + String(cells) + "  " + DisplayWidth.padLeft(texts[i], vw)) + "\n"
        }
        // An axis with the ends and the middle labelled.
        var axis = [Character](repeating: kit.ascii ? "-" : "─", count: plotWidth)
        axis[0] = kit.ascii ? "+" : "└"
        axis[plotWidth - 1] = kit.ascii ? "+" : "┘"
        axis[plotWidth / 2] = kit.ascii ? "+" : "┴"
        out += String(repeating: " ", count: lw + 2) + String(axis) + "\n"
        let sc = hi - lo > 5 ? 0 : 1
        let l = NumberFormat.fixed(lo, scale: sc), mid = NumberFormat.fixed((lo + hi) / 2, scale: sc), r = NumberFormat.fixed(hi, scale: sc)
        var ticks = [Character](repeating: " ", count: plotWidth + 8)
        func put(_ t: String, at c: Int) { for (k, ch) in t.enumerated() where c + k >= 0 && c + k < ticks.count { ticks[c + k] = ch } }
        put(l, at: 0)
        put(mid, at: plotWidth / 2 - mid.count / 2)
        put(r, at: plotWidth - r.count)
        out += ChartKit.trimmed(String(repeating: " ", count: lw + 2) + String(ticks)) + "\n\n"
        var legend = ["\(point) \(s.name)", "\(leftEnd)\(dash)\(rightEnd) 95% confidence interval"]
        if let m = spec.markName { legend.append("\(markGlyph) \(m)") }
        return out + kit.footer(legend, lo: lo, hi: hi, scale: sc)
    }
}

/// Every value as a dot on one scale, stacked where they coincide, with the quartile cut points and
/// the highlighted rows marked: where a force stands and why it is banded as it is.
package enum StripRenderer {
    package static func render(_ spec: ChartSpec) -> String {
        let kit = ChartKit(spec: spec)
        let s = spec.series[0]
        let present = s.values.enumerated().compactMap { i, v in v.map { (i, $0) } }
        let values = present.map(\.1)
        let plotWidth = max(20, spec.width - 2)
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        if hi == lo { lo -= 1; hi += 1 }
        let per = Double(plotWidth - 1) / (hi - lo)
        func col(_ v: Double) -> Int { Int(cell: ((v - lo) * per).rounded(), in: 0...(plotWidth - 1)) }
        var counts = [Int](repeating: 0, count: plotWidth)
        for v in values { counts[col(v)] += 1 }
        let dot: Character = kit.ascii ? "o" : "●"
        let top = counts.max() ?? 0
        var out = kit.title + "\n\n"
        if top > 0 {
            for level in stride(from: top, through: 1, by: -1) {
                out += ChartKit.trimmed("  " + String(counts.map { $0 >= level ? dot : " " })) + "\n"
            }
        }
        var axis = [Character](repeating: kit.ascii ? "-" : "─", count: plotWidth)
        let q1 = Summary.quantile(values, 0.25), med = Summary.median(values), q3 = Summary.quantile(values, 0.75)
        for q in [q1, med, q3].compactMap({ $0 }) { axis[col(q)] = kit.ascii ? "+" : "┼" }
        let national = spec.marks?.compactMap { $0 }.first
        let diamond: Character = kit.ascii ? "*" : "◆"
        if let m = national, m >= lo, m <= hi { axis[col(m)] = diamond }
        out += "  " + String(axis) + "\n"
        // Below the axis: the quartile names, then the highlighted rows.
        var marks = [Character](repeating: " ", count: plotWidth + 12)
        func put(_ t: String, at c: Int) {
            let start = max(0, min(c, marks.count - t.count))
            for (k, ch) in t.enumerated() { marks[start + k] = ch }
        }
        if let q1 { put("Q1", at: col(q1) - 1) }
        if let med { put("M", at: col(med)) }
        if let q3 { put("Q3", at: col(q3) - 1) }
        out += ChartKit.trimmed("  " + String(marks)) + "\n"
        let pointer = kit.ascii ? "^" : "▲"
        for i in spec.highlight.sorted() {
            guard let v = s.values[i] else {
                out += "  \(spec.labels[i]): n/a (not shown)\n"
                continue
            }
            let c = col(v)
            let label = "\(pointer) \(spec.labels[i]) \(kit.text(v, s.scales[i]))"
            let lead = c + DisplayWidth.of(label) + 2 > spec.width ? max(0, c - DisplayWidth.of(label) + 1) : c
            if lead == c {
                out += ChartKit.trimmed("  " + String(repeating: " ", count: c) + label) + "\n"
            } else {
                out += ChartKit.trimmed("  " + String(repeating: " ", count: lead) + "\(spec.labels[i]) \(kit.text(v, s.scales[i])) \(pointer)") + "\n"
            }
        }
        out += "\n"
        let sc = kit.shownScale
        var legend = ["\(dot) one of \(values.count) values"]
        if let q1, let med, let q3 {
            legend.append("Q1 \(NumberFormat.fixed(q1, scale: sc + 1)), median \(NumberFormat.fixed(med, scale: sc + 1)), Q3 \(NumberFormat.fixed(q3, scale: sc + 1)): a quarter of the values lie below Q1 and a quarter above Q3")
        }
        let missing = s.values.count - values.count
        if missing > 0 { legend.append("\(missing) missing, not shown") }
        if let m = national {
            let name = spec.markName ?? "mark"
            legend.append(m >= lo && m <= hi ? "\(diamond) \(name)" : "\(name) is off the scale")
        }
        return out + kit.footer(legend, lo: lo, hi: hi, scale: sc)
    }
}
