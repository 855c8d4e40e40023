import Foundation
import PeelSupport
import PeelData
import PeelIO
import PeelRender
import PeelLanguage

/// `peel report A.peel --each force=all -o DIR`: one report per value of a parameter, written into
/// a folder with an index page that links them (title and fingerprint of each).
///
/// Each report is built with its own `Catalog` and `Session` (a catalog is not thread-safe, and the
/// tables a report read are listed in it, so reports never share one): the output is the same
/// whatever the number of jobs. Reports are written whole (AtomicFile) or not at all; a stop
/// (Ctrl-C, SIGTERM) is honoured between reports.
public enum ReportBatch {
    /// `NAME=all` (`values` nil: every territorial force) or `NAME=("A","B")` / `NAME=A`.
    public struct Each: Equatable, Sendable {
        public var name: String
        public var values: [String]?
    }

    /// Reads the word after `--each`.
    public static func parseEach(_ word: String) -> Result<Each, CommandLineError> {
        guard let eq = word.firstIndex(of: "="), eq != word.startIndex else { return .failure(.badEach(word)) }
        let name = String(word[..<eq])
        let rest = String(word[word.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        if let failure = ScriptParameters.controlCharacter(in: word, name: name) { return .failure(failure) }
        if rest == "all" { return .success(Each(name: name, values: nil)) }
        var body = Substring(rest)
        if body.hasPrefix("(") {
            guard body.hasSuffix(")") else { return .failure(.badEach(word)) }
            body = body.dropFirst().dropLast()
        }
        // Comma-separated items, each bare or in double quotes.
        var items: [String] = []
        var current = "", quoted = false, wasQuoted = false
        func finish() -> Bool {
            let item = wasQuoted ? current : current.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { return false }
            items.append(item)
            current = ""; wasQuoted = false
            return true
        }
        for ch in body {
            if quoted {
                if ch == "\"" { quoted = false } else { current.append(ch) }
            } else if ch == "\"" {
                guard current.trimmingCharacters(in: .whitespaces).isEmpty, !wasQuoted else { return .failure(.badEach(word)) }
                current = ""; quoted = true; wasQuoted = true
            } else if ch == "," {
                guard finish() else { return .failure(.badEach(word)) }
            } else if wasQuoted {
                guard ch == " " else { return .failure(.badEach(word)) }
            } else {
                current.append(ch)
            }
        }
        guard !quoted, finish() else { return .failure(.badEach(word)) }
        return .success(Each(name: name, values: items))
    }

    /// The territorial forces, in the order of the bundled `forces` table (rows of kind `force`).
    public static func territorialForces(_ catalog: Catalog) -> [String] {
        guard let t = try? catalog.table("forces"), let f = t.column("force") else { return [] }
        let kind = t.column("kind")
        var seen = Set<String>()
        return (0..<t.rowCount).filter { kind?.text($0) ?? "force" == "force" }.compactMap { f.text($0) }.filter { seen.insert($0).inserted }
    }

    /// The values to run: every territorial force for `all`, else the list, each force name checked
    /// (when the parameter is `force`) so that a misspelt one is an error before any report is run.
    public static func values(_ each: Each, catalog: Catalog) -> Result<[String], CommandLineError> {
        guard let list = each.values else {
            guard each.name == "force" else { return .failure(.eachAllNotForce(name: each.name)) }
            let all = territorialForces(catalog)
            return all.isEmpty ? .failure(.eachNoForces) : .success(all)
        }
        if each.name == "force" {
            let names = catalog.forceNames()
            for v in list {
                if case .force = names.recognise(v) { continue }
                let suggestion = Suggest.closest(to: v, in: territorialForces(catalog))
                return .failure(.eachUnknownForce(v, suggestion: suggestion))
            }
        }
        return .success(list)
    }

    /// File names for the reports: `SCRIPT-VALUE.md`, the value lower-cased with anything but
    /// letters and digits as one `-`; a name already taken gets `-2`, `-3`, ….
    public static func fileNames(script: String, values: [String], format: ReportWriter.Format) -> [String] {
        let ext = format == .html ? "html" : "md"
        var base = slug((script as NSString).lastPathComponent.replacingOccurrences(of: ".peel", with: ""))
        if base.isEmpty { base = "report" }
        var taken: Set<String> = ["index"]
        return values.map { v in
            var s = slug(v)
            if s.isEmpty { s = "value" }
            var name = base + "-" + s, n = 2
            while taken.contains(name) { name = base + "-" + s + "-\(n)"; n += 1 }
            taken.insert(name)
            return name + "." + ext
        }
    }

    package static func slug(_ s: String) -> String {
        var out = "", dash = false
        for u in s.lowercased().unicodeScalars {
            if u.isASCII && (("a"..."z").contains(u) || ("0"..."9").contains(u)) {
                if dash && !out.isEmpty { out += "-" }
                out.unicodeScalars.append(u)
                dash = false
            } else {
                dash = true
            }
        }
        return String(out.prefix(80))
    }

    /// How one report went.
    public struct Outcome: Sendable {
        public var value: String
        public var file: String
        /// The report's title and fingerprint, when it was written.
        public var title: String?
        public var fingerprint: String?
        /// The diagnostic (rendered) when it failed.
        public var error: String?
        /// Warnings its commands raised, rendered for standard error.
        public var warnings = ""
    }

    /// Runs the reports, `jobs` at a time; `outcomes[i]` is nil for a report not run (stopped).
    /// `done` is called on the calling thread, in the order of `values`, as each is ready.
    public static func run(_ source: SourceText, each name: String, values: [String], files: [String], directory: String,
                           options: ReportWriter.Options, jobs: Int,
                           catalog makeCatalog: @escaping @Sendable () throws -> Catalog,
                           done: (Outcome) -> Void) -> [Outcome?] {
        let state = BatchState(count: values.count)
        // One report alone: its data, as read from the files.
        @Sendable func one(_ i: Int, _ catalog: () throws -> Catalog) -> Catalog? {
            var opts = options
            opts.parameters[name] = VariableValue.parse(commandLine: values[i])
            var outcome = Outcome(value: values[i], file: files[i])
            var used: Catalog?
            do {
                let c = try catalog()
                used = c
                switch ReportWriter.build(source, catalog: c, options: opts) {
                case .failure(let e):
                    outcome.error = e.message
                case .success(let doc):
                    outcome.warnings = doc.warnings
                    try state.write(doc.text, to: directory + "/" + files[i])
                    outcome.title = doc.title
                    outcome.fingerprint = doc.fingerprint
                }
            } catch {
                outcome.error = (error as? DiagnosticConvertible).map { DiagnosticRenderer.render($0.diagnostic, in: nil) } ?? "peel report: \(error)\n"
            }
            // A report stopped part-way is not a failure: it was not run.
            state.finish(i, outcome.error != nil && Interrupt.isRequested() ? nil : outcome)
            return outcome.error == nil ? used : nil
        }
        // The first report reads its tables from the files; the others start from a copy of its
        // catalog (`Catalog.fork`: those tables already read, shared read-only), so the big tables
        // are read once. Every later report starts from the same copy, whatever the number of jobs.
        var master: CatalogBox?
        if let first = state.next() {
            master = one(first, makeCatalog).map(CatalogBox.init)
        }
        let start: @Sendable () throws -> Catalog = { [master] in try master.map { $0.catalog.fork() } ?? makeCatalog() }
        let workers = max(1, min(jobs, values.count - 1))
        let group = DispatchGroup()
        for _ in 0..<workers where values.count > 1 {
            group.enter()
            let thread = Thread {
                while let i = state.next() { _ = one(i, start) }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        // Report in order as each is ready.
        var reported = 0
        while reported < values.count {
            guard let result = state.wait(for: reported) else { break }
            if let o = result { done(o) }
            reported += 1
        }
        group.wait()
        return state.results.map { $0 ?? nil }
    }

    /// The index page: one line per report, linking it, with its title and fingerprint; failed and
    /// unrun reports are named.
    public static func index(script: String, name: String, date: String, outcomes: [(String, String, Outcome?)], format: ReportWriter.Format) -> String {
        let esc = TableRenderer.markdownEscape
        let failed = outcomes.filter { $0.2?.error != nil }.count
        let missing = outcomes.filter { $0.2 == nil }.count
        if format == .html {
            let e = TableRenderer.htmlEscape
            var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>\(e(script)): one report per \(e(name))</title>\n</head>\n<body>\n"
            out += "<h1><code>\(e(script))</code>: one report per \(e(name))</h1>\n<p>Date: \(e(date)). Reports: \(outcomes.count - failed - missing) written"
            out += (failed > 0 ? ", \(failed) failed" : "") + (missing > 0 ? ", \(missing) not run (stopped)" : "") + ".</p>\n<ul>\n"
            for (value, file, o) in outcomes {
                if let o, o.error == nil {
                    out += "<li><a href=\"\(e(file))\">\(e(value))</a>: \(e(o.title ?? "")) (fingerprint <code>\(e(o.fingerprint ?? ""))</code>)</li>\n"
                } else {
                    out += "<li>\(e(value)): " + (o == nil ? "not run (stopped)" : "failed: " + e(firstLine(o!.error!))) + "</li>\n"
                }
            }
            return out + "</ul>\n</body>\n</html>\n"
        }
        var out = "# " + ReportWriter.codeSpan(script) + ": one report per " + esc(name) + "\n\n"
        out += "- Date: \(esc(date))\n- Reports: \(outcomes.count - failed - missing) written"
        out += (failed > 0 ? ", \(failed) failed" : "") + (missing > 0 ? ", \(missing) not run (stopped)" : "") + "\n\n"
        out += "| \(esc(name)) | Report | Fingerprint |\n| --- | --- | --- |\n"
        for (value, file, o) in outcomes {
            if let o, o.error == nil {
                out += "| \(esc(value)) | [\(esc(o.title ?? file))](\(file)) | `\(o.fingerprint ?? "")` |\n"
            } else {
                out += "| \(esc(value)) | " + (o == nil ? "not run (stopped)" : "failed: " + esc(firstLine(o!.error!))) + " | |\n"
            }
        }
        return out
    }

    static func firstLine(_ s: String) -> String {
        String(s.split(separator: "\n").first ?? "")
    }
}

/// The catalog of the first report, only read (forked) by the workers.
private final class CatalogBox: @unchecked Sendable {
    let catalog: Catalog
    init(_ catalog: Catalog) { self.catalog = catalog }
}

/// The shared queue of a batch: the next report to run, the results, one AtomicFile write at a time.
private final class BatchState: @unchecked Sendable {
    private let lock = NSCondition()
    private var nextIndex = 0
    private let count: Int
    private(set) var results: [Outcome??]

    typealias Outcome = ReportBatch.Outcome

    init(count: Int) {
        self.count = count
        results = Array(repeating: nil, count: count)
    }

    /// The next report to run, or nil when all are taken or a stop was asked for.
    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard nextIndex < count, !Interrupt.isRequested() else {
            stopped = true
            lock.broadcast()
            return nil
        }
        nextIndex += 1
        return nextIndex - 1
    }

    private var stopped = false
    private var running = 0

    func finish(_ i: Int, _ o: Outcome?) {
        lock.lock()
        results[i] = .some(o)
        lock.broadcast()
        lock.unlock()
    }

    /// The result of report `i` once ready (`.some(nil)` for a stopped one); nil when it will never run.
    func wait(for i: Int) -> Outcome?? {
        lock.lock(); defer { lock.unlock() }
        while results[i] == nil {
            if stopped && i >= nextIndex { return nil }
            lock.wait()
        }
        return results[i]
    }

    private let writeLock = NSLock()

    func write(_ text: String, to path: String) throws {
        writeLock.lock(); defer { writeLock.unlock() }
        try AtomicFile.write(text, to: path, at: nil)
    }
}
