import PeelSupport
import PeelStats

/// A plotting area with a y axis (a scale with tick values) and an x axis with one tick per
/// period: the frame shared by line charts and XmR charts. Row 0 is the top (the scale's high end).
package struct PlotPanel {
    package let ascii: Bool
    package let height: Int
    /// Columns of the plotting area (between the y axis and the right margin).
    package let plotWidth: Int
    /// Width of the y-axis tick values.
    package let labelWidth: Int
    package let lo: Double, hi: Double
    package let ticks: [Double]
    package let tickScale: Int
    /// The distance between ticks.
    package let tickStep: Double
    package let count: Int
    /// Blank columns at each end, so the first and last period labels fit under their ticks.
    package let inset: Int
    package var cells: [[Character]]
    /// Text after the right end of a row (a rule's name), by row.
    package var rightText: [Int: String] = [:]

    /// A panel of `totalWidth` columns with `count` periods over the values `values` (any finite
    /// numbers), leaving `rightMargin` columns for the rules' names.
    package init(values: [Double], count: Int, totalWidth: Int, height: Int, rightMargin: Int, periodWidth: Int, ascii: Bool, from zero: Bool = false, minimumLabelWidth: Int = 0) {
        self.ascii = ascii
        self.height = max(3, height)
        self.count = max(1, count)
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        if zero { lo = min(0, lo) }
        if hi == lo {
            let pad = lo == 0 ? 1 : abs(lo) / 10
            lo -= pad; hi += pad
        }
        // Halves first, so a span of ±1.7e308 does not overflow to infinity.
        let step = PlotPanel.niceStep((hi / 2 - lo / 2) / Double(max(2, self.height / 3)) * 2)
        var nlo = (lo / step).rounded(.down) * step, nhi = (hi / step).rounded(.up) * step
        if !nlo.isFinite { nlo = lo }
        if !nhi.isFinite { nhi = hi }
        self.lo = nlo; self.hi = nhi
        var t: [Double] = []
        var k = 0.0
        // Ticks at multiples of the step (the scale's end is not one when rounding it out overflowed).
        var first = (nlo / step).rounded(.up) * step
        if !first.isFinite { first = nlo }
        while t.count < 40 {
            var v = first + k * step
            if !v.isFinite { v = (first / 2 + k * (step / 2)) * 2 }  // k × step alone can overflow near 1e308
            guard v.isFinite, v <= nhi + step * 1e-9 else { break }
            t.append(abs(v) < step * 1e-9 ? 0 : v)
            k += 1
        }
        ticks = t
        tickScale = PlotPanel.decimals(step)
        tickStep = step
        let texts = t.map { PlotPanel.tickText($0, scale: PlotPanel.decimals(step), step: step) }
        labelWidth = max(minimumLabelWidth, texts.map(DisplayWidth.of).max() ?? 1)
        plotWidth = max(4, totalWidth - labelWidth - 2 - rightMargin)
        inset = min(max(0, (periodWidth + 1) / 2), max(0, (plotWidth - self.count) / 2))
        cells = Array(repeating: Array(repeating: " ", count: plotWidth), count: self.height)
    }

    /// A step of 1, 2 or 5 × 10ᵏ near `raw`.
    package static func niceStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return raw.isFinite ? 1 : 1e307 }
        let e = (raw.magnitude).log10Floor
        let p = pow10(e)
        let f = raw / p
        let m: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        let s = m * p
        return s.isFinite && s > 0 ? s : raw
    }

    static func pow10(_ e: Int) -> Double {
        var p = 1.0
        if e >= 0 { for _ in 0..<min(e, 308) { p *= 10 } } else { for _ in 0..<min(-e, 323) { p /= 10 } }
        return p
    }

    /// Decimals needed to write multiples of `step`.
    static func decimals(_ step: Double) -> Int {
        guard step.isFinite, step > 0, step < 1 else { return 0 }
        return min(12, max(0, -(step.log10Floor)))
    }

    /// A tick value as text: fixed decimals, and past 10¹⁵ a mantissa with only the digits the
    /// step needs, so that 15 × 10³⁰⁷ reads 1.5e+308 and not 1.4999999999999996e+308.
    package static func tickText(_ v: Double, scale: Int, step: Double) -> String {
        guard v.isFinite, abs(v) >= 1e12 else { return NumberFormat.fixed(v, scale: scale) }
        guard abs(v) >= 1e15 else { return NumberFormat.shortest(v) }
        let e = abs(v).log10Floor
        let digits = min(16, max(1, e - (step.isFinite && step > 0 ? step.log10Floor : e) + 1))
        var mantissa = abs(v)
        if e > 0 { for _ in 0..<e { mantissa /= 10 } }
        var text = NumberFormat.fixed(mantissa, scale: digits - 1)
        var exponent = e
        if text.hasPrefix("10") { exponent += 1; text = NumberFormat.fixed(mantissa / 10, scale: digits - 1) }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return (v < 0 ? "-" : "") + text + "e+" + String(exponent)
    }

    /// The row of a value: 0 at the top; values beyond the scale are held at its ends.
    package func row(_ v: Double) -> Int {
        let span = hi / 2 - lo / 2
        let f = span > 0 ? (v / 2 - lo / 2) / span : 0.5
        let r = Int(cell: (f * Double(height - 1)).rounded(), in: 0...(height - 1))
        return height - 1 - r
    }

    /// The column of period `i` (0-based).
    package func col(_ i: Int) -> Int {
        guard count > 1 else { return plotWidth / 2 }
        let usable = Double(plotWidth - 1 - 2 * inset)
        return Int(cell: (Double(inset) + Double(i) * usable / Double(count - 1)).rounded(), in: 0...(plotWidth - 1))
    }

    /// Puts a glyph at a cell; returns the glyph it replaced (nil for a blank).
    @discardableResult
    package mutating func put(_ ch: Character, row r: Int, col c: Int) -> Character? {
        guard r >= 0, r < height, c >= 0, c < plotWidth else { return nil }
        let old = cells[r][c]
        cells[r][c] = ch
        return old == " " ? nil : old
    }

    /// A horizontal rule across the plot at a value, under anything already drawn, named at the right.
    package mutating func rule(_ v: Double, glyph: Character, name: String) {
        let r = row(v)
        for c in 0..<plotWidth where cells[r][c] == " " { cells[r][c] = glyph }
        rightText[r] = rightText[r].map { $0 + ", " + name } ?? name
    }

    /// Dots between the points of periods `a` and `b` (adjacent, both present), under the markers.
    package mutating func connect(_ a: (Int, Double), _ b: (Int, Double), glyph: Character) {
        let c0 = col(a.0), c1 = col(b.0)
        guard c1 - c0 > 1 else { return }
        let r0 = Double(row(a.1)), r1 = Double(row(b.1))
        for c in (c0 + 1)..<c1 {
            let r = Int(cell: (r0 + (r1 - r0) * Double(c - c0) / Double(c1 - c0)).rounded(), in: 0...(height - 1))
            if cells[r][c] == " " { cells[r][c] = glyph }
        }
    }

    /// The panel's lines: the y axis with tick values, the plot, and (when `periods` is given)
    /// the x axis with period labels under their ticks.
    package func lines(periods: [String]?) -> [String] {
        var tickAt: [Int: String] = [:]
        // Two ticks on one row (a step finer than a row): the first keeps the row.
        for t in ticks where tickAt[row(t)] == nil { tickAt[row(t)] = PlotPanel.tickText(t, scale: tickScale, step: tickStep) }
        var out: [String] = []
        for r in 0..<height {
            let label = tickAt[r].map { DisplayWidth.padLeft($0, labelWidth) } ?? String(repeating: " ", count: labelWidth)
            let axis = tickAt[r] != nil ? (ascii ? "+" : "┤") : (ascii ? "|" : "│")
            let right = rightText[r].map { " " + $0 } ?? ""
            out.append(ChartKit.trimmed(label + " " + axis + String(cells[r]) + right))
        }
        var axis = [Character](repeating: ascii ? "-" : "─", count: plotWidth)
        for i in 0..<count { axis[col(i)] = ascii ? "+" : "┬" }
        out.append(String(repeating: " ", count: labelWidth + 1) + (ascii ? "+" : "└") + String(axis))
        if let periods {
            out.append(contentsOf: PlotPanel.periodLabels(periods, at: (0..<count).map(col), indent: labelWidth + 2, width: plotWidth))
        }
        return out
    }

    /// Period labels centred under their ticks, every k-th one when they do not all fit (the
    /// first always, and the last when it has room).
    static func periodLabels(_ periods: [String], at cols: [Int], indent: Int, width: Int) -> [String] {
        let widths = periods.map(DisplayWidth.of)
        let widest = widths.max() ?? 0
        var k = 1
        if periods.count > 1 {
            let spacing = Double(cols.last! - cols.first!) / Double(periods.count - 1)
            while k < periods.count, spacing * Double(k) < Double(widest + 1) { k += 1 }
        }
        var line = [Character](repeating: " ", count: indent + width + widest)
        var lastEnd = -1
        var shown = Array(stride(from: 0, to: periods.count, by: k))
        if let l = shown.last, l != periods.count - 1 { shown.append(periods.count - 1) }
        for i in shown {
            let start = max(0, indent + cols[i] - (widths[i] - 1) / 2)
            guard start > lastEnd else { continue }
            var c = start
            for ch in periods[i] where c < line.count { line[c] = ch; c += 1 }
            lastEnd = c
        }
        var out = [ChartKit.trimmed(String(line))]
        if k > 1 { out.append(String(repeating: " ", count: indent) + "(every \(ordinal(k)) period labelled)") }
        return out
    }

    static func ordinal(_ k: Int) -> String {
        let s = k % 100 >= 11 && k % 100 <= 13 ? "th" : [1: "st", 2: "nd", 3: "rd"][k % 10] ?? "th"
        return "\(k)\(s)"
    }
}

extension Double {
    /// ⌊log₁₀ |x|⌋ for a finite non-zero number, by counting powers of ten (no libm needed).
    var log10Floor: Int {
        var m = magnitude, e = 0
        guard m.isFinite, m > 0 else { return 0 }
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        return e
    }
}

/// A line chart over periods: an x axis of periods in time order, a y axis with a scale, one
/// marker glyph per series (`by`), the points of a series joined by dots, gaps where a value
/// is missing, and a legend naming each marker.
package enum LineRenderer {
    package static let unicodeMarkers: [Character] = ["●", "■", "▲", "◆", "○", "□", "△", "◇", "✚", "✖"]
    package static let asciiMarkers: [Character] = ["o", "x", "+", "*", "#", "@", "%", "&", "=", "$"]
    /// The most series one chart can tell apart.
    package static var maxSeries: Int { unicodeMarkers.count }
    /// The narrowest and widest a line chart is drawn.
    package static let minimumWidth = 40

    package static func height(forWidth w: Int) -> Int { min(20, max(10, w / 5)) }

    package static func render(_ spec: ChartSpec) -> String {
        let kit = ChartKit(spec: spec)
        let markers = kit.ascii ? asciiMarkers : unicodeMarkers
        let dot: Character = kit.ascii ? "." : "·"
        let values = spec.grid.flatMap { $0.compactMap { $0 } }
        let periodWidth = spec.periods.map(DisplayWidth.of).max() ?? 1
        var panel = PlotPanel(values: values, count: spec.periods.count, totalWidth: spec.width, height: height(forWidth: spec.width),
                              rightMargin: 0, periodWidth: periodWidth, ascii: kit.ascii)
        // The highlighted series last, so it is drawn on top.
        let order = spec.grid.indices.filter { !spec.highlight.contains($0) } + spec.grid.indices.filter { spec.highlight.contains($0) }
        for s in order {
            let row = spec.grid[s]
            for p in row.indices.dropLast() {
                if let a = row[p], let b = row[p + 1] { panel.connect((p, a), (p + 1, b), glyph: dot) }
            }
        }
        var hidden = 0
        var drawn: [[Int?]] = Array(repeating: Array(repeating: nil, count: panel.plotWidth), count: panel.height)
        for s in order {
            for (p, v) in spec.grid[s].enumerated() {
                guard let v else { continue }
                let r = panel.row(v), c = panel.col(p)
                if let other = drawn[r][c], other != s { hidden += 1 }
                drawn[r][c] = s
                panel.put(markers[s % markers.count], row: r, col: c)
            }
        }
        var out = kit.title + "\n\n" + panel.lines(periods: spec.periods).joined(separator: "\n") + "\n\n"
        var legend: [String] = []
        for (s, name) in spec.labels.enumerated() {
            let none = spec.grid[s].allSatisfy { $0 == nil } ? " (no values)" : ""
            legend.append("\(markers[s % markers.count]) \(name)" + (spec.highlight.contains(s) ? (kit.ascii ? " <" : " ◀") : "") + none)
        }
        var missing: [String] = []
        for (s, row) in spec.grid.enumerated() {
            for (p, v) in row.enumerated() where v == nil { missing.append("\(spec.labels[s]) \(spec.periods[p])") }
        }
        var notes: [String] = []
        if !missing.isEmpty {
            let shown = missing.prefix(6).joined(separator: "; ") + (missing.count > 6 ? "; and \(missing.count - 6) more" : "")
            notes.append("\(missing.count) missing, left as gaps: \(shown)")
        }
        if hidden > 0 { notes.append("\(hidden) point\(hidden == 1 ? "" : "s") hidden under another series' marker (the same cell)") }
        // The legend on one line when it fits.
        let one = legend.joined(separator: "   ")
        out += DisplayWidth.of(one) <= spec.width ? one + "\n" : legend.map { TextWrap.wrap($0, width: spec.width, rest: "  ") }.joined(separator: "\n") + "\n"
        for n in notes { out += TextWrap.wrap(n, width: spec.width, rest: "  ") + "\n" }
        if let src = spec.source { out += TextWrap.wrap("Source: " + src, width: spec.width, rest: "  ") + "\n" }
        return out
    }
}

/// One sparkline per series across the periods, with the first and last values: a trend at a glance.
package enum SparkRenderer {
    package static func render(_ spec: ChartSpec) -> String {
        let kit = ChartKit(spec: spec)
        let levels: [Character] = kit.ascii ? ["_", ".", "-", "~", "=", "*", "^", "#"] : ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let all = spec.grid.flatMap { $0.compactMap { $0 } }
        var lo = all.min() ?? 0, hi = all.max() ?? 1
        if hi == lo { hi = lo + 1 }
        let (labels, lw) = kit.labels(maxWidth: spec.width / 3)
        let scale = spec.gridScales.flatMap { $0 }.max() ?? spec.series.first?.scales.max() ?? 1
        let step = max(1, min(4, (spec.width - lw - 30) / max(1, spec.periods.count)))
        var out = kit.title + "\n\n"
        for (i, row) in spec.grid.enumerated() {
            var line = ""
            for v in row {
                let ch: Character = v.map { levels[Int(cell: (($0 - lo) / (hi - lo)) * Double(levels.count - 1) + 0.5, in: 0...(levels.count - 1))] } ?? " "
                line += String(repeating: String(ch), count: step)
            }
            let present = row.enumerated().filter { $0.element != nil }
            var ends = ""
            if let f = present.first, let l = present.last {
                let fs = spec.gridScales.isEmpty ? scale : spec.gridScales[i][f.offset]
                let ls = spec.gridScales.isEmpty ? scale : spec.gridScales[i][l.offset]
                ends = "\(kit.text(f.element, fs)) (\(spec.periods[f.offset])) → \(kit.text(l.element, ls)) (\(spec.periods[l.offset]))"
            }
            let gaps = row.filter { $0 == nil }.count
            out += ChartKit.trimmed(labels[i] + "  " + line + "  " + ends + (gaps > 0 ? "; \(gaps) missing" : "")) + "\n"
        }
        out += "\n"
        let legend = ["periods: " + spec.periods.joined(separator: ", "), "low \(levels.first!) to high \(levels.last!) on one scale"]
        return out + kit.footer(legend, lo: lo, hi: hi, scale: scale)
    }
}
