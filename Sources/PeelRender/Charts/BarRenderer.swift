import PeelSupport

/// One bar per row, measured from zero (negative values extend left), optional rule per row or for all.
package enum BarRenderer {
    package static func render(_ spec: ChartSpec) -> String {
        let kit = ChartKit(spec: spec)
        let s = spec.series[0]
        let n = spec.labels.count
        let valueTexts = (0..<n).map { kit.text(s.values[$0], s.scales[$0]) }
        let markTexts: [String]? = spec.marks.map { m in (0..<n).map { kit.text(m[$0], spec.markScales?[$0] ?? s.scales[$0]) } }
        let vw = valueTexts.map(DisplayWidth.of).max() ?? 0
        let perRow = spec.markIsConstant ? nil : markTexts
        let rights = (0..<n).map { i in DisplayWidth.padLeft(valueTexts[i], vw) + (perRow.map { " vs " + $0[i] } ?? "") }
        let rw = rights.map(DisplayWidth.of).max() ?? 0
        let (labels, lw) = kit.labels(maxWidth: spec.width / 3)
        let barWidth = max(8, spec.width - lw - rw - 4)

        let all = s.values.compactMap { $0 } + (spec.marks?.compactMap { $0 } ?? [])
        let (lo, hi) = ChartKit.zeroBasedScale(all)
        let per = Double(barWidth) / (hi - lo)
        let zero = (0 - lo) * per

        var out = kit.title + "\n\n"
        for i in 0..<n {
            var cells = [Character](repeating: " ", count: barWidth)
            if let m = spec.marks?[i] {
                cells[Int(cell: ((m - lo) * per).rounded(.down), in: 0...(barWidth - 1))] = kit.rule
            }
            if let v = s.values[i] {
                if v != 0 { kit.fill(&cells, from: zero, to: (v - lo) * per) }
                if let m = spec.marks?[i] { cells[Int(cell: ((m - lo) * per).rounded(.down), in: 0...(barWidth - 1))] = kit.rule }
            } else {
                // Missing: the words n/a, clear of the rule, never an empty bar.
                let z = Int(cell: zero.rounded(), in: 0...max(0, barWidth - 3))
                let m = spec.marks?[i].map { Int(cell: (($0 - lo) * per).rounded(.down), in: 0...(barWidth - 1)) }
                let start = m.map { $0 >= z && $0 < z + 3 ? min($0 + 1, barWidth - 3) : z } ?? z
                for (k, ch) in "n/a".enumerated() where start + k < barWidth { cells[start + k] = ch }
            }
            out += ChartKit.trimmed(labels[i] + "  " + String(cells) + "  " + rights[i]) + "\n"
        }
        out += "\n"
        var legend = ["bars: \(s.name)"]
        if let m = spec.markName { legend.append("\(kit.rule) \(m)") }
        let shown = kit.shownScale
        let markScale = spec.markScales?.max() ?? 0
        return out + kit.footer(legend, lo: lo, hi: hi, scale: max(shown, spec.marks == nil ? 0 : markScale))
    }
}

/// Two or more bars per category, one per series, each on its own line and named, so the pairing
/// never depends on colour.
package enum GroupedRenderer {
    package static func render(_ spec: ChartSpec) -> String {
        let kit = ChartKit(spec: spec)
        let glyphs: [Character] = spec.ascii ? ["#", "=", "+", "*"] : ["█", "▒", "░", "▓"]
        let n = spec.labels.count
        let (labels, lw) = kit.labels(maxWidth: spec.width / 3)
        let names = spec.series.map(\.name)
        let nw = min(names.map(DisplayWidth.of).max() ?? 0, max(6, spec.width / 4))
        let texts = spec.series.map { s in (0..<n).map { kit.text(s.values[$0], s.scales[$0]) } }
        let vw = texts.flatMap { $0 }.map(DisplayWidth.of).max() ?? 0
        let barWidth = max(8, spec.width - lw - nw - vw - 6)
        let all = spec.series.flatMap { $0.values.compactMap { $0 } }
        let (lo, hi) = ChartKit.zeroBasedScale(all)
        let per = Double(barWidth) / (hi - lo)
        let zero = (0 - lo) * per
        var out = kit.title + "\n\n"
        for i in 0..<n {
            for (k, s) in spec.series.enumerated() {
                var cells = [Character](repeating: " ", count: barWidth)
                if let v = s.values[i] {
                    if k == 0 { kit.fill(&cells, from: zero, to: (v - lo) * per) } else { kit.fill(&cells, from: zero, to: (v - lo) * per, glyph: glyphs[k % glyphs.count]) }
                } else {
                    let z = Int(cell: zero.rounded(), in: 0...barWidth)
                    for (j, ch) in "n/a".enumerated() where z + j < barWidth { cells[z + j] = ch }
                }
                let label = k == 0 ? labels[i] : String(repeating: " ", count: lw)
                let name = DisplayWidth.padRight(DisplayWidth.truncate(names[k], to: nw), nw)
                out += ChartKit.trimmed(label + "  " + name + "  " + String(cells) + "  " + DisplayWidth.padLeft(texts[k][i], vw)) + "\n"
            }
        }
        out += "\n"
        let legend = spec.series.enumerated().map { k, s in "\(glyphs[k % glyphs.count]) \(s.name)" }
        return out + kit.footer(legend, lo: lo, hi: hi, scale: kit.shownScale)
    }
}

/// Differences from a reference, centred on zero: negative bars left of the axis, positive right,
/// lengths to one scale, so -0.2 is drawn shorter than -1.5.
package enum DivergingRenderer {
    package static func render(_ spec: ChartSpec) -> String {
        let kit = ChartKit(spec: spec)
        let s = spec.series[0]
        let n = spec.labels.count
        let texts = (0..<n).map { i -> String in
            guard let v = s.values[i] else { return "n/a" }
            return (v > 0 ? "+" : "") + kit.text(v, s.scales[i])
        }
        let vw = texts.map(DisplayWidth.of).max() ?? 0
        let (labels, lw) = kit.labels(maxWidth: spec.width / 3)
        var barWidth = max(9, spec.width - lw - vw - 4)
        if barWidth % 2 == 0 { barWidth -= 1 }
        let half = barWidth / 2
        let m = s.values.compactMap { $0 }.map { abs($0) }.max() ?? 1
        let extent = m == 0 ? 1 : m
        let per = Double(half) / extent
        var out = kit.title + "\n\n"
        for i in 0..<n {
            var cells = [Character](repeating: " ", count: barWidth)
            cells[half] = kit.rule
            if let v = s.values[i] {
                if v < 0 {
                    var left = [Character](repeating: " ", count: half)
                    kit.fill(&left, from: Double(half), to: Double(half) + v * per)
                    for c in 0..<half { cells[c] = left[c] }
                } else if v > 0 {
                    var right = [Character](repeating: " ", count: half)
                    kit.fill(&right, from: 0, to: v * per)
                    for c in 0..<half { cells[half + 1 + c] = right[c] }
                }
            } else {
                for (k, ch) in "n/a".enumerated() where half + 2 + k < barWidth { cells[half + 2 + k] = ch }
            }
            out += ChartKit.trimmed(labels[i] + "  " + String(cells) + "  " + DisplayWidth.padLeft(texts[i], vw)) + "\n"
        }
        out += "\n"
        return out + kit.footer(["bars: \(s.name)", "\(kit.rule) zero" + (spec.markName.map { " (\($0))" } ?? "")], lo: -extent, hi: extent, scale: kit.shownScale)
    }
}
