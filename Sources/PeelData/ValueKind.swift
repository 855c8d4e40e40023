/// What one raw CSV value looks like, decided once per distinct value.
package enum ValueKind: Equatable {
    case missing
    case integer(Int64)
    case decimal(Double, scale: Int)
    case percent(Double, scale: Int)
    /// Days since 1970-01-01.
    case date(Int32)
    case text

    /// The most decimals a value keeps for display (as many as peel shows): a double holds about
    /// 17 significant digits, so a value written with 300 digits after the point is shown with 12.
    package static let maxScale = 12

    /// Classifies a value, ignoring the spaces, tabs and no-break spaces around it (a quoted
    /// `" 2863 "` is the number 2863). `markers` are trimmed, lower-cased missing markers, and
    /// hold "" for the empty field.
    package static func classify(_ raw: String, markers: Set<String>) -> ValueKind {
        let s = trimmed(raw)
        if markers.contains(s.lowercased()) { return .missing }
        var u = Array(s.utf8)
        if u.last == UInt8(ascii: "%") {
            u.removeLast()
            while u.last == UInt8(ascii: " ") { u.removeLast() }
            if let (v, scale, _) = number(u), v.isFinite { return .percent(v, scale: min(scale, maxScale)) }
            return .text
        }
        if let d = date(u) { return .date(d) }
        if let (v, scale, digits) = number(u) {
            if scale == 0 {
                // Too large for 64 bits: keep the digits as written rather than round them.
                guard let i = Int64(digits) else { return .text }
                return .integer(i)
            }
            // Too large for a number at all (a 400-digit value is infinite as a double): text, with a warning.
            guard v.isFinite else { return .text }
            return .decimal(v, scale: min(scale, maxScale))
        }
        return .text
    }

    /// `s` without the spaces, tabs and no-break spaces around it (itself when there are none).
    package static func trimmed(_ s: String) -> String {
        let u = s.utf8
        guard let f = u.first, let l = u.last else { return s }
        // Quick test: a value that starts and ends with a letter, digit or sign needs no work.
        if f != 32, f != 9, f != 0xC2, l != 32, l != 9, l != 0xA0 { return s }
        var sub = Substring(s)
        while let c = sub.first, c == " " || c == "\t" || c == "\u{A0}" { sub = sub.dropFirst() }
        while let c = sub.last, c == " " || c == "\t" || c == "\u{A0}" { sub = sub.dropLast() }
        return String(sub)
    }

    /// A plain number: optional sign, digits (optionally grouped in thousands by commas),
    /// optional fraction. Codes with leading zeros (`0123`) are not numbers.
    package static func number(_ u: [UInt8]) -> (Double, Int, String)? {
        var i = 0
        var negative = false
        if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { negative = u[i] == UInt8(ascii: "-"); i += 1 }
        var intDigits: [UInt8] = []
        var groupLen = -1  // digits since the last comma; -1 before any comma
        var firstGroup = 0
        while i < u.count {
            let c = u[i]
            if c >= 48 && c <= 57 {
                intDigits.append(c)
                if groupLen >= 0 { groupLen += 1 } else { firstGroup += 1 }
            } else if c == UInt8(ascii: ",") {
                if intDigits.isEmpty || (groupLen >= 0 && groupLen != 3) || (groupLen < 0 && firstGroup > 3) { return nil }
                groupLen = 0
            } else {
                break
            }
            i += 1
        }
        if groupLen >= 0 && groupLen != 3 { return nil }
        var fracDigits: [UInt8] = []
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            while i < u.count, u[i] >= 48 && u[i] <= 57 { fracDigits.append(u[i]); i += 1 }
            if fracDigits.isEmpty { return nil }
        }
        guard i == u.count, !(intDigits.isEmpty && fracDigits.isEmpty) else { return nil }
        // Leading zeros mark a code (`0123`), unless the value is signed (`-00`, as Home Office files write zero).
        let signed = !u.isEmpty && (u[0] == UInt8(ascii: "-") || u[0] == UInt8(ascii: "+"))
        if intDigits.count > 1, intDigits[0] == UInt8(ascii: "0"), groupLen < 0, !signed { return nil }
        let text = String(decoding: intDigits.isEmpty ? [UInt8(ascii: "0")] : intDigits, as: UTF8.self)
            + (fracDigits.isEmpty ? "" : "." + String(decoding: fracDigits, as: UTF8.self))
        guard let v = Double(text) else { return nil }
        return (negative && v != 0 ? -v : v, fracDigits.count, (negative && v != 0 ? "-" : "") + text)
    }

    /// `2018-06-30` or the British `30/06/2018`.
    package static func date(_ u: [UInt8]) -> Int32? {
        func digits(_ a: Int, _ b: Int) -> Int? {
            var v = 0
            for k in a..<b {
                guard k < u.count, u[k] >= 48, u[k] <= 57 else { return nil }
                v = v * 10 + Int(u[k] - 48)
            }
            return v
        }
        var y = 0, m = 0, d = 0
        if u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") {
            guard let yy = digits(0, 4), let mm = digits(5, 7), let dd = digits(8, 10) else { return nil }
            (y, m, d) = (yy, mm, dd)
        } else if u.count == 10, u[2] == UInt8(ascii: "/"), u[5] == UInt8(ascii: "/") {
            guard let dd = digits(0, 2), let mm = digits(3, 5), let yy = digits(6, 10) else { return nil }
            (y, m, d) = (yy, mm, dd)
        } else {
            return nil
        }
        return CivilDate.days(year: y, month: m, day: d)
    }
}

