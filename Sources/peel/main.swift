#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import PeelSupport
import PeelIO
import PeelRender
import PeelEvaluation
import PeelSession

/// The command line: `peel` runs a script, `-c` commands or the shell (the default subcommand,
/// `run`); `peel report` writes a saved analysis up as one document; `peel help SUBCOMMAND`.
///
/// A first argument that names a subcommand (`report`, `run`, `help`) is that subcommand, so a
/// script with one of those names is given as a path (`peel ./report`) or after `run`
/// (`peel run report`). Options come after the subcommand (`peel report A.peel --format html`).
struct Peel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peel",
        abstract: "A shell for police inspection data: HMICFRS PEEL and Crime Data Integrity figures, crime outcomes, and your own CSV files.",
        subcommands: [RunCommand.self, ReportCommand.self],
        defaultSubcommand: RunCommand.self)
}

/// `peel [run] [FILE [NAME=VALUE ...]] [-c COMMANDS] [--format F] [--history-file PATH] [--no-rc] [--version]`
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Replay a script, run commands given with -c, or start the shell (the default).")

    @Argument(help: "A script of peel commands to replay (one command per line).")
    var script: String?

    @Argument(help: ArgumentHelp("Values for the script's parameters, as NAME=VALUE (e.g. force=Kent).", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Option(name: .customShort("c"), help: ArgumentHelp("Run these commands (separated by ';') and exit.", valueName: "commands"))
    var command: String?

    @Option(help: "Output format for tables: text, box, markdown, csv, tsv, json, html or latex.")
    var format: String = "text"

    @Option(name: .customLong("history-file"), help: "Where to keep command history (default: $PEEL_HISTORY, else $XDG_STATE_HOME/peel/history). A file that is not a peel history is left alone.")
    var historyFile: String?

    @Flag(name: .customLong("no-rc"), help: "Do not run the start-up file (~/.config/peel/peelrc or ~/.peelrc).")
    var noRC = false

    @Flag(help: "Print the version and exit.")
    var version = false

    func run() throws { throw ExitCode(execute()) }

    /// Exit codes: 0 success, 1 a command failed, 2 bad usage, 130 interrupted (Ctrl-C), 143 SIGTERM.
    func execute() -> Int32 {
        if version {
            print("peel \(peelVersion)")
            return 0
        }
        guard let format = OutputFormat(rawValue: format.lowercased()) else {
            return usageError(.unknownFormat(.run, given: self.format, choices: OutputFormat.allCases.map(\.rawValue)))
        }
        if script != nil && command != nil {
            return usageError(.scriptAndCommands)
        }

        let env = ProcessInfo.processInfo.environment
        let sink = StdioSink(colour: isatty(STDERR_FILENO) != 0 && (env["NO_COLOR"] ?? "").isEmpty && env["TERM"] != "dumb")
        let catalog: Catalog
        do {
            catalog = try bundledCatalog(env)
        } catch let e as DiagnosticConvertible {
            sink.err(DiagnosticRenderer.render(e.diagnostic, in: nil))
            return 1
        } catch {
            Terminal.error("peel: \(error)\n")
            return 1
        }
        var settings = Settings()
        settings.format = format
        let session = Session(catalog: catalog, settings: settings, sink: sink)
        defer { fflush(stdout) }
        let interactive = command == nil && script == nil && isatty(STDIN_FILENO) != 0
        if !interactive {
            LineEditor.installScriptSignalHandlers()
            Interrupt.isRequested = { interrupted != 0 || terminated != 0 }
        }
        /// 0 when every command succeeded; 130/143 when a signal stopped the run; else 1.
        func status(_ ok: Bool) -> Int32 {
            if terminated != 0 { return 143 }
            if interrupted != 0 { return 130 }
            return ok ? 0 : 1
        }

        if let command {
            return status(session.run(SourceText(name: "<command>", text: command)))
        }
        if !parameters.isEmpty && script == nil {
            return usageError(.parametersWithoutScript(first: parameters[0]))
        }
        if let path = script {
            guard let data = FileManager.default.contents(atPath: path), !isDirectory(path) else {
                return usageError(.unreadableScript(.run, path: path, exists: FileManager.default.fileExists(atPath: path)))
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                sink.err(DiagnosticRenderer.render(CSVReader.invalidUTF8(Array(data), what: "the script", fileName: path), in: nil))
                return 1
            }
            let source = SourceText(name: path, text: text)
            // Parameters must be ones the script declares with `param`.
            switch ScriptParameters.parse(parameters, declared: session.declaredParameters(in: source), script: path) {
            case .failure(let failure):
                return usageError(failure)
            case .success(let given):
                session.variables.given = given
            }
            return status(session.run(source))
        }
        if isatty(STDIN_FILENO) == 0 {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard let text = String(validating: data, as: UTF8.self) else {
                sink.err(DiagnosticRenderer.render(CSVReader.invalidUTF8(Array(data), what: "the input", fileName: "<stdin>"), in: nil))
                return 1
            }
            return status(session.run(SourceText(name: "<stdin>", text: text)))
        }
        return Shell(session: session, historyPath: historyPath(historyFile, env),
                     startupFile: noRC ? nil : startupFile(env)).run()
    }
}

let peelVersion = "0.1.0"

/// `peel report ANALYSIS.peel [-o REPORT.md] [--date YYYY-MM-DD] [--format markdown|html] [NAME=VALUE ...]`
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Run a saved analysis and write it up as one Markdown (or HTML) document.",
        discussion: "Comments become prose, each command a code block followed by its result; a header names the date, parameters and data, a footer the sources and a fingerprint. Nothing is written unless every command succeeds.")

    @Argument(help: "The saved analysis to run.")
    var script: String

    @Argument(help: ArgumentHelp("Values for the script's parameters, as NAME=VALUE.", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Option(name: .shortAndLong, help: "Write the report to this file (whole or not at all) instead of standard output.")
    var output: String?

    @Option(help: "The date printed in the report (default: today), so a report can be reproduced byte for byte.")
    var date: String?

    @Option(help: "markdown (default) or html (one self-contained page).")
    var format: String = "markdown"

    @Option(help: ArgumentHelp("One report per value of a parameter, into the folder -o DIR with an index: force=all (the 43 forces) or force=(\"Kent\",\"Essex\").", valueName: "NAME=VALUES"))
    var each: String?

    @Option(help: ArgumentHelp("With --each, run this many reports at a time (1 to the number of cores).", valueName: "N"))
    var jobs: String = "1"

    func run() throws { throw ExitCode(execute()) }

    /// Exit codes: 0 written, 1 a command of the analysis failed (nothing written; with --each, one
    /// report or more failed, the others written), 2 bad usage, 130/143 stopped (with --each).
    func execute() -> Int32 {
        guard let format = ReportWriter.Format(rawValue: format.lowercased()) else {
            return usageError(.unknownFormat(.report, given: self.format, choices: ReportWriter.Format.allCases.map(\.rawValue)))
        }
        guard let data = FileManager.default.contents(atPath: script), !isDirectory(script) else {
            return usageError(.unreadableScript(.report, path: script, exists: FileManager.default.fileExists(atPath: script)))
        }
        let source = SourceText(name: script, text: String(decoding: data, as: UTF8.self))
        let env = ProcessInfo.processInfo.environment
        let catalog: Catalog
        do { catalog = try bundledCatalog(env) } catch {
            Terminal.error((error as? DiagnosticConvertible).map { DiagnosticRenderer.render($0.diagnostic, in: nil) } ?? "peel: \(error)\n")
            return 1
        }
        var settings = ReportWriter.Options(date: date ?? {
            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd"
            f.locale = Locale(identifier: "en_GB")
            return f.string(from: Date())
        }())
        settings.format = format
        let declared = Session(catalog: catalog, sink: CaptureSink()).declaredParameters(in: source)
        switch ScriptParameters.parse(parameters, declared: declared, script: script) {
        case .failure(let failure):
            return usageError(failure)
        case .success(let given):
            settings.parameters = given
        }
        if let each {
            return runEach(each, source: source, declared: declared, catalog: catalog, options: settings, env: env)
        }
        switch ReportWriter.build(source, catalog: catalog, options: settings) {
        case .failure(let e):
            Terminal.error(e.message)
            return e.usage ? 2 : 1
        case .success(let doc):
            // Warnings go in the report, under the command that raised them, and to stderr.
            Terminal.error(doc.warnings)
            guard let out = output else {
                Terminal.output(doc.text)
                return 0
            }
            do {
                try AtomicFile.write(doc.text, to: out, at: nil)
            } catch {
                Terminal.error((error as? DiagnosticConvertible).map { DiagnosticRenderer.render($0.diagnostic, in: nil) } ?? "peel report: \(error)\n")
                return 1
            }
            return 0
        }
    }
}

extension ReportCommand {
    /// `--each NAME=VALUES -o DIR [--jobs N]`: one report per value, and `DIR/index.md`.
    func runEach(_ word: String, source: SourceText, declared: [String]?, catalog: Catalog, options: ReportWriter.Options, env: [String: String]) -> Int32 {
        let each: ReportBatch.Each
        switch ReportBatch.parseEach(word) {
        case .failure(let f): return usageError(f)
        case .success(let e): each = e
        }
        if let declared, let failure = ScriptParameters.unknown([each.name], declared: declared, script: script) {
            return usageError(failure)
        }
        if options.parameters[each.name] != nil { return usageError(.eachAndParameter(name: each.name)) }
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        guard let n = Int(jobs.trimmingCharacters(in: .whitespaces)), (1...cores).contains(n) else {
            return usageError(.badJobs(given: jobs, cores: cores))
        }
        guard let dir = output else { return usageError(.eachNeedsFolder) }
        let values: [String]
        switch ReportBatch.values(each, catalog: catalog) {
        case .failure(let f): return usageError(f)
        case .success(let v): values = v
        }
        if FileManager.default.fileExists(atPath: dir) {
            guard isDirectory(dir) else { return usageError(.eachNotFolder(dir, exists: true)) }
        } else {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                return usageError(.eachNotFolder(dir, exists: false))
            }
        }
        LineEditor.installScriptSignalHandlers()
        Interrupt.isRequested = { interrupted != 0 || terminated != 0 }
        let files = ReportBatch.fileNames(script: script, values: values, format: options.format)
        var failed = 0
        let outcomes = ReportBatch.run(source, each: each.name, values: values, files: files, directory: dir, options: options, jobs: n,
                                       catalog: { try bundledCatalog(env) }) { o in
            Terminal.error(o.warnings)
            if let e = o.error {
                failed += 1
                Terminal.error("peel report: \(each.name) = \(o.value): the report failed:\n" + e)
            }
        }
        let index = ReportBatch.index(script: script, name: each.name, date: options.date,
                                      outcomes: (0..<values.count).map { (values[$0], files[$0], outcomes[$0]) }, format: options.format)
        do {
            try AtomicFile.write(index, to: dir + "/index." + (options.format == .html ? "html" : "md"), at: nil)
        } catch {
            Terminal.error((error as? DiagnosticConvertible).map { DiagnosticRenderer.render($0.diagnostic, in: nil) } ?? "peel report: \(error)\n")
            return 1
        }
        if terminated != 0 { return 143 }
        if interrupted != 0 { return 130 }
        return failed > 0 ? 1 : 0
    }
}

/// The bundled datasets (or `$PEEL_DATA`), found from the running binary.
func bundledCatalog(_ env: [String: String]) throws -> Catalog {
    try Catalog(directory: Catalog.locateDatasets(executablePath: CommandLine.arguments.first.flatMap(executablePath), environment: env))
}

/// Parses the command line into `run`, `report` or `help` and runs it; returns the exit status.
func runMain() -> Int32 {
    // Past the file size limit (ulimit -f) a write fails with EFBIG, which peel reports like a full
    // disk (the temporary file removed, the old file kept), instead of being killed by SIGXFSZ.
    signal(SIGXFSZ, SIG_IGN)
    let command: ParsableCommand
    do {
        command = try Peel.parseAsRoot(Array(CommandLine.arguments.dropFirst()))
    } catch {
        return usageFailure(error)
    }
    switch command {
    case let run as RunCommand: return run.execute()
    case let report as ReportCommand: return report.execute()
    default:
        // `peel help [SUBCOMMAND]`: its run() asks for the help it names.
        var help = command
        do { try help.run() } catch { return usageFailure(error) }
        return 0
    }
}

/// Help (exit 0) or a usage error (exit 2), as swift-argument-parser words it, without the word
/// `run` in usage lines: `peel FILE.peel` means `peel run FILE.peel`.
func usageFailure(_ error: Error) -> Int32 {
    let message = Peel.fullMessage(for: error)
    if Peel.exitCode(for: error) == .success {
        print(message == rootHelp() ? combinedHelp() : message)
        return 0
    }
    var text = message.replacingOccurrences(of: "peel run ", with: "peel ")
    if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
    return usageError(.arguments(text))
}

/// Prints a command-line mistake through the one renderer; returns the usage exit status, 2.
func usageError(_ error: CommandLineError) -> Int32 {
    Terminal.error(DiagnosticRenderer.render(error, in: nil))
    return 2
}

/// What `peel --help` (or `peel help`) would print from swift-argument-parser alone: the list of
/// subcommands, without the options of the default one.
func rootHelp() -> String {
    do {
        // swift-argument-parser answers `--help` with its `help` subcommand, whose run() throws the help.
        var help = try Peel.parseAsRoot(["--help"])
        if !(help is RunCommand || help is ReportCommand) { try help.run() }
    } catch {
        return Peel.fullMessage(for: error)
    }
    return ""
}

/// `peel --help`: the default subcommand's arguments and options, then the other subcommands.
func combinedHelp() -> String {
    let root = rootHelp()
    var run = Peel.helpMessage(for: RunCommand.self)
    // The overview is peel's, and `run` may be left out.
    if let usage = run.range(of: "USAGE: ") { run = String(run[usage.lowerBound...]) }
    run = run.replacingOccurrences(of: "USAGE: peel run ", with: "USAGE: peel [run] ")
    let overview = root.range(of: "USAGE: ").map { String(root[..<$0.lowerBound]) } ?? ""
    let subcommands = root.range(of: "SUBCOMMANDS:").map { String(root[$0.lowerBound...]) } ?? ""
    let report = Peel.usageString(for: ReportCommand.self)
    run = run.replacingOccurrences(of: "\n\nARGUMENTS:", with: "\n       \(report)\n\nARGUMENTS:")
    return overview + run.trimmingCharacters(in: .newlines) + "\n\n" + subcommands
}

/// `~/.config/peel/peelrc` (or `$XDG_CONFIG_HOME/peel/peelrc`), else `~/.peelrc`, when one exists.
func startupFile(_ env: [String: String]) -> String? {
    let home = env["HOME"] ?? ""
    let config = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
    return [config + "/peel/peelrc", home + "/.peelrc"].first { FileManager.default.fileExists(atPath: $0) }
}

func isDirectory(_ path: String) -> Bool {
    var dir: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
}

/// The running binary's path, so bundled data can be found beside the build folder.
func executablePath(_ argv0: String) -> String? {
    if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
    return argv0.contains("/") ? argv0 : nil
}

/// `--history-file`, else `$PEEL_HISTORY`, else `$XDG_STATE_HOME/peel/history` (~/.local/state by default).
func historyPath(_ option: String?, _ env: [String: String]) -> String? {
    if let o = option { return o }
    if let e = env["PEEL_HISTORY"], !e.isEmpty { return e }
    let state = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (env["HOME"].map { $0 + "/.local/state" })
    guard let state else { return nil }
    let dir = state + "/peel"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/history"
}

exit(runMain())
