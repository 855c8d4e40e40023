/// Did-you-mean: the closest candidate by prefix or edit distance.
public enum Suggest {
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let w = word.lowercased()
        guard !w.isEmpty else { return nil }
        if let exact = candidates.first(where: { $0.lowercased() == w }) { return exact }
        let prefixed = candidates.filter { $0.lowercased().hasPrefix(w) }
        if prefixed.count == 1 { return prefixed[0] }
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, c.lowercased())
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (name, d) = best else { return nil }
        return d <= max(1, min(3, w.count / 3)) ? name : nil
    }

    /// "did you mean 'x'?", or the few names that start with `word`; nil when nothing is close.
    public static func hint(for word: String, in candidates: [String]) -> String? {
        if let c = closest(to: word, in: candidates) { return "did you mean '\(c)'?" }
        let prefixed = candidates.filter { $0.lowercased().hasPrefix(word.lowercased()) }
        guard prefixed.count > 1, prefixed.count <= 6 else { return nil }
        return "did you mean one of: " + prefixed.map { "'\($0)'" }.joined(separator: ", ") + "?"
    }

    /// Damerau–Levenshtein distance (with adjacent transpositions), over characters.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
