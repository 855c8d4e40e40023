/// What an Excel number format says about the numbers it shows: plain with some decimals, a
/// percentage, a date, a time of day or a duration. Read from a built-in format id or from a
/// custom format code such as `#,##0.0`, `0.0%` or `dd/mm/yyyy hh:mm`.
enum XLSXNumberFormat: Equatable, Sendable {
    /// `General` (and `@`, text): the number as it is, decimals unknown.
    case general
    /// A fixed number of places after the point (`0.0` → 1, `#,##0` → 0).
    case number(decimals: Int?)
    case percent(decimals: Int?)
    /// A date, with the time of day when the format shows one.
    case date(time: Bool, seconds: Bool)
    /// A time of day only (`h:mm`), or, `elapsed`, a duration (`[h]:mm:ss`).
    case time(seconds: Bool, elapsed: Bool)

    /// Excel's built-in formats (ECMA-376 §18.8.30), as an English-locale Excel shows them.
    static func builtIn(_ id: Int) -> XLSXNumberFormat {
        switch id {
        case 1, 3, 5, 6, 37, 38, 41, 42: return .number(decimals: 0)
        case 2, 4, 7, 8, 11, 39, 40, 43, 44: return .number(decimals: 2)
        case 48: return .number(decimals: 1)
        case 9: return .percent(decimals: 0)
        case 10: return .percent(decimals: 2)
        case 14, 15, 16, 17: return .date(time: false, seconds: false)
        case 18, 20: return .time(seconds: false, elapsed: false)
        case 19, 21, 45, 47: return .time(seconds: true, elapsed: false)
        case 22: return .date(time: true, seconds: false)
        case 46: return .time(seconds: true, elapsed: true)
        // The East Asian locales' date formats.
        case 27...36, 50...58: return .date(time: false, seconds: false)
        default: return .general
        }
    }

    /// Classifies a custom format code. A `%` outside quotes and escapes makes a percentage; a
    /// date or time token (`y`, `m`, `d`, `h`, `s`) outside quotes and brackets makes a date (or a
    /// time, when there is no `y`, `d` or month); the decimals are the digit placeholders after
    /// the point in the first section (the one for positive numbers).
    static func parse(_ code: String) -> XLSXNumberFormat {
        let u = Array(code.utf8)
        enum Token { case year, month, day, hour, minute, second }
        var tokens: [Token] = []
        var percent = false, elapsed = false, general = false, placeholders = false
        var section = 0
        var decimals: Int?
        var afterPoint = false
        var i = 0
        func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }
        func starts(_ s: String, at k: Int) -> Bool {
            let w = Array(s.utf8)
            guard k + w.count <= u.count else { return false }
            for j in 0..<w.count where lower(u[k + j]) != w[j] { return false }
            return true
        }
        while i < u.count {
            let c = u[i]
            let l = lower(c)
            let isPlaceholder = c == UInt8(ascii: "0") || c == UInt8(ascii: "#") || c == UInt8(ascii: "?")
            if afterPoint && !isPlaceholder { afterPoint = false }
            switch c {
            case UInt8(ascii: "\""):
                i += 1
                while i < u.count, u[i] != UInt8(ascii: "\"") { i += 1 }
                i += 1
                continue
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                i += 2  // an escaped character, a space as wide as one, a fill character
                continue
            case UInt8(ascii: "["):
                let close = u[i...].firstIndex(of: UInt8(ascii: "]")) ?? u.count
                let inside = u[(i + 1)..<max(i + 1, close)].map(lower)
                if !inside.isEmpty, inside.allSatisfy({ $0 == UInt8(ascii: "h") }) { elapsed = true; tokens.append(.hour) }
                else if !inside.isEmpty, inside.allSatisfy({ $0 == UInt8(ascii: "m") }) { elapsed = true; tokens.append(.minute) }
                else if !inside.isEmpty, inside.allSatisfy({ $0 == UInt8(ascii: "s") }) { elapsed = true; tokens.append(.second) }
                i = close + 1
                continue
            case UInt8(ascii: ";"):
                section += 1
                i += 1
                continue
            case UInt8(ascii: "%"):
                percent = true
            case UInt8(ascii: "."):
                if section == 0 && decimals == nil && tokens.isEmpty { decimals = 0; afterPoint = true }
            default:
                break
            }
            if isPlaceholder {
                if section == 0 {
                    placeholders = true
                    if afterPoint { decimals = (decimals ?? 0) + 1 }
                }
            } else if l == UInt8(ascii: "a") && (starts("am/pm", at: i) || starts("a/p", at: i)) {
                i += starts("am/pm", at: i) ? 5 : 3
                continue
            } else if starts("general", at: i) {
                if section == 0 { general = true }
                i += 7
                continue
            } else if l == UInt8(ascii: "e") && i + 1 < u.count && (u[i + 1] == UInt8(ascii: "+") || u[i + 1] == UInt8(ascii: "-")) {
                i += 2  // scientific notation's exponent
                continue
            } else if l == UInt8(ascii: "y") || l == UInt8(ascii: "m") || l == UInt8(ascii: "d") || l == UInt8(ascii: "h") || l == UInt8(ascii: "s") {
                var j = i
                while j < u.count, lower(u[j]) == l { j += 1 }
                switch l {
                case UInt8(ascii: "y"): tokens.append(.year)
                case UInt8(ascii: "d"): tokens.append(.day)
                case UInt8(ascii: "h"): tokens.append(.hour)
                case UInt8(ascii: "s"): tokens.append(.second)
                default: tokens.append(.month)  // settled below: minutes next to hours or seconds
                }
                i = j
                continue
            }
            i += 1
        }
        if !tokens.isEmpty {
            // `m` is minutes right after an hour or right before a second, else a month.
            for k in tokens.indices where tokens[k] == .month {
                if (k > 0 && tokens[k - 1] == .hour) || (k + 1 < tokens.count && tokens[k + 1] == .second) { tokens[k] = .minute }
            }
            let hasDate = tokens.contains { $0 == .year || $0 == .month || $0 == .day }
            let hasTime = tokens.contains { $0 == .hour || $0 == .minute || $0 == .second }
            let seconds = tokens.contains(.second)
            if hasDate && !elapsed { return .date(time: hasTime, seconds: seconds) }
            return .time(seconds: seconds, elapsed: elapsed)
        }
        if percent { return .percent(decimals: decimals ?? (placeholders ? 0 : nil)) }
        if general && !placeholders { return .general }
        if placeholders { return .number(decimals: decimals ?? 0) }
        return .general
    }
}
