import PeelSupport

/// XML made straight into bytes, with the escaping both workbook formats need.
package struct WorkbookWriterXML {
    package var bytes: [UInt8] = []

    package init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    package mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    package mutating func raw(_ b: [UInt8]) {
        bytes.append(contentsOf: b)
    }

    /// Text known to need no escaping (digits, names made by the writer).
    package mutating func plain(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    /// A whole number in decimal digits.
    @inline(__always)
    package mutating func int(_ v: Int) { Self.append(v, to: &bytes) }

    /// `v` in decimal digits at the end of `bytes`.
    @inline(__always)
    package static func append(_ v: Int, to bytes: inout [UInt8]) {
        if v >= 0 && v < 10 {
            bytes.append(UInt8(truncatingIfNeeded: 48 + v))
            return
        }
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        var n = v.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
            var i = 20
            repeat {
                i -= 1
                buf[i] = UInt8(truncatingIfNeeded: 48 + n % 10)
                n /= 10
            } while n > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<20]))
        }
    }

    /// `s` at the end of `bytes`.
    @inline(__always)
    package static func append(_ s: StaticString, to bytes: inout [UInt8]) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// What XML 1.0 cannot hold (the C0 controls but tab, LF and CR; U+FFFE, U+FFFF) is replaced:
    /// a control by its picture (U+2400 + code, 3 bytes in UTF-8), the two non-characters by U+FFFD.
    @inline(__always)
    private mutating func replacement(forControl b: UInt8) {
        bytes.append(0xE2)
        bytes.append(0x90)
        bytes.append(0x80 + b)
    }

    /// `s` escaped for element content or an attribute value: `&` `<` `>` `"` as entities, CR as
    /// `&#13;` (a parser would turn a bare CR into LF), tab and LF as `&#9;` `&#10;` when
    /// `inAttribute` (where a parser would turn them into spaces), other controls as pictures.
    /// `ooxml`: an underscore that would start OOXML's own escape (`_x0041_` means `A` to Excel)
    /// is written `_x005F_`, so that Excel shows the text as it is.
    package mutating func text(_ s: String, inAttribute: Bool = false, ooxml: Bool = false) {
        var s = s
        s.withUTF8 { u in
            let n = u.count
            var i = 0
            while i < n {
                let b = u[i]
                switch b {
                case UInt8(ascii: "&"): raw("&amp;")
                case UInt8(ascii: "<"): raw("&lt;")
                case UInt8(ascii: ">"): raw("&gt;")
                case UInt8(ascii: "\""): raw("&quot;")
                case 0x0D: raw("&#13;")
                case 0x09: if inAttribute { raw("&#9;") } else { bytes.append(b) }
                case 0x0A: if inAttribute { raw("&#10;") } else { bytes.append(b) }
                case 0x00..<0x20: replacement(forControl: b)
                case 0xEF where i + 2 < n && u[i + 1] == 0xBF && (u[i + 2] == 0xBE || u[i + 2] == 0xBF):
                    bytes.append(0xEF); bytes.append(0xBF); bytes.append(0xBD)
                    i += 2
                case UInt8(ascii: "_") where ooxml && Self.startsOOXMLEscape(u, at: i):
                    raw("_x005F_")
                default: bytes.append(b)
                }
                i += 1
            }
        }
    }

    /// True when `u[i...]` reads `_xHHHH_` (four hex digits).
    private static func startsOOXMLEscape(_ u: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard i + 6 < u.count, u[i + 1] == UInt8(ascii: "x") || u[i + 1] == UInt8(ascii: "X"), u[i + 6] == UInt8(ascii: "_") else { return false }
        for k in 2...5 {
            let c = u[i + k]
            let hex = (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
            if !hex { return false }
        }
        return true
    }

    /// True when `s` has a space, tab or line break at either end or a line break or tab inside:
    /// an .xlsx `<t>` then needs `xml:space="preserve"`.
    package static func needsPreserve(_ s: String) -> Bool {
        guard let first = s.utf8.first, let last = s.utf8.last else { return false }
        func ws(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        return ws(first) || ws(last) || s.utf8.contains { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// A number as the file stores it (xsd:double): the shortest text that reads back as the same
    /// double, without a trailing `.0` (`84.1`, `12`, `1e-05`).
    package static func number(_ v: Double) -> String {
        if v == 0 { return "0" }
        var s = v.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// `v` per cent as a fraction, by moving the decimal point of its shortest text two places
    /// (84.1 → `0.841`, 100 → `1`, 0.5 → `0.005`), so the fraction is exactly the decimal shown,
    /// not `v / 100` with a rounding error.
    package static func percentFraction(_ v: Double) -> String {
        if v == 0 { return "0" }
        let s = v.description
        var body = Substring(s)
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() }
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            // 1e-05 → 1e-07: the exponent moves instead.
            guard let exp = Int(body[body.index(after: e)...]) else { return number(v / 100) }
            return (negative ? "-" : "") + body[..<e] + "e" + String(exp - 2)
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, whole.allSatisfy(\.isASCII) else { return number(v / 100) }
        let fraction = parts.count == 2 ? parts[1] : ""
        let digits = Array(whole) + Array(fraction)
        let point = whole.count - 2
        var intPart: [Character]
        var fracPart: [Character]
        if point <= 0 {
            intPart = ["0"]
            fracPart = Array(repeating: "0", count: -point) + digits
        } else {
            intPart = Array(digits[..<point])
            fracPart = Array(digits[point...])
        }
        while intPart.count > 1, intPart.first == "0" { intPart.removeFirst() }
        while fracPart.last == "0" { fracPart.removeLast() }
        return (negative ? "-" : "") + String(intPart) + (fracPart.isEmpty ? "" : "." + String(fracPart))
    }
}
