import PeelSupport

/// How a table is fitted to a terminal window (the interactive shell only: scripts, pipes and
/// files never fit, so their output stays whole). The text renderer keeps the leading columns that
/// fit `width` (the first always), cuts long cells with `…`, and adds a note naming the rest.
public struct TableFit: Sendable, Equatable {
    /// The window's width in columns (at least 20 is used).
    public var width: Int

    public init(width: Int) { self.width = width }

    /// The width used: never under 20, so that a tiny window still shows something.
    public var columns: Int { max(20, width) }

    /// The widest cell shown in a column that is not the last one shown: a third of the window,
    /// never under 12.
    public var cellLimit: Int { max(12, columns / 3) }

    /// The narrowest a text column may be cut to when it ends the row (less than that, and it is
    /// left out instead).
    public static let narrowest = 8
}

extension TableRenderer {
    /// Which columns a fitted text table shows and how wide each is. Each column may be as wide as
    /// its header or `cellLimit` (`limited`); the leading columns that fit at those widths (with two
    /// spaces between) are shown, the first always (cut to the window if it must be). The last text
    /// column shown then takes the room left, up to its `natural` width; and if at least
    /// `TableFit.narrowest` columns still remain, the next column, when it is text, is shown cut.
    package static func fittedColumns(natural: [Int], limited: [Int], numeric: [Bool], fit: TableFit) -> [(index: Int, width: Int)] {
        let room = fit.columns
        guard !natural.isEmpty else { return [] }
        var shown: [(index: Int, width: Int)] = []
        var used = 0
        var next: Int?
        for i in natural.indices {
            let gap = shown.isEmpty ? 0 : 2
            guard used + gap + limited[i] <= room else { next = i; break }
            shown.append((i, limited[i]))
            used += gap + limited[i]
        }
        if shown.isEmpty { return [(0, room)] }
        if let k = shown.indices.last(where: { !numeric[shown[$0].index] }) {
            let grow = min(natural[shown[k].index] - shown[k].width, room - used)
            if grow > 0 {
                shown[k].width += grow
                used += grow
            }
        }
        if let n = next, !numeric[n], room - used - 2 >= TableFit.narrowest {
            shown.append((n, min(natural[n], room - used - 2)))
        }
        return shown
    }

    /// The note under a fitted table naming the columns it leaves out, wrapped to the width.
    package static func hiddenNote(_ names: [String], fit: TableFit) -> String {
        let count = names.count
        let shownNames = names.prefix(20).joined(separator: ", ") + (count > 20 ? ", …" : "")
        // No break inside the commands to type (no-break spaces while wrapping).
        let nbsp = "\u{00A0}"
        let text = "\(count) more column\(count == 1 ? "" : "s"): \(shownNames); `show_wide` or `set_fit_off` for all"
            .replacingAll("show_wide", with: "show\(nbsp)_\(nbsp)wide").replacingAll("set_fit_off", with: "set\(nbsp)fit\(nbsp)off")
        return fitLines(TextWrap.wrap(text, width: fit.columns, rest: "  "), fit: fit).replacingAll(nbsp, with: " ") + "\n"
    }

    /// Every line of `text` cut to the fitted width (a word longer than a line can be).
    package static func fitLines(_ text: String, fit: TableFit) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { DisplayWidth.truncate(String($0), to: fit.columns) }.joined(separator: "\n")
    }
}

extension TableFit {
    /// Words (help, `describe`, messages) wrapped to the window: each line wider than it is broken
    /// at spaces, its continuation lines indented under the text after a leading label (`  load
    /// Load a CSV…` continues under `Load`) or two spaces in from the line's own indent; a word
    /// wider than a line is broken too, so no line is wider than the window and nothing is lost.
    public func wrap(_ text: String) -> String {
        let room = columns
        var out: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            guard DisplayWidth.of(line) > room else { out.append(line); continue }
            let chars = Array(line)
            var lead = 0
            while lead < chars.count, chars[lead] == " " { lead += 1 }
            // A label then two or more spaces: continue under the text after them.
            var hang = min(lead + 2, room / 2)
            var labelled = false
            var i = lead
            while i < chars.count, chars[i] != " " { i += 1 }
            var j = i
            while j < chars.count, chars[j] == " " { j += 1 }
            if j - i >= 2, j < chars.count, DisplayWidth.of(String(chars[0..<j])) <= room / 2 {
                hang = DisplayWidth.of(String(chars[0..<j]))
                labelled = true
            }
            let indent = String(repeating: " ", count: hang)
            // The first line keeps its spacing up to the label's end; the rest is words.
            let headEnd = labelled ? j : lead
            var current = String(chars[0..<headEnd])
            var currentWidth = DisplayWidth.of(current)
            func flush() {
                while current.hasSuffix(" ") { current.removeLast() }
                out.append(current)
                current = indent
                currentWidth = hang
            }
            var fresh = true  // nothing after the head/indent yet
            for word in String(chars[headEnd...]).split(separator: " ", omittingEmptySubsequences: true) {
                var w = String(word)
                var ww = DisplayWidth.of(w)
                if !fresh, currentWidth + 1 + ww > room { flush(); fresh = true }
                if !fresh { current += " "; currentWidth += 1 }
                // A word wider than the room left is broken across lines.
                while currentWidth + ww > room {
                    var piece = ""
                    var pw = 0
                    var rest = Substring(w)
                    while let ch = rest.first, currentWidth + pw + DisplayWidth.of(ch) <= room {
                        piece.append(ch)
                        pw += DisplayWidth.of(ch)
                        rest = rest.dropFirst()
                    }
                    if piece.isEmpty, currentWidth <= hang {
                        // Not even one character fits after the indent: give it a line alone.
                        piece = String(rest.prefix(1))
                        rest = rest.dropFirst()
                    }
                    current += piece
                    flush()
                    w = String(rest)
                    ww = DisplayWidth.of(w)
                }
                current += w
                currentWidth += ww
                fresh = false
            }
            while current.hasSuffix(" ") { current.removeLast() }
            if current.contains(where: { $0 != " " }) { out.append(current) }
        }
        return out.joined(separator: "\n")
    }
}
