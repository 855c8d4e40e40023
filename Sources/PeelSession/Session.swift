import Foundation
import PeelSupport
import PeelIO
import PeelRender
import PeelLanguage
import PeelEvaluation
import PeelCommands

/// A peel session: the tables, the settings and the output sink. Runs commands and scripts.
public final class Session {
    public let catalog: Catalog
    public let registry: CommandRegistry
    public let state: SessionState
    public var settings: Settings {
        get { state.settings }
        set { state.settings = newValue }
    }
    public var variables: Variables { state.variables }
    public let sink: OutputSink

    public init(catalog: Catalog, registry: CommandRegistry = .standard, settings: Settings = Settings(), sink: OutputSink) {
        self.catalog = catalog
        self.registry = registry
        self.state = SessionState(settings: settings)
        self.sink = sink
    }

    /// Runs every statement in `source`, stopping at the first error. Returns false on error.
    /// `continuing` (the shell): a source that starts with `|` continues the previous result.
    @discardableResult
    public func run(_ source: SourceText, continuing: Bool = false) -> Bool {
        let statements: [Statement]
        do {
            statements = try Parser.parse(source, registry: registry, continuing: continuing)
        } catch {
            report(error, in: source)
            state.journal.append(.init(text: source.text, succeeded: false))
            return false
        }
        if state.initialSettings == nil { state.initialSettings = settings }
        for s in statements {
            let text = source.slice(s.range)
            // Ctrl-C or SIGTERM: stop between commands; what has run stays done, nothing more runs.
            if Interrupt.isRequested() {
                let line = source.location(of: s.range.start).line
                sink.err("\(source.name):\(line): interrupted: stopped before this command; the commands before it ran in full\n")
                return false
            }
            state.warnings = []
            defer {
                for w in state.warnings { sink.err(DiagnosticRenderer.render(w, in: source)) }
                state.warnings = []
            }
            do {
                // A command's spec says whether `save` replays it (not `save` itself); the results
                // of those that are replayed are numbered (cells), so a replay numbers them alike.
                let journalled = s.steps.first.flatMap({ registry.command(named: $0.verb) })?.journalled ?? true
                let before = state.cells.count
                let output = try execute(s, text: text, numbered: journalled)
                let replayed = state.keep(output, text: text, continues: s.steps.first?.step is PreviousResult)
                if journalled {
                    state.journal.append(.init(text: replayed, succeeded: true, cell: state.cells.count > before ? state.cells.count : nil))
                }
            } catch {
                report(error, in: source)
                state.journal.append(.init(text: text, succeeded: false))
                return false
            }
        }
        return true
    }

    /// The names a script declares with `param`, or nil when it does not parse.
    public func declaredParameters(in source: SourceText) -> [String]? {
        guard let statements = try? Parser.parse(source, registry: registry) else { return nil }
        return statements.flatMap { $0.steps.compactMap(\.step.declaredParameter) }
    }

    /// Runs one parsed statement, writes its result and returns it.
    @discardableResult
    package func execute(_ statement: Statement, text: String, numbered: Bool = true) throws -> Output? {
        state.runningText = text
        defer { state.runningText = nil }
        let clock = ContinuousClock()
        let started = clock.now
        guard let output = try evaluate(statement) else { return nil }
        var cell: Int?
        if numbered {
            switch output {
            case .nothing: break
            default:
                // A `let` prints what it kept; its cell is the table itself.
                if let kept = statement.steps.first?.step as? LetCommand, let t = try catalog.table(kept.name.0) {
                    state.cells.append(.table(t))
                } else {
                    state.cells.append(output)
                }
                cell = state.cells.count
            }
        }
        try emit(output, command: text, cell: cell)
        // `set timer on`: the wall time after the result, in the shell (scripts and pipes stay
        // the same bytes on every run; reports never show it).
        if settings.timer, settings.cellNumbers {
            let d = clock.now - started
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            sink.err("time: \(NumberFormat.fixed(seconds, scale: seconds < 10 ? 3 : 1)) s\n")
        }
        return output
    }

    /// Runs one parsed statement and returns its result without writing it.
    public func evaluate(_ statement: Statement) throws -> Output? {
        try statement.evaluate(EvalContext(catalog: catalog, commands: registry, state: state))
    }

    /// Writes a result to the session's destination: the sink, or the file named by `output`.
    package func emit(_ output: Output, command: String, cell: Int? = nil) throws {
        // `output "FILE.md"` writes Markdown: tables as tables, charts and messages in fenced blocks.
        let toMarkdownFile = state.outputFile.map { OutputFormat.forFile($0) == .markdown } ?? false
        guard let result = try ResultWriter.render(output, otherwise: toMarkdownFile ? .markdown : settings.format, settings: settings,
                                                   fenceText: toMarkdownFile, fit: state.outputFile == nil ? settings.screenFit : nil) else { return }
        let format = result.format
        let isTable = result.isTable
        let body = isTable || result.text.hasSuffix("\n") ? result.text : result.text + "\n"
        // In data formats only tables are data: other words (summaries, help, charts) go to stderr,
        // so a piped CSV or JSON stream stays valid.
        if format.isData && !isTable {
            sink.err(body)
            return
        }
        var text = ""
        // A blank line between results keeps a replayed script readable (not in data formats).
        if state.printedAny, !format.isData { text += "\n" }
        if settings.echo {
            let echo = format == .markdown ? "```peel\n" + command + "\n```\n\n" : "peel> " + command.replacingAll("\n", with: "\n  ...> ") + "\n"
            // A data stream stays data: the log of commands goes beside it.
            if format.isData { sink.err(echo) } else { text += echo }
        }
        // In the shell, each result is numbered like a notebook's cell (`_3` is result 3); never
        // in scripts, pipes or files, so their output is the same however they are run.
        if let cell, settings.cellNumbers, state.outputFile == nil, !format.isData { text += "[\(cell)]\n" }
        text += body
        if let file = state.outputFile {
            if state.outputStarted {
                try AtomicFile.append(text, to: file, at: nil)
            } else {
                // The first result: the file is replaced whole (keeping its old bytes exactly with
                // `append`, and ending its last line first), so a link in its place is replaced,
                // never written through. A terminal or a pipe is written to directly.
                var bytes: [UInt8] = []
                if state.outputAppend, AtomicFile.target(file) == .regular, let old = FileManager.default.contents(atPath: file) {
                    bytes = [UInt8](old)
                    if let last = bytes.last, last != UInt8(ascii: "\n"), last != UInt8(ascii: "\r") { bytes.append(UInt8(ascii: "\n")) }
                }
                try AtomicFile.write(bytes: bytes + Array(text.utf8), to: file, at: nil)
                state.outputStarted = true
            }
        } else {
            sink.out(text)
        }
        state.printedAny = true
    }

    private func report(_ error: Error, in source: SourceText) {
        if let e = error as? DiagnosticConvertible {
            sink.err(DiagnosticRenderer.render(e.diagnostic, in: source))
        } else {
            sink.err("\(source.name): error: \(error)\n")
        }
    }
}

