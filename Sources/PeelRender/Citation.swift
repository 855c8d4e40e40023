import Foundation

/// Source text as a reader of a result sees it, and sentences joined without doubled punctuation.
///
/// A catalogue's `source` records both who published the figures and how they reached peel: the
/// copy they were read from (`../shared/reference-data/…`, `SOURCES.md`, a `seeds …txt` file) and
/// the script that built the table (`scripts/data/make_forces.py`). Readers need the first; the
/// second names files they cannot see. `forReaders` keeps the publisher and publication and drops
/// the internal references, using only words already in the source text. `describe` and `help`
/// still show the whole text.
public enum Citation {
    /// `source` without internal paths and file names: a parenthesis holding one is dropped, a
    /// clause left with no more than one word once they are gone is dropped (`Built by
    /// scripts/x.py.`, `copy in ../shared/x`), and a reference is dropped with the preposition
    /// before it (`Derived in ../shared/x from the Home Office data` → `Derived from the Home
    /// Office data`). A source that is nothing but a path (a file the analyst loaded with `load`)
    /// is kept as it is: it is the only source there is.
    public static func forReaders(_ source: String) -> String {
        var sentences: [String] = []
        for (body, terminator) in splitSentences(dropParentheses(source)) {
            var clauses: [String] = []
            for clause in body.components(separatedBy: ";") {
                let cleaned = dropReferences(clause)
                if !cleaned.isEmpty { clauses.append(cleaned) }
            }
            guard !clauses.isEmpty else { continue }
            sentences.append(clauses.joined(separator: "; ") + terminator)
        }
        let out = tidy(sentences.joined(separator: " "))
        return out.isEmpty ? source.trimmingCharacters(in: .whitespaces) : out
    }

    /// `s` as a sentence: a full stop added unless it already ends in one (or in `?`, `!`).
    public static func sentence(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespaces)
        guard let last = t.last else { return t }
        return ".!?".contains(last) ? t : t + "."
    }

    /// `s` as a clause inside a sentence: without the full stop it may end in (`A.` + `; B` is `A; B`).
    public static func clause(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("."), !t.hasSuffix("..") { t.removeLast() }
        return t
    }

    /// A word naming a file or folder of the project rather than a publication: a relative or
    /// absolute path, or a file name with a script, text or data-copy extension. URLs are kept.
    package static func isInternalReference(_ word: Substring) -> Bool {
        var w = word
        while let c = w.last, ",.;:)".contains(c) { w.removeLast() }
        while let c = w.first, "(".contains(c) { w.removeFirst() }
        guard !w.isEmpty, !w.contains("://") else { return false }
        if w.hasPrefix("../") || w.hasPrefix("./") || w.hasPrefix("~/") || w.hasPrefix("/") { return true }
        let lower = w.lowercased()
        let extensions = [".py", ".sh", ".md", ".txt", ".csv", ".tsv", ".json", ".peel", ".swift", ".gz"]
        return extensions.contains { lower.hasSuffix($0) && lower.count > $0.count }
    }

    /// Drops each parenthesis whose text holds an internal reference (with the space before it).
    package static func dropParentheses(_ s: String) -> String {
        var out = ""
        var group = ""
        var depth = 0
        for ch in s {
            if depth == 0 {
                if ch == "(" { depth = 1; group = "(" } else { out.append(ch) }
                continue
            }
            group.append(ch)
            if ch == "(" { depth += 1 }
            if ch == ")" {
                depth -= 1
                if depth == 0 {
                    if group.split(separator: " ").contains(where: isInternalReference) {
                        while out.last == " " { out.removeLast() }
                    } else {
                        out += group
                    }
                    group = ""
                }
            }
        }
        return out + group
    }

    /// Sentences and the full stop (or nothing) that ends each: a sentence ends at `. ` before a
    /// capital letter, or at the end of the text.
    package static func splitSentences(_ s: String) -> [(String, String)] {
        let chars = Array(s)
        var out: [(String, String)] = []
        var current = ""
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            if ch == ".", i + 2 < chars.count, chars[i + 1] == " ", chars[i + 2].isUppercase {
                out.append((current, "."))
                current = ""
                i += 2
                continue
            }
            current.append(ch)
            i += 1
        }
        let trimmed = current.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix(".") {
            out.append((String(trimmed.dropLast()), "."))
        } else if !trimmed.isEmpty {
            out.append((trimmed, ""))
        }
        return out
    }

    /// One clause without its internal references, or "" when nothing of substance is left.
    package static func dropReferences(_ clause: String) -> String {
        let prepositions: Set<String> = ["in", "by", "from", "at", "see", "via", "of"]
        var words: [Substring] = []
        var dropped = false
        for word in clause.split(separator: " ") {
            guard isInternalReference(word) else { words.append(word); continue }
            dropped = true
            if let previous = words.last, prepositions.contains(previous.lowercased()) { words.removeLast() }
            // Keep a comma that separated this reference from what follows.
            if word.hasSuffix(","), let previous = words.last, !previous.hasSuffix(",") {
                words[words.count - 1] = previous + ","
            }
        }
        if dropped && words.count <= 1 { return "" }
        var text = words.joined(separator: " ")
        while text.hasSuffix(",") || text.hasSuffix(":") { text.removeLast() }
        return text.trimmingCharacters(in: .whitespaces)
    }

    package static func tidy(_ s: String) -> String {
        var t = s
        for (from, to) in [("  ", " "), (" ;", ";"), (" ,", ","), (" .", "."), (" :", ":"), (",.", "."), (";.", ".")] {
            while t.contains(from) { t = t.replacingOccurrences(of: from, with: to) }
        }
        return t.trimmingCharacters(in: .whitespaces)
    }
}
