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
    private var printedAny = false

    public init(catalog: Catalog, registry: CommandRegistry = .standard, settings: Settings = Settings(), sink: OutputSink) {
        self.catalog = catalog
        self.registry = registry
        self.state = SessionState(settings: settings)
        self.sink = sink
    }

    /// Runs every statement in `source`, stopping at the first error. Returns false on error.
    @discardableResult
    public func run(_ source: SourceText) -> Bool {
        let statements: [Statement]
        do {
            statements = try Parser.parse(source, registry: registry)
        } catch {
            report(error, in: source)
            return false
        }
        for s in statements {
            do {
                try execute(s)
            } catch {
                report(error, in: source)
                return false
            }
        }
        return true
    }

    /// The names a script declares with `param`, or nil when it does not parse.
    public func declaredParameters(in source: SourceText) -> [String]? {
        guard let statements = try? Parser.parse(source, registry: registry) else { return nil }
        return statements.flatMap { $0.steps.compactMap { ($0.step as? ParamCommand)?.name.0 } }
    }

    /// Runs one parsed statement and writes its result.
    func execute(_ statement: Statement) throws {
        let ctx = EvalContext(catalog: catalog, registry: registry, state: state)
        var output: Output?
        for (i, node) in statement.steps.enumerated() {
            if i > 0, case .text? = output {
                throw Diagnostic("'\(statement.steps[i - 1].verb)' produces text, so nothing can follow it", at: node.range,
                                 help: "put '\(statement.steps[i - 1].verb)' last")
            }
            do {
                output = try node.step.run(output, ctx)
            } catch var d as Diagnostic {
                if d.range == nil { d.range = node.range }
                throw d
            }
        }
        guard let output else { return }
        let text: String
        switch output {
        case .table(let t): text = TableRenderer.render(t, format: settings.format)
        case .text(let s): text = s.hasSuffix("\n") ? s : s + "\n"
        case .nothing: return
        }
        // A blank line between results keeps a replayed script readable (not in data formats).
        if printedAny, settings.format == .text { sink.out("\n") }
        sink.out(text)
        printedAny = true
    }

    private func report(_ error: Error, in source: SourceText) {
        if let d = error as? Diagnostic {
            sink.err(DiagnosticRenderer.render(d, in: source))
        } else {
            sink.err("\(source.name): error: \(error)\n")
        }
    }
}
