import Foundation
import PeelSupport
import PeelStats

/// Where a unit's value lies against the funnel's control limits at its denominator.
package enum FunnelBand: Sendable, Equatable {
    case within, above95, above998, below95, below998

    package var words: String {
        switch self {
        case .within: return "within the limits"
        case .above95: return "above the 95% limit"
        case .above998: return "above the 99.8% limit"
        case .below95: return "below the 95% limit"
        case .below998: return "below the 99.8% limit"
        }
    }

    /// A value exactly on a limit is within it; beyond the 99.8% limit is also beyond the 95% one.
    package static func of(_ value: Double, l95: (lower: Double, upper: Double), l998: (lower: Double, upper: Double)) -> FunnelBand {
        if value > l998.upper { return .above998 }
        if value < l998.lower { return .below998 }
        if value > l95.upper { return .above95 }
        if value < l95.lower { return .below95 }
        return .within
    }
}

/// A funnel plot drawn as text: each unit's value (y) against its denominator (x), the target as a
/// horizontal rule, and the 95% and 99.8% control limits as curves in distinct glyphs. Units
/// outside the 99.8% limits are named beside their point when there is room, else by a number key,
/// and every unit outside a limit is listed under the chart. A pure function of the spec.
package enum FunnelRenderer {
    /// Narrower than this a funnel cannot show its axes and limits readably.
    package static let minimumWidth = 40

    /// The words for where `count` of `denominator` lies against the limits around `target` (raw
    /// scale: a proportion 0…1 or events per one unit), for `compare each` and `rank`: "within the
    /// limits", "above the 95% limit", "above the 99.8% limit", "below …"; nil when the counts
    /// cannot be placed (a denominator of 0, a negative count, a proportion over 1).
    package static func limitsWords(count: Double, denominator: Double, target: Double, scale: FunnelScale,
                                    overdispersion: Overdispersion) -> String? {
        guard count.isFinite, count >= 0, denominator.isFinite, denominator > 0 else { return nil }
        if scale == .proportion && count > denominator { return nil }
        let v = count / denominator
        guard v.isFinite,
              let l95 = FunnelLimits.limits(target: target, denominator: denominator, scale: scale, level: 0.95, overdispersion: overdispersion),
              let l998 = FunnelLimits.limits(target: target, denominator: denominator, scale: scale, level: 0.998, overdispersion: overdispersion)
        else { return nil }
        return FunnelBand.of(v, l95: l95, l998: l998).words
    }

    private struct Glyphs {
        let point, highlight, rule, limit95, limit998, axis, tick, corner, across, xTick: Character
        init(ascii: Bool) {
            point = ascii ? "o" : "●"
            highlight = ascii ? "*" : "◆"
            rule = ascii ? "-" : "─"
            limit95 = ascii ? "." : "·"
            limit998 = ":"
            axis = ascii ? "|" : "│"
            tick = ascii ? "+" : "┤"
            corner = ascii ? "+" : "└"
            across = ascii ? "-" : "─"
            xTick = ascii ? "+" : "┬"
        }
    }

    /// What occupies a cell of the plot; labels and points are never drawn over.
    private enum Cell: UInt8, Comparable {
        case empty, rule, curve, point, label
        static func < (a: Cell, b: Cell) -> Bool { a.rawValue < b.rawValue }
    }

    package static func render(_ spec: ChartSpec) -> String {
        let width = spec.width
        guard width >= minimumWidth else {
            return "(a funnel plot needs at least \(minimumWidth) columns, not \(width): use width \(minimumWidth) or more)\n"
        }
        guard let f = spec.funnel else { return "(no funnel to draw)\n" }
        let g = Glyphs(ascii: spec.ascii)
        let per = f.per.isFinite && f.per > 0 ? f.per : 1
        let isProportion = f.scale == .proportion
        let unitSuffix = isProportion ? "%" : ""

        /// Lines of prose wrapped to the width; a word longer than the width is broken.
        func prose(_ text: String, rest: String = "  ") -> [String] {
            TextWrap.wrap(text, width: width, rest: rest).split(separator: "\n", omittingEmptySubsequences: false)
                .flatMap { hardBreak(String($0), width: width, rest: rest) }
        }
        /// A list after `lead`, wrapped between its items when they fit on a line.
        func list(_ lead: String, _ items: [String]) -> [String] {
            var lines: [String] = [], line = lead
            for (k, item) in items.enumerated() {
                let piece = item + (k == items.count - 1 ? "" : ",")
                if DisplayWidth.of(line) + 1 + DisplayWidth.of(piece) <= width || line == lead && DisplayWidth.of(lead) + 1 + DisplayWidth.of(piece) <= width {
                    line += " " + piece
                } else {
                    lines.append(line)
                    line = "  " + piece
                }
            }
            lines.append(line)
            return lines.flatMap { l -> [String] in
                guard DisplayWidth.of(l) > width else { return [l] }
                return TextWrap.wrap(l, width: width, first: l.hasPrefix("  ") ? "  " : "", rest: "  ")
                    .split(separator: "\n").flatMap { hardBreak(String($0), width: width, rest: "  ") }
            }
        }
        var out = prose(spec.title + (isProportion ? " (%)" : "")).joined(separator: "\n") + "\n\n"

        // The units that can be drawn: a count of 0 or more of a denominator above 0, finite.
        let n = min(spec.labels.count, f.points.count)
        var valid: [Int] = [], shown = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let p = f.points[i]
            guard p.count.isFinite, p.count >= 0, p.denominator.isFinite, p.denominator > 0 else { continue }
            let v = p.count / p.denominator * per
            guard v.isFinite else { continue }
            shown[i] = v
            valid.append(i)
        }
        let notDrawn = n - valid.count
        let target = f.target * per
        var footer: [String] = []
        var footerLists: [(Int, String, [String])] = []
        func finish() -> String {
            var text = out
            for (k, line) in footer.enumerated() {
                for (at, lead, items) in footerLists where at == k { text += list(lead, items).joined(separator: "\n") + "\n" }
                text += prose(line).joined(separator: "\n") + "\n"
            }
            if let s = spec.source { text += prose("Source: " + s).joined(separator: "\n") + "\n" }
            return text
        }
        guard !valid.isEmpty else {
            out += "(no \(f.unitName)s to draw: none has a count and a denominator above 0)\n\n"
            footer = f.notes + [f.method]
            return finish()
        }

        // Each unit's band, from the limits at its own denominator.
        var band = [FunnelBand?](repeating: nil, count: n)
        var outsideBy = [Double](repeating: 0, count: n)
        for i in valid {
            let d = f.points[i].denominator
            guard let l95 = f.limits(d, 0.95), let l998 = f.limits(d, 0.998) else { continue }
            let v = shown[i] / per
            band[i] = FunnelBand.of(v, l95: l95, l998: l998)
            let reach = v >= f.target ? l998.upper - f.target : f.target - l998.lower
            outsideBy[i] = reach > 0 ? abs(v - f.target) / reach : .infinity
        }

        // The height and the y scale: the values and target, and the mouth of the funnel (the
        // 99.8% limits at the smallest denominator) but never more than the values' own spread
        // beyond them, so the points keep at least a third of the height.
        let height = min(24, max(12, width / 5 + 2))
        let denominators = valid.map { f.points[$0].denominator }
        let dMin = denominators.min() ?? 1, dMax = denominators.max() ?? 1
        var values = valid.map { shown[$0] }
        if target.isFinite { values.append(target) }
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        let spread = hi - lo
        let allowance = spread > 0 && spread.isFinite ? spread : max(abs(hi) * 0.1, 1e-9)
        if let mouth = f.limits(dMin, 0.998) {
            let l = mouth.lower * per, u = mouth.upper * per
            if l.isFinite { lo = min(lo, max(l, lo - allowance)) }
            if u.isFinite { hi = max(hi, min(u, hi + allowance)) }
        }
        let yStep = niceStep((hi - lo) / Double(max(2, height / 3)))
        lo = max(0, (lo / yStep).rounded(.down) * yStep)
        hi = (hi / yStep).rounded(.up) * yStep
        if isProportion { hi = min(hi, per) }
        if !hi.isFinite { hi = Double.greatestFiniteMagnitude }
        if !(hi > lo) { hi = lo + yStep }
        if !(hi > lo) || !(hi - lo).isFinite { lo = 0; hi = max(1, values.max() ?? 1) }
        let ySpan = hi - lo
        let yDecimals = decimals(of: yStep)
        func rowPosition(_ y: Double) -> Double { (hi - y) / ySpan * Double(height - 1) }
        func row(_ y: Double) -> Int { Int(cell: rowPosition(y).rounded(), in: 0...(height - 1)) }

        // The y ticks, from the bottom; two never share a row.
        var ticks: [(row: Int, text: String)] = []
        let tickCount = Int(cell: (ySpan / yStep).rounded(), in: 0...100)
        for k in 0...tickCount {
            let v = lo + Double(k) * yStep
            guard v <= hi * (1 + 1e-12) else { break }
            let r = row(min(v, hi))
            if ticks.contains(where: { $0.row == r }) { continue }
            ticks.append((r, valueText(v, decimals: yDecimals) + unitSuffix))
        }
        let yw = min(width / 3, ticks.map { DisplayWidth.of($0.text) }.max() ?? 1)
        let pw = width - yw - 2

        // The x scale: linear from 0, or logarithmic when the denominators span more than
        // tenfold (forces' populations do; on a linear scale most would crowd at the left),
        // from and to 1, 2 or 5 times a power of ten.
        let logScale = dMin > 0 && dMax / dMin > 10
        var x1 = 1.0, lx0 = 0.0, lx1 = 1.0, xStep = 1.0
        if logScale {
            lx0 = log10(roundLog(dMin, up: false))
            lx1 = log10(roundLog(dMax, up: true))
            if !(lx1 > lx0) { lx1 = lx0 + 1 }
        } else {
            xStep = niceStep(dMax / Double(max(2, pw / 14)))
            x1 = (dMax / xStep).rounded(.up) * xStep
            if !x1.isFinite || x1 < dMax { x1 = dMax }
            if !(x1 > 0) { x1 = 1 }
        }
        func xFraction(_ d: Double) -> Double { logScale ? (log10(d) - lx0) / (lx1 - lx0) : d / x1 }
        func column(_ d: Double) -> Int { Int(cell: (xFraction(d) * Double(pw - 1)).rounded(), in: 0...(pw - 1)) }
        func denominator(at c: Int) -> Double {
            let t = Double(c) / Double(pw - 1)
            return logScale ? pow(10, lx0 + t * (lx1 - lx0)) : x1 * t
        }

        // The plot: the rule, the limits, the points, then the labels.
        var grid = [[Character]](repeating: [Character](repeating: " ", count: pw), count: height)
        var kind = [[Cell]](repeating: [Cell](repeating: .empty, count: pw), count: height)
        for (level, glyph) in [(0.95, g.limit95), (0.998, g.limit998)] {
            for upper in [false, true] {
                var previous: Int?
                for c in 0..<pw {
                    let d = denominator(at: c)
                    guard d > 0, d.isFinite, let lim = f.limits(d, level) else { previous = nil; continue }
                    let y = (upper ? lim.upper : lim.lower) * per
                    guard y.isFinite else { previous = nil; continue }
                    // Off the frame is held just outside it, so a curve leaving the frame is drawn
                    // to its edge.
                    let r = Int(cell: rowPosition(y).rounded(), in: -1...height)
                    let from = previous.map { p in p == r ? r : (p < r ? p + 1 : p - 1) } ?? r
                    for rr in min(from, r)...max(from, r) where rr >= 0 && rr < height {
                        grid[rr][c] = glyph
                        kind[rr][c] = .curve
                    }
                    previous = r
                }
            }
        }
        // The rule over the limits: where they round to its row they are within half a row of it.
        var hidden = false
        if target.isFinite, target >= lo, target <= hi {
            let r = row(target)
            for c in 0..<pw {
                if kind[r][c] == .curve { hidden = true }
                grid[r][c] = g.rule
                kind[r][c] = .rule
            }
        }
        var place = [Int: (row: Int, col: Int)]()
        for i in valid {
            let r = row(shown[i]), c = column(f.points[i].denominator)
            place[i] = (r, c)
            let high = spec.highlight.contains(i)
            if grid[r][c] == g.highlight && kind[r][c] == .point { continue }
            grid[r][c] = high ? g.highlight : g.point
            kind[r][c] = .point
        }
        /// Writes `text` beside the point at (r, c), right if it fits, else left, a space away (a key
        /// touching it); false when neither fits.
        func label(_ text: String, _ r: Int, _ c: Int, gap: Int = 1) -> Bool {
            let chars = Array(text)
            guard !chars.isEmpty, chars.allSatisfy({ DisplayWidth.of($0) == 1 }) else { return false }
            func free(_ a: Int, _ b: Int) -> Bool { a >= 0 && b <= pw && (a..<b).allSatisfy { kind[r][$0] < .point } }
            func clear(_ c: Int) -> Bool { c < 0 || c >= pw || kind[r][c] < .point }
            var start: Int?
            // The cells between the point and the text, and the one beyond the text, hold no
            // point or label, so a text belongs to one point only.
            let right = c + 1 + gap, leftEnd = c - gap
            if free(right, right + chars.count), gap == 0 || clear(c + 1), clear(right + chars.count) { start = right }
            else if free(leftEnd - chars.count, leftEnd), gap == 0 || clear(c - 1), clear(leftEnd - chars.count - 1) { start = leftEnd - chars.count }
            guard let s = start else { return false }
            for (k, ch) in chars.enumerated() { grid[r][s + k] = ch; kind[r][s + k] = .label }
            return true
        }
        let outliers = valid.filter { band[$0] == .above998 || band[$0] == .below998 }
        let toLabel = valid.filter { spec.highlight.contains($0) } + outliers.filter { !spec.highlight.contains($0) }.sorted { outsideBy[$0] > outsideBy[$1] }
        // Names first, the furthest outside first; then number keys, in the order of the lists
        // below the chart, for those without room for a name.
        var named = Set<Int>()
        for i in toLabel {
            guard let (r, c) = place[i] else { continue }
            if label(DisplayWidth.truncate(spec.labels[i], to: max(8, pw / 3)), r, c) { named.insert(i) }
        }
        let above = valid.filter { band[$0] == .above998 }.sorted { shown[$0] > shown[$1] }
        let below = valid.filter { band[$0] == .below998 }.sorted { shown[$0] < shown[$1] }
        let only95 = valid.filter { band[$0] == .above95 || band[$0] == .below95 }.sorted { shown[$0] > shown[$1] }
        var keyOf = [Int: Int]()
        var nextKey = 1
        // The highlighted force needs no number: the legend names its own glyph.
        for i in above + below where !named.contains(i) && keyOf[i] == nil {
            guard let (r, c) = place[i] else { continue }
            if label(String(nextKey), r, c, gap: 0) { keyOf[i] = nextKey; nextKey += 1 }
        }

        // The rows, the axis, its ticks and its name.
        if !isProportion, let u = spec.unit { out += DisplayWidth.truncate(u, to: width) + "\n" }
        for r in 0..<height {
            let tick = ticks.first { $0.row == r }
            let left = DisplayWidth.padLeft(DisplayWidth.truncate(tick?.text ?? "", to: yw), yw) + " " + String(tick == nil ? g.axis : g.tick)
            out += ChartKit.trimmed(left + String(grid[r])) + "\n"
        }
        var xTicks: [(col: Int, text: String)] = []
        if logScale {
            // 1, 2 and 5 times each power of ten when there are few decades, else the powers.
            let first = Int(cell: lx0.rounded(.down), in: -400...400), last = Int(cell: lx1.rounded(.up), in: -400...400)
            let decades = last - first
            let every = max(1, Int(cell: (Double(decades) / Double(max(1, pw / 8))).rounded(.up), in: 1...800))
            let multiples: [Double] = decades <= 3 ? [1, 2, 5] : [1]
            for e in stride(from: first, through: last, by: every) {
                for m in multiples {
                    let v = m * pow(10, Double(e))
                    let lv = log10(v)
                    guard lv >= lx0 - 1e-9, lv <= lx1 + 1e-9 else { continue }
                    xTicks.append((column(v), m == 1 ? powerText(Double(e)) : multipleText(m, e)))
                }
            }
        } else {
            let count = Int(cell: (x1 / xStep).rounded(), in: 0...200)
            let xDecimals = decimals(of: xStep)
            for k in 0...count {
                let v = min(x1, Double(k) * xStep)
                xTicks.append((column(v), valueText(v, decimals: xDecimals)))
            }
        }
        var axis = [Character](repeating: g.across, count: pw)
        for t in xTicks { axis[t.col] = g.xTick }
        out += String(repeating: " ", count: yw + 1) + String(g.corner) + String(axis) + "\n"
        var tickLine = [Character](repeating: " ", count: width)
        var taken = [Bool](repeating: false, count: width)
        func put(_ t: (col: Int, text: String)) {
            let chars = Array(t.text)
            guard chars.count <= width else { return }
            let start = max(0, min(width - chars.count, yw + 2 + t.col - chars.count / 2))
            let a = max(0, start - 1), b = min(width, start + chars.count + 1)
            guard !(a..<b).contains(where: { taken[$0] }) else { return }
            for (k, ch) in chars.enumerated() { tickLine[start + k] = ch; taken[start + k] = true }
        }
        if let first = xTicks.first { put(first) }
        if xTicks.count > 1, let last = xTicks.last { put(last) }
        for t in xTicks.dropFirst().dropLast() { put(t) }
        out += ChartKit.trimmed(String(tickLine)) + "\n"
        let axisName = DisplayWidth.truncate(f.denominatorName + (logScale ? " (log scale)" : ""), to: width)
        let nameStart = max(0, min(width - DisplayWidth.of(axisName), yw + 2 + (pw - DisplayWidth.of(axisName)) / 2))
        out += String(repeating: " ", count: nameStart) + axisName + "\n\n"

        // The legend, packed into as few lines as fit.
        // Values to about three figures: 17.9%, 81.5, 8,146.
        let typical = valid.map { shown[$0] }.sorted()[valid.count / 2]
        var vDecimals = 3
        var magnitude = 1.0
        while vDecimals > 0, typical >= magnitude { vDecimals -= 1; magnitude *= 10 }
        vDecimals = max(vDecimals, isProportion ? 1 : 0)
        func shownValue(_ v: Double) -> String { valueText(v, decimals: vDecimals) + unitSuffix }
        var legend = ["\(g.point) \(f.unitName)"]
        for i in valid where spec.highlight.contains(i) { legend.append("\(g.highlight) \(spec.labels[i])") }
        legend.append("\(g.rule) \(f.targetName) \(target.isFinite ? valueText(target, decimals: vDecimals + 1) + unitSuffix : "n/a")")
        legend.append("\(g.limit95) 95% limits")
        legend.append("\(g.limit998) 99.8% limits")
        var legendLines: [String] = []
        for part in legend {
            let piece = DisplayWidth.truncate(part, to: width)
            if let last = legendLines.last, DisplayWidth.of(last) + 3 + DisplayWidth.of(piece) <= width {
                legendLines[legendLines.count - 1] = last + "   " + piece
            } else {
                legendLines.append(piece)
            }
        }
        out += legendLines.joined(separator: "\n") + "\n"

        // Who is outside the limits, then the target, the method and the notes.
        func entry(_ i: Int) -> String {
            (keyOf[i].map { "[\($0)] " } ?? "") + spec.labels[i] + " " + shownValue(shown[i])
        }
        if !above.isEmpty { footerLists.append((0, "above the 99.8% limit:", above.map(entry))) }
        if !below.isEmpty { footerLists.append((0, "below the 99.8% limit:", below.map(entry))) }
        if !only95.isEmpty {
            footerLists.append((0, "outside the 95% limit only:", only95.map { entry($0) + (band[$0] == .above95 ? " (above)" : " (below)") }))
        }
        let within = valid.filter { band[$0] == .within }.count
        footer.append("within the 95% limits: \(within) of \(valid.count) \(f.unitName)s")
        let unplaced = valid.filter { band[$0] == nil }.count
        if unplaced > 0 { footer.append("\(unplaced) with no limits at their denominator") }
        if hidden { footer.append("where the limits are within half a row of the target, its rule hides them") }
        footer += f.notes
        footer.append(f.method)
        if notDrawn > 0 { footer.append("\(notDrawn) not drawn: no count, or no denominator above 0, or too large to draw") }
        return finish()
    }

    /// `line` cut into pieces no wider than `width`, the later ones after `rest`.
    static func hardBreak(_ line: String, width: Int, rest: String) -> [String] {
        guard DisplayWidth.of(line) > width else { return [line] }
        var pieces: [String] = [], piece = "", used = 0
        for ch in line {
            let w = DisplayWidth.of(ch)
            if used + w > width {
                pieces.append(piece)
                piece = rest
                used = DisplayWidth.of(rest)
            }
            piece.append(ch)
            used += w
        }
        pieces.append(piece)
        return pieces
    }

    /// A round step (1, 2, 2.5 or 5 times a power of ten) at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let base = pow(10, log10(raw).rounded(.down))
        guard base > 0, base.isFinite else { return raw }
        let m = raw / base
        let f: Double = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10
        let step = f * base
        return step.isFinite ? step : raw
    }

    /// The decimals a step needs to be written exactly (at most 6).
    static func decimals(of step: Double) -> Int {
        guard step.isFinite, step > 0 else { return 0 }
        var p = 1.0
        for k in 0...6 {
            let scaled = step * p
            if abs(scaled - scaled.rounded()) < 1e-9 * max(1, scaled) { return k }
            p *= 10
        }
        return 6
    }

    /// A value with thousands separators when whole and small enough to hold exactly.
    package static func valueText(_ v: Double, decimals: Int) -> String {
        // Too small or too large to write in decimals: three significant figures.
        var smallest = 0.5
        for _ in 0..<max(0, min(decimals, 12)) { smallest /= 10 }
        if v.isFinite, v != 0, abs(v) < smallest || abs(v) >= 1e15 { return String(format: "%.3g", v) }
        let text = NumberFormat.fixed(v, scale: decimals)
        guard v.isFinite, abs(v) < 9e15, abs(v) >= 1000 else { return text }
        let parts = text.split(separator: ".", maxSplits: 1)
        let negative = parts[0].hasPrefix("-")
        guard let whole = Int(parts[0].drop { $0 == "-" }) else { return text }
        return (negative ? "-" : "") + NumberFormat.grouped(whole) + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// The nearest of 1, 2 or 5 times a power of ten at or below (or above) `d` (> 0).
    static func roundLog(_ d: Double, up: Bool) -> Double {
        guard d > 0, d.isFinite else { return 1 }
        let base = pow(10, log10(d).rounded(.down))
        guard base > 0, base.isFinite else { return d }
        let steps: [Double] = [1, 2, 5, 10]
        if up { return (steps.first { $0 * base >= d * (1 - 1e-12) } ?? 10) * base }
        return (steps.last { $0 * base <= d * (1 + 1e-12) } ?? 1) * base
    }

    /// m × 10^e written out (m is 2 or 5): 2,000 or 0.05.
    static func multipleText(_ m: Double, _ e: Int) -> String {
        let v = m * pow(10, Double(e))
        if e >= 0 && e <= 12, let whole = Int(exactly: v.rounded()) { return NumberFormat.grouped(whole) }
        if e < 0 && e >= -6 { return NumberFormat.fixed(v, scale: -e) }
        return NumberFormat.shortest(m) + "e\(e)"
    }

    /// 10^e written out: 1,000 or 0.01, or 1e20 when long.
    static func powerText(_ e: Double) -> String {
        guard let k = Int(exactly: e) else { return "10^\(NumberFormat.shortest(e))" }
        if k >= 0 && k <= 12, let whole = Int(exactly: pow(10, Double(k)).rounded()) { return NumberFormat.grouped(whole) }
        if k < 0 && k >= -6 { return NumberFormat.fixed(pow(10, Double(k)), scale: -k) }
        return "1e\(k)"
    }
}
