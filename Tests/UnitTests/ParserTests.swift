@testable import PeelSupport
@testable import PeelLanguage
@testable import PeelCommands
import XCTest

final class ParserTests: XCTestCase {
    func dump(_ s: String) throws -> [String] {
        try Parser.parse(SourceText(name: "t", text: s), registry: .standard).map(\.dump)
    }

    func diag(_ s: String) -> Diagnostic? {
        do { _ = try Parser.parse(SourceText(name: "t", text: s), registry: .standard); return nil } catch { return (error as? DiagnosticConvertible)?.diagnostic }
    }

    func testPipelines() throws {
        XCTAssertEqual(try dump(#"outcomes | where force = "Leicestershire" | sort share desc, outcome | top 5"#),
                       [#"table(outcomes) | where (= col(force) str("Leicestershire")) | sort [share desc, outcome asc] | top 5"#])
        XCTAssertEqual(try dump("tables; describe outcomes\nhelp compare"), ["tables", "describe(outcomes)", "help(compare)"])
        XCTAssertEqual(try dump(#"outcomes | compare "Leicestershire" to "England and Wales" by number, outcome on share | chart bar by outcome mark x"#),
                       [#"table(outcomes) | compare "Leicestershire" to "England and Wales" by [number, outcome] on share | chart bar by outcome mark "x""#])
        XCTAssertEqual(try dump("t | chart interval rate ci ci_pct highlight $force mark 87.7 width 40 ascii"),
                       ["table(t) | chart interval rate ci ci_pct mark 87.7 highlight $force width 40 ascii"])
    }

    func testPrecedence() throws {
        XCTAssertEqual(try dump("t | where a = 1 or b = 2 and not c = 3"),
                       ["table(t) | where (or (= col(a) num(1)) (and (= col(b) num(2)) (not (= col(c) num(3)))))"])
        XCTAssertEqual(try dump("t | where a + b * 2 > -1.50"), ["table(t) | where (> (+ col(a) (* col(b) num(2))) num(-1.50))"])
        XCTAssertEqual(try dump("t | where (a = 1 or b = 2) and c ~ \"x\""),
                       [#"table(t) | where (and (or (= col(a) num(1)) (= col(b) num(2))) (~ col(c) str("x")))"#])
        XCTAssertEqual(try dump(#"t | where k not in ("a", "b") and n in (1) and m = missing"#),
                       [#"table(t) | where (and (and (not in col(k) [str("a"), str("b")]) (in col(n) [num(1)])) (= col(m) missing))"#])
    }

    func testContinuationLines() throws {
        XCTAssertEqual(try dump("outcomes\n  | top 1\n\n  | select share\ntables"), ["table(outcomes) | top 1 | select [share]", "tables"])
        XCTAssertEqual(try dump("outcomes |\n\n top 1"), ["table(outcomes) | top 1"])
        // A shell line that starts with `|` continues the previous result (its first statement only).
        func shell(_ s: String) throws -> [String] {
            try Parser.parse(SourceText(name: "t", text: s), registry: .standard, continuing: true).map(\.dump)
        }
        XCTAssertEqual(try shell("| top 1\n  | select share"), ["previous | top 1 | select [share]"])
        XCTAssertEqual(try shell("# first\n| top 1"), ["previous | top 1"])
        XCTAssertEqual(try shell("outcomes | top 1"), ["table(outcomes) | top 1"])
        XCTAssertThrowsError(try shell("tables; | top 1"))
        XCTAssertThrowsError(try shell("|"))
    }

    func testErrors() {
        XCTAssertEqual(diag("outcomes | filter x")?.help, "peel calls this 'where'")
        XCTAssertEqual(diag("outcomes | sotr x")?.help, "did you mean 'sort'?")
        XCTAssertEqual(diag("where x = 1")?.message, "'where' needs a table to work on")
        XCTAssertEqual(diag("outcomes | tables")?.message, "'tables' starts a command and cannot follow '|'")
        XCTAssertEqual(diag("outcomes | where (a = 1")?.message, "expected ')', found the end of the command")
        XCTAssertEqual(diag("outcomes | where")?.message, "expected a condition, found the end of the command")
        XCTAssertEqual(diag("outcomes | top")?.range, SourceRange(14, 14))
        XCTAssertEqual(diag("| top 1")?.message, "a pipeline starts with a table")
        XCTAssertEqual(diag("outcomes | select a,")?.message, "expected a column name, found the end of the command")
    }

    func testEveryCommandHasUniqueNameAndUsage() {
        let names = CommandRegistry.standard.names()
        XCTAssertEqual(Set(names).count, names.count)
        for c in CommandRegistry.standard.commands {
            XCTAssertTrue(c.usage.hasPrefix(c.name), c.name)
            XCTAssertFalse(c.summary.isEmpty, c.name)
            XCTAssertFalse(c.examples.isEmpty, c.name)
        }
    }

    // MARK: which error

    /// The parse error thrown for `text`, or nil (after a failure) when it parsed or threw something else.
    func parseError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ParseError? {
        do {
            _ = try Parser.parse(SourceText(name: "t", text: text), registry: .standard)
            XCTFail("\(text): parsed", file: file, line: line)
        } catch let e as ParseError {
            return e
        } catch {
            XCTFail("\(text): threw \(error)", file: file, line: line)
        }
        return nil
    }

    /// Each grammar mistake throws its own case, holding its place and what was found.
    func testEachGrammarMistakeThrowsItsCase() {
        let registry = CommandRegistry.standard
        let stages = registry.names(of: .stage)
        let cases: [(String, ParseError)] = [
            ("| top 1", .pipelineStartsWithPipe(SourceRange(0, 1))),
            ("where x = 1", .stageNeedsTable(SourceRange(0, 5), command: "where", usage: registry.command(named: "where")!.usage)),
            ("outcomes | tables", .sourceAfterPipe(SourceRange(11, 17), command: "tables", stages: stages)),
            ("outcomes | filter x", .unknownVerb(SourceRange(11, 17), word: "filter", otherTool: "where", suggestion: nil, stages: stages)),
            ("outcomes | sotr x", .unknownVerb(SourceRange(11, 15), word: "sotr", otherTool: nil, suggestion: "sort", stages: stages)),
            ("outcomes | zzzzzzzz", .unknownVerb(SourceRange(11, 19), word: "zzzzzzzz", otherTool: nil, suggestion: nil, stages: stages)),
            ("outcomes | where (a = 1", .unexpected(SourceRange(23, 23), expected: "')'", found: .end, help: "every '(' needs a matching ')'")),
            ("outcomes | where a = and", .unexpected(SourceRange(21, 24), expected: "a value or a column name", found: .identifier("and"), help: nil)),
            ("outcomes | select a,", .unexpected(SourceRange(20, 20), expected: "a column name", found: .end, help: "e.g. select outcome, share")),
            (")", .unexpected(SourceRange(0, 1), expected: "a command or a table name", found: .rightParen,
                              help: "type 'help' to list commands, 'tables' to list tables")),
            ("outcomes | )", .unexpected(SourceRange(11, 12), expected: "a verb after '|'", found: .rightParen,
                                         help: "verbs: " + stages.joined(separator: ", "))),
            ("outcomes | select ` `", .emptyName(SourceRange(18, 21))),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(parseError(text), expected, text)
        }
    }

    /// Words after a finished step, and the two expression limits.
    func testStrayWordsAndExpressionLimitsThrowTheirCases() {
        guard case .extraAfterStep(_, let found, let verb, let usage)? = parseError("tables extra") else { return XCTFail("tables extra") }
        XCTAssertEqual(found, .identifier("extra"))
        XCTAssertEqual(verb, "tables")
        XCTAssertEqual(usage, CommandRegistry.standard.command(named: "tables")?.usage)

        let deep = "outcomes | where " + String(repeating: "(", count: Parser.maxNesting + 1) + "1" + String(repeating: ")", count: Parser.maxNesting + 1)
        guard case .nestedTooDeep(let at, let limit)? = parseError(deep) else { return XCTFail("deep") }
        XCTAssertEqual(limit, Parser.maxNesting)
        XCTAssertEqual(at, SourceRange(17 + Parser.maxNesting, 18 + Parser.maxNesting), "at the bracket one too deep")

        let long = "outcomes | where 1" + String(repeating: " + 1", count: Parser.maxOperators + 1)
        guard case .tooManyOperators(_, let most)? = parseError(long) else { return XCTFail("long") }
        XCTAssertEqual(most, Parser.maxOperators)
    }

    /// The words for the limits, worded in `ParseError.diagnostic`.
    func testParseErrorWords() {
        let r = SourceRange(0, 1)
        XCTAssertEqual(ParseError.nestedTooDeep(r, limit: 100).diagnostic.message, "this expression is nested more than 100 levels deep")
        XCTAssertEqual(ParseError.tooManyOperators(r, limit: 1_000).diagnostic.message, "this expression has more than 1,000 operators")
        XCTAssertEqual(ParseError.extraAfterStep(r, found: .comma, verb: "tables", usage: "tables").diagnostic.help, "usage: tables")
        XCTAssertEqual(ParseError.unexpected(r, expected: "x", found: .semicolon, help: nil).diagnostic.message, "expected x, found the end of the command")
        XCTAssertEqual(ParseError.stageNeedsTable(r, command: "top", usage: "top N").diagnostic.help, "start with a table, e.g. outcomes | top N")
    }
}
