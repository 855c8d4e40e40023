@testable import PeelSupport
@testable import PeelLanguage
import XCTest

final class LexerTests: XCTestCase {
    func kinds(_ s: String) throws -> [TokenKind] {
        try Lexer.tokenize(SourceText(name: "t", text: s)).map(\.kind)
    }

    func testTokens() throws {
        XCTAssertEqual(try kinds(#"outcomes | where share >= 9.10 and force != "Leics""#), [
            .identifier("outcomes"), .pipe, .identifier("where"), .identifier("share"), .greaterEqual,
            .number(9.1, scale: 2, text: "9.10"), .identifier("and"), .identifier("force"), .notEqual, .string("Leics"), .end,
        ])
    }

    func testOperatorsAndPunctuation() throws {
        XCTAssertEqual(try kinds("= == != <> < <= > >= ~ !~ + - * / ( ) , ; \n"), [
            .equal, .equal, .notEqual, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .match, .notMatch,
            .plus, .minus, .star, .slash, .leftParen, .rightParen, .comma, .semicolon, .newline, .end,
        ])
    }

    func testStringsQuotesAndEscapes() throws {
        XCTAssertEqual(try kinds(#""say ""hi""" 'it''s' "a\"b""#), [.string(#"say "hi""#), .string("it's"), .string(#"a"b"#), .end])
        XCTAssertEqual(try kinds("\"Heddlu Dyfed-Powys café\""), [.string("Heddlu Dyfed-Powys café"), .end])
    }

    func testBackquotedNamesAndComments() throws {
        XCTAssertEqual(try kinds("`England and Wales` # a comment | where\nx"), [.quotedIdentifier("England and Wales"), .newline, .identifier("x"), .end])
    }

    func testRangesAreByteOffsets() throws {
        let t = try Lexer.tokenize(SourceText(name: "t", text: "é | top 5"))
        XCTAssertEqual(t[0].range, SourceRange(0, 2))
        XCTAssertEqual(t[3].range, SourceRange(9, 10))
    }

    func testErrorsPointAtTheBadToken() {
        func diag(_ s: String) -> Diagnostic? {
            do { _ = try Lexer.tokenize(SourceText(name: "t", text: s)); return nil } catch { return error.diagnostic }
        }
        XCTAssertEqual(diag("where x = \"open")?.range, SourceRange(10, 11))
        XCTAssertEqual(diag("where x = \"open")?.message, "unterminated string")
        XCTAssertEqual(diag("top 5x")?.message, "malformed number '5x'")
        XCTAssertEqual(diag("a ! b")?.range, SourceRange(2, 3))
        XCTAssertEqual(diag("a = “b”")?.message, "curly quote in a command")
        XCTAssertEqual(diag("a $ b")?.message, "expected a variable name after '$'")
        XCTAssertEqual(diag("a @ b")?.message, "unexpected character '@'")
    }

    // MARK: lenient mode (the shell's continuation check and Tab completion)

    func scan(_ s: String) -> Lexer.Scan { Lexer.scan(SourceText(name: "t", text: s)) }

    func testAByteOrderMarkAtTheStartIsSkipped() throws {
        XCTAssertEqual(try kinds("\u{FEFF}tables"), [.identifier("tables"), .end])
        // Columns on line 1 are counted after it, as an editor counts them.
        let src = SourceText(name: "t", text: "\u{FEFF}tables | sort x")
        XCTAssertEqual(src.text, "tables | sort x")
        XCTAssertEqual(src.location(of: 14).column, 15)
    }

    func testInvisibleCharactersInCommandsAreNamed() {
        func diag(_ s: String) -> Diagnostic? {
            do { _ = try Lexer.tokenize(SourceText(name: "t", text: s)); return nil } catch { return error.diagnostic }
        }
        let bom = diag("tables\n\u{FEFF}tables")
        XCTAssertEqual(bom?.message, "the name 'tables' starts with an invisible U+FEFF BYTE ORDER MARK")
        XCTAssertEqual(bom?.range, SourceRange(7, 10))
        XCTAssertEqual(diag("describe crime\u{200B}_rates")?.message, "the name 'crime_rates' has an invisible U+200B ZERO WIDTH SPACE after 'crime'")
        XCTAssertEqual(diag("tables\u{2060}")?.message, "the name 'tables' ends with an invisible U+2060 WORD JOINER")
        XCTAssertEqual(diag("top 5\u{202E}")?.message, "an invisible U+202E RIGHT-TO-LEFT OVERRIDE after '5'")
        XCTAssertEqual(diag("tables | \u{200B} top 1")?.message, "an invisible U+200B ZERO WIDTH SPACE in a command")
        XCTAssertEqual(diag("$force\u{200D}")?.message, "the name 'force' ends with an invisible U+200D ZERO WIDTH JOINER")
        let nbsp = diag("describe\u{A0}crime_rates")
        XCTAssertEqual(nbsp?.message, "a U+00A0 NO-BREAK SPACE between 'describe' and 'crime_rates', where a plain space belongs")
        XCTAssertEqual(nbsp?.range, SourceRange(8, 10))
        XCTAssertEqual(diag("top 5\u{202F}")?.message, "a U+202F NARROW NO-BREAK SPACE after '5', where a plain space belongs")
        // Inside quotes they are data; other letters outside quotes are names as before.
        XCTAssertNil(diag("where force = \"Kent\u{A0}\u{200B}\u{FEFF}\""))
        XCTAssertNil(diag("help café Môn 日本"))
    }

    func testLenientModeReportsAnOpenQuoteAndWhereItStarts() {
        let s = scan(#"outcomes | where force = "Leics"#)
        XCTAssertEqual(s.openQuote, "\"")
        XCTAssertEqual(s.openQuoteStart, 25)
        XCTAssertEqual(s.tokens.suffix(2).map(\.kind), [.string("Leics"), .end])
        XCTAssertTrue(s.needsMore)
        XCTAssertEqual(scan("help 'it").openQuote, "'")
        // Closed, doubled and escaped quotes are read as the parser reads them.
        XCTAssertNil(scan(#"where force = "Kent""#).openQuote)
        XCTAssertNil(scan("where x = 'it''s'").openQuote)
        XCTAssertEqual(scan(#"where x = "a\""#).openQuote, "\"", "an escaped quote does not close the text")
        XCTAssertNil(scan("select `it's`").openQuote, "a quote inside a backquoted name opens nothing")
        // A quote left open on an earlier line was an error there, not an open quote now.
        XCTAssertNil(scan("x = \"a\ntables").openQuote)
    }

    func testLenientModeHonoursComments() {
        let s = scan("tables # it's")
        XCTAssertNil(s.openQuote)
        XCTAssertFalse(s.needsMore)
        XCTAssertTrue(s.inComment)
        XCTAssertFalse(scan("tables # (").needsMore)
        XCTAssertTrue(scan("outcomes | # more to come").trailingPipe)
        XCTAssertFalse(scan("outcomes # | not a pipe").trailingPipe)
        XCTAssertFalse(scan("tables # x\ntables").inComment)
        XCTAssertFalse(scan(#"x = "a # b""#).inComment, "# inside text is text")
    }

    func testLenientModeCountsBracketsAndSeesATrailingPipe() {
        XCTAssertEqual(scan("where n in (1, (2").depth, 2)
        XCTAssertEqual(scan("where n in (1, 2)").depth, 0)
        XCTAssertTrue(scan("where n in (1,").needsMore)
        XCTAssertEqual(scan(#"where x = "(" "#).depth, 0, "a bracket inside text is text")
        XCTAssertTrue(scan("outcomes |").trailingPipe)
        XCTAssertTrue(scan("outcomes |  \n").trailingPipe, "blank lines after | still continue")
        XCTAssertFalse(scan("outcomes | top 5").trailingPipe)
        XCTAssertFalse(scan("| top 5").needsMore)
        XCTAssertFalse(scan("tables").needsMore)
    }

    func testLenientModeNeverThrowsAndSkipsWhatIsMalformed() {
        let s = scan("a ! b $ 5x “ c `open")
        XCTAssertEqual(s.tokens.map(\.kind), [.identifier("a"), .identifier("b"), .identifier("c"), .end])
        XCTAssertEqual(s.malformed, [SourceRange(2, 3), SourceRange(6, 7), SourceRange(8, 10), SourceRange(11, 14), SourceRange(17, 22)])
        XCTAssertFalse(s.needsMore)
        // Control characters in text do not end it (a pasted tab or bell): the quote is still open.
        XCTAssertEqual(scan("x = \"a\u{07}b").openQuote, "\"")
        // Whatever the bytes, a scan ends.
        for text in ["", "\"", "'", "`", "(", ")", "|", "#", "$", "!", "\u{FFFD}", "\"\"\"", "\\", "\r\n"] {
            XCTAssertEqual(scan(text).tokens.last?.kind, .end, text)
        }
    }

    // MARK: which error

    /// Each malformed input stops the lexer with its own case, holding the place and what was seen.
    func testEachMalformedTokenThrowsItsCase() {
        let cases: [(String, LexError)] = [
            ("a ! b", .loneExclamation(SourceRange(2, 3))),
            ("a $ b", .missingVariableName(SourceRange(2, 3))),
            ("x `open", .unterminatedName(SourceRange(2, 7))),
            ("a = \u{201C}b", .curlyQuote(SourceRange(4, 7))),
            ("describe crime\u{200B}_rates",
             .invisibleCharacter(SourceRange(14, 17), codePoint: 0x200B, name: "ZERO WIDTH SPACE", before: "crime", after: "_rates", inName: true)),
            ("top\u{00A0}5", .invisibleCharacter(SourceRange(3, 5), codePoint: 0xA0, name: "NO-BREAK SPACE", before: "top", after: "5", inName: true)),
            ("top 5\u{202E}", .invisibleCharacter(SourceRange(5, 8), codePoint: 0x202E, name: "RIGHT-TO-LEFT OVERRIDE", before: "5", after: "", inName: false)),
            ("a @ b", .unexpectedCharacter(SourceRange(2, 3), character: "@")),
            ("load data.csv", .unexpectedCharacter(SourceRange(9, 10), character: ".")),
            ("a\u{07}", .unexpectedCharacter(SourceRange(1, 2), character: "\u{07}")),
            ("x = \"a\u{07}b\"", .controlCharacterInText(SourceRange(6, 7), byte: 7)),
            ("where x = \"open", .unterminatedString(SourceRange(10, 11), quote: "\"")),
            ("where x = 'open\nmore'", .unterminatedString(SourceRange(10, 11), quote: "'")),
            ("top 5x", .numberRunsIntoName(SourceRange(4, 6), text: "5x")),
        ]
        for (text, expected) in cases {
            do {
                let tokens = try Lexer.tokenize(SourceText(name: "t", text: text))
                XCTFail("\(text): lexed as \(tokens.map(\.kind))")
            } catch {
                XCTAssertEqual(error, expected, text)
                XCTAssertEqual(error.diagnostic.range, expected.range, text)
            }
        }
    }

    /// The words for each case: the switch in `LexError.diagnostic` says what the lexer used to.
    func testLexErrorWords() {
        let r = SourceRange(0, 1)
        let cases: [(LexError, String, String?)] = [
            (.loneExclamation(r), "unexpected character '!'", "use '!=' for 'not equal' or '!~' for 'does not contain'"),
            (.missingVariableName(r), "expected a variable name after '$'", "e.g. $force"),
            (.unterminatedName(r), "unterminated `name`", "close the name with a backquote (`)"),
            (.curlyQuote(r), "curly quote in a command", "use straight quotes (\" or ') around text"),
            (.unexpectedCharacter(r, character: "\u{07}"), "unexpected character U+0007 (a control character)", nil),
            (.unexpectedCharacter(r, character: "\u{FFFD}"), "unexpected character U+FFFD (bytes that are not UTF-8)", nil),
            (.controlCharacterInText(r, byte: 0x1B), "text cannot contain the control character U+001B",
             "remove it; it may have come from copying out of another program"),
            (.unterminatedString(r, quote: "'"), "unterminated string", "close the text with ' on the same line"),
            (.numberRunsIntoName(r, text: "5x"), "malformed number '5x'", "put text in quotes, e.g. \"5x\""),
            (.malformedNumber(r, text: "1_"), "malformed number '1_'", nil),
            (.invisibleCharacter(r, codePoint: 0xA0, name: "NO-BREAK SPACE", before: "top", after: "5", inName: true),
             "a U+00A0 NO-BREAK SPACE between 'top' and '5', where a plain space belongs",
             "type a plain space instead (a no-break space often comes from copying out of a document or a web page)"),
            (.invisibleCharacter(r, codePoint: 0xFEFF, name: "BYTE ORDER MARK", before: "", after: "", inName: true),
             "an invisible U+FEFF BYTE ORDER MARK in a command",
             "delete it: a byte order mark belongs only at the very start of a file (where peel skips it); two files joined together leave one inside"),
        ]
        for (error, message, help) in cases {
            XCTAssertEqual(error.diagnostic.message, message)
            XCTAssertEqual(error.diagnostic.help, help, message)
            XCTAssertEqual(error.diagnostic.range, r)
        }
    }
}
