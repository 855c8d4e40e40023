/// Number formatting with a fixed number of decimals, independent of locale.
public enum NumberFormat {
    /// A whole number with commas between thousands: `16,384`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// `value` with exactly `scale` digits after the point, rounded half away from zero.
    public static func fixed(_ value: Double, scale: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        let scale = max(0, min(scale, 12))
        var p = 1.0
        for _ in 0..<scale { p *= 10 }
        let scaled = (abs(value) * p).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return String(value) }
        let n = UInt64(scaled)
        let negative = value < 0 && n != 0
        var digits = String(n)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return negative ? "-" + digits : digits
    }

    /// The shortest text for a number: `12`, `84.1`, `0.05` (no trailing zeros, no float noise).
    public static func shortest(_ v: Double) -> String {
        guard v.isFinite else { return fixed(v, scale: 0) }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        for s in 1...12 {
            let t = fixed(v, scale: s)
            if Double(t) == v { return t }
        }
        return String(v)
    }

    /// `v` rounded to `places` decimals as the number is written, half away from zero: 1.005 →
    /// 1.01, 0.285 → 0.29, 2.675 → 2.68 (the doubles nearest those decimals lie a hair below
    /// them, so rounding the double itself would give 1.00, 0.28).
    public static func roundHalfAway(_ v: Double, places: Int) -> Double {
        let places = max(0, min(places, 12))
        var p = 1.0
        for _ in 0..<places { p *= 10 }
        guard v.isFinite, abs(v * p) < 1e15 else { return v }
        let written = shortest(v)
        guard !written.contains("e"), let dot = written.firstIndex(of: ".") else { return v }
        let fraction = written[written.index(after: dot)...]
        guard fraction.count > places else { return v }
        let negative = written.hasPrefix("-")
        let whole = written[..<dot].drop { $0 == "-" }
        let kept = String(whole) + String(fraction.prefix(places))
        guard var n = Int64(kept) else { return (v * p).rounded(.toNearestOrAwayFromZero) / p }
        if let next = fraction.dropFirst(places).first, next >= "5" { n += 1 }
        let r = Double(n) / p
        return negative ? -r : r
    }

    /// The difference `a - b` computed on the decimal digits both were given with, so that
    /// 9.1 - 12.1 is exactly -3.0 rather than -3.0000000000000004.
    public static func exactDifference(_ a: Double, _ b: Double, scale: Int) -> Double {
        var p = 1.0
        for _ in 0..<max(0, min(scale, 12)) { p *= 10 }
        let x = (a * p).rounded(.toNearestOrAwayFromZero)
        let y = (b * p).rounded(.toNearestOrAwayFromZero)
        // Past 2^53 units (or infinity) the digits are not whole numbers any more.
        guard abs(x) < 9.0e15, abs(y) < 9.0e15 else { return a - b }
        return (x - y) / p
    }
}
