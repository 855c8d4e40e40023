import PeelSupport
import PeelData

/// Typed columns from a sheet's cells, as the CSV reader types its values: whole numbers that fit
/// 64 bits are integers, other numbers decimals with the decimals their format shows (or, for a
/// General number, the fewest that write it, up to 12), percentages decimals ×100 with unit `%`,
/// date cells dates, and a column with any real word in it text. Publishers' markers (`..`, `[c]`)
/// and error values (`#DIV/0!`) are missing, and the marker is kept as the reason.
enum SheetTableColumns {
    /// One cell as a value.
    enum Parsed: Equatable {
        case blank
        /// A marker (as written, trimmed) or an error value: missing, for that reason.
        case reason(String)
        /// `*`, `-` or another symbol alone (`+`, `~`): missing in a column of numbers, but kept as
        /// text in a column of words with no numbers (a column of significance flags such as `*`, `*↑`).
        case flag(String)
        /// `int` is set for a whole number shown without decimals that fits 64 bits.
        case number(Double, scale: Int, percent: Bool, int: Int64?)
        case date(Int32)
        case word(String)

        var isMissing: Bool {
            switch self {
            case .blank, .reason, .flag: return true
            default: return false
            }
        }
    }

    static func parse(_ cell: SheetCell) -> Parsed {
        switch cell {
        case .empty: return .blank
        case .text(let t):
            let s = SheetText.trimmed(t)
            if s.isEmpty { return .blank }
            if MissingMarkers.isMarker(s) { return s == "*" || s == "-" ? .flag(s) : .reason(s) }
            // A symbol alone (`+`, `~`, `—`): a publisher's own marker, explained in a footnote.
            if SheetText.isSymbol(s) { return .flag(s) }
            switch ValueKind.classify(s, markers: []) {
            case .integer(let i): return .number(Double(i), scale: 0, percent: false, int: i)
            case .decimal(let v, let sc): return .number(v, scale: sc, percent: false, int: nil)
            case .percent(let v, let sc): return .number(v, scale: sc, percent: true, int: nil)
            case .date(let d): return .date(d)
            case .text, .missing: return .word(s)
            }
        case .number(let v, let d):
            guard v.isFinite else { return .reason("#NUM!") }
            // A General number loses its float noise (730.8800000000001 is 730.88); a formatted one
            // keeps its stored value, shown with the format's decimals.
            let (c, sc) = d.map { (v, max(0, min($0, ValueKind.maxScale))) } ?? SheetNumbers.general(v)
            let int: Int64? = sc == 0 && c == c.rounded() ? Int64(exactly: c) : nil
            return .number(c, scale: sc, percent: false, int: int)
        case .percent(let f, let d):
            guard (f * 100).isFinite else { return .reason("#NUM!") }
            // ×100 adds its own noise (0.841 × 100 = 84.10000000000001): written to 12 significant digits.
            let (v, sc) = SheetNumbers.general(f * 100)
            return .number(v, scale: d.map { max(0, min($0, ValueKind.maxScale)) } ?? sc, percent: true, int: nil)
        case .date(let d): return .date(d)
        case .bool(let b): return .word(b ? "TRUE" : "FALSE")
        case .error(let e):
            let s = SheetText.trimmed(e)
            return .reason(s.isEmpty ? "#ERROR" : s)
        }
    }

    struct Built {
        var column: Column
        /// For a column read as text because of a few words among numbers: the row (index into the
        /// cells) of the first word, the word, and how many other words there are.
        var textBecause: (row: Int, value: String, others: Int)?
        /// For a column of numbers some of which are percentages and some not: the first plain number's row.
        var mixedPercent: Int?
        /// Labels whose footnote digits were removed: rows changed and one example.
        var strippedLabels = 0
        var strippedExample: (String, String)?
    }

    /// The most distinct reasons a column keeps (codes are one byte); further ones share the last.
    static let maxReasons = 255

    static func build(name: String, cells: [Parsed]) -> Built {
        var nums = 0, words = 0, dates = 0, percents = 0
        var firstWord: Int?, firstPlain: Int?
        for (i, p) in cells.enumerated() {
            switch p {
            case .number(_, _, let pct, _):
                nums += 1
                if pct { percents += 1 } else if firstPlain == nil { firstPlain = i }
            case .word:
                words += 1
                if firstWord == nil { firstWord = i }
            case .date: dates += 1
            default: break
            }
        }
        let numeric = nums > 0 && words == 0 && dates == 0
        let dated = dates > 0 && nums == 0 && words == 0
        // With no numbers or dates at all, `*` and `-` are words (flags), not gaps.
        let flagsAreText = nums == 0 && dates == 0

        var reasons: [String] = []
        var reasonIndex: [String: UInt8] = [:]
        var codes = [UInt8](repeating: 0, count: cells.count)
        var missing = [Bool](repeating: false, count: cells.count)
        func markMissing(_ i: Int, _ reason: String?) {
            missing[i] = true
            guard let reason else { return }
            if let k = reasonIndex[reason] { codes[i] = k; return }
            if reasons.count < maxReasons {
                reasons.append(reason)
                let k = UInt8(reasons.count)
                reasonIndex[reason] = k
                codes[i] = k
            } else {
                codes[i] = UInt8(maxReasons)
            }
        }
        func finish(_ column: inout Column) {
            column.missing = missing.contains(true) ? MissingMask(missing) : MissingMask()
            if codes.contains(where: { $0 != 0 }) { column.missingReasons = MissingReasons(codes: codes, markers: reasons) }
        }

        if numeric {
            for (i, p) in cells.enumerated() {
                switch p {
                case .blank: markMissing(i, nil)
                case .reason(let r), .flag(let r): markMissing(i, r)
                default: break
                }
            }
            let allInts = cells.allSatisfy { p in
                if case .number(_, _, _, let int) = p { return int != nil }
                return true
            }
            var column: Column
            if allInts {
                let ints = cells.map { p -> Int64 in if case .number(_, _, _, let int?) = p { return int }; return 0 }
                column = Column(name: name, data: .integer(ints))
            } else {
                var values = [Double](repeating: 0, count: cells.count)
                var scales = [UInt8](repeating: 0, count: cells.count)
                var maxScale = 0
                for (i, p) in cells.enumerated() {
                    if case .number(let v, let s, _, _) = p {
                        values[i] = v
                        scales[i] = UInt8(clamping: s)
                        maxScale = max(maxScale, s)
                    }
                }
                let uniform = cells.indices.allSatisfy { missing[$0] || Int(scales[$0]) == maxScale }
                column = Column(name: name, unit: percents == nums ? "%" : nil, data: .decimal(values, scale: maxScale),
                                rowScales: uniform ? nil : scales)
            }
            finish(&column)
            var built = Built(column: column)
            if percents > 0 && percents < nums { built.mixedPercent = firstPlain }
            return built
        }

        if dated {
            var days = [Int32](repeating: 0, count: cells.count)
            for (i, p) in cells.enumerated() {
                switch p {
                case .date(let d): days[i] = d
                case .blank: markMissing(i, nil)
                case .reason(let r), .flag(let r): markMissing(i, r)
                default: break
                }
            }
            var column = Column(name: name, data: .date(days))
            finish(&column)
            return Built(column: column)
        }

        // Text.
        var dictionary: [String] = []
        var index: [String: Int32] = [:]
        var textCodes = [Int32](repeating: 0, count: cells.count)
        for (i, p) in cells.enumerated() {
            let s: String
            switch p {
            case .blank: markMissing(i, nil); continue
            case .reason(let r): markMissing(i, r); continue
            case .flag(let f):
                guard flagsAreText else { markMissing(i, f); continue }
                s = f
            case .word(let w): s = w
            case .date(let d): s = CivilDate.iso(d)
            case .number(let v, let sc, let pct, let int):
                s = int.map { String($0) } ?? (NumberFormat.fixed(v, scale: sc) + (pct ? "%" : ""))
            }
            if let k = index[s] {
                textCodes[i] = k
            } else {
                let k = Int32(dictionary.count)
                index[s] = k
                dictionary.append(s)
                textCodes[i] = k
            }
        }
        var built = Built(column: Column(name: name, data: .text(codes: [], dictionary: [""])))
        // Footnote digits glued to labels.
        if words > 0 {
            let changes = SheetTableNames.stripLabels(dictionary)
            if !changes.isEmpty {
                var newDictionary: [String] = []
                var newIndex: [String: Int32] = [:]
                var remap = [Int32](repeating: 0, count: dictionary.count)
                for (k, s) in dictionary.enumerated() {
                    let t = changes[k] ?? s
                    if let n = newIndex[t] {
                        remap[k] = n
                    } else {
                        let n = Int32(newDictionary.count)
                        newIndex[t] = n
                        newDictionary.append(t)
                        remap[k] = n
                    }
                }
                for i in cells.indices where !missing[i] {
                    let old = Int(textCodes[i])
                    if let t = changes[old] {
                        built.strippedLabels += 1
                        if built.strippedExample == nil { built.strippedExample = (dictionary[old], t) }
                    }
                    textCodes[i] = remap[old]
                }
                dictionary = newDictionary
            }
        }
        var column = Column(name: name, data: .text(codes: textCodes, dictionary: dictionary.isEmpty ? [""] : dictionary))
        finish(&column)
        built.column = column
        // Mostly numbers with a few words: say which word made the column text.
        if let w = firstWord, nums >= 2, nums >= 2 * words, case .word(let value) = cells[w] {
            built.textBecause = (w, value, words - 1)
        }
        return built
    }
}
