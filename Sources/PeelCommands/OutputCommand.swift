import Foundation
import PeelSupport
import PeelEvaluation

/// `output "FILE" [append]` and `output`: results to a file from now on, or back to the screen.
package struct OutputCommand: Command {
    package let path: (String, SourceRange)?
    package let append: Bool

    package static let spec = CommandSpec(
        name: "output", kind: .source, group: "Output",
        usage: "output [\"FILE\" [append]]",
        summary: "Send the results of later commands to a file (`output` alone: back to the screen).",
        details: """
            From now on each result is added to FILE, whole or not at all: the first result
            replaces the file (temporary file, then rename; with `append`, after its old content),
            and each later one is appended to the end, cut back if the write fails (a full disk),
            so an interruption never leaves half a result. A command that fails writes nothing. Errors still go to the screen. `output` alone
            sends results to the screen again. With `set echo = 1` each command is written
            before its result, making the file a log of the session.
            """,
        examples: ["output \"/tmp/peel-example-log.txt\""],
        arguments: [.keywords(["append"])],
        takesFile: true,
        parse: { p, _ in
            if p.atStepEnd { return OutputCommand(path: nil, append: false) }
            guard case .string(let f) = p.peek.kind else { throw p.unexpected(expected: "a file name in quotes", help: "e.g. output \"session.txt\"") }
            let t = p.advance()
            let append = p.matchWord("append")
            try p.expectStepEnd()
            return OutputCommand(path: (f, t.range), append: append)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        guard let (file, range) = path else {
            ctx.session.outputToScreen()
            return .nothing
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isDir), isDir.boolValue {
            throw CommandError.isDirectory(file: file, writing: true, at: range)
        }
        ctx.session.redirectOutput(to: file, append: append, fileExists: FileManager.default.fileExists(atPath: file))
        return .nothing
    }

    package var dump: String { Self.spec.name + (path.map { " \(quoteForDump($0.0))" } ?? "") + (append ? " append" : "") }
}
