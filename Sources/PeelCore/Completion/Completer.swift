import Foundation

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
    let variables: Variables?

    public init(catalog: Catalog, registry: CommandRegistry, variables: Variables? = nil) {
        self.catalog = catalog
        self.registry = registry
        self.variables = variables
    }

    public init(session: Session) {
        self.init(catalog: session.catalog, registry: session.registry, variables: session.variables)
    }

    /// Commands whose argument is a file name.
    static let fileCommands: Set<String> = ["load", "export", "output", "save"]

    /// Completions for the text before the cursor.
    public func complete(_ before: String) -> Result {
        // Only the current statement matters.
        let statement = Self.lastStatement(before)
        let chars = Array(statement)
        // The word at the cursor: an open quoted text, a path, a $variable, or a name.
        var start = chars.count
        var inQuote: Character?
        var quoteStart = 0
        for (i, c) in chars.enumerated() {
            if let q = inQuote { if c == q { inQuote = nil } } else if c == "\"" || c == "'" { inQuote = c; quoteStart = i }
        }
        if inQuote != nil {
            start = quoteStart
        } else {
            while start > 0, Self.isWordChar(chars[start - 1]) || chars[start - 1] == "$" { start -= 1 }
        }
        let word = String(chars[start...])
        let context = String(chars[..<start])
        let segments = Self.splitPipes(context)
        let current = segments.last ?? ""
        let currentWords = Self.words(current)
        let firstWords = Self.words(segments.first ?? "")
        let command = currentWords.first.flatMap { registry.command(named: $0) }

        // A file name after load, export, output or save.
        if let command, Self.fileCommands.contains(command.name), currentWords.count == 1 || (segments.count > 1 && currentWords.count == 1) {
            return Result(word: word, candidates: Self.paths(matching: word))
        }
        // A $variable anywhere.
        if word.hasPrefix("$") {
            let names = (variables?.names ?? []).map { "$" + $0 }
            return Result(word: word, candidates: names.filter { $0.lowercased().hasPrefix(word.lowercased()) }.sorted())
        }
        // A value: a force after compare, to or highlight; a column's value after `COLUMN =`, `in (`.
        if segments.count > 1, let values = valueContext(currentWords, source: Self.sourceTable(firstWords, registry: registry), quoted: inQuote != nil) {
            let typed = String(word.drop { $0 == "\"" || $0 == "'" })
            let matches = values.filter { Self.matchesByWordStart($0, typed) }.sorted()
            var wrapped = matches.map { "\"" + $0.replacingAll("\"", with: "\"\"") + "\"" }
            // After `compare … to`, the words region and mean belong too.
            if inQuote == nil, currentWords.last?.lowercased() == "to" {
                wrapped = (["mean", "region"].filter { $0.hasPrefix(word.lowercased()) } + wrapped)
            }
            if !wrapped.isEmpty || inQuote != nil { return Result(word: word, candidates: wrapped) }
        }

        var pool: [String] = []
        if segments.count == 1 {
            if currentWords.isEmpty {
                pool = registry.names(of: .source) + catalog.names
            } else if let cmd = command, currentWords.count == 1 {
                for a in cmd.arguments {
                    switch a {
                    case .table: pool += catalog.names
                    case .command: pool += registry.names() + ["data"]
                    case .keywords(let k): pool += k
                    default: break
                    }
                }
            }
        } else if currentWords.isEmpty {
            pool = registry.names(of: .stage)
        } else if let cmd = command {
            let source = Self.sourceTable(firstWords, registry: registry)
            for a in cmd.arguments {
                switch a {
                case .column: if let t = source { pool += catalog.columnNames(t) }
                case .keywords(let k): pool += k
                case .table: pool += catalog.names
                default: break
                }
            }
        }
        let lower = word.lowercased()
        var seen = Set<String>()
        let matches = pool.filter { $0.lowercased().hasPrefix(lower) && seen.insert($0).inserted }.sorted()
        return Result(word: word, candidates: matches)
    }

    /// The values that belong at the cursor, when it is where a value goes.
    func valueContext(_ words: [String], source: String?, quoted: Bool) -> [String]? {
        guard let source, let verb = words.first?.lowercased(), let table = try? catalog.table(source) else { return nil }
        let forceColumn = table.info.forceColumn ?? "force"
        func values(_ column: String) -> [String]? {
            guard let c = table.column(column), c.type == .text else { return nil }
            return Array(c.presentTexts())
        }
        let last = words.last?.lowercased() ?? ""
        switch verb {
        case "compare":
            if words.count == 1 || last == "to" { return values(forceColumn) }
        case "chart":
            if last == "highlight" { return values(forceColumn) }
        case "where":
            // `COLUMN =`, `COLUMN !=`, `COLUMN in (` or a comma inside the list.
            var i = words.count - 1
            while i > 0, ["=", "!=", "in", "(", "in(", ","].contains(words[i].lowercased()) || words[i].hasSuffix(",") { i -= 1 }
            if i < words.count - 1, i > 0 {
                let col = words[i].trimmingCharacters(in: "`").trimmingCharacters(in: "(")
                if let v = values(col) { return v }
            }
        default:
            break
        }
        return quoted ? [] : nil
    }

    /// True when `typed` starts the value or any word in it (`dyf` and `pow` both find "Dyfed-Powys").
    static func matchesByWordStart(_ value: String, _ typed: String) -> Bool {
        let t = typed.lowercased()
        if t.isEmpty { return true }
        let v = value.lowercased()
        if v.hasPrefix(t) { return true }
        return v.split(whereSeparator: { " -/(),&".contains($0) }).contains { $0.hasPrefix(t) }
    }

    /// Files and folders for a typed path (with or without its opening quote), as quoted names.
    static func paths(matching word: String) -> [String] {
        let typed = String(word.drop { $0 == "\"" || $0 == "'" })
        let slash = typed.lastIndex(of: "/")
        let dir = slash.map { String(typed[...$0]) } ?? ""
        let prefix = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        let listDir = dir.isEmpty ? "." : (dir.hasPrefix("~") ? (ProcessInfo.processInfo.environment["HOME"] ?? "") + dir.dropFirst() : dir)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: listDir) else { return [] }
        return names.filter { $0.hasPrefix(prefix) && (!$0.hasPrefix(".") || prefix.hasPrefix(".")) }.sorted().map { name in
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: listDir + "/" + name, isDirectory: &isDir)
            return "\"" + dir + name + (isDir.boolValue ? "/" : "\"")
        }
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
