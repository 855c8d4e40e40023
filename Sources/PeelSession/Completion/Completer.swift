import Foundation
import PeelSupport
import PeelData
import PeelIO
import PeelLanguage
import PeelEvaluation
import PeelCommands

/// Tab completion: what belongs at the cursor, from the command registry and the session's tables.
public struct Completer {
    public struct Result: Equatable {
        /// Characters of the typed word being completed (to be replaced).
        public var word: String
        /// Whole replacements for `word`, sorted.
        public var candidates: [String]
    }

    package let catalog: Catalog
    package let registry: CommandRegistry
    package let variables: Variables?
    /// The session's state, for the table a shell line starting with `|` continues.
    package let state: SessionState?
    /// The home folder `~/` stands for in file names (see `Paths.expandingTilde`).
    package let home: String?

    public init(catalog: Catalog, registry: CommandRegistry, variables: Variables? = nil, state: SessionState? = nil,
                home: String? = ProcessInfo.processInfo.environment["HOME"]) {
        self.catalog = catalog
        self.registry = registry
        self.variables = variables
        self.state = state
        self.home = home
    }

    public init(session: Session) {
        self.init(catalog: session.catalog, registry: session.registry, variables: session.variables, state: session.state)
    }


    /// One token of the command before the cursor, as the completer reads it.
    package struct Word {
        package var text: String
        package var kind: TokenKind
    }

    /// Completions for the text before the cursor.
    public func complete(_ before: String) -> Result {
        // The same lexer as the parser, in its lenient mode: quotes, `#` comments and backquoted
        // names are read exactly as a command would be.
        let source = SourceText(name: "<tab>", text: before)
        let scan = Lexer.scan(source)
        if scan.inComment { return Result(word: "", candidates: []) }
        let length = Array(before.utf8).count
        var tokens = Array(scan.tokens.dropLast())  // without `.end`
        // Only the current statement matters.
        if let sep = tokens.lastIndex(where: { $0.kind == .semicolon || $0.kind == .newline }) {
            tokens.removeSubrange(...sep)
        }
        // The word at the cursor: an open quoted text, a $variable, a name, or what is malformed there.
        var wordStart = length
        if let q = scan.openQuoteStart {
            wordStart = q
            if tokens.last?.range.start == q { tokens.removeLast() }
        } else if let last = tokens.last, last.range.end == length, Self.isWordToken(last.kind) {
            wordStart = last.range.start
            tokens.removeLast()
        } else if let bad = scan.malformed.last, bad.end == length {
            wordStart = bad.start  // e.g. a lone `$`
        }
        let word = source.slice(SourceRange(wordStart, length))
        let quoted = scan.openQuote != nil
        let segments = Self.splitPipes(tokens.map { Word(text: Self.text(of: $0, in: source), kind: $0.kind) })
        let current = segments.last ?? []
        let currentWords = current.map(\.text)
        let firstWords = (segments.first ?? []).map(\.text)
        let command = currentWords.first.flatMap { registry.command(named: $0) }
        // The table the pipeline works on: the one it starts from, or (a line that starts with
        // `|`) the previous command's. Found only when needed: it may mean loading a large file.
        let sourceName = Self.sourceTable(firstWords, registry: registry)
        let continued = segments.count > 1 && firstWords.isEmpty
        // `_` and `_3` stand for numbered results, which the catalogue does not hold.
        func cell(_ name: String?) -> Table? {
            guard let name, let cells = state?.cells, let n = EvalContext.cellNumber(name, last: cells.count),
                  n >= 1, n <= cells.count, case .table(let t, _) = cells[n - 1] else { return nil }
            return t
        }
        let kept = continued ? state?.lastResult?.table : cell(sourceName)
        func sourceTable() -> Table? { kept ?? sourceName.flatMap { try? catalog.table($0) } }

        // A file name after a command that takes one (load, export, …).
        if let command, command.takesFile, currentWords.count == 1 {
            return Result(word: word, candidates: Self.paths(matching: word, home: home))
        }
        // A $variable anywhere.
        if word.hasPrefix("$") {
            let names = (variables?.names ?? []).map { "$" + $0 }
            return Result(word: word, candidates: names.filter { $0.lowercased().hasPrefix(word.lowercased()) }.sorted())
        }
        // A value: a force after compare, to or highlight; a column's value after `COLUMN =`, `in (`.
        if segments.count > 1, let (values, words) = valueContext(current, command: command, table: sourceTable, quoted: quoted) {
            let typed = String(word.drop { $0 == "\"" || $0 == "'" })
            let matches = values.filter { Self.matchesByWordStart($0, typed) }.sorted()
            var wrapped = matches.map { "\"" + $0.replacingAll("\"", with: "\"\"") + "\"" }
            // Words that belong beside the values (`compare … to mean`).
            if !quoted {
                wrapped = (words.filter { $0.hasPrefix(word.lowercased()) } + wrapped)
            }
            if !wrapped.isEmpty || quoted { return Result(word: word, candidates: wrapped) }
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
            } else if let cmd = command, cmd.takesFile, currentWords.count >= 2 {
                // After the file (`load "x.xlsx" `): the command's options.
                for case .keywords(let k) in cmd.arguments { pool += k }
            }
        } else if currentWords.isEmpty {
            pool = registry.names(of: .stage)
        } else if let cmd = command {
            let renames = cmd.arguments.contains { if case .rename = $0 { return true } else { return false } }
            // `select COLUMN as NAME`: right after a column, `as`; after `as`, a new name (nothing to offer).
            if renames, current.count > 1, let last = current.last {
                let afterAs = current.count > 2 && Self.isWord(current[current.count - 2].kind, "as")
                if Self.isWord(last.kind, "as") || (afterAs && Self.isName(last.kind)) { return Result(word: word, candidates: []) }
                if Self.isName(last.kind) { return Result(word: word, candidates: "as".hasPrefix(word.lowercased()) ? ["as"] : []) }
            }
            for a in cmd.arguments {
                switch a {
                case .column:
                    if let t = kept { pool += t.columns.map(\.name) } else if let t = sourceName { pool += catalog.columnNames(t) }
                case .keywords(let k): pool += k
                case .table: pool += catalog.names
                case .function: pool += FunctionTable.all.map(\.name)
                default: break
                }
            }
        }
        let lower = word.lowercased()
        var seen = Set<String>()
        let matches = pool.filter { $0.lowercased().hasPrefix(lower) && seen.insert($0).inserted }.sorted()
        return Result(word: word, candidates: matches)
    }

    /// What Tab puts in place of the typed word: the only candidate (and a space, unless it is a
    /// folder), or the beginning all the candidates share when it goes beyond what was typed (a
    /// typed `wes` becomes `"West ` for the three West forces: the opening quote comes with it).
    /// Nil when there is nothing to insert.
    public static func insertion(for result: Result) -> String? {
        guard let first = result.candidates.first else { return nil }
        if result.candidates.count == 1 { return first.hasSuffix("/") ? first : first + " " }
        let common = commonPrefix(result.candidates)
        func unquoted(_ s: String) -> String { s.first == "\"" || s.first == "'" ? String(s.dropFirst()) : s }
        let typed = unquoted(result.word).lowercased()
        guard unquoted(common).lowercased().hasPrefix(typed), common.count > result.word.count else { return nil }
        return common
    }

    /// How Tab changes the line: how many characters before the cursor to delete (the typed word)
    /// and the text to put there. A line editor counts characters as Unicode scalars (libedit's
    /// wide characters), not as Swift's grapheme clusters: `"e\u{301}c` is three clusters but four
    /// scalars, and deleting three left the opening quote behind, doubled by the insertion (an
    /// unterminated string). Nil when there is nothing to insert.
    public static func edit(for result: Result) -> (delete: Int, insert: String)? {
        insertion(for: result).map { (result.word.unicodeScalars.count, $0) }
    }

    /// The values that belong at the cursor, when it is where a value goes (the command's spec
    /// says where: `ValueSlot`), and words offered beside them.
    package func valueContext(_ words: [Word], command: CommandSpec?, table source: () -> Table?, quoted: Bool) -> ([String], [String])? {
        guard let command, !command.values.isEmpty, let table = source() else {
            return quoted ? ([], []) : nil
        }
        let forceColumn = table.info.forceColumn ?? "force"
        func values(_ column: String) -> [String]? {
            guard let c = table.column(column), c.type == .text else { return nil }
            return Array(c.presentTexts())
        }
        let last = words.last?.text.lowercased() ?? ""
        for slot in command.values {
            switch slot {
            case .force(let first, let after, let extra):
                if first && words.count == 1 { return values(forceColumn).map { ($0, []) } }
                if let after, last == after { return values(forceColumn).map { ($0, extra) } }
                // Inside a list after the word: `excluding ("Dorset", "Ke`.
                if let after {
                    var i = words.count - 1
                    while i > 0, words[i].kind == .comma || Self.isValue(words[i].kind) { i -= 1 }
                    if i > 0, words[i].kind == .leftParen, words[i - 1].text.lowercased() == after {
                        return values(forceColumn).map { ($0, []) }
                    }
                }
            case .columnValue:
                // `COLUMN =`, `COLUMN !=`, `COLUMN in (` or a comma inside the list (after values).
                var i = words.count - 1
                var inList = false
                while i > 0 {
                    let k = words[i].kind
                    if k == .equal || k == .notEqual || k == .leftParen || k == .comma || Self.isWord(k, "in") {
                        // Values are skipped only inside the list, between `(` and the cursor.
                        if k == .comma { inList = true } else if k == .leftParen { inList = false }
                        i -= 1
                    } else if inList, Self.isValue(k) {
                        i -= 1
                    } else {
                        break
                    }
                }
                if i < words.count - 1, i > 0, Self.isName(words[i].kind), let v = values(words[i].text) { return (v, []) }
            }
        }
        return quoted ? ([], []) : nil
    }

    /// True when `typed` starts the value or any word in it (`dyf` and `pow` both find "Dyfed-Powys").
    package static func matchesByWordStart(_ value: String, _ typed: String) -> Bool {
        let t = typed.lowercased()
        if t.isEmpty { return true }
        let v = value.lowercased()
        if v.hasPrefix(t) { return true }
        return v.split(whereSeparator: { " -/(),&".contains($0) }).contains { $0.hasPrefix(t) }
    }

    /// Files and folders for a typed path (with or without its opening quote), as quoted names.
    /// A folder is listed as the command will read it (`Paths.expandingTilde`: `~/` is the home
    /// folder) and offered as typed (`"~/data.csv"`).
    package static func paths(matching word: String, home: String? = ProcessInfo.processInfo.environment["HOME"]) -> [String] {
        let typed = String(word.drop { $0 == "\"" || $0 == "'" })
        if typed == "~" { return ["\"~/"] }
        let slash = typed.lastIndex(of: "/")
        let dir = slash.map { String(typed[...$0]) } ?? ""
        let prefix = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        let listDir = dir.isEmpty ? "." : Paths.expandingTilde(dir, home: home)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: listDir) else { return [] }
        return names.filter { $0.hasPrefix(prefix) && (!$0.hasPrefix(".") || prefix.hasPrefix(".")) }.sorted().map { name in
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: listDir + "/" + name, isDirectory: &isDir)
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

    /// Tokens the cursor can be in the middle of typing.
    package static func isWordToken(_ k: TokenKind) -> Bool {
        switch k {
        case .identifier, .variable, .number: return true
        default: return false
        }
    }

    /// True for the bare word `w` (any case).
    package static func isWord(_ k: TokenKind, _ w: String) -> Bool {
        if case .identifier(let s) = k { return s.lowercased() == w }
        return false
    }

    package static func isName(_ k: TokenKind) -> Bool {
        switch k {
        case .identifier, .quotedIdentifier: return true
        default: return false
        }
    }

    package static func isValue(_ k: TokenKind) -> Bool {
        switch k {
        case .string, .number, .identifier, .quotedIdentifier, .variable: return true
        default: return false
        }
    }

    /// A token as a word: a name's own text (without backquotes), otherwise its source text.
    package static func text(of t: Token, in source: SourceText) -> String {
        switch t.kind {
        case .identifier(let s), .quotedIdentifier(let s): return s
        default: return source.slice(t.range)
        }
    }

    /// The statement's words, split at each `|`.
    package static func splitPipes(_ words: [Word]) -> [[Word]] {
        var parts: [[Word]] = [[]]
        for w in words {
            if w.kind == .pipe { parts.append([]) } else { parts[parts.count - 1].append(w) }
        }
        return parts
    }

    /// The table a pipeline starts from: `outcomes | …` or `show outcomes | …`.
    package static func sourceTable(_ firstWords: [String], registry: CommandRegistry) -> String? {
        guard let w = firstWords.first else { return nil }
        if let cmd = registry.command(named: w) {
            // `let NAME = TABLE | …` works on TABLE.
            if cmd.name == LetCommand.spec.name { return firstWords.count > 3 ? firstWords[3].trimmingCharacters(in: "`") : nil }
            return cmd.arguments.first.flatMap { if case .table = $0 { return firstWords.dropFirst().first } else { return nil } }
        }
        return w.trimmingCharacters(in: "`")
    }
}

extension String {
    package func trimmingCharacters(in chars: Character) -> String {
        var s = Substring(self)
        while s.first == chars { s = s.dropFirst() }
        while s.last == chars { s = s.dropLast() }
        return String(s)
    }
}
