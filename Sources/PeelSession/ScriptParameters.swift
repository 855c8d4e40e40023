import PeelSupport
import PeelData
import PeelStats
import PeelIO
import PeelRender
import PeelLanguage
import PeelEvaluation
import PeelCommands

/// `NAME=VALUE` words from the command line, as values for a script's `param` declarations. The one
/// place they are read, for `peel FILE.peel NAME=VALUE …` and `peel report FILE.peel NAME=VALUE …`.
public enum ScriptParameters {
    /// A word that is not `NAME=VALUE`, or a name the script does not declare.
    public struct Failure: Error, Equatable {
        public var message: String
        public var help: String
        /// The word as given (control characters as pictures) and a caret under the fault.
        public var excerpt: String?
        /// `peel: MESSAGE`, the excerpt if any, and `help: HELP`, as printed on standard error.
        public var rendered: String { "peel: \(message)\n" + (excerpt ?? "") + "help: \(help)\n" }
    }

    /// The values given, by name. `declared` is the script's parameters, or nil when the script
    /// does not parse: its names are then not checked, so that its syntax error is what is reported.
    public static func parse(_ words: [String], declared: [String]?, script: String) -> Result<[String: VariableValue], Failure> {
        var given: [String: VariableValue] = [:]
        for word in words {
            guard let eq = word.firstIndex(of: "="), eq != word.startIndex else {
                return .failure(Failure(message: "'\(word)' is not a parameter",
                                        help: "write NAME=VALUE, e.g. force=\"Kent\""))
            }
            let name = String(word[..<eq]), value = String(word[word.index(after: eq)...])
            if let failure = controlCharacter(in: word, name: name) { return .failure(failure) }
            given[name] = VariableValue.parse(commandLine: value)
        }
        if let declared, let failure = unknown(given.keys.sorted(), declared: declared, script: script) {
            return .failure(failure)
        }
        return .success(given)
    }

    /// A control character in `word` (`force=$'Kent\n## x'`): refused, as in a script's text, so
    /// that a value cannot start a new line of a report or act on a terminal. The excerpt shows the
    /// word with the character as a picture and a caret under it.
    package static func controlCharacter(in word: String, name: String) -> Failure? {
        guard let at = word.unicodeScalars.firstIndex(where: { $0.isASCII && Lexer.isRefusedControl(UInt8($0.value)) }) else { return nil }
        let v = word.unicodeScalars[at].value
        let what = [0x0A: " (a line break)", 0x0D: " (a carriage return)", 0x1B: " (escape, which starts terminal commands)"][v] ?? ""
        let column = word[..<at].count
        let (shown, caret, _) = DiagnosticRenderer.window(word, around: column, length: 1)
        let excerpt = "  \(shown)\n  " + DiagnosticRenderer.padding(for: String(shown.prefix(caret))) + "^\n"
        return Failure(message: "the value of \(name) cannot contain the control character \(ControlPictures.codePoint(v))\(what)",
                       help: "give the value on one line, without control characters", excerpt: excerpt)
    }

    /// The first of `names` that the script does not declare, with the nearest declared name.
    public static func unknown(_ names: [String], declared: [String], script: String) -> Failure? {
        guard let name = names.first(where: { !declared.contains($0) }) else { return nil }
        let help = Suggest.closest(to: name, in: declared).map { "did you mean '\($0)'?" }
            ?? (declared.isEmpty ? "the script declares no parameters" : "the script's parameters: " + declared.joined(separator: ", "))
        return Failure(message: "unknown parameter '\(name)' for \(script)", help: help)
    }
}
