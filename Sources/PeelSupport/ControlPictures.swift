/// The one mapping from characters that act on a terminal instead of showing, to what is shown in
/// their place. Error excerpts always use it; the executable uses it for everything it writes to a
/// terminal (data included), while files, pipes and exports keep the bytes exact.
///
/// - C0 controls and DEL become their Unicode control pictures, one column each: ESC `␛`, BEL `␇`,
///   backspace `␈`, carriage return `␍`, NUL `␀`, DEL `␡`. (Tab is kept; a line break is kept or
///   shown as `␊`, as the caller asks.)
/// - C1 controls (U+0080–U+009F, such as U+009B, a one-character CSI), the bidirectional controls
///   that reorder text (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) and the zero-width
///   characters that hide in names (U+200B, U+2060, U+FEFF) have no picture: they are shown as
///   `<U+202E>`, as `less` shows them.
public enum ControlPictures {
    /// What `u` is shown as, or nil when it is shown as itself.
    @inline(__always)
    public static func picture(_ u: Unicode.Scalar, keepingLineBreaks: Bool = false) -> String? {
        let v = u.value
        if v < 0x20 {
            if v == 0x09 || (v == 0x0A && keepingLineBreaks) { return nil }
            return String(Unicode.Scalar(0x2400 + v)!)
        }
        if v < 0x7F { return nil }
        if v == 0x7F { return "\u{2421}" }
        if v <= 0x9F || isHidden(v) { return name(v) }
        return nil
    }

    /// Bidirectional controls and zero-width characters with no picture of their own.
    package static func isHidden(_ v: UInt32) -> Bool {
        switch v {
        case 0x061C, 0x200B, 0x200E, 0x200F, 0x202A...0x202E, 0x2060, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// `<U+202E>`.
    public static func name(_ v: UInt32) -> String { "<" + codePoint(v) + ">" }

    /// `U+202E`, as messages name a character.
    public static func codePoint(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// True when some character of `text` would be replaced.
    public static func needed(_ text: String, keepingLineBreaks: Bool = false) -> Bool {
        // Every such character starts with a byte below 0x20, 0x7F, 0xC2 (C1), 0xD8 (U+061C),
        // 0xE2 (U+200B–U+2069) or 0xEF (U+FEFF): a quick look at the bytes first.
        let suspect = text.utf8.contains { b in
            b < 0x20 ? (b != 0x09 && (b != 0x0A || !keepingLineBreaks)) : (b == 0x7F || b == 0xC2 || b == 0xD8 || b == 0xE2 || b == 0xEF)
        }
        return suspect && text.unicodeScalars.contains { picture($0, keepingLineBreaks: keepingLineBreaks) != nil }
    }

    /// `text` with each such character replaced by what it is shown as.
    public static func visible(_ text: String, keepingLineBreaks: Bool = false) -> String {
        guard needed(text, keepingLineBreaks: keepingLineBreaks) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for u in text.unicodeScalars {
            if let p = picture(u, keepingLineBreaks: keepingLineBreaks) { out += p } else { out.unicodeScalars.append(u) }
        }
        return out
    }
}
