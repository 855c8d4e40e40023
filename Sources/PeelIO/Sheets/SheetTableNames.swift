/// Column names from a sheet's headings, and footnote digits: publishers glue the number of a
/// footnote to the word it is about ("Number of offences2", "Leicestershire3", "population1, 2").
enum SheetTableNames {
    struct Named {
        var names: [String]
        var descriptions: [String?]
        /// Headings whose footnote digits were removed: (as written, as named).
        var stripped: [(String, String)]
        /// Names made of a group label and the heading under it ("Male ranks Chief Officer").
        var joined: [String]
        /// Headings renamed because they were empty or repeated: (as written, new name).
        var renamed: [(String, String)]
    }

    /// The names of `columns`. A heading is trimmed, its runs of spaces and newlines made one space,
    /// and footnote digits removed from it. Under a row of group labels, a heading that repeats
    /// across groups ("Chief Officer" under both "Male ranks" and "Female ranks") is joined to its
    /// group label ("Male ranks Chief Officer"); a heading that is unique keeps its own text and the
    /// group label becomes the column's description. Empty names become `column_N` (N the column's
    /// place in the table) and repeats get `_2`, `_3`, as the CSV reader names them.
    static func names(_ heads: HeaderCells, columns: [Int]) -> Named {
        var stripped: [(String, String)] = []
        func clean(_ s: String) -> String {
            let collapsed = SheetText.collapsed(s)
            let out = stripFootnotes(collapsed)
            if out != collapsed, !out.isEmpty { stripped.append((collapsed, out)) }
            return out.isEmpty ? collapsed : out
        }
        var names: [String] = []
        var groups: [String?] = []
        for c in columns {
            if let l = heads.lower[c] {
                names.append(clean(l))
                groups.append(heads.group[c].map(clean))
            } else {
                names.append((heads.upperName[c] ?? heads.fill[c]).map(clean) ?? "")
                groups.append(nil)
            }
        }
        // Which groups each heading appears under.
        var groupsOf: [String: Set<String>] = [:]
        for (n, g) in zip(names, groups) where !n.isEmpty {
            groupsOf[n.lowercased(), default: []].insert(g ?? "")
        }
        var descriptions: [String?] = []
        var joined: [String] = []
        for j in names.indices {
            guard let g = groups[j], !g.isEmpty else { descriptions.append(nil); continue }
            if (groupsOf[names[j].lowercased()]?.count ?? 0) >= 2 {
                names[j] = g + " " + names[j]
                joined.append(names[j])
                descriptions.append(nil)
            } else {
                descriptions.append(g)
            }
        }
        var renamed: [(String, String)] = []
        var seen = Set<String>()
        for j in names.indices {
            let n = names[j].isEmpty ? "column_\(j + 1)" : names[j]
            var candidate = n
            var k = 2
            while seen.contains(candidate.lowercased()) { candidate = "\(n)_\(k)"; k += 1 }
            if candidate != names[j] { renamed.append((names[j].isEmpty ? "(empty)" : names[j], candidate)) }
            seen.insert(candidate.lowercased())
            names[j] = candidate
        }
        return Named(names: names, descriptions: descriptions, stripped: stripped, joined: joined, renamed: renamed)
    }

    // MARK: - Footnote digits

    private static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

    private static let months: Set<String> = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december",
    ]

    /// Footnote digits removed from a heading, at its end or before a space or bracket:
    /// "Number of offences2" → "Number of offences", "(excluding fraud3)" → "(excluding fraud)",
    /// "population1, 2" → "population", "duty1 (full-time equivalent)" → "duty (full-time equivalent)",
    /// "Mar '084" → "Mar '08". Kept: "2017/18", "Q1", "P10", "KS4", "E23000021", "Mar19", "Year 2".
    static func stripFootnotes(_ s: String) -> String {
        let ch = Array(s)
        var out: [Character] = []
        out.reserveCapacity(ch.count)
        var i = 0
        while i < ch.count {
            if isDigit(ch[i]), let (keep, end) = footnote(ch, at: i, label: false) {
                out.append(contentsOf: ch[i..<keep])
                i = end
                continue
            }
            out.append(ch[i])
            i += 1
        }
        return SheetText.collapsed(String(out))
    }

    /// The footnote digits glued to the end of a label, if it has them: ("Leicestershire", "3").
    static func labelFootnote(_ s: String) -> (base: String, digits: String)? {
        let ch = Array(s)
        guard let last = ch.last, isDigit(last) else { return nil }
        // The footnote group starts at the first digit run whose group reaches the end.
        var i = 1
        while i < ch.count {
            if isDigit(ch[i]), !isDigit(ch[i - 1]), ch[i - 1] != "'", let (keep, end) = footnote(ch, at: i, label: true), keep == i, end == ch.count {
                let base = SheetText.trimmed(String(ch[0..<i]))
                guard !base.isEmpty else { return nil }
                return (base, String(ch[i...]))
            }
            i += 1
        }
        return nil
    }

    /// Whether a label is a code rather than a name: one token of letters and digits (`E23000021`,
    /// `1a`, `W15`, `Q1`) or of digits only, but not a word of four or more letters with a one- or
    /// two-digit footnote (`Cheshire7`).
    static func isCode(_ s: String) -> Bool {
        guard !s.isEmpty, !s.contains(where: SheetText.isSpace), s.contains(where: isDigit),
              s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return false }
        let letters = s.prefix { $0.isLetter }
        let rest = s.dropFirst(letters.count)
        return !(letters.count >= 4 && rest.count <= 2 && rest.allSatisfy(isDigit))
    }

    /// If a footnote group starts at `i`: the index up to which digits are kept (after a `'YY`
    /// year) and the index after the group.
    private static func footnote(_ ch: [Character], at i: Int, label: Bool) -> (Int, Int)? {
        guard i > 0, !isDigit(ch[i - 1]) else { return nil }
        var j = i
        while j < ch.count && isDigit(ch[j]) { j += 1 }
        let run = j - i
        var keep = i
        let prev = ch[i - 1]
        if prev == "'" && !label {
            // `Mar '084`: a two-digit year, then the footnote.
            guard run == 3 || run == 4 else { return nil }
            keep = i + 2
        } else if prev == ")" {
            // Footnotes are numbered from 1: `neg0` or `x05` ends in a number, not a footnote mark.
            guard run >= 1, run <= 2, ch[i] != "0" else { return nil }
        } else if prev.isLetter {
            guard run >= 1, run <= 2, ch[i] != "0", wordTakesFootnote(ch, endingAt: i - 1, digits: run) else { return nil }
        } else {
            return nil
        }
        var end = j
        // A list of footnotes: `1, 2`, `6,7,8`.
        while end < ch.count, ch[end] == "," {
            var k = end + 1
            if k < ch.count, ch[k] == " " { k += 1 }
            var l = k
            while l < ch.count && isDigit(ch[l]) { l += 1 }
            guard l - k >= 1, l - k <= 2, l == ch.count || SheetText.isSpace(ch[l]) || ch[l] == "," || ch[l] == ")" else { break }
            end = l
        }
        guard end == ch.count || SheetText.isSpace(ch[end]) || ch[end] == ")" || ch[end] == "," else { return nil }
        // Inside a name (a space follows), only a single digit after a word in lower case is taken
        // for a footnote ("duty1 (full-time equivalent)"), not "OVER35 years" or "Top10 forces".
        if end < ch.count, SheetText.isSpace(ch[end]), keep == i {
            guard run == 1 else { return nil }
            if prev.isLetter, !prev.isLowercase { return nil }
        }
        return (keep, end)
    }

    /// Whether the word before some digits is a word that a footnote number can follow: two or more
    /// letters, not a short upper-case code (`KS4`, `FY19`), not a month before a two-digit year
    /// (`Mar19`), not the letters of a code that starts with digits (`2a1`).
    private static func wordTakesFootnote(_ ch: [Character], endingAt e: Int, digits: Int) -> Bool {
        var b = e
        while b > 0 && ch[b - 1].isLetter { b -= 1 }
        let word = ch[b...e]
        guard word.count >= 2 else { return false }
        if b > 0 && isDigit(ch[b - 1]) { return false }
        if word.count <= 3 && word.allSatisfy(\.isUppercase) { return false }
        if digits == 2 && months.contains(String(word).lowercased()) { return false }
        return true
    }

    /// Footnote digits removed from the labels of a text column, given its distinct values: a
    /// label loses them when the same label without them is also in the column, or when it ends in
    /// a letter (or a bracket) and at least one other label of the column ends in footnote digits
    /// too (but not when two labels would become the same one: "Phase2", "Phase3"). A column that
    /// is mostly codes is left alone. Returns the new text for each changed value.
    static func stripLabels(_ values: [String]) -> [Int: String] {
        guard !values.isEmpty else { return [:] }
        let codes = values.filter(isCode).count
        guard codes * 2 < values.count else { return [:] }
        let present = Set(values)
        var candidates: [(Int, String)] = []
        for (k, v) in values.enumerated() where !isCode(v) {
            if let (base, _) = labelFootnote(v) { candidates.append((k, base)) }
        }
        // Labels that would all become one ("Phase2", "Phase3" → "Phase") are a series, not footnotes.
        var sources: [String: Int] = [:]
        for (_, base) in candidates { sources[base, default: 0] += 1 }
        var out: [Int: String] = [:]
        for (k, base) in candidates where present.contains(base) || (candidates.count >= 2 && sources[base] == 1) {
            out[k] = base
        }
        return out
    }
}
