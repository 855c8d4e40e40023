#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import PeelCore

/// The command line: `peel [FILE] [-c COMMANDS] [--format F] [--history-file PATH]`.
struct PeelOptions: ParsableArguments {
    @Argument(help: "A script of peel commands to replay (one command per line).")
    var script: String?

    @Argument(help: ArgumentHelp("Values for the script's parameters, as NAME=VALUE (e.g. force=Kent).", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Option(name: .customShort("c"), help: "Run these commands (separated by ';') and exit.")
    var command: String?

    @Option(help: "Output format for tables: text, box, markdown, csv, tsv, json, html or latex.")
    var format: String = "text"

    @Option(name: .customLong("history-file"), help: "Where to keep command history (default: $PEEL_HISTORY, else $XDG_STATE_HOME/peel/history).")
    var historyFile: String?

    @Flag(name: .customLong("no-rc"), help: "Do not run the start-up file (~/.config/peel/peelrc or ~/.peelrc).")
    var noRC = false

    @Flag(help: "Print the version and exit.")
    var version = false
}

let peelVersion = "0.1.0"

/// `peel report ANALYSIS.peel [-o REPORT.md] [--date YYYY-MM-DD] [--format markdown|html] [NAME=VALUE ...]`
struct ReportArguments: ParsableArguments {
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
}

func runReport(_ args: [String], catalog: () throws -> Catalog) -> Int32 {
    let options: ReportArguments
    do {
        options = try ReportArguments.parse(args)
    } catch {
        let code = ReportArguments.exitCode(for: error)
        let message = ReportArguments.fullMessage(for: error).replacingOccurrences(of: "report-arguments", with: "peel report")
        if code == .success { print(message); return 0 }
        fputs("peel report: \(message)\nusage: peel report ANALYSIS.peel [-o REPORT.md] [--date YYYY-MM-DD] [--format markdown|html] [NAME=VALUE ...]\n", stderr)
        return 2
    }
    guard let format = ReportWriter.Format(rawValue: options.format.lowercased()) else {
        fputs("peel report: unknown format '\(options.format)'\nhelp: use markdown or html\n", stderr)
        return 2
    }
    guard let data = FileManager.default.contents(atPath: options.script), !isDirectory(options.script) else {
        fputs("peel report: cannot read '\(options.script)'\n", stderr)
        return 2
    }
    var settings = ReportWriter.Options(date: options.date ?? {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.locale = Locale(identifier: "en_GB")
        return f.string(from: Date())
    }())
    settings.format = format
    for p in options.parameters {
        guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
            fputs("peel report: '\(p)' is not a parameter: write NAME=VALUE\n", stderr)
            return 2
        }
        settings.parameters[String(p[..<eq])] = VariableValue.parse(commandLine: String(p[p.index(after: eq)...]))
    }
    let cat: Catalog
    do { cat = try catalog() } catch {
        fputs((error as? Diagnostic).map { DiagnosticRenderer.render($0, in: nil) } ?? "peel: \(error)\n", stderr)
        return 1
    }
    switch ReportWriter.build(SourceText(name: options.script, text: String(decoding: data, as: UTF8.self)), catalog: cat, options: settings) {
    case .failure(let e):
        fputs(e.message, stderr)
        return e.usage ? 2 : 1
    case .success(let doc):
        // Warnings go in the report, under the command that raised them, and to stderr.
        fputs(doc.warnings, stderr)
        guard let out = options.output else {
            print(doc.text, terminator: "")
            return 0
        }
        do {
            try AtomicFile.write(doc.text, to: out, at: nil)
        } catch {
            fputs((error as? Diagnostic).map { DiagnosticRenderer.render($0, in: nil) } ?? "peel report: \(error)\n", stderr)
            return 1
        }
        return 0
    }
}

/// Exit codes: 0 success, 1 a command failed, 2 bad usage, 130 interrupted (Ctrl-C), 143 SIGTERM.
func runMain() -> Int32 {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "report" {
        let env = ProcessInfo.processInfo.environment
        return runReport(Array(arguments.dropFirst())) {
            try Catalog(directory: Catalog.locateDatasets(executablePath: CommandLine.arguments.first.flatMap(executablePath), environment: env))
        }
    }
    let options: PeelOptions
    do {
        options = try PeelOptions.parse(Array(CommandLine.arguments.dropFirst()))
    } catch {
        let code = PeelOptions.exitCode(for: error)
        let message = PeelOptions.fullMessage(for: error)
        if code == .success {
            print(message.replacingOccurrences(of: "USAGE: peel-options", with: "USAGE: peel"))
            return 0
        }
        let usage = PeelOptions.usageString().replacingOccurrences(of: "peel-options", with: "peel")
        fputs("peel: \(message)\nusage: peel \(usage)\n", stderr)
        return 2
    }
    if options.version {
        print("peel \(peelVersion)")
        return 0
    }
    guard let format = OutputFormat(rawValue: options.format.lowercased()) else {
        fputs("peel: unknown format '\(options.format)'\nhelp: use one of " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", ") + "\n", stderr)
        return 2
    }
    if options.script != nil && options.command != nil {
        fputs("peel: give a script or -c commands, not both\n", stderr)
        return 2
    }

    let env = ProcessInfo.processInfo.environment
    let sink = StdioSink(colour: isatty(STDERR_FILENO) != 0 && (env["NO_COLOR"] ?? "").isEmpty && env["TERM"] != "dumb")
    let catalog: Catalog
    do {
        catalog = try Catalog(directory: Catalog.locateDatasets(executablePath: CommandLine.arguments.first.flatMap(executablePath), environment: env))
    } catch let d as Diagnostic {
        sink.err(DiagnosticRenderer.render(d, in: nil))
        return 1
    } catch {
        fputs("peel: \(error)\n", stderr)
        return 1
    }
    var settings = Settings()
    settings.format = format
    let session = Session(catalog: catalog, settings: settings, sink: sink)
    defer { fflush(stdout) }
    let interactive = options.command == nil && options.script == nil && isatty(STDIN_FILENO) != 0
    if !interactive {
        LineEditor.installScriptSignalHandlers()
        catalog.isInterrupted = { interrupted != 0 || terminated != 0 }
    }
    /// 0 when every command succeeded; 130/143 when a signal stopped the run; else 1.
    func status(_ ok: Bool) -> Int32 {
        if terminated != 0 { return 143 }
        if interrupted != 0 { return 130 }
        return ok ? 0 : 1
    }

    if let command = options.command {
        return status(session.run(SourceText(name: "<command>", text: command)))
    }
    if !options.parameters.isEmpty && options.script == nil {
        fputs("peel: parameters (\(options.parameters[0])) need a script to pass them to\nusage: peel FILE.peel NAME=VALUE ...\n", stderr)
        return 2
    }
    if let path = options.script {
        guard let data = FileManager.default.contents(atPath: path), !isDirectory(path) else {
            fputs("peel: cannot read script '\(path)': " + (FileManager.default.fileExists(atPath: path) ? "not a readable file" : "no such file") + "\n", stderr)
            return 2
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            sink.err(DiagnosticRenderer.render(CSVReader.invalidUTF8(Array(data), what: "the script", fileName: path), in: nil))
            return 1
        }
        let source = SourceText(name: path, text: text)
        // Parameters must be ones the script declares with `param`.
        var given: [String: VariableValue] = [:]
        for p in options.parameters {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                fputs("peel: '\(p)' is not a parameter: write NAME=VALUE, e.g. force=\"Kent\"\n", stderr)
                return 2
            }
            given[String(p[..<eq])] = VariableValue.parse(commandLine: String(p[p.index(after: eq)...]))
        }
        if !given.isEmpty {
            let declared = session.declaredParameters(in: source) ?? []
            for name in given.keys.sorted() where !declared.contains(name) {
                let hint = Suggest.closest(to: name, in: declared).map { "did you mean '\($0)'?" }
                    ?? (declared.isEmpty ? "the script declares no parameters" : "the script's parameters: " + declared.joined(separator: ", "))
                fputs("peel: unknown parameter '\(name)' for \(path)\nhelp: \(hint)\n", stderr)
                return 2
            }
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
    return Shell(session: session, historyPath: historyPath(options.historyFile, env),
                 startupFile: options.noRC ? nil : startupFile(env)).run()
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
