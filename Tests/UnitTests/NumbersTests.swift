@testable import PeelSupport
import XCTest

final class NumbersTests: XCTestCase {
    func testFixedFormatting() {
        XCTAssertEqual(NumberFormat.fixed(9.1, scale: 1), "9.1")
        XCTAssertEqual(NumberFormat.fixed(-3.0000000000000004, scale: 1), "-3.0")
        XCTAssertEqual(NumberFormat.fixed(-0.04, scale: 1), "0.0", "no negative zero")
        XCTAssertEqual(NumberFormat.fixed(0.05, scale: 1), "0.1")
        XCTAssertEqual(NumberFormat.fixed(1234567.891, scale: 2), "1234567.89")
        XCTAssertEqual(NumberFormat.fixed(0.007, scale: 3), "0.007")
        XCTAssertEqual(NumberFormat.fixed(12, scale: 0), "12")
    }

    /// Differences are computed on the printed digits, checked against integer arithmetic.
    func testExactDifferenceMatchesIntegerArithmetic() {
        let pairs: [(String, String)] = [("9.1", "12.1"), ("50.2", "47.4"), ("0.3", "0.2"), ("18.2", "8.7"), ("77.4", "83.8"), ("39.0", "51.4")]
        for (a, b) in pairs {
            let tenthsA = Int(a.replacingAll(".", with: ""))!, tenthsB = Int(b.replacingAll(".", with: ""))!
            let d = NumberFormat.exactDifference(Double(a)!, Double(b)!, scale: 1)
            XCTAssertEqual(d, Double(tenthsA - tenthsB) / 10, "\(a) - \(b)")
            XCTAssertEqual(NumberFormat.fixed(d, scale: 1), NumberFormat.fixed(Double(tenthsA - tenthsB) / 10, scale: 1))
        }
        XCTAssertEqual(NumberFormat.exactDifference(9.1, 12.1, scale: 1), -3.0)
    }

    func testDisplayWidth() {
        XCTAssertEqual(DisplayWidth.of("Ynys Môn"), 8)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "combining accent")
        XCTAssertEqual(DisplayWidth.of("日本"), 4)
        XCTAssertEqual(DisplayWidth.truncate("Prosecution prevented", to: 10), "Prosecuti…")
        XCTAssertEqual(DisplayWidth.truncate("short", to: 10), "short")
    }

    func testControlCharactersTakeTheWidthOfTheirPictures() {
        // A terminal is shown ␛ or <U+202E> in their place (ControlPictures): the widths match, so
        // a table with them in its cells still lines up there.
        XCTAssertEqual(DisplayWidth.of("\u{1B}[31mred"), 8)
        XCTAssertEqual(DisplayWidth.of(ControlPictures.visible("\u{1B}[31mred")), 8)
        XCTAssertEqual(DisplayWidth.of("\u{202E}evil\u{9B}"), 20)
        XCTAssertEqual(DisplayWidth.of(ControlPictures.visible("\u{202E}evil\u{9B}")), 20)
        XCTAssertEqual(DisplayWidth.of("a\tb"), 2, "a tab takes no column of its own")
    }

    func testControlPictures() {
        XCTAssertEqual(ControlPictures.visible("\u{1B}]0;pwned\u{07}|\u{08}\r\n\u{7F}\0"), "␛]0;pwned␇|␈␍␊␡␀")
        XCTAssertEqual(ControlPictures.visible("a\nb\tc", keepingLineBreaks: true), "a\nb\tc")
        XCTAssertEqual(ControlPictures.visible("\u{9B}31m \u{202E}x\u{202C} \u{2066}\u{2069} \u{200E}\u{200F}\u{061C} \u{200B}\u{2060}\u{FEFF}"),
                       "<U+009B>31m <U+202E>x<U+202C> <U+2066><U+2069> <U+200E><U+200F><U+061C> <U+200B><U+2060><U+FEFF>")
        // Everything else is shown as itself: accents, Welsh, emoji joined with a ZWJ, a no-break space.
        for text in ["Ynys Môn", "e\u{301}", "日本", "👩\u{200D}💻", "a\u{A0}b", "Heddlu Dyfed-Powys"] {
            XCTAssertFalse(ControlPictures.needed(text), text)
            XCTAssertEqual(ControlPictures.visible(text), text)
        }
    }

    func testSuggestions() {
        XCTAssertEqual(Suggest.closest(to: "outcome", in: ["outcomes", "indicators"]), "outcomes")
        XCTAssertEqual(Suggest.closest(to: "shares", in: ["share", "force"]), "share")
        XCTAssertEqual(Suggest.closest(to: "sotr", in: ["sort", "select"]), "sort")
        XCTAssertNil(Suggest.closest(to: "zzzz", in: ["sort", "select"]))
        XCTAssertEqual(Suggest.distance("kitten", "sitting"), 3)
    }
}
