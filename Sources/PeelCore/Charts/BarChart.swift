/// Everything needed to draw a horizontal bar chart; rendering is a pure function of it.
public struct BarChartSpec: Sendable {
    public var title: String
    public var labels: [String]
    public var values: [Double?]
    /// Display precision for each value.
    public var scales: [Int]
    /// An optional marker per row (e.g. the England and Wales value), drawn as a vertical rule.
    public var marks: [Double?]?
    public var markScales: [Int]?
    public var valueName: String
    public var markName: String?
    public var unit: String?
    public var source: String?
    public var width: Int = 80
    public var ascii = false
}

/// Draws bars measured from zero (so negative values extend left), with eighth-block resolution.
public enum BarChart {
    public static func render(_ spec: BarChartSpec) -> String {
        let n = spec.labels.count
        // Short units go on each value; longer ones are named once, in the title.
        let unitSuffix = spec.unit.map { $0 == "%" ? "%" : ($0 == "pp" ? " pp" : "") } ?? ""
        func fmt(_ v: Double?, _ s: Int) -> String { v.map { NumberFormat.fixed($0, scale: s) + unitSuffix } ?? "n/a" }
        let valueTexts = (0..<n).map { fmt(spec.values[$0], spec.scales[$0]) }
        let markTexts: [String]? = spec.marks.map { marks in
            (0..<n).map { fmt(marks[$0], spec.markScales?[$0] ?? spec.scales[$0]) }
        }
        let valueWidth = valueTexts.map(DisplayWidth.of).max() ?? 0
        let rightTexts = (0..<n).map { i -> String in
            let v = DisplayWidth.padLeft(valueTexts[i], valueWidth)
            guard let m = markTexts else { return v }
            return v + " vs " + m[i]
        }
        let rightWidth = rightTexts.map(DisplayWidth.of).max() ?? 0
        let maxLabel = spec.labels.map(DisplayWidth.of).max() ?? 0
        let labelWidth = min(maxLabel, max(8, spec.width / 3))
        let barWidth = max(10, spec.width - labelWidth - rightWidth - 4)

        // The scale always includes zero, the bars and the markers.
        let all = spec.values.compactMap { $0 } + (spec.marks?.compactMap { $0 } ?? [])
        let lo = min(0, all.min() ?? 0)
        var hi = max(0, all.max() ?? 0)
        if hi == lo { hi = lo + 1 }
        let perCell = Double(barWidth) / (hi - lo)
        let zero = (0 - lo) * perCell

        let full: Character = spec.ascii ? "#" : "█"
        let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        let rule: Character = spec.ascii ? "|" : "│"

        var out = spec.title + "\n\n"
        for i in 0..<n {
            var cells = Array(repeating: Character(" "), count: barWidth)
            if let v = spec.values[i] {
                let end = (v - lo) * perCell
                if v >= 0 && !spec.ascii {
                    let startCell = Int(zero.rounded())
                    let eighthsLong = Int(((end - Double(startCell)) * 8).rounded())
                    let fullCells = eighthsLong / 8
                    for c in startCell..<min(barWidth, startCell + fullCells) { cells[c] = full }
                    if eighthsLong % 8 > 0, startCell + fullCells < barWidth { cells[startCell + fullCells] = eighths[eighthsLong % 8 - 1] }
                } else {
                    let a = Int(min(zero, end).rounded()), b = Int(max(zero, end).rounded())
                    for c in max(0, a)..<min(barWidth, b) { cells[c] = full }
                }
            } else {
                let start = Int(zero.rounded())
                for (k, ch) in "n/a".enumerated() where start + k < barWidth { cells[start + k] = ch }
            }
            if let m = spec.marks?[i] {
                let c = min(barWidth - 1, max(0, Int(((m - lo) * perCell).rounded(.down))))
                cells[c] = rule
            }
            let label = DisplayWidth.padRight(DisplayWidth.truncate(spec.labels[i], to: labelWidth), labelWidth)
            var line = label + "  " + String(cells) + "  " + rightTexts[i]
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        out += "\n"
        var legend = "bars: \(spec.valueName)"
        if let m = spec.markName { legend += "   \(rule) \(m)" }
        let shown = (0..<n).filter { spec.values[$0] != nil }.map { spec.scales[$0] }
            + (0..<n).filter { spec.marks?[$0] != nil }.map { spec.markScales?[$0] ?? 0 }
        let scaleDigits = shown.max() ?? 0
        legend += "   scale: \(NumberFormat.fixed(lo, scale: scaleDigits)) to \(NumberFormat.fixed(hi, scale: scaleDigits))\(unitSuffix)"
        out += legend + "\n"
        if let s = spec.source { out += TextWrap.wrap("Source: " + s, width: spec.width, rest: "  ") + "\n" }
        return out
    }
}
