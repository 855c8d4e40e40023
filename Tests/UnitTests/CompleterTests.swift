@testable import PeelSupport
@testable import PeelIO
@testable import PeelLanguage
@testable import PeelEvaluation
@testable import PeelCommands
@testable import PeelSession
import Foundation
import XCTest

/// The completer over a table of cursor positions (the text before the cursor) and what it offers.
final class CompleterTests: XCTestCase {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("datasets").path

    func testCursorPositions() throws {
        let vars = Variables()
        vars.set("force", .text("Kent"))
        vars.set("peers", .list([.text("Essex")]))
        let c = Completer(catalog: try Catalog(directory: Self.datasets), registry: .standard, variables: vars)
        let cases: [(String, String, [String])] = [
            // before the cursor, the word being replaced, the candidates
            ("", "", CommandRegistry.standard.names(of: .source).sorted() == [] ? [] : c.complete("").candidates),
            ("tab", "tab", ["tables"]),
            ("desc", "desc", ["describe"]),
            ("describe cdi_", "cdi_", ["cdi_audits", "cdi_forces", "cdi_rates", "cdi_recommendations"]),
            ("outcomes | wh", "wh", ["where"]),
            ("outcomes | s", "s", ["select", "sort", "summarise"]),
            ("outcomes | where fo", "fo", ["force"]),
            // Functions come from the expression engine's table, beside the columns.
            ("outcomes | add x = ro", "ro", ["round"]),
            ("outcomes | where pe", "pe", ["per_1000", "per_100000", "percent_of_total", "period"]),
            ("outcomes | add x = to", "to", ["total"]),
            ("outcomes | sort share d", "d", ["desc"]),
            ("crime_rates | select crime_type, RA", "RA", ["rate"]),
            ("cdi_forces | compare dyf", "dyf", ["\"Dyfed-Powys\""]),
            ("cdi_forces | compare pow", "pow", ["\"Dyfed-Powys\""]),
            ("cdi_forces | compare \"Dyf", "\"Dyf", ["\"Dyfed-Powys\""]),
            ("cdi_forces | compare \"Leicestershire\" to re", "re", ["region"]),
            ("cdi_forces | compare \"Leicestershire\" to na", "na", ["national"]),
            ("cdi_forces | compare \"Leicestershire\" exc", "exc", ["excluding"]),
            ("cdi_forces | compare \"Leicestershire\" excluding (\"Dor", "\"Dor", ["\"Dorset\""]),
            ("cdi_forces | compare \"Leicestershire\" excluding (\"Dorset\", \"Ken", "\"Ken", ["\"Kent\""]),
            ("cdi_forces | compare \"Leicestershire\" to (\"Esse", "\"Esse", ["\"Essex\""]),
            ("cdi_forces | chart fun", "fun", ["funnel"]),
            ("recorded_crime_totals | ra", "ra", ["rank", "rate"]),
            ("recorded_crime_totals | rate total_recorded_offences o", "o", ["of"]),
            ("population | where mid_", "mid_", ["mid_year"]),
            ("outcomes | where force = \"Eng", "\"Eng", ["\"England and Wales\""]),
            ("outcomes | where kind in (\"outcome\", \"gr", "\"gr", ["\"group\""]),
            ("outcomes | where kind = ", "", ["\"group\"", "\"member\"", "\"outcome\"", "\"total\""]),
            ("cdi_forces | chart strip highlight \"Leic", "\"Leic", ["\"Leicestershire\""]),
            ("outcomes | compare $f", "$f", ["$force"]),
            ("load \"datasets/cdi_r", "\"datasets/cdi_r", ["\"datasets/cdi_rates.csv\"", "\"datasets/cdi_recommendations.csv\""]),
            ("load \"datase", "\"datase", ["\"datasets/"]),
            ("load \"x.xlsx\" sh", "sh", ["sheet"]),
            ("shee", "shee", ["sheets"]),
            ("sheets \"Tests/Workbooks/ons-pfa-tables-2018-2019/policeforceareatablesyeendingmarch2", "\"Tests/Workbooks/ons-pfa-tables-2018-2019/policeforceareatablesyeendingmarch2",
             ["\"Tests/Workbooks/ons-pfa-tables-2018-2019/policeforceareatablesyeendingmarch2019.xlsx\""]),
            ("load \"x.xlsx\" sheet 2 he", "he", ["header"]),
            ("load \"x.zip\" fi", "fi", ["files"]),
            ("outcomes | export \"datasets/catalog.j", "\"datasets/catalog.j", ["\"datasets/catalog.json\""]),
            ("tables; he", "he", ["help"]),
            ("help comp", "comp", ["compare"]),
            ("help da", "da", ["data"]),
            ("outcomes | zzz", "zzz", []),
            // The same lexer as the parser: comments, backquoted names, malformed input.
            ("tables # it's a c", "", []),
            ("outcomes # | s", "", []),
            ("`crime_rates` | select crime_type, ra", "ra", ["rate"]),
            ("crime_rates | where `crime_type` = \"Sex", "\"Sex", ["\"Sexual offences\""]),
            ("outcomes | compare $", "$", ["$force", "$peers"]),
            ("outcomes | where kind in (\"outcome\",\"gr", "\"gr", ["\"group\""]),
            ("outcomes | where kind in(\"gr", "\"gr", ["\"group\""]),
            // select: `as` after a column, nothing after `as` (a new name), columns after a comma.
            ("crime_rates | select force ", "", ["as"]),
            ("crime_rates | select force a", "a", ["as"]),
            ("crime_rates | select force as ", "", []),
            ("crime_rates | select force as ra", "ra", []),
            ("crime_rates | select force as place ", "", []),
            ("crime_rates | select force as place, ra", "ra", ["rate"]),
        ]
        _ = FileManager.default.changeCurrentDirectoryPath(Self.datasets + "/..")
        for (before, word, expected) in cases.dropFirst() {
            let r = c.complete(before)
            XCTAssertEqual(r.word, word, before)
            XCTAssertEqual(r.candidates, expected, before)
        }
        XCTAssertTrue(c.complete("").candidates.contains("tables"))
        XCTAssertTrue(c.complete("").candidates.contains("outcomes_detail"))
    }

    /// A named result is a table like any other: Tab completes its name and its columns; `_` and
    /// `_N` complete the columns of that result; a pipeline inside `let` completes its table's.
    func testNamedResultsAndCellsComplete() throws {
        let s = Session(catalog: try Catalog(directory: Self.datasets), sink: CaptureSink())
        XCTAssertTrue(s.run(SourceText(name: "t", text: "let kent_rows = outcomes_by_force | where force = \"Kent\" | select force, outcome_type, pct_of_offences")))
        XCTAssertTrue(s.run(SourceText(name: "t", text: "crime_rates | top 2")))
        let c = Completer(session: s)
        XCTAssertEqual(c.complete("kent_").candidates, ["kent_rows"])
        XCTAssertEqual(c.complete("describe kent_").candidates, ["kent_rows"])
        XCTAssertEqual(c.complete("kent_rows | select pct").candidates, ["pct_of_offences"])
        XCTAssertEqual(c.complete("crime_rates | join kent").candidates, ["kent_rows"])
        XCTAssertEqual(c.complete("_1 | select outcome_").candidates, ["outcome_type"])
        XCTAssertEqual(c.complete("_ | select crime_").candidates, ["crime_type"])
        XCTAssertEqual(c.complete("let y = kent_rows | where outcome_").candidates, ["outcome_type"])
    }

    func testTabInsertsWhatTheCandidatesShareWithTheOpeningQuote() throws {
        let c = Completer(catalog: try Catalog(directory: Self.datasets), registry: .standard)
        let west = c.complete("cdi_forces | compare wes")
        XCTAssertEqual(west.word, "wes")
        XCTAssertEqual(west.candidates, ["\"West Mercia\"", "\"West Midlands\"", "\"West Yorkshire\""])
        XCTAssertEqual(Completer.insertion(for: west), "\"West ")
        XCTAssertEqual(Completer.insertion(for: c.complete("cdi_forces | compare \"wes")), "\"West ")
        XCTAssertNil(Completer.insertion(for: c.complete("cdi_forces | compare \"West M")), "nothing more to add: listed only")
        // Matched inside the name (`york`): what they share ("\"") does not begin with what was typed.
        let york = c.complete("cdi_forces | compare york")
        XCTAssertEqual(york.candidates, ["\"North Yorkshire\"", "\"South Yorkshire\"", "\"West Yorkshire\""])
        XCTAssertNil(Completer.insertion(for: york))
        // One match: completed, with a space (a folder keeps its slash and no space).
        XCTAssertEqual(Completer.insertion(for: c.complete("cdi_forces | compare dyf")), "\"Dyfed-Powys\" ")
        XCTAssertEqual(Completer.insertion(for: .init(word: "\"datase", candidates: ["\"datasets/"])), "\"datasets/")
        // Several commands beginning alike: nothing beyond the typed word to add.
        XCTAssertNil(Completer.insertion(for: c.complete("outcomes | s")))
        XCTAssertEqual(Completer.insertion(for: c.complete("outcomes | su")), "summarise ")
        XCTAssertNil(Completer.insertion(for: .init(word: "x", candidates: [])))
    }

    /// Values with combining accents: the typed word is replaced whole, counted as the line
    /// editor counts it (Unicode scalars), so the line keeps one opening quote.
    func testTabInsideAValueWithACombiningAccentReplacesTheWholeWord() throws {
        let session = Session(catalog: try Catalog(directory: Self.datasets), sink: CaptureSink())
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("peel-accents-\(getpid()).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("force,place\nKent,E\u{301}cole Nord\nKent,E\u{301}cole Sud\nKent,Cafe\u{301} Ro\u{302}ti\nKent,Cre\u{300}me\n".utf8).write(to: file)
        XCTAssertTrue(session.run(SourceText(name: "t", text: "load \"\(file.path)\" as a")))
        let c = Completer(session: session)
        /// The line after Tab, made as libedit makes it: delete `n` scalars before the cursor, insert.
        func tab(_ line: String) -> String? {
            guard let (n, text) = Completer.edit(for: c.complete(line)) else { return nil }
            return String(String.UnicodeScalarView(line.unicodeScalars.dropLast(n))) + text
        }
        XCTAssertEqual(tab("a | where place = \"Cafe\u{301}"), "a | where place = \"Cafe\u{301} Ro\u{302}ti\" ")
        XCTAssertEqual(tab("a | where place = \"E\u{301}c"), "a | where place = \"E\u{301}cole ")
        XCTAssertEqual(tab("a | where place = \"E\u{301}cole S"), "a | where place = \"E\u{301}cole Sud\" ")
        XCTAssertEqual(tab("a | where place = \"Cre\u{300}"), "a | where place = \"Cre\u{300}me\" ")
        // Typed precomposed, stored decomposed (or the other way): the same text to Swift, one match.
        XCTAssertEqual(tab("a | where place = \"Caf\u{E9}"), "a | where place = \"Cafe\u{301} Ro\u{302}ti\" ")
        // Unquoted: the word starts at the accent's base letter, with no quote to lose.
        XCTAssertEqual(tab("a | where place = cre\u{300}"), "a | where place = \"Cre\u{300}me\" ")
        for line in ["a | where place = \"Cafe\u{301}", "a | where place = \"E\u{301}cole S", "a | where place = \"Cre\u{300}"] {
            let done = try XCTUnwrap(tab(line))
            XCTAssertNil(Lexer.scan(SourceText(name: "t", text: done)).openQuote, "no string left open: \(done)")
        }
    }

    /// A shell line that starts with `|` completes the columns and values of the table it continues.
    func testALineStartingWithAPipeCompletesFromThePreviousTable() throws {
        let session = Session(catalog: try Catalog(directory: Self.datasets), sink: CaptureSink())
        let c = Completer(session: session)
        XCTAssertEqual(c.complete("| select cr").candidates, [], "no table yet")
        XCTAssertTrue(session.run(SourceText(name: "t", text: "crime_rates | select force, crime_type, rate as value"), continuing: true))
        XCTAssertEqual(c.complete("| s").candidates, ["select", "sort", "summarise"])
        XCTAssertEqual(c.complete("| select cr").candidates, ["crime_type"])
        XCTAssertEqual(c.complete("| sort va").candidates, ["value"], "the renamed column, as the kept table has it")
        XCTAssertEqual(c.complete("| where force = \"Eng").candidates, ["\"England and Wales\""])
        XCTAssertEqual(c.complete("crime_rates | sort va").candidates, [], "a pipeline with its own table uses that one")
    }

    func testATildePathIsCompletedAsTheCommandWillOpenIt() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("peel-home-\(getpid())").path
        try FileManager.default.createDirectory(atPath: home + "/my data", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: home + "/my data/rates.csv"))
        let c = Completer(catalog: try Catalog(directory: Self.datasets), registry: .standard, home: home)
        XCTAssertEqual(c.complete("load \"~/my").candidates, ["\"~/my data/"])
        XCTAssertEqual(c.complete("load \"~/my data/r").candidates, ["\"~/my data/rates.csv\""])
        XCTAssertEqual(c.complete("export \"~").candidates, ["\"~/"])
        // The path offered is the path the command reads: the same expansion.
        XCTAssertTrue(FileManager.default.fileExists(atPath: Paths.expandingTilde("~/my data/rates.csv", home: home)))
        XCTAssertEqual(Paths.expandingTilde("~", home: "/h"), "/h")
        XCTAssertEqual(Paths.expandingTilde("~/x.csv", home: "/h/"), "/h/x.csv")
        XCTAssertEqual(Paths.expandingTilde("a/~/x.csv", home: "/h"), "a/~/x.csv")
        XCTAssertEqual(Paths.expandingTilde("~root/x.csv", home: "/h"), "/root/x.csv")
        XCTAssertEqual(Paths.expandingTilde("~no-such-user-here/x.csv", home: "/h"), "~no-such-user-here/x.csv")
        // The parser reads the file argument of load, export, output and save the same way.
        let home2 = ProcessInfo.processInfo.environment["HOME"] ?? ""
        for command in ["load \"~/x.csv\"", "tables | export \"~/x.csv\"", "output \"~/x.csv\"", "save \"~/x.csv\""] {
            let dump = try Parser.parse(SourceText(name: "t", text: command), registry: .standard).map(\.dump).joined()
            XCTAssertTrue(dump.contains(home2 + "/x.csv"), dump)
        }
    }

    func testWordStartMatching() {
        XCTAssertTrue(Completer.matchesByWordStart("Dyfed-Powys", "pow"))
        XCTAssertTrue(Completer.matchesByWordStart("London, City of", "city"))
        XCTAssertFalse(Completer.matchesByWordStart("Dyfed-Powys", "owys"))
    }
}
