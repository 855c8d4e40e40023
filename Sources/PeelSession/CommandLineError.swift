import PeelSupport

/// A mistake in how peel was started: an unknown option or format, a script that cannot be read,
/// a parameter the script does not declare. Printed `peel: …` (or `peel report: …`) by the one
/// renderer; `diagnostic` is the one place with the words. All are usage errors (exit status 2).
public enum CommandLineError: DiagnosticConvertible, Equatable, Sendable {
    /// Which subcommand reports the mistake; it names the program in the message.
    public enum Subcommand: Equatable, Sendable {
        case run, report

        /// `peel` or `peel report`.
        public var program: String { self == .run ? "peel" : "peel report" }
    }

    /// A message from swift-argument-parser (an unknown option, a missing value), already in words.
    case arguments(String)
    /// `--format` names no format; `choices` are the formats there are.
    case unknownFormat(Subcommand, given: String, choices: [String])
    /// Both a script and `-c` commands.
    case scriptAndCommands
    /// `NAME=VALUE` words with no script; `first` is the first of them.
    case parametersWithoutScript(first: String)
    /// The script cannot be read: `exists` tells a missing file from a folder or an unreadable one.
    case unreadableScript(Subcommand, path: String, exists: Bool)
    /// A word after the script that is not `NAME=VALUE`.
    case notAParameter(String)
    /// The value of parameter `name` holds the control character `codePoint`, `column` characters
    /// into `word` (the whole `NAME=VALUE`).
    case controlCharacterInParameter(name: String, word: String, column: Int, codePoint: UInt32)
    /// `name` is not among the script's `param` declarations (`declared`).
    case unknownParameter(name: String, script: String, declared: [String])
    /// `--each` not written `NAME=all`, `NAME=("A","B")` or `NAME=VALUE`.
    case badEach(String)
    /// `--each NAME=all` for a parameter other than `force`.
    case eachAllNotForce(name: String)
    /// `--each force=all` but the data has no territorial forces (no `forces` table).
    case eachNoForces
    /// A value of `--each force=(…)` that is not a territorial force.
    case eachUnknownForce(String, suggestion: String?)
    /// `--each` without `-o DIR`.
    case eachNeedsFolder
    /// `-o` with `--each` names something that is not a folder (a regular file), or cannot be made.
    case eachNotFolder(String, exists: Bool)
    /// `--jobs` outside 1…cores.
    case badJobs(given: String, cores: Int)
    /// The parameter of `--each` also given as NAME=VALUE.
    case eachAndParameter(name: String)

    public var diagnostic: Diagnostic {
        switch self {
        case .arguments(let text):
            // The text ends with its own line break; the renderer adds one.
            return Diagnostic(text.hasSuffix("\n") ? String(text.dropLast()) : text, commandLine: CommandLinePlace(program: "peel"))
        case .unknownFormat(let sub, let given, let choices):
            let list = choices.count == 2 ? "\(choices[0]) or \(choices[1])" : "one of " + choices.joined(separator: ", ")
            return Diagnostic("unknown format '\(given)'", commandLine: CommandLinePlace(program: sub.program), help: "use \(list)")
        case .scriptAndCommands:
            return Diagnostic("give a script or -c commands, not both", commandLine: CommandLinePlace(program: "peel"))
        case .parametersWithoutScript(let first):
            return Diagnostic("parameters (\(first)) need a script to pass them to", commandLine: CommandLinePlace(program: "peel"),
                              usage: "peel FILE.peel NAME=VALUE ...")
        case .unreadableScript(let sub, let path, let exists):
            switch sub {
            case .run:
                return Diagnostic("cannot read script '\(path)': " + (exists ? "not a readable file" : "no such file"),
                                  commandLine: CommandLinePlace(program: sub.program))
            case .report:
                return Diagnostic("cannot read '\(path)'", commandLine: CommandLinePlace(program: sub.program))
            }
        case .notAParameter(let word):
            return Diagnostic("'\(word)' is not a parameter", commandLine: CommandLinePlace(program: "peel"),
                              help: "write NAME=VALUE, e.g. force=\"Kent\"")
        case .controlCharacterInParameter(let name, let word, let column, let v):
            let what = [0x0A: " (a line break)", 0x0D: " (a carriage return)", 0x1B: " (escape, which starts terminal commands)"][v] ?? ""
            return Diagnostic("the value of \(name) cannot contain the control character \(ControlPictures.codePoint(v))\(what)",
                              commandLine: CommandLinePlace(program: "peel", word: word, column: column),
                              help: "give the value on one line, without control characters")
        case .unknownParameter(let name, let script, let declared):
            let help = Suggest.closest(to: name, in: declared).map { "did you mean '\($0)'?" }
                ?? (declared.isEmpty ? "the script declares no parameters" : "the script's parameters: " + declared.joined(separator: ", "))
            return Diagnostic("unknown parameter '\(name)' for \(script)", commandLine: CommandLinePlace(program: "peel"), help: help)
        case .badEach(let word):
            return Diagnostic("cannot read --each '\(word)'", commandLine: CommandLinePlace(program: "peel report"),
                              help: "write NAME=all or NAME=(\"A\",\"B\"), e.g. --each force=all")
        case .eachAllNotForce(let name):
            return Diagnostic("--each \(name)=all: 'all' means every force, so only force=all", commandLine: CommandLinePlace(program: "peel report"),
                              help: "list the values instead: --each \(name)=(\"A\",\"B\")")
        case .eachNoForces:
            return Diagnostic("--each force=all: the data has no forces table to take the forces from", commandLine: CommandLinePlace(program: "peel report"))
        case .eachUnknownForce(let value, let suggestion):
            return Diagnostic("--each: '\(value)' is not a territorial force", commandLine: CommandLinePlace(program: "peel report"),
                              help: suggestion.map { "did you mean '\($0)'?" } ?? "the forces are the 43 of England and Wales (see: forces)")
        case .eachNeedsFolder:
            return Diagnostic("--each writes one report per value: give a folder with -o DIR", commandLine: CommandLinePlace(program: "peel report"))
        case .eachNotFolder(let path, let exists):
            return Diagnostic("-o '\(path)' " + (exists ? "is not a folder" : "cannot be made as a folder"), commandLine: CommandLinePlace(program: "peel report"),
                              help: exists ? "with --each, -o names a folder for the reports and their index" : nil)
        case .badJobs(let given, let cores):
            return Diagnostic("--jobs '\(given)' must be a whole number from 1 to \(cores)", commandLine: CommandLinePlace(program: "peel report"),
                              help: "this machine has \(cores) core\(cores == 1 ? "" : "s")")
        case .eachAndParameter(let name):
            return Diagnostic("\(name) is given by --each and as \(name)=VALUE", commandLine: CommandLinePlace(program: "peel report"),
                              help: "give it one way")
        }
    }
}
