/// Terminal column widths of text, so tables and carets line up with accents and wide characters.
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        var width = 0
        for ch in text { width += of(ch) }
        return width
    }

    public static func of(_ ch: Character) -> Int {
        guard let scalar = ch.unicodeScalars.first else { return 0 }
        let v = scalar.value
        // Control characters take the width of the picture a terminal is shown (`ControlPictures`):
        // one column for C0 and DEL (`␛`), eight for `<U+009B>` or `<U+202E>`. Tab and a line
        // break take none.
        if v < 0x20 { return v == 0x09 || v == 0x0A ? 0 : 1 }
        if v == 0x7F { return 1 }
        if (v >= 0x80 && v < 0xA0) || ControlPictures.isHidden(v) { return 8 }
        // East Asian wide and fullwidth ranges, and emoji.
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
            || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    /// `text` cut to at most `width` columns, ending in an ellipsis when anything was cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        if of(text) <= width { return text }
        guard width > 0 else { return "" }
        var out = ""
        var used = 0
        for ch in text {
            let w = of(ch)
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    public static func padRight(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - of(text)))
    }

    public static func padLeft(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - of(text))) + text
    }
}
