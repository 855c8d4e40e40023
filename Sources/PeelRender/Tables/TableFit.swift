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
        let text = "\(count) more column\(count == 1 ? "" : "s"): \(shownNames); `show _ wide` or `set fit off` for all"
        return fitLines(TextWrap.wrap(text, width: fit.columns, rest: "  "), fit: fit) + "\n"
    }

    /// Every line of `text` cut to the fitted width (a word longer than a line can be).
    package static func fitLines(_ text: String, fit: TableFit) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { DisplayWidth.truncate(String($0), to: fit.columns) }.joined(separator: "\n")
    }
}
