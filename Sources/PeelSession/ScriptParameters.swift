import PeelLanguage

/// `NAME=VALUE` words from the command line, as values for a script's `param` declarations. The one
/// place they are read, for `peel FILE.peel NAME=VALUE …` and `peel report FILE.peel NAME=VALUE …`.
public enum ScriptParameters {
    /// The values given, by name. `declared` is the script's parameters, or nil when the script
    /// does not parse: its names are then not checked, so that its syntax error is what is reported.
    public static func parse(_ words: [String], declared: [String]?, script: String) -> Result<[String: VariableValue], CommandLineError> {
        var given: [String: VariableValue] = [:]
        for word in words {
            guard let eq = word.firstIndex(of: "="), eq != word.startIndex else {
                return .failure(.notAParameter(word))
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
    /// that a value cannot start a new line of a report or act on a terminal.
    package static func controlCharacter(in word: String, name: String) -> CommandLineError? {
        guard let at = word.unicodeScalars.firstIndex(where: { $0.isASCII && Lexer.isRefusedControl(UInt8($0.value)) }) else { return nil }
        return .controlCharacterInParameter(name: name, word: word, column: word[..<at].count, codePoint: word.unicodeScalars[at].value)
    }

    /// The first of `names` that the script does not declare.
    public static func unknown(_ names: [String], declared: [String], script: String) -> CommandLineError? {
        guard let name = names.first(where: { !declared.contains($0) }) else { return nil }
        return .unknownParameter(name: name, script: script, declared: declared)
    }
}
