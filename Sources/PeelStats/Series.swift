/// Arithmetic on a series of values in time order (one group's points), for `trend` and
/// `rolling`. A missing point is nil: it is skipped, never read as zero.
public enum Series {
    /// The name of the last − first column `trend` adds (as `change` names its own), kept here so the
    /// commands layer spells no other command's name (CommandSpecTests).
    public static let changeColumn = "change"

    /// The first and last present points (index, value), or nil when none is present.
    public static func ends(_ values: [Double?]) -> (first: (Int, Double), last: (Int, Double))? {
        guard let a = values.firstIndex(where: { $0 != nil }), let b = values.lastIndex(where: { $0 != nil }),
              let va = values[a], let vb = values[b] else { return nil }
        return ((a, va), (b, vb))
    }

    /// The steps between consecutive present points: `(to, change)` where `to` is the later
    /// point's index and change = value[to] − value[previous present point]. Missing points are
    /// stepped over (the step runs from the last present point before them).
    public static func steps(_ values: [Double?]) -> [(to: Int, change: Double)] {
        var out: [(Int, Double)] = []
        var previous: Double?
        for (i, v) in values.enumerated() {
            guard let v, v.isFinite else { continue }
            if let previous { out.append((i, v - previous)) }
            previous = v
        }
        return out
    }

    /// The largest increase among the steps (`to`, change > 0), earliest on a tie; nil when no
    /// step rises.
    public static func largestRise(_ values: [Double?]) -> (to: Int, change: Double)? {
        var best: (to: Int, change: Double)?
        for s in steps(values) where s.change > 0 && s.change.isFinite {
            if best == nil || s.change > best!.change { best = s }
        }
        return best
    }

    /// The largest decrease (the most negative step, as a negative change), earliest on a tie;
    /// nil when no step falls.
    public static func largestFall(_ values: [Double?]) -> (to: Int, change: Double)? {
        var best: (to: Int, change: Double)?
        for s in steps(values) where s.change < 0 && s.change.isFinite {
            if best == nil || s.change < best!.change { best = s }
        }
        return best
    }

    /// The percentage change from `first` to `last`: (last − first) ÷ |first| × 100; nil when
    /// first is 0 or either is not finite.
    public static func percentChange(from first: Double, to last: Double) -> Double? {
        guard first != 0, first.isFinite, last.isFinite else { return nil }
        let p = (last - first) / abs(first) * 100
        return p.isFinite ? p : nil
    }

    /// For each point, the sum (or `mean`) of the window of `n` points ending there; nil when the
    /// window starts before the series, holds a missing value, or (with `consecutive`, one flag
    /// per point saying it follows the point before without a gap) spans a gap. A sum that
    /// overflows to infinity is nil.
    public static func rolling(_ values: [Double?], window n: Int, mean: Bool, consecutive: [Bool]? = nil) -> [Double?] {
        guard n >= 1 else { return values.map { _ in nil } }
        var out: [Double?] = []
        out.reserveCapacity(values.count)
        for i in values.indices {
            guard i - n + 1 >= 0 else { out.append(nil); continue }
            var total = 0.0, ok = true
            for j in (i - n + 1)...i {
                guard let v = values[j], v.isFinite else { ok = false; break }
                if j > i - n + 1, let c = consecutive, j < c.count, !c[j] { ok = false; break }
                total += v
            }
            guard ok else { out.append(nil); continue }
            let r = mean ? total / Double(n) : total
            out.append(r.isFinite ? r : nil)
        }
        return out
    }

    /// A sparkline of the values on their own scale (lowest present value = the lowest glyph,
    /// highest = the highest); a missing point is a space; all equal values draw the middle glyph.
    public static func sparkline(_ values: [Double?], ascii: Bool) -> String {
        let glyphs: [Character] = ascii ? Array("_.-~=*^#") : Array("▁▂▃▄▅▆▇█")
        let present = values.compactMap { $0 }.filter(\.isFinite)
        guard let lo = present.min(), let hi = present.max() else { return String(repeating: " ", count: values.count) }
        let span = hi - lo
        var s = ""
        for v in values {
            guard let v, v.isFinite else { s.append(" "); continue }
            if !(span > 0) || !span.isFinite { s.append(glyphs[glyphs.count / 2 - 1]); continue }
            let f = (v - lo) / span
            let k = Int((f * Double(glyphs.count - 1)).rounded())
            s.append(glyphs[min(max(k, 0), glyphs.count - 1)])
        }
        return s
    }
}
