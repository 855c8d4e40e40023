/// Where the table is in a sheet: its header rows, its columns, the rows of its body, and what lies
/// around it (title lines above, unit lines between header and data, footnotes and other blocks
/// below). Rows and columns are 0-based sheet indices.
///
/// How it is found (`find`): the body starts at a row of data (a number or a marker in it) whose
/// header lies just above it: the nearest row of two or more headings (words, dates, or year-like
/// numbers), past at most a few blank rows and one-cell unit lines ("Numbers"). The header must name
/// at least half the columns the first rows of data use (and at least two), and some column of
/// those rows must be mostly numbers (not just 1, 2, 3 … numbering a list of tables); otherwise the
/// search goes on further down. A table of a label column and one column of figures may have a
/// single heading, over the figures. Above the header row (directly, or past one blank row), a row
/// of group labels ("Male ranks" over Chief Officer … Constable) is part of the header when one of
/// its labels spans two or more headed columns and does not sit over the column of row labels; a row
/// of headings above a blank row may instead name columns of figures that the header row leaves
/// empty. Everything above the header is title lines.
///
/// The body runs down to a blank row or a note row ("1. …", "Source: …"). A blank row (or two) is
/// only a separator inside the table when the row after it is data of the same shape: a value in each
/// label column and numbers in at least half the numeric columns (ONS tables set off England, each
/// region and Wales this way). Any other data after a blank row is a second block, not read; rows of
/// text below the table are its footnotes. An empty column followed by a column of labels starts a
/// second block beside the table, not read either.
///
/// Given a header row (`withHeader`) the header is that one row and the rest is found as above;
/// given a range (`inRange`) its first row (or the given header row) is the header and every other
/// non-blank row of it is data.
struct SheetTableLayout {
    /// The header row proper: the row of headings just above the data (`headerRow` is this + 1).
    var headerRow: Int
    /// The headings of each column, from the header row and the group or fill row above it.
    var heads: HeaderCells
    /// A row of group labels directly above `headerRow`, when the header has two rows.
    var groupRow: Int? { heads.groupRow }
    /// A row of headings above a blank row, naming columns that `headerRow` leaves empty.
    var fillRow: Int? { heads.fillRow }
    /// The table's columns, left to right (empty spacer columns left out).
    var columns: [Int]
    /// The rows of data, top to bottom (blank separator rows left out).
    var body: [Int]
    /// Non-blank rows above the header.
    var titleRows: [Int] = []
    /// One-cell rows between the header and the data ("Numbers", "Rate per 1,000 population").
    var unitRows: [Int] = []
    /// Rows of text below the table.
    var footnoteRows: [Int] = []
    /// Further blocks of data below the table (after a blank row), not read.
    var blocksBelow: [ClosedRange<Int>] = []
    /// Columns right of a blank column that hold another block (with its own labels), not read.
    var columnsRight: ClosedRange<Int>?
    /// Columns inside the table's span with no heading and no value.
    var emptyColumns: [Int] = []
    /// Blank rows inside the body (separators), skipped.
    var blankRowsInside = 0

    /// The first header row (the fill row, group row or header row).
    var headerTop: Int { fillRow ?? groupRow ?? headerRow }

    // MARK: - Finding the table

    /// The table of the sheet as found without being told where it is. `strict` asks for a table of
    /// data (a column of numbers); otherwise, failing that, the first row of two or more headings
    /// with rows below it is taken as a table of text.
    static func find(_ g: SheetGrid, strict: Bool, isInterrupted: () -> Bool) throws -> SheetTableLayout? {
        let limit = min(g.bottom, g.top + maxHeaderSearch)
        var d = g.top
        while d <= limit {
            if (d - g.top) & 1023 == 1023, isInterrupted() { throw SheetGridInterrupted() }
            if g.isData(d), let layout = attempt(g, dataRow: d) { return layout }
            d += 1
        }
        return strict ? nil : textTable(g)
    }

    /// How far down the header is looked for (publishers' headers are near the top; this bounds the
    /// work on a sheet of a million rows with no table).
    static let maxHeaderSearch = 10_000
    /// How many rows of data decide which columns the table uses and which hold numbers.
    static let sampleRows = 50

    /// The table whose body would start at data row `d`, if a header fits above it.
    private static func attempt(_ g: SheetGrid, dataRow d: Int) -> SheetTableLayout? {
        // The header row: the nearest row of headings above, past blank rows and one-cell unit lines.
        var k = d - 1
        var units: [Int] = []
        var steps = 0
        var header: Int?
        while k >= g.top && steps < 5 {
            if g.isBlank(k) { k -= 1; steps += 1; continue }
            if g.isHeaderish(k) { header = k; break }
            if g.isSingleText(k) && !g.isNote(k, firstColumn: nil) { units.append(k); k -= 1; steps += 1; continue }
            break
        }
        guard header != nil || !units.isEmpty else { return nil }

        let sample = sampleRows(g, from: d)
        let used = usedColumns(g, sample)
        let numeric = numericColumns(g, sample, among: used)
        guard numeric.contains(where: { !isIndex(g, sample, column: $0) }) else { return nil }
        // A table of one label column and one figure may have a single heading, over the figures
        // ("999 calls received"): the nearest one-cell row, when it sits over a column of numbers.
        var single = false
        if header == nil, let u = units.first, let c = g.row(u).cells.first?.column, numeric.contains(c), c != used.min() {
            header = u
            units = []
            single = true
        }
        guard let m = header else { return nil }

        var heads = HeaderCells(g, headerRow: m)
        let span = spanOf(used.union(heads.namedColumns))
        let labels = labelColumns(g, sample, among: used)
        let grouped = groupRowCandidate(g, above: m).map { heads.addGroupRow($0, span: span, labels: labels) } ?? false
        if !grouped, let f = fillRowCandidate(g, above: m) {
            heads.addFillRow(f, numericColumns: numeric)
        }
        let named = heads.namedColumns.intersection(used).count
        guard named >= (single ? 1 : 2), named * 2 >= used.count else { return nil }

        var layout = SheetTableLayout(headerRow: m, heads: heads, columns: [], body: [])
        layout.unitRows = units.reversed()
        layout.titleRows = (g.top..<layout.headerTop).filter { !g.isBlank($0) }
        layout.extend(g, from: d, span: spanOf(used.union(heads.namedColumns)), named: heads.namedColumns, sample: sample, numeric: numeric)
        return layout
    }

    /// The first row of two or more headings with a non-blank row under it, read as a table of text.
    private static func textTable(_ g: SheetGrid) -> SheetTableLayout? {
        let limit = min(g.bottom, g.top + maxHeaderSearch)
        var m = g.top
        while m < limit {
            defer { m += 1 }
            guard g.isHeaderish(m), !g.isBlank(m + 1), !g.isNote(m + 1, firstColumn: nil) else { continue }
            let sample = sampleRows(g, from: m + 1)
            let heads = HeaderCells(g, headerRow: m)
            let used = usedColumns(g, sample)
            var layout = SheetTableLayout(headerRow: m, heads: heads, columns: [], body: [])
            layout.titleRows = (g.top..<m).filter { !g.isBlank($0) }
            layout.extend(g, from: m + 1, span: spanOf(used.union(heads.namedColumns)), named: heads.namedColumns,
                          sample: sample, numeric: numericColumns(g, sample, among: used))
            return layout
        }
        return nil
    }

    /// The table under a header row the user gave: the data starts below it, past blank rows and
    /// one-cell unit lines; a one-row header.
    static func withHeader(_ g: SheetGrid, headerRow m: Int) -> SheetTableLayout {
        let heads = HeaderCells(g, headerRow: m)
        var layout = SheetTableLayout(headerRow: m, heads: heads, columns: [], body: [])
        layout.titleRows = (g.top..<m).filter { !g.isBlank($0) }
        var d = m + 1
        while d <= g.bottom, d - m <= 6, g.isBlank(d) || (g.isSingleText(d) && !g.isData(d) && !g.isNote(d, firstColumn: nil)) {
            if !g.isBlank(d) { layout.unitRows.append(d) }
            d += 1
        }
        guard d <= g.bottom, !g.isBlank(d), !g.isNote(d, firstColumn: nil) else {
            layout.unitRows = []
            layout.columns = heads.namedColumns.sorted()
            layout.footnotes(g, from: m + 1)
            return layout
        }
        let sample = sampleRows(g, from: d)
        let used = usedColumns(g, sample)
        layout.extend(g, from: d, span: spanOf(used.union(heads.namedColumns)), named: heads.namedColumns,
                      sample: sample, numeric: numericColumns(g, sample, among: used))
        return layout
    }

    /// The table in a range the user gave: its first row (or `headerRow`) is the header, every other
    /// non-blank row below it is data, every column of the range is read (but empty ones).
    static func inRange(_ g: SheetGrid, headerRow: Int?) -> SheetTableLayout {
        let m = headerRow ?? g.top
        var layout = SheetTableLayout(headerRow: m, heads: HeaderCells(g, headerRow: m), columns: [], body: [])
        layout.titleRows = (g.top..<m).filter { !g.isBlank($0) }
        let span = g.region.firstColumn...g.region.lastColumn
        if m < g.bottom {
            for r in (m + 1)...g.bottom where !g.isBlank(r, within: span) {
                layout.body.append(r)
            }
        }
        layout.setColumns(g, span: span, named: layout.heads.namedColumns)
        return layout
    }

    // MARK: - Extent

    /// Sets the body (from row `d` down), the columns, and what lies below.
    private mutating func extend(_ g: SheetGrid, from d: Int, span: ClosedRange<Int>, named: Set<Int>, sample: [Int], numeric: Set<Int>) {
        let labels = Self.labelColumns(g, sample, among: Set(span))
        var r = d
        var end = g.bottom + 1
        while r <= g.bottom {
            if g.isBlank(r, within: span) {
                var k = r
                while k <= g.bottom && k - r < 3 && g.isBlank(k, within: span) { k += 1 }
                if k <= g.bottom, k - r <= 2, Self.continues(g, row: k, span: span, labels: labels, numeric: numeric) {
                    blankRowsInside += k - r
                    r = k
                    continue
                }
                end = r
                break
            }
            if g.isNote(r, firstColumn: span.lowerBound) { end = r; break }
            body.append(r)
            r += 1
        }
        setColumns(g, span: span, named: named)
        splitSideBlock(g)
        footnotes(g, from: end)
    }

    /// Whether the data row after a blank row carries on the table (same shape) rather than start a
    /// second block.
    private static func continues(_ g: SheetGrid, row k: Int, span: ClosedRange<Int>, labels: Set<Int>, numeric: Set<Int>) -> Bool {
        guard g.isData(k), !g.isNote(k, firstColumn: span.lowerBound) else { return false }
        let row = g.row(k)
        guard row.cells.allSatisfy({ span.contains($0.column) }) else { return false }
        guard labels.allSatisfy({ g.kind(k, $0) == .text }) else { return false }
        let filled = row.cells.filter { numeric.contains($0.column) && ($0.kind == .number || $0.kind == .marker) }.count
        return filled >= 1 && filled * 2 >= numeric.count
    }

    /// The columns of `span` that have a heading or a value in the body.
    private mutating func setColumns(_ g: SheetGrid, span: ClosedRange<Int>, named: Set<Int>) {
        var withData = Set<Int>()
        for r in body { for c in g.row(r).cells where span.contains(c.column) { withData.insert(c.column) } }
        columns = span.filter { named.contains($0) || withData.contains($0) }
        emptyColumns = span.filter { !named.contains($0) && !withData.contains($0) }
        // Empty columns at the edges are not part of the table at all.
        if let first = columns.first, let last = columns.last {
            emptyColumns = emptyColumns.filter { $0 > first && $0 < last }
        } else {
            emptyColumns = []
        }
    }

    /// A second block beside the table: after an empty column, a column of labels (words in most
    /// rows) starts another table; the columns from there on are left out.
    private mutating func splitSideBlock(_ g: SheetGrid) {
        guard !body.isEmpty, !emptyColumns.isEmpty, let last = columns.last else { return }
        let labels = Self.labelColumns(g, body, among: Set(columns))
        guard let firstLabel = labels.min() else { return }
        for s in emptyColumns where s > firstLabel {
            guard let t = columns.first(where: { $0 > s }), labels.contains(t) else { continue }
            columnsRight = t...last
            columns = columns.filter { $0 < s }
            emptyColumns = emptyColumns.filter { $0 < s }
            return
        }
    }

    /// Sorts the rows from `start` down into further blocks of data and footnote lines.
    private mutating func footnotes(_ g: SheetGrid, from start: Int) {
        var r = start
        while r <= g.bottom {
            if g.isBlank(r) { r += 1; continue }
            var e = r
            while e + 1 <= g.bottom && !g.isBlank(e + 1) { e += 1 }
            if let last = (r...e).last(where: { g.isData($0) && g.row($0).cells.count >= 2 }) {
                blocksBelow.append(r...last)
                if last < e { footnoteRows += Array((last + 1)...e) }
            } else {
                footnoteRows += Array(r...e)
            }
            r = e + 1
        }
    }

    // MARK: - Helpers

    /// Up to `sampleRows` rows from `d` down, stopping at a blank or note row.
    private static func sampleRows(_ g: SheetGrid, from d: Int) -> [Int] {
        var out: [Int] = []
        var r = d
        while r <= g.bottom && out.count < sampleRows && !g.isBlank(r) && !g.isNote(r, firstColumn: nil) {
            out.append(r)
            r += 1
        }
        return out
    }

    private static func usedColumns(_ g: SheetGrid, _ rows: [Int]) -> Set<Int> {
        var used = Set<Int>()
        for r in rows { for c in g.row(r).cells { used.insert(c.column) } }
        return used
    }

    /// Columns in which at least one cell is a number and at least half the cells are numbers or markers.
    private static func numericColumns(_ g: SheetGrid, _ rows: [Int], among used: Set<Int>) -> Set<Int> {
        var filled: [Int: Int] = [:], numeric: [Int: Int] = [:], numbers: [Int: Int] = [:]
        for r in rows {
            for c in g.row(r).cells {
                filled[c.column, default: 0] += 1
                if c.kind == .number || c.kind == .marker { numeric[c.column, default: 0] += 1 }
                if c.kind == .number { numbers[c.column, default: 0] += 1 }
            }
        }
        return Set(used.filter { (numbers[$0] ?? 0) > 0 && (numeric[$0] ?? 0) * 2 >= (filled[$0] ?? 0) })
    }

    /// Whether a column's numbers are 1, 2, 3, … down the rows: the numbers of an index of tables,
    /// not figures.
    private static func isIndex(_ g: SheetGrid, _ rows: [Int], column c: Int) -> Bool {
        var expected = 1.0
        for r in rows {
            guard case .number(let v, _) = g.sheet[r, c] else { continue }
            guard v == expected else { return false }
            expected += 1
        }
        return expected > 2
    }

    /// Columns holding words in at least four rows of five.
    private static func labelColumns(_ g: SheetGrid, _ rows: [Int], among used: Set<Int>) -> Set<Int> {
        guard !rows.isEmpty else { return [] }
        var words: [Int: Int] = [:]
        for r in rows { for c in g.row(r).cells where c.kind == .text { words[c.column, default: 0] += 1 } }
        return Set(used.filter { (words[$0] ?? 0) * 5 >= rows.count * 4 })
    }

    private static func spanOf(_ columns: Set<Int>) -> ClosedRange<Int> {
        guard let a = columns.min(), let b = columns.max() else { return 0...0 }
        return a...b
    }

    /// The row above the header row (directly, or past one blank row), when it could hold group labels.
    private static func groupRowCandidate(_ g: SheetGrid, above m: Int) -> Int? {
        var u = m - 1
        if u - 1 >= g.top, g.isBlank(u) { u -= 1 }
        guard u >= g.top, !g.isBlank(u), !g.isNote(u, firstColumn: nil) else { return nil }
        if g.isHeaderish(u) { return u }
        // A single label merged across several columns.
        let row = g.row(u)
        if row.cells.count == 1, row.texts == 1, let mg = g.merge(covering: u, row.cells[0].column), mg.columns >= 2 { return u }
        return nil
    }

    /// A row of headings above one or two blank rows over the header row.
    private static func fillRowCandidate(_ g: SheetGrid, above m: Int) -> Int? {
        var k = m - 1
        while k >= g.top && m - k <= 2 && g.isBlank(k) { k -= 1 }
        guard k >= g.top, k < m - 1, m - k <= 3, g.isHeaderish(k) else { return nil }
        return k
    }
}

/// The heading text of each column: the header row's own cell (or the merged cell over it), and
/// from a group row above either a name (over an empty header cell) or a group label, and from a fill
/// row a name.
struct HeaderCells {
    let g: SheetGrid
    let headerRow: Int
    var groupRow: Int?
    var fillRow: Int?
    /// Raw heading text per column (not yet cleaned).
    var lower: [Int: String] = [:]
    var upperName: [Int: String] = [:]
    var group: [Int: String] = [:]
    var fill: [Int: String] = [:]
    /// Text of the group row that is neither a name nor a group label (over a column of labels).
    var ignored: [String] = []

    init(_ g: SheetGrid, headerRow m: Int) {
        self.g = g
        self.headerRow = m
        for cell in g.row(m).cells {
            let t = g.text(m, cell.column)
            if !t.isEmpty { lower[cell.column] = t }
        }
        // A merged heading: the value is in its top-left cell, above (a heading two rows tall) or to
        // the left (a heading over two columns).
        for mg in g.merges where mg.firstRow <= m && m <= mg.lastRow && mg.firstRow >= m - 2 {
            let t = g.text(mg.firstRow, mg.firstColumn)
            guard !t.isEmpty else { continue }
            for c in mg.firstColumn...mg.lastColumn where lower[c] == nil && g.region.firstColumn <= c && c <= g.region.lastColumn {
                lower[c] = t
            }
        }
    }

    var namedColumns: Set<Int> {
        Set(lower.keys).union(upperName.keys).union(fill.keys)
    }

    /// Reads row `u` as group labels over the header row; false (and nothing kept) when none of its
    /// labels spans two or more named columns. A label over the heading of a column of labels (the
    /// force names) groups nothing: a title that happens to sit there ("England and Wales").
    mutating func addGroupRow(_ u: Int, span: ClosedRange<Int>, labels: Set<Int>) -> Bool {
        var names: [Int: String] = [:], groups: [Int: String] = [:], ignoredTexts: [String] = []
        var wide = false
        var current: String?
        var currentStart = 0
        let lo = min(span.lowerBound, g.row(u).cells.first?.column ?? span.lowerBound)
        let hi = max(span.upperBound, g.row(u).cells.last?.column ?? span.upperBound)
        let merges = g.merges.filter { $0.firstRow <= u && u <= $0.lastRow }
        for c in lo...hi {
            if let mg = merges.first(where: { $0.firstColumn <= c && c <= $0.lastColumn }), mg.columns >= 2 || mg.firstRow < u {
                let t = g.text(mg.firstRow, mg.firstColumn)
                current = nil
                guard !t.isEmpty else { continue }
                if let l = lower[c], labels.contains(mg.firstColumn), l != t {
                    if c == mg.firstColumn { ignoredTexts.append(t) }
                } else if let l = lower[c] {
                    if l != t { groups[c] = t }
                    if mg.columns >= 2, c > mg.firstColumn { wide = true }
                } else if mg.firstColumn == c {
                    names[c] = t
                }
                continue
            }
            let t = g.text(u, c)
            if !t.isEmpty {
                if let l = lower[c], labels.contains(c), l != t {
                    ignoredTexts.append(t)
                    current = nil
                } else if let l = lower[c] {
                    if l != t { groups[c] = t; current = t; currentStart = c } else { current = nil }
                } else {
                    names[c] = t
                    current = nil
                }
                continue
            }
            // A run of headings under one label ends at a column with no heading of its own.
            guard let cur = current, lower[c] != nil else { current = nil; continue }
            groups[c] = cur
            if c > currentStart { wide = true }
        }
        guard wide else { return false }
        groupRow = u
        upperName = names
        group = groups
        ignored = ignoredTexts
        return true
    }

    /// Reads row `f` as names for columns of numbers that the header row leaves unnamed; nothing
    /// when any of its cells sits over a named or non-numeric column.
    mutating func addFillRow(_ f: Int, numericColumns: Set<Int>) {
        let cells = g.row(f).cells
        guard cells.allSatisfy({ lower[$0.column] == nil && numericColumns.contains($0.column) }) else { return }
        for c in cells { fill[c.column] = g.text(f, c.column) }
        fillRow = f
    }
}
