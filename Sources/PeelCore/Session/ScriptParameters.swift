/// `NAME=VALUE` words from the command line, as values for a script's `param` declarations. The one
/// place they are read, for `peel FILE.peel NAME=VALUE …` and `peel report FILE.peel NAME=VALUE …`.
public enum ScriptParameters {
    /// A word that is not `NAME=VALUE`, or a name the script does not declare.
    public struct Failure: Error, Equatable {
        public var message: String
        public var help: String
        /// `peel: MESSAGE` and `help: HELP`, as printed on standard error.
        public var rendered: String { "peel: \(message)\nhelp: \(help)\n" }
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
            given[String(word[..<eq])] = VariableValue.parse(commandLine: String(word[word.index(after: eq)...]))
        }
        if let declared, let failure = unknown(given.keys.sorted(), declared: declared, script: script) {
            return .failure(failure)
        }
        return .success(given)
    }

    /// The first of `names` that the script does not declare, with the nearest declared name.
    public static func unknown(_ names: [String], declared: [String], script: String) -> Failure? {
        guard let name = names.first(where: { !declared.contains($0) }) else { return nil }
        let help = Suggest.closest(to: name, in: declared).map { "did you mean '\($0)'?" }
            ?? (declared.isEmpty ? "the script declares no parameters" : "the script's parameters: " + declared.joined(separator: ", "))
        return Failure(message: "unknown parameter '\(name)' for \(script)", help: help)
    }
}
