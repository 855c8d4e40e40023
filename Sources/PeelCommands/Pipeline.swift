import PeelSupport
import PeelLanguage
import PeelEvaluation

/// The grammar above the expression level: a program is statements, a statement a pipeline of
/// steps, and each step is read by its command's parser from the registry.
extension Parser {
    /// Parses a whole input: statements separated by newlines or `;`. With `continuing` (a line
    /// typed in the shell), input that starts with `|` continues the previous command's result,
    /// as a script's line that starts with `|` continues the pipeline above it.
    public static func parse(_ source: SourceText, registry: CommandRegistry, continuing: Bool = false) throws -> [Statement] {
        var p = Parser(tokens: try Lexer.tokenize(source))
        return try p.program(registry: registry, continuing: continuing)
    }

    package mutating func program(registry: CommandRegistry, continuing: Bool = false) throws -> [Statement] {
        var statements: [Statement] = []
        while true {
            while match(.newline) || match(.semicolon) {}
            if atEnd { return statements }
            statements.append(try statement(registry: registry, continuing: continuing && statements.isEmpty))
            guard check(.newline) || check(.semicolon) || atEnd else {
                throw unexpected(expected: "'|' or the end of the command")
            }
        }
    }

    /// `step ('|' step)*`; a line ending in `|`, or a next line starting with `|`, continues the pipeline.
    package mutating func statement(registry: CommandRegistry, continuing: Bool = false) throws -> Statement {
        var steps: [StepNode]
        if continuing, check(.pipe) {
            // The `|` itself stands for the previous result; the loop below reads it as the pipe.
            steps = [StepNode(verb: "|", range: peek.range, step: PreviousResult(range: peek.range))]
        } else {
            steps = [try step(registry: registry, first: true)]
        }
        while true {
            if check(.newline) {
                var look = pos
                while tokens[look].kind == .newline { look += 1 }
                guard tokens[look].kind == .pipe else { break }
                pos = look
            }
            guard match(.pipe) else { break }
            while match(.newline) {}
            steps.append(try step(registry: registry, first: false))
        }
        let range = SourceRange.covering(steps.first!.range, steps.last!.range)
        return Statement(steps: steps, range: range)
    }

    package mutating func step(registry: CommandRegistry, first: Bool) throws -> StepNode {
        let start = peek
        if first, case .quotedIdentifier(let name) = start.kind {
            advance()
            return StepNode(verb: "", range: start.range, step: TableSource(name: name, range: start.range))
        }
        guard let word = start.word else {
            if start.kind == .pipe, first {
                throw ParseError.pipelineStartsWithPipe(start.range)
            }
            throw unexpected(expected: first ? "a command or a table name" : "a verb after '|'",
                             help: first ? "type 'help' to list commands, 'tables' to list tables" : "verbs: " + registry.names(of: .stage).joined(separator: ", "))
        }
        if let cmd = registry.command(named: word) {
            if first && cmd.kind == .stage {
                throw ParseError.stageNeedsTable(start.range, command: cmd.name, usage: cmd.usage)
            }
            if !first && cmd.kind == .source {
                throw ParseError.sourceAfterPipe(start.range, command: cmd.name, stages: registry.names(of: .stage))
            }
            advance()
            // A file argument starting with `~` is read as the home folder, here for every
            // command that takes a file, as Tab completion reads it (`Paths`).
            if cmd.takesFile, case .string(let path) = peek.kind, path.hasPrefix("~") {
                tokens[pos] = Token(kind: .string(Paths.expandingTilde(path)), range: peek.range)
            }
            command = (cmd.name, cmd.usage)
            defer { command = nil }
            let s = try cmd.parse(&self, start)
            let range = SourceRange(start.range.start, previous.range.end)
            return StepNode(verb: cmd.name, range: range, step: s)
        }
        if first {
            advance()
            return StepNode(verb: "", range: start.range, step: TableSource(name: word, range: start.range))
        }
        let stages = registry.names(of: .stage)
        let known = registry.command(otherToolsName: word)?.name
        throw ParseError.unknownVerb(start.range, word: word, otherTool: known,
                                     suggestion: known == nil ? Suggest.closest(to: word, in: stages) : nil, stages: stages)
    }
}
