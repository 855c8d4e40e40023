import Foundation

/// Shell-style wildcards for `load "DIR/*-street.csv"` and `load "x.zip" files "*-street.csv"`:
/// `*` is any run of characters, `?` one character, `[abc]`, `[a-z]` one of a set (`[!a]` or
/// `[^a]` one not in it), and `\` makes the next character plain. No wildcard crosses a `/`.
package enum Glob {
    /// True when `text` holds a wildcard (`*`, `?` or `[`) that is not escaped.
    package static func hasWildcards(_ text: some StringProtocol) -> Bool {
        var escaped = false
        for c in text {
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "*" || c == "?" || c == "[" { return true }
        }
        return false
    }

    /// Whether `name` matches `pattern` whole. With `hidingDotFiles`, a name starting with `.`
    /// matches only a pattern that starts with a plain `.` (as a shell's `*` skips `.profile`).
    package static func matches(_ pattern: some StringProtocol, _ name: some StringProtocol, hidingDotFiles: Bool = false) -> Bool {
        let p = Array(pattern), s = Array(name)
        if hidingDotFiles, s.first == ".", p.first != "." { return false }
        return matches(p[...], s[...])
    }

    /// One token of a pattern: a plain character, `?`, `*`, or a set.
    private enum Piece {
        case char(Character)
        case any
        case star
        case set(negated: Bool, items: [(Character, Character)])

        func accepts(_ c: Character) -> Bool {
            switch self {
            case .char(let x): return x == c
            case .any: return c != "/"
            case .star: return false
            case .set(let negated, let items):
                if c == "/" { return false }
                let inside = items.contains { $0.0 <= c && c <= $0.1 }
                return inside != negated
            }
        }
    }

    /// Reads the pattern into pieces; a `[` with no closing `]` is a plain `[`.
    private static func pieces(_ p: ArraySlice<Character>) -> [Piece] {
        var out: [Piece] = []
        var i = p.startIndex
        while i < p.endIndex {
            let c = p[i]
            switch c {
            case "\\":
                if i + 1 < p.endIndex { out.append(.char(p[i + 1])); i += 2 } else { out.append(.char(c)); i += 1 }
            case "*":
                if case .star? = out.last {} else { out.append(.star) }
                i += 1
            case "?":
                out.append(.any)
                i += 1
            case "[":
                if let (piece, next) = set(p, from: i) { out.append(piece); i = next } else { out.append(.char(c)); i += 1 }
            default:
                out.append(.char(c))
                i += 1
            }
        }
        return out
    }

    /// The set starting at `p[start]` (a `[`), and the index after its `]`; nil when unclosed.
    private static func set(_ p: ArraySlice<Character>, from start: Int) -> (Piece, Int)? {
        var i = start + 1
        var negated = false
        if i < p.endIndex, p[i] == "!" || p[i] == "^" { negated = true; i += 1 }
        var items: [(Character, Character)] = []
        var first = true
        while i < p.endIndex {
            var c = p[i]
            if c == "]" && !first { return (.set(negated: negated, items: items), i + 1) }
            first = false
            if c == "\\", i + 1 < p.endIndex { i += 1; c = p[i] }
            if i + 2 < p.endIndex, p[i + 1] == "-", p[i + 2] != "]" {
                var hi = p[i + 2]
                var skip = 3
                if hi == "\\", i + 3 < p.endIndex { hi = p[i + 3]; skip = 4 }
                items.append((min(c, hi), max(c, hi)))
                i += skip
            } else {
                items.append((c, c))
                i += 1
            }
        }
        return nil
    }

    /// Matching with one remembered `*` to fall back to (linear in practice, never exponential).
    private static func matches(_ pattern: ArraySlice<Character>, _ name: ArraySlice<Character>) -> Bool {
        let ps = pieces(pattern)
        let s = Array(name)
        var pi = 0, si = 0
        var starAt = -1, starMatch = 0
        while si < s.count {
            if pi < ps.count, case .star = ps[pi] {
                starAt = pi
                starMatch = si
                pi += 1
            } else if pi < ps.count, ps[pi].accepts(s[si]) {
                pi += 1
                si += 1
            } else if starAt >= 0, s[starMatch] != "/" {
                // Let the last `*` take one more character (never a `/`) and try again after it.
                starMatch += 1
                si = starMatch
                pi = starAt + 1
            } else {
                return false
            }
        }
        while pi < ps.count, case .star = ps[pi] { pi += 1 }
        return pi == ps.count
    }
}

/// The files a pattern names on disk.
package struct GlobExpansion: Sendable {
    /// The part of the pattern before its first wildcard, as a directory ("." when it has none).
    package var directory: String
    /// The files that match, in sorted order of `name`: each one's path (to open) and its name
    /// relative to `directory` (how the user knows it).
    package var files: [(path: String, name: String)]
}

extension Glob {
    /// The most files one pattern may load.
    package static let maxFiles = 10_000

    /// The regular files matching `pattern`, whose wildcards may be in any component of its
    /// path; `*` does not match a name starting with `.`. Directories that match are left out.
    package static func expand(_ pattern: String) throws -> GlobExpansion {
        let absolute = pattern.hasPrefix("/")
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let firstWild = parts.firstIndex { hasWildcards($0) } ?? parts.count
        var base = parts[..<firstWild].map(unescaped).joined(separator: "/")
        if absolute { base = "/" + base }
        let directory = base.isEmpty ? "." : base
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw MultiFileError.noDirectory(pattern: pattern, directory: directory)
        }
        // Walk one component at a time: candidates are (path on disk, name relative to `directory`).
        var candidates: [(String, String)] = [(base, "")]
        let fm = FileManager.default
        for (k, part) in parts[firstWild...].enumerated() {
            let last = firstWild + k == parts.count - 1
            var next: [(String, String)] = []
            for (path, rel) in candidates {
                func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : a == "/" ? "/" + b : a + "/" + b }
                if hasWildcards(part) {
                    guard let names = try? fm.contentsOfDirectory(atPath: path.isEmpty ? "." : path) else { continue }
                    for n in names.sorted(by: utf8Less) where matches(part, n, hidingDotFiles: true) {
                        next.append((join(path, n), join(rel, n)))
                    }
                } else {
                    let plain = unescaped(part)
                    next.append((join(path, plain), join(rel, plain)))
                }
                if next.count > maxFiles * 10 { throw MultiFileError.tooManyFiles(pattern: pattern, limit: maxFiles) }
            }
            // Keep what can go on: directories before the last component, regular files at it.
            candidates = next.filter { path, _ in
                var st = stat()
                guard stat(path, &st) == 0 else { return false }
                return last ? (st.st_mode & S_IFMT) != S_IFDIR : (st.st_mode & S_IFMT) == S_IFDIR
            }
        }
        if candidates.count > maxFiles { throw MultiFileError.tooManyFiles(pattern: pattern, limit: maxFiles) }
        if candidates.isEmpty {
            let holds = ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasPrefix(".") }.sorted(by: utf8Less)
            throw MultiFileError.noMatch(pattern: pattern, directory: directory, rest: parts[firstWild...].joined(separator: "/"), holds: Array(holds.prefix(5)), count: holds.count)
        }
        let files = candidates.sorted { utf8Less($0.1, $1.1) }.map { (path: $0.0, name: $0.1) }
        return GlobExpansion(directory: directory, files: files)
    }

    /// A pattern component with its escapes removed (`a\*b` → `a*b`).
    package static func unescaped(_ s: String) -> String {
        var out = "", escaped = false
        for c in s {
            if !escaped && c == "\\" { escaped = true; continue }
            escaped = false
            out.append(c)
        }
        return out
    }

    /// Byte order of the UTF-8 text: the same on every machine and in every locale.
    package static func utf8Less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
