import PeelData
import PeelLanguage
import PeelEvaluation

/// A step one command's parser makes: it knows its spec, so its name and words come from there
/// rather than being spelled again in its parse and run code.
package protocol Command: Step {
    /// The command's name, usage and words, as the registry lists it.
    static var spec: CommandSpec { get }
    /// The spec this step was read from (the type's own, unless one step serves two commands).
    var spec: CommandSpec { get }
}

extension Command {
    package var spec: CommandSpec { Self.spec }

    /// The table the previous step produced, or a diagnostic naming this command.
    package func requireTable(_ input: Output?) throws -> Table {
        try PeelEvaluation.requireTable(input, verb: spec.name)
    }
}

extension Parser {
    /// Fails unless the step has ended, naming the command being read (`Parser.command`, set by
    /// the pipeline grammar while the command's parser runs).
    package func expectStepEnd() throws {
        try expectStepEnd(command?.name ?? "the command")
    }
}
