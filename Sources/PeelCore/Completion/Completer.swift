/// Tab completion: what belongs at the cursor, from the command registry and the session's tables.
public struct Completer {
    public struct Result: Equatable {
        /// Characters of the typed word being completed (to be replaced).
        public var word: String
        /// Whole replacements for `word`, sorted.
        public var candidates: [String]
    }

    let catalog: Catalog
    let registry: CommandRegistry

    public init(catalog: Catalog, registry: CommandRegistry) {
        self.catalog = catalog
        self.registry = registry
    }

    public init(session: Session) {
        self.init(catalog: session.catalog, registry: session.registry)
    }

    /// Completions for the text before the cursor.
    public func complete(_ before: String) -> Result {
        // Only the current statement matters.
        let statement = Self.lastStatement(before)
        let chars = Array(statement)
        var start = chars.count
        while start > 0, Self.isWordChar(chars[start - 1]) { start -= 1 }
        let word = String(chars[start...])
        let context = String(chars[..<start])
        let segments = Self.splitPipes(context)
        let current = segments.last ?? ""
        let currentWords = Self.words(current)
        let firstWords = Self.words(segments.first ?? "")

        var pool: [String] = []
        if segments.count == 1 {
            if currentWords.isEmpty {
                pool = registry.names(of: .source) + catalog.names
            } else if let cmd = registry.command(named: currentWords[0]), currentWords.count == 1 {
                for a in cmd.arguments {
                    switch a {
                    case .table: pool += catalog.names
                    case .command: pool += registry.names()
                    default: break
                    }
                }
            }
        } else if currentWords.isEmpty {
            pool = registry.names(of: .stage)
        } else if let cmd = registry.command(named: currentWords[0]) {
            let source = Self.sourceTable(firstWords, registry: registry)
            for a in cmd.arguments {
                switch a {
                case .column: if let t = source { pool += catalog.columnNames(t) }
                case .keywords(let k): pool += k
                default: break
                }
            }
        }
        let lower = word.lowercased()
        var seen = Set<String>()
        let matches = pool.filter { $0.lowercased().hasPrefix(lower) && seen.insert($0).inserted }.sorted()
        return Result(word: word, candidates: matches)
    }

    /// The longest prefix shared by all candidates (compared ignoring case, spelled as the first).
    public static func commonPrefix(_ candidates: [String]) -> String {
        guard var prefix = candidates.first.map(Array.init) else { return "" }
        for c in candidates.dropFirst() {
            let a = Array(c)
            var n = 0
            while n < prefix.count, n < a.count, prefix[n].lowercased() == a[n].lowercased() { n += 1 }
            prefix = Array(prefix[..<n])
        }
        return String(prefix)
    }

    /// Lays candidates out in columns across `width`, as shells list several matches.
    public static func columns(_ items: [String], width: Int) -> String {
        guard !items.isEmpty else { return "" }
        let colWidth = (items.map(DisplayWidth.of).max() ?? 0) + 2
        let perLine = max(1, width / colWidth)
        let rows = (items.count + perLine - 1) / perLine
        var out = ""
        for r in 0..<rows {
            var line = ""
            for c in 0..<perLine {
                let i = c * rows + r
                if i < items.count { line += DisplayWidth.padRight(items[i], colWidth) }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    static func isWordChar(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_"
    }

    static func lastStatement(_ s: String) -> String {
        var inQuote: Character?
        var last = s.startIndex
        for i in s.indices {
            let c = s[i]
            if let q = inQuote { if c == q { inQuote = nil } }
            else if c == "\"" || c == "'" { inQuote = c }
            else if c == ";" || c == "\n" { last = s.index(after: i) }
        }
        return String(s[last...])
    }

    static func splitPipes(_ s: String) -> [String] {
        var parts: [String] = []
        var cur = ""
        var inQuote: Character?
        for c in s {
            if let q = inQuote { if c == q { inQuote = nil } }
            else if c == "\"" || c == "'" { inQuote = c }
            else if c == "|" { parts.append(cur); cur = ""; continue }
            cur.append(c)
        }
        parts.append(cur)
        return parts
    }

    static func words(_ s: String) -> [String] {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// The table a pipeline starts from: `outcomes | …` or `show outcomes | …`.
    static func sourceTable(_ firstWords: [String], registry: CommandRegistry) -> String? {
        guard let w = firstWords.first else { return nil }
        if let cmd = registry.command(named: w) {
            return cmd.arguments.first.flatMap { if case .table = $0 { return firstWords.dropFirst().first } else { return nil } }
        }
        return w.trimmingCharacters(in: "`")
    }
}

extension String {
    func trimmingCharacters(in chars: Character) -> String {
        var s = Substring(self)
        while s.first == chars { s = s.dropFirst() }
        while s.last == chars { s = s.dropLast() }
        return String(s)
    }
}
