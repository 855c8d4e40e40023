import Foundation
import PeelRender
import PeelEvaluation
import PeelLanguage

/// `format FORMAT`: write this one result as text, box, markdown, csv, tsv, json, html or latex.
package struct FormatCommand: Command {
    package let format: OutputFormat

    package static let spec = CommandSpec(
        name: "format", kind: .stage, group: "Output",
        usage: "format text|box|markdown|csv|tsv|json|html|latex",
        summary: "Write this command's table in another format (the session's stays as it is).",
        details: """
            markdown: a GitHub table, numeric columns right-aligned, | and other specials escaped.
            csv (RFC 4180) and tsv: every digit of each value, units in the header, missing empty.
            json: an array of objects, numbers as numbers, missing as null. html: a complete
            <table>. latex: a tabular. box: aligned with box-drawing lines. For the whole session:
            `set format = "markdown"` or `peel --format markdown`.
            """,
        examples: ["outcomes | where number = 1 | select force, outcome, share | format markdown"],
        arguments: [.keywords(OutputFormat.allCases.map(\.rawValue))],
        parse: { p, _ in
            let (f, r) = try p.name("a format", help: "formats: " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))
            guard let format = OutputFormat(rawValue: f.lowercased()) else {
                throw ParseError.unknownFormat(r, name: f, formats: OutputFormat.allCases.map(\.rawValue), suggest: true)
            }
            try p.expectStepEnd()
            return FormatCommand(format: format)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        .table(try requireTable(input), format: format)
    }

    package var dump: String { "format \(format.rawValue)" }
}
