@testable import PeelSupport
@testable import PeelSession
import XCTest

/// Mistakes on peel's command line: which `CommandLineError` each is, and its words, byte for byte.
final class CommandLineTests: XCTestCase {
    /// The error `ScriptParameters.parse` gives for `words`, or nil when they are accepted.
    func failure(_ words: [String], declared: [String]? = ["force", "year"]) -> CommandLineError? {
        if case .failure(let e) = ScriptParameters.parse(words, declared: declared, script: "a.peel") { return e }
        return nil
    }

    func testEachParameterMistakeIsItsCase() {
        let cases: [([String], [String]?, CommandLineError?)] = [
            (["force=Kent"], ["force", "year"], nil),
            (["force=Kent", "year=2024"], nil, nil),
            (["Kent"], ["force"], .notAParameter("Kent")),
            (["=Kent"], ["force"], .notAParameter("=Kent")),
            (["forse=Kent"], ["force", "year"], .unknownParameter(name: "forse", script: "a.peel", declared: ["force", "year"])),
            (["x=1"], [], .unknownParameter(name: "x", script: "a.peel", declared: [])),
            (["force=Kent\n## x"], ["force"], .controlCharacterInParameter(name: "force", word: "force=Kent\n## x", column: 10, codePoint: 0x0A)),
            (["force=a\u{1B}[2J"], nil, .controlCharacterInParameter(name: "force", word: "force=a\u{1B}[2J", column: 7, codePoint: 0x1B)),
        ]
        for (words, declared, expected) in cases {
            XCTAssertEqual(failure(words, declared: declared), expected, "\(words)")
        }
    }

    /// Every case through the one renderer: `PROGRAM: message`, then the word and caret, `help:`, `usage:`.
    func testWordsAreAsPeelHasAlwaysPrintedThem() {
        let cases: [(CommandLineError, String)] = [
            (.arguments("Unknown option '--bogus'\nUsage: peel [<script>]\n  See 'peel --help' for more information.\n"),
             "peel: Unknown option '--bogus'\nUsage: peel [<script>]\n  See 'peel --help' for more information.\n"),
            (.arguments("Missing value"), "peel: Missing value\n"),
            (.unknownFormat(.run, given: "xml", choices: ["text", "csv", "json"]), "peel: unknown format 'xml'\nhelp: use one of text, csv, json\n"),
            (.unknownFormat(.report, given: "pdf", choices: ["markdown", "html"]), "peel report: unknown format 'pdf'\nhelp: use markdown or html\n"),
            (.scriptAndCommands, "peel: give a script or -c commands, not both\n"),
            (.parametersWithoutScript(first: "force=Kent"),
             "peel: parameters (force=Kent) need a script to pass them to\nusage: peel FILE.peel NAME=VALUE ...\n"),
            (.unreadableScript(.run, path: "x.peel", exists: false), "peel: cannot read script 'x.peel': no such file\n"),
            (.unreadableScript(.run, path: "dir", exists: true), "peel: cannot read script 'dir': not a readable file\n"),
            (.unreadableScript(.report, path: "x.peel", exists: false), "peel report: cannot read 'x.peel'\n"),
            (.notAParameter("Kent"), "peel: 'Kent' is not a parameter\nhelp: write NAME=VALUE, e.g. force=\"Kent\"\n"),
            (.unknownParameter(name: "forse", script: "a.peel", declared: ["force"]),
             "peel: unknown parameter 'forse' for a.peel\nhelp: did you mean 'force'?\n"),
            (.unknownParameter(name: "x", script: "a.peel", declared: []),
             "peel: unknown parameter 'x' for a.peel\nhelp: the script declares no parameters\n"),
            (.unknownParameter(name: "zzzzzz", script: "a.peel", declared: ["force", "year"]),
             "peel: unknown parameter 'zzzzzz' for a.peel\nhelp: the script's parameters: force, year\n"),
            (.controlCharacterInParameter(name: "force", word: "force=Kent\n## x", column: 10, codePoint: 0x0A),
             "peel: the value of force cannot contain the control character U+000A (a line break)\n  force=Kent\u{240A}## x\n            ^\nhelp: give the value on one line, without control characters\n"),
        ]
        for (error, text) in cases {
            XCTAssertEqual(DiagnosticRenderer.render(error, in: nil), text, "\(error)")
        }
    }
}
