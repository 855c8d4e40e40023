@testable import PeelSupport
@testable import PeelIO
@testable import PeelCommands
@testable import PeelSession
import Foundation
import XCTest

/// The bundled data and the session, checked against the source document's figures.
final class SessionTests: XCTestCase {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("datasets").path

    func session() throws -> (Session, CaptureSink) {
        let sink = CaptureSink()
        return (Session(catalog: try Catalog(directory: Self.datasets), sink: sink), sink)
    }

    func testCompareGivesForceNationalAndPointDifference() throws {
        let (s, sink) = try session()
        var settings = s.settings
        settings.format = .csv
        s.settings = settings
        XCTAssertTrue(s.run(SourceText(name: "t", text: #"outcomes | where number = 1 | compare "Leicestershire""#)))
        // Units in the header; every digit of a computed value (9.1 / 12.1), none added to a printed one.
        XCTAssertEqual(sink.stdout, "number,outcome,Leicestershire (%),England and Wales (%),difference (pp),ratio,direction\n1,Charged/Summonsed,9.1,12.1,-3.0,\(9.1 / 12.1),lower\n")
    }

    /// Every difference `compare` reports for Figure 4 equals force minus national, recomputed here.
    func testCompareDifferencesAgainstIndependentCalculation() throws {
        let catalog = try Catalog(directory: Self.datasets)
        let t = try XCTUnwrap(catalog.table("outcomes"))
        var byKey: [String: [String: Double]] = [:]
        let force = t.column("force")!, outcome = t.column("outcome")!, number = t.column("number")!, share = t.column("share")!
        for r in 0..<t.rowCount {
            guard let v = share.number(r) else { continue }
            byKey["\(number.formatted(r) ?? "")|\(outcome.text(r)!)", default: [:]][force.text(r)!] = v
        }
        let (s, sink) = try session()
        s.settings.format = .tsv
        XCTAssertTrue(s.run(SourceText(name: "t", text: #"outcomes | compare "Leicestershire""#)))
        var checked = 0
        for line in sink.stdout.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard let pair = byKey["\(f[0])|\(f[1])"], let a = pair["Leicestershire"], let b = pair["England and Wales"] else {
                XCTAssertEqual(f[4], "", "no difference without both values: \(line)")
                continue
            }
            XCTAssertEqual(Double(f[4])!, ((a - b) * 10).rounded() / 10, accuracy: 1e-9, String(line))
            checked += 1
        }
        XCTAssertEqual(checked, 20)
    }

    func testScriptStopsAtFirstError() throws {
        let (s, sink) = try session()
        XCTAssertFalse(s.run(SourceText(name: "s.peel", text: "tables | top 1 | select table\nnope\ntables")))
        XCTAssertEqual(sink.stdout, "table\n-----------\ncrime_rates\n")
        XCTAssertTrue(sink.stderr.hasPrefix("s.peel:2:1: error: unknown table 'nope'\n2 | nope\n  | ^~~~\n"), sink.stderr)
    }

    func testMissingValuesAreNotZero() throws {
        let (s, sink) = try session()
        XCTAssertTrue(s.run(SourceText(name: "t", text: #"outcomes | where share = 0 | select force, outcome"#)))
        XCTAssertFalse(sink.stdout.contains("Evidential difficulties (victim supports"), "a missing share is not 0")
        XCTAssertTrue(sink.stdout.contains("Penalty Notices for Disorder"))
    }

    func testEveryHelpExampleRuns() throws {
        for c in CommandRegistry.standard.commands {
            for e in c.examples {
                let (s, sink) = try session()
                XCTAssertTrue(s.run(SourceText(name: "example", text: e)), "\(c.name): \(e)\n\(sink.stderr)")
                // Every example shows something, except those that only change the session.
                if !(e.hasPrefix("set ") || e.hasPrefix("param ") || e.hasPrefix("output ")) { XCTAssertFalse(sink.stdout.isEmpty, e) }
            }
        }
    }

    func testDiagnosticCaretUnderWideCharacters() {
        let src = SourceText(name: "x.peel", text: "tables\noutcomes | where outcome = \"Môn\" and foo > 1")
        let d = Diagnostic("unknown column 'foo' in outcomes", at: SourceRange(45, 48), help: "did you mean 'force'?")
        XCTAssertEqual(DiagnosticRenderer.render(d, in: src), """
            x.peel:2:38: error: unknown column 'foo' in outcomes
            2 | outcomes | where outcome = "Môn" and foo > 1
              |                                      ^~~
            help: did you mean 'force'?

            """)
    }

    func testExcerptsShowControlCharactersAsPicturesWithTheCaretUnderThem() {
        // `<U+202E>` takes eight characters: the caret moves with it and spans it.
        let src = SourceText(name: "x.peel", text: "t | where a = \"\u{202E}x\u{1B}\" and foo > 1")
        let d = Diagnostic("unknown column 'foo'", at: SourceRange(26, 29))
        XCTAssertEqual(DiagnosticRenderer.render(d, in: src), """
            x.peel:1:25: error: unknown column 'foo'
            1 | t | where a = "<U+202E>x␛" and foo > 1
              |                                ^~~

            """)
        let v = Diagnostic("bad value", at: SourceRange(14, 21))
        XCTAssertTrue(DiagnosticRenderer.render(v, in: src).hasSuffix("\n  |               ^~~~~~~~~~~~\n"))
    }

    func testCompleter() throws {
        let c = Completer(catalog: try Catalog(directory: Self.datasets), registry: .standard)
        XCTAssertEqual(c.complete("tab").candidates, ["tables"])
        XCTAssertEqual(c.complete("describe out").candidates, ["outcomes", "outcomes_by_force", "outcomes_detail"])
        XCTAssertEqual(c.complete("describe outcomes_d").candidates, ["outcomes_detail"])
        XCTAssertEqual(c.complete("outcomes | s").candidates, ["select", "sort", "summarise"])
        XCTAssertEqual(c.complete("outcomes | where force = \"x\" | sort sh").candidates, ["share"])
        XCTAssertEqual(c.complete("show crime_rates | select crime_type, RA").candidates, ["rate"])
        XCTAssertEqual(c.complete("outcomes | sort share d").candidates, ["desc"])
        XCTAssertEqual(c.complete("tables; he").candidates, ["help"])
        XCTAssertEqual(c.complete("help comp").candidates, ["compare"])
        XCTAssertEqual(Completer.commonPrefix(["select", "sort"]), "s")
        XCTAssertEqual(Completer.commonPrefix(["da_outcomes", "DA_x"]), "da_")
    }

    /// A session saved as a script replays to the same output the session produced (the failed
    /// command is kept as a comment; its error is not part of the output).
    func testSavedSessionReplaysTheSameOutput() throws {
        let (s, sink) = try session()
        let path = NSTemporaryDirectory() + "peel-saved-\(getpid()).peel"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let typed = [
            "set width = 60",
            "outcomes | where force = \"Leicestershire\" | top 3 by share",
            "outcomes | where sharez > 1",
            "set peers = (\"Kent\", \"Essex\")",
            "outcomes_by_force | where outcome_type = 1 | compare \"Sussex\" to $peers",
            "load \"Tests/GoldenTests/Fixtures/tabs.tsv\" as counts",
            "counts | chart count by force",
        ]
        _ = FileManager.default.changeCurrentDirectoryPath(Self.datasets + "/..")
        for (i, line) in typed.enumerated() { s.run(SourceText(name: "<stdin>", text: line, firstLine: i + 1)) }
        let sessionOutput = sink.stdout
        XCTAssertTrue(s.run(SourceText(name: "<stdin>", text: "save \"\(path)\"")))
        let script = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(script.contains("# failed: outcomes | where sharez > 1"), script)
        let replay = CaptureSink()
        let again = Session(catalog: try Catalog(directory: Self.datasets), sink: replay)
        XCTAssertTrue(again.run(SourceText(name: path, text: script)), replay.stderr)
        XCTAssertEqual(replay.stdout, sessionOutput)
    }

    /// In the shell a line that starts with `|` continues the table the previous command produced
    /// (kept, not recomputed, and no table changes); `save` spells such a line out as the whole
    /// pipeline, so the saved script replays the same output. Scripts are not affected.
    func testALineStartingWithAPipeContinuesThePreviousTable() throws {
        let (s, sink) = try session()
        var line = 0
        func typed(_ text: String) -> Bool {
            line += 1
            return s.run(SourceText(name: "<stdin>", text: text, firstLine: line), continuing: true)
        }
        XCTAssertFalse(typed("| top 1"))
        XCTAssertTrue(sink.stderr.contains("<stdin>:1:1: error: nothing to continue: no command has produced a table yet\n1 | | top 1\n  | ^\n"), sink.stderr)
        let rows = try XCTUnwrap(s.catalog.table("crime_rates")).rowCount
        XCTAssertTrue(typed("crime_rates | where force = \"Leicestershire\""))
        XCTAssertTrue(typed("| select crime_type, rate"))
        XCTAssertFalse(typed("| sort ratez"), "a failing continuation leaves the kept table as it was")
        let before = sink.stdout
        XCTAssertTrue(typed("  | sort rate desc  # the largest first\n  | top 2"))
        let continued = String(sink.stdout.dropFirst(before.count))
        let fresh = try session()
        XCTAssertTrue(fresh.0.run(SourceText(name: "t", text: "crime_rates | where force = \"Leicestershire\" | select crime_type, rate | sort rate desc | top 2")))
        XCTAssertEqual(continued, "\n" + fresh.1.stdout)
        XCTAssertEqual(try s.catalog.table("crime_rates")?.rowCount, rows, "the table itself is unchanged")
        XCTAssertEqual(try s.catalog.table("crime_rates")?.columns.count, 6)
        // Only a table can be continued: after `set` (no table) the line is refused, at the `|`.
        XCTAssertTrue(typed("set width = 60"))
        XCTAssertFalse(typed("| top 1"))
        XCTAssertTrue(sink.stderr.contains("error: nothing to continue: the previous command (set width = 60) did not produce a table"), sink.stderr)
        // `;` starts a new command, which cannot start with `|`; nor can a script.
        XCTAssertTrue(typed("crime_rates"))
        XCTAssertFalse(typed("| top 1; | top 2"))
        XCTAssertTrue(sink.stderr.hasSuffix("error: a pipeline starts with a table\n9 | | top 1; | top 2\n  |          ^\nhelp: e.g. outcomes | where force = \"Leicestershire\"\n"), sink.stderr)
        XCTAssertFalse(fresh.0.run(SourceText(name: "t", text: "| top 1")))
        // The saved session replays to the same output.
        let path = NSTemporaryDirectory() + "peel-continued-\(getpid()).peel"
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertTrue(typed("| top 1"))
        let output = sink.stdout
        XCTAssertTrue(typed("save \"\(path)\""))
        let script = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(script.contains("\ncrime_rates | where force = \"Leicestershire\" | select crime_type, rate | sort rate desc  # the largest first\n  | top 2\n"), script)
        let replay = CaptureSink()
        XCTAssertTrue(Session(catalog: try Catalog(directory: Self.datasets), sink: replay).run(SourceText(name: path, text: script)), replay.stderr)
        XCTAssertEqual(replay.stdout, output)
    }

    /// export writes one result, append adds rows under one header; output sends later results to a
    /// file (with echo, a log) until `output` alone; nothing is written by a failing command.
    func testExportOutputAndEcho() throws {
        let (s, sink) = try session()
        let dir = NSTemporaryDirectory() + "peel-files-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let q = "crime_rates | where force = \"Leicestershire\" and rate < 10 | select crime_type, rate"
        XCTAssertTrue(s.run(SourceText(name: "t", text: "\(q) | export \"\(dir)/a.csv\"\n\(q) | export \"\(dir)/a.csv\" append")))
        XCTAssertEqual(try String(contentsOfFile: dir + "/a.csv", encoding: .utf8),
                       "crime_type,rate\nSexual offences,1.4\nSexual offences,1.4\n")
        XCTAssertFalse(s.run(SourceText(name: "t", text: "\(q) | where nope = 1 | export \"\(dir)/b.csv\"")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/b.csv"), "a failing command writes nothing")
        let before = sink.stdout
        XCTAssertTrue(s.run(SourceText(name: "t", text: "output \"\(dir)/log.txt\"\nset echo = 1\n\(q)\noutput\nset echo = 0")))
        XCTAssertEqual(sink.stdout, before, "results went to the file, not the screen")
        XCTAssertEqual(try String(contentsOfFile: dir + "/log.txt", encoding: .utf8),
                       "peel> \(q)\ncrime_type       rate\n---------------  ----\nSexual offences   1.4\n")
    }

    /// `output "FILE"`: the first result makes the file (a rename); later ones are appended to that
    /// same file (same inode), never a rewrite of everything so far.
    func testOutputAppendsLaterResultsToTheSameFile() throws {
        let (s, sink) = try session()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("peel-output-\(getpid()).txt").path
        defer { unlink(path) }
        try "old\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertTrue(s.run(SourceText(name: "t", text: "output \"\(path)\"\ncrime_rates | top 1 | select force")))
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        let inode = st.st_ino
        let first = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertFalse(first.contains("old"))
        XCTAssertTrue(s.run(SourceText(name: "t", text: "crime_rates | top 2 | select rate")))
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_ino, inode, "appended, not replaced")
        let second = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(second, first + "\nrate\n----\n58.0\n68.2\n")
        XCTAssertEqual(sink.stdout, "", "results go to the file, not the screen")
    }
}
