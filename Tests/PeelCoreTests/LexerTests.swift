@testable import PeelCore
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
            do { _ = try Lexer.tokenize(SourceText(name: "t", text: s)); return nil } catch { return error }
        }
        XCTAssertEqual(diag("where x = \"open")?.range, SourceRange(10, 11))
        XCTAssertEqual(diag("where x = \"open")?.message, "unterminated string")
        XCTAssertEqual(diag("top 5x")?.message, "malformed number '5x'")
        XCTAssertEqual(diag("a ! b")?.range, SourceRange(2, 3))
        XCTAssertEqual(diag("a = “b”")?.message, "curly quote in a command")
        XCTAssertEqual(diag("a $ b")?.message, "expected a variable name after '$'")
        XCTAssertEqual(diag("a @ b")?.message, "unexpected character '@'")
    }
}
