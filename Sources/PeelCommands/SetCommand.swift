import PeelSupport
import PeelRender
import PeelLanguage
import PeelEvaluation

/// `set NAME = VALUE`: a variable for later commands (`$NAME`), or a setting (format, width, ascii,
/// …); a switch also as `set fit on` / `set pager off`.
package struct SetCommand: Command {
    package let name: (String, SourceRange)
    package let value: Arg?

    /// The settings `set` changes (any other name is a variable). Named by their cases, so that
    /// `format` here is the setting's name, not the `format` command's.
    package enum Setting: String, CaseIterable {
        case format, width, ascii, echo, sources, fit, pager, timer

        /// Settings that are on or off.
        var isSwitch: Bool { self != .format && self != .width }
    }

    package static let settingNames = Setting.allCases.map(\.rawValue)

    package static let spec = CommandSpec(
        name: "set", kind: .source, group: "Variables",
        usage: "set [NAME = VALUE | SWITCH on|off]",
        summary: "Set a variable used later as $NAME, or a setting (format, width, fit, pager, …); alone, list them.",
        details: """
            VALUE is text, a number, or a bracketed list: `set force = "Kent"`,
            `set peers = ("Kent", "Essex", "Sussex")`. Later commands use it as `$force`, `$peers`.
            The settings: `format` (text, box, markdown, csv, tsv, json, html, latex) for tables,
            `width` of charts in columns, `ascii` (1 or 0) for charts in plain ASCII, `echo` (1 or 0)
            to write each command before its result, `sources` (1 or 0) to add a sources line
            under each table. `set` alone lists the variables and settings.
            Switches (ascii, echo, sources, fit, pager, timer) take 1 or 0, or on or off without `=`:
            `set fit off`. In the interactive shell a table wider than the window shows the
            columns that fit and names the rest; `fit` off shows every column (`show T wide`
            does so once). A result taller than the window goes through the pager ($PAGER, else
            `less -FRSX`; q quits it); `pager` off prints it directly. Scripts, pipes and files
            are never fitted or paged. `timer` on shows how long each command took, after its
            result, in the shell (scripts, pipes and reports stay the same bytes on every run).
            """,
        examples: ["set force = \"Kent\"", "set format = \"markdown\"", "set fit off", "set pager on"],
        arguments: [.keywords(settingNames)],
        parse: { p, verb in
            if p.atStepEnd { return SetCommand(name: ("", verb.range), value: nil) }
            let name = try p.name("a variable name", help: "e.g. set force = \"Kent\"")
            // `set fit on`: a switch without `=`.
            if let s = Setting(rawValue: name.0.lowercased()), s.isSwitch, let w = p.peek.word?.lowercased(), w == "on" || w == "off" {
                let t = p.advance()
                try p.expectStepEnd()
                return SetCommand(name: name, value: Arg(value: .text(w), range: t.range))
            }
            let isSwitch = Setting(rawValue: name.0.lowercased())?.isSwitch ?? false
            _ = try p.consume(.equal, isSwitch ? "on, off or '=' after the name" : "'=' after the name",
                              help: isSwitch ? "e.g. set \(name.0) on, or set \(name.0) off" : "e.g. set \(name.0) = \"…\"")
            let value = try p.arg("a value: text, a number or a (list)")
            try p.expectStepEnd()
            return SetCommand(name: name, value: value)
        })

    package func run(_ input: Output?, _ ctx: EvalContext) throws -> Output {
        guard let value else { return .text(Self.listing(ctx)) }
        let v = try value.resolve(ctx)
        switch Setting(rawValue: name.0.lowercased()) {
        case .format:
            guard case .text(let f) = v, let format = OutputFormat(rawValue: f.lowercased()) else {
                throw CommandError.unknownFormatSetting(value: v.display, at: value.range)
            }
            ctx.session.set(format: format)
        case .width:
            guard case .number(let w) = v, w >= 20, w <= 1000, w == w.rounded() else {
                throw CommandError.widthOutOfRange(at: value.range)
            }
            ctx.session.set(width: Int(w))
        case let flag? where flag.isSwitch:
            let on: Bool
            switch v {
            case .number(let a) where a == 0 || a == 1: on = a == 1
            case .text(let w) where w.lowercased() == "on" || w.lowercased() == "off": on = w.lowercased() == "on"
            default: throw CommandError.flagNotBinary(name: name.0, at: value.range)
            }
            switch flag {
            case .ascii: ctx.session.set(ascii: on)
            case .echo: ctx.session.set(echo: on)
            case .fit: ctx.session.set(fit: on)
            case .pager: ctx.session.set(pager: on)
            case .timer: ctx.session.set(timer: on)
            default: ctx.session.set(sources: on)
            }
        default:
            ctx.session.setVariable(name.0, v)
        }
        return .nothing
    }

    package static func listing(_ ctx: EvalContext) -> String {
        let st = ctx.settings
        var out = "settings: format = \(st.format.rawValue), width = \(st.width), ascii = \(st.ascii ? 1 : 0), echo = \(st.echo ? 1 : 0), sources = \(st.sources ? 1 : 0)\n"
        if ctx.variables.names.isEmpty { return out + "no variables\n" }
        for n in ctx.variables.names { out += "$\(n) = \(ctx.variables.value(n)!.display)\n" }
        return out
    }

    package var dump: String { value.map { "\(Self.spec.name) \(name.0) = \($0.dump)" } ?? Self.spec.name }
}
