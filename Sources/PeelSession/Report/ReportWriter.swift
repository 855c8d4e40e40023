import Foundation
import PeelSupport
import PeelData
import PeelIO
import PeelRender
import PeelLanguage
import PeelEvaluation

/// Turns a saved analysis into one document: its comments become prose, each command a code block
/// followed by its result and any warning it raised, with a header (title, date, parameters, data)
/// and a footer (sources and a fingerprint of the script and data). Nothing is written unless every
/// command succeeds.
public enum ReportWriter {
    public enum Format: String, CaseIterable, Sendable { case markdown, html }

    public struct Options: Sendable {
        public var date: String
        public var format: Format = .markdown
        public var parameters: [String: VariableValue] = [:]
        public init(date: String) { self.date = date }
    }

    /// One piece of the document.
    package enum Block {
        case heading(String)
        case prose([String])
        case command(String)
        case table(Table)
        case text(String)
        /// Warnings a command raised (a value that matches no row), quoted under its result.
        case warnings([String])
    }

    /// The report, and the warnings its commands raised rendered as on the command line
    /// (`FILE:LINE:COL: warning: …`), for standard error.
    public struct Document {
        public var text: String
        public var warnings: String
        /// The report's title (the script's first comment) and fingerprint, for an index page.
        public var title: String = ""
        public var fingerprint: String = ""
    }

    /// The document, or the rendered diagnostic of the first error (`FILE:LINE:COL: error: …`).
    public static func build(_ source: SourceText, catalog: Catalog, options: Options) -> Result<Document, ReportError> {
        let sink = CaptureSink()
        var settings = Settings()
        settings.sources = true
        let session = Session(catalog: catalog, settings: settings, sink: sink)
        session.variables.given = options.parameters
        let statements: [Statement]
        do {
            statements = try Parser.parse(source, registry: session.registry)
        } catch {
            return .failure(ReportError(message: render(error, source)))
        }
        let declared = statements.flatMap { $0.steps.compactMap(\.step.declaredParameter) }
        if let failure = ScriptParameters.unknown(options.parameters.keys.sorted(), declared: declared, script: source.name) {
            return .failure(ReportError(message: DiagnosticRenderer.render(failure, in: nil), usage: true))
        }

        var blocks: [Block] = []
        var offset = 0
        var title: String?
        let saved = isSavedSession(source)
        var warnings = ""
        for s in statements {
            blocks += commentary(source, from: offset, to: s.range.start, title: &title, saved: saved)
            offset = s.range.end
            blocks.append(.command(source.slice(s.range)))
            session.state.warnings = []
            // As typed, so a `let` table's title is the script's text, not the parser's.
            session.state.runningText = source.slice(s.range)
            defer { session.state.runningText = nil }
            do {
                switch try session.evaluate(s) {
                case .table(let t, _)?: blocks.append(.table(t))
                case .text(let t)?: blocks.append(.text(t))
                default: break
                }
            } catch {
                return .failure(ReportError(message: render(error, source)))
            }
            if !session.state.warnings.isEmpty {
                blocks.append(.warnings(session.state.warnings.map { warningLine($0, source) }))
                for w in session.state.warnings { warnings += DiagnosticRenderer.render(w, in: source) }
                session.state.warnings = []
            }
        }
        blocks += commentary(source, from: offset, to: source.bytes.count, title: &title, saved: saved)

        // The data the analysis read, and the fingerprint of script and data.
        // Tables made by the script itself (`let`) are not sources: the data they came from is listed.
        let used = catalog.names.filter { catalog.isLoaded($0) && (try? catalog.table($0))??.info.group != "this session" }
        var hash = SHA256()
        hash.update(source.bytes)
        var sources: [(String, String)] = []
        for name in used {
            guard let t = try? catalog.table(name) else { continue }
            var line = [Citation.sentence(t.info.title ?? name)]
            if let s = t.info.source, !s.isEmpty { line.append(Citation.sentence("Source: " + Citation.forReaders(s))) }
            if let p = t.info.period, !p.isEmpty { line.append(Citation.sentence("Period: " + p)) }
            sources.append((name, line.joined(separator: " ")))
            if let path = catalog.filePath(name) ?? (catalog.isBundled(name) ? nil : t.info.source), let data = FileManager.default.contents(atPath: path) { hash.update([UInt8](data)) }
        }
        let fingerprint = hash.finish()
        let params = session.variables.names.filter { declared.contains($0) }.map { n in
            "\(n) = \(session.variables.value(n)!.display)" + (options.parameters[n] == nil ? " (default)" : "")
        }
        let meta = Meta(title: title ?? source.name, script: source.name, date: options.date, parameters: params,
                        tables: used, sources: sources, fingerprint: fingerprint)
        switch options.format {
        case .markdown: return .success(Document(text: markdown(blocks, meta), warnings: warnings, title: meta.title, fingerprint: fingerprint))
        case .html: return .success(Document(text: html(blocks, meta), warnings: warnings, title: meta.title, fingerprint: fingerprint))
        }
    }

    public struct ReportError: Error {
        public var message: String
        /// True for a mistake on the command line (exit status 2) rather than in the script.
        public var usage = false
    }

    package struct Meta {
        package var title: String
        package var script: String
        package var date: String
        package var parameters: [String]
        package var tables: [String]
        package var sources: [(String, String)]
        package var fingerprint: String
    }

    /// A warning as a sentence for the reader: `Warning (line 3): no row has …; did you mean '…'?`
    package static func warningLine(_ d: Diagnostic, _ source: SourceText) -> String {
        let line = d.range.map { " (line \(source.location(of: $0.start).line))" } ?? ""
        return Citation.sentence("Warning\(line): " + (d.help.map { Citation.clause(d.message) + "; " + $0 } ?? d.message))
    }

    package static func render(_ error: Error, _ source: SourceText) -> String {
        (error as? DiagnosticConvertible).map { DiagnosticRenderer.render($0.diagnostic, in: source) } ?? "\(source.name): error: \(error)\n"
    }

    /// The first line `save` writes at the top of a session it saves.
    package static let savedHeader = "# Saved by peel from an interactive session."

    /// Whether the script is a session saved by `save`: its first line is `savedHeader`.
    package static func isSavedSession(_ source: SourceText) -> Bool {
        source.text.hasPrefix(savedHeader)
    }

    /// Comment lines between commands: paragraphs of prose (a blank comment line or a blank line
    /// ends a paragraph). The script's first comment line is the report's title. In a saved
    /// session (`saved`), the "Saved by peel" header is not the title (the first comment the user
    /// wrote is), and the commands that failed, kept as `# failed: …` comments, are left out.
    package static func commentary(_ source: SourceText, from: Int, to: Int, title: inout String?, saved: Bool = false) -> [Block] {
        guard to > from else { return [] }
        let text = source.slice(SourceRange(from, to))
        var blocks: [Block] = []
        var paragraph: [String] = []
        func flush() {
            if !paragraph.isEmpty { blocks.append(.prose(paragraph)) }
            paragraph = []
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingSpaces()
            guard line.hasPrefix("#") else { flush(); continue }
            if saved && (line.hasPrefix(savedHeader) || line.hasPrefix("# failed: ") || line == "# failed:") { continue }
            var body = String(line.dropFirst())
            if body.hasPrefix(" ") { body.removeFirst() }
            if body.isEmpty { flush(); continue }
            if title == nil {
                title = body
                continue
            }
            if body.hasPrefix("#") { flush(); blocks.append(.heading(body)); continue }
            paragraph.append(body)
        }
        flush()
        return blocks
    }

    package static func markdown(_ blocks: [Block], _ m: Meta) -> String {
        var out = "# " + TableRenderer.markdownEscape(m.title) + "\n\n"
        out += "- Analysis: \(codeSpan(m.script))\n- Date: \(TableRenderer.markdownEscape(m.date))\n"
        out += "- Parameters: " + (m.parameters.isEmpty ? "none" : m.parameters.map(codeSpan).joined(separator: ", ")) + "\n"
        out += "- Data: " + (m.tables.isEmpty ? "none" : m.tables.map(codeSpan).joined(separator: ", ")) + "\n"
        for b in blocks {
            out += "\n"
            switch b {
            case .heading(let h): out += h + "\n"
            case .prose(let lines): out += lines.joined(separator: "\n") + "\n"
            case .command(let c): out += codeBlock(c + "\n", info: "peel")
            case .table(let t):
                out += TableRenderer.markdown(t)
                out += Provenance.line(for: t, format: .markdown)
            case .text(let s): out += codeBlock(s.hasSuffix("\n") ? s : s + "\n", info: "text")
            case .warnings(let lines): out += lines.map { "> " + TableRenderer.markdownEscape($0) + "\n" }.joined(separator: ">\n")
            }
        }
        out += "\n## Sources\n\n"
        for (name, line) in m.sources { out += "- \(codeSpan(name)): " + TableRenderer.markdownEscape(line) + "\n" }
        if m.sources.isEmpty { out += "- none\n" }
        out += "\nFingerprint (SHA-256 of the script and the data files read): `\(m.fingerprint)`\n"
        return out
    }

    /// `text` as a Markdown code span: its characters are shown as they are (`<script>` is text,
    /// `*` is not emphasis). The backquotes around it outnumber any run of them inside, so a
    /// parameter's value cannot close the span (CommonMark's rule); a value that starts or ends
    /// with a backquote is padded with a space. Values hold no line breaks: parameters with
    /// control characters are refused on the command line (`ScriptParameters`).
    package static func codeSpan(_ text: String) -> String {
        let fence = String(repeating: "`", count: longestRun(of: "`", in: text) + 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return fence + pad + text + pad + fence
    }

    /// `text` (ending in a line break) as a fenced code block whose fence is longer than any run of
    /// backquotes inside, so that no line of a result can end the block early.
    package static func codeBlock(_ text: String, info: String) -> String {
        let fence = String(repeating: "`", count: max(3, longestRun(of: "`", in: text) + 1))
        return fence + info + "\n" + text + fence + "\n"
    }

    package static func longestRun(of c: Character, in text: String) -> Int {
        var longest = 0, run = 0
        for ch in text {
            run = ch == c ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    package static func html(_ blocks: [Block], _ m: Meta) -> String {
        let e = TableRenderer.htmlEscape
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(e(m.title))</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; color: #111; }
            table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-variant-numeric: tabular-nums; }
            th, td { border: 1px solid #bbb; padding: 0.2rem 0.5rem; }
            th { background: #eee; text-align: left; }
            caption { caption-side: bottom; text-align: left; font-size: 0.9em; color: #444; }
            pre { background: #f6f6f6; padding: 0.5rem; overflow-x: auto; }
            .source, .meta { font-size: 0.9em; color: #444; }
            blockquote.warning { margin: 0.5rem 0 1rem; padding: 0.2rem 0.8rem; border-left: 4px solid #c80; background: #fff8e6; }
            </style>
            </head>
            <body>
            <h1>\(e(m.title))</h1>

            """
        out += "<ul class=\"meta\">\n<li>Analysis: <code>\(e(m.script))</code></li>\n<li>Date: \(e(m.date))</li>\n"
        out += "<li>Parameters: " + (m.parameters.isEmpty ? "none" : m.parameters.map { "<code>\(e($0))</code>" }.joined(separator: ", ")) + "</li>\n"
        out += "<li>Data: " + (m.tables.isEmpty ? "none" : m.tables.map { "<code>\(e($0))</code>" }.joined(separator: ", ")) + "</li>\n</ul>\n"
        for b in blocks {
            switch b {
            case .heading(let h):
                let level = min(6, h.prefix { $0 == "#" }.count)
                out += "<h\(level)>\(e(h.drop { $0 == "#" }.trimmingSpaces()))</h\(level)>\n"
            case .prose(let lines): out += "<p>" + e(lines.joined(separator: " ")) + "</p>\n"
            case .command(let c): out += "<pre><code>" + e(c) + "</code></pre>\n"
            case .table(let t): out += TableRenderer.html(t) + Provenance.line(for: t, format: .html)
            case .text(let s): out += "<pre>" + e(s) + "</pre>\n"
            case .warnings(let lines): out += "<blockquote class=\"warning\">\n" + lines.map { "<p>" + e($0) + "</p>\n" }.joined() + "</blockquote>\n"
            }
        }
        out += "<h2>Sources</h2>\n<ul>\n"
        for (name, line) in m.sources { out += "<li><code>\(e(name))</code>: \(e(line))</li>\n" }
        out += "</ul>\n<p class=\"meta\">Fingerprint (SHA-256 of the script and the data files read): <code>\(m.fingerprint)</code></p>\n</body>\n</html>\n"
        return out
    }
}
