import PeelSupport
import PeelLanguage
import PeelEvaluation

/// `param NAME = DEFAULT`: a script parameter, which the command line can change (`peel a.peel force=Kent`).
package struct ParamCommand: Command {
    package let name: (String, SourceRange)
    package let value: Arg

    package static let spec = CommandSpec(
        name: "param", kind: .source, group: "Variables",
        usage: "param NAME = DEFAULT",
        summary: "Declare a script parameter with its default; `peel FILE NAME=VALUE` overrides it.",
        details: """
            A saved analysis declares what it can be asked about: `param force = "Leicestershire"`.
            Run as it is, the script uses the default; run as `peel analysis.peel force="Kent"`, it
            uses Kent. Later commands read it as `$force`. Giving a parameter the script does not
            declare is an error (exit status 2), so a typing mistake never goes unnoticed.
            """,
        examples: ["param force = \"Leicestershire\""],
        arguments: [],
        parse: { p, _ in
            let name = try p.name("a parameter name", help: "e.g. param force = \"Leicestershire\"")
            _ = try p.consume(.equal, "'=' and a default value", help: "e.g. param \(name.0) = \"…\"")
            let value = try p.arg("a default value")
            try p.expectStepEnd()
            return ParamCommand(name: name, value: value)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        ctx.session.setVariable(name.0, try ctx.session.givenParameter(name.0) ?? value.resolve(ctx))
        return .nothing
    }

    package var declaredParameter: String? { name.0 }

    package var dump: String { "param \(name.0) = \(value.dump)" }
}
