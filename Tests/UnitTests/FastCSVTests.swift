@testable import PeelIO
@testable import PeelRender
import Foundation
import XCTest

/// The parallel reader's word-at-a-time scan against the general reader, on generated files whose
/// fields end on every offset within an eight-byte word: short and long values, spaces around them,
/// empty fields, CRLF and LF, blank lines, a last line with or without its line end, and values
/// that repeat on consecutive rows (the inline compare with the row before) or do not.
final class FastCSVTests: XCTestCase {
    struct Rng {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    func testWordScanAgreesWithTheGeneralReader() throws {
        let pool = ["", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh", "abcdefghi",
                    "Leicestershire", "Leicestershire North", " 12", "12 ", "7", "-3", "2.5", "..", "[c]", "2014/15",
                    "Q1", "x y z", "abcdefghijklmnopq", "0", "9223372036854775807", "abcdefgh1", "abcdefgh2"]
        var rng = Rng(state: 20)
        var checked = 0
        for trial in 0..<300 {
            let width = 2 + rng.next(6)
            let rows = 1 + rng.next(40)
            let crlf = rng.next(3) == 0
            var text = (0..<width).map { "c\($0)" }.joined(separator: ",") + (crlf ? "\r\n" : "\n")
            var previous: [String] = Array(repeating: "a", count: width)
            for r in 0..<rows {
                var fields: [String] = []
                for j in 0..<width {
                    // Numbers only in the last column, so most columns stay text and some integer.
                    let v = rng.next(3) == 0 ? previous[j] : pool[rng.next(pool.count)]
                    fields.append(v)
                    previous[j] = v
                }
                if fields.allSatisfy({ $0.isEmpty || $0 == ".." || $0 == "[c]" }) { fields[0] = "z" }
                text += fields.joined(separator: ",")
                if r < rows - 1 || rng.next(2) == 0 { text += crlf ? "\r\n" : "\n" }
                if rng.next(10) == 0, r < rows - 1 { text += crlf ? "\r\n" : "\n" }
            }
            let bytes = Array(text.utf8)
            var general = CSVOptions()
            general.fastPathMinimum = Int.max
            var parallel = CSVOptions()
            parallel.fastPathMinimum = 0
            parallel.chunkBytes = 1 + rng.next(64)
            let fast = try bytes.withUnsafeBufferPointer { b in
                try FastCSV.parse(b, from: 0, delimiter: UInt8(ascii: ","), name: "t", fileName: "t.csv", options: parallel)
            }
            XCTAssertNotNil(fast, "trial \(trial): the parallel reader declined a quote-free file")
            let a = try CSVReader.read(bytes, name: "t", fileName: "t.csv", options: general)
            guard let b = fast else { continue }
            XCTAssertEqual(a.table.columns.map(\.type), b.table.columns.map(\.type), "trial \(trial)")
            XCTAssertEqual(try TableRenderer.render(a.table, format: .csv), try TableRenderer.render(b.table, format: .csv), "trial \(trial)\n\(text)")
            checked += 1
        }
        XCTAssertEqual(checked, 300)
    }

    func testRaggedRowsGoToTheGeneralReader() throws {
        for text in ["a,b\n1,2\n3\n", "a,b\n1,2,3\n", "a,b\n1,2\n3,4,", "a,b\n1,2\r3,4\n", "a,b\n\"1\",2\n"] {
            var parallel = CSVOptions()
            parallel.fastPathMinimum = 0
            parallel.chunkBytes = 3
            let fast = try Array(text.utf8).withUnsafeBufferPointer { b in
                try FastCSV.parse(b, from: 0, delimiter: UInt8(ascii: ","), name: "t", fileName: "t.csv", options: parallel)
            }
            XCTAssertNil(fast, text)
        }
    }

    func testEqualComparesEveryLength() {
        let a = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        for n in 0..<a.count {
            var b = Array(a[0..<n])
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in XCTAssertTrue(ByteInterner.equal(x.baseAddress!, y.baseAddress!, n)) }
            }
            for k in 0..<n {
                b[k] ^= 1
                a.withUnsafeBufferPointer { x in
                    b.withUnsafeBufferPointer { y in XCTAssertFalse(ByteInterner.equal(x.baseAddress!, y.baseAddress!, n), "\(n) \(k)") }
                }
                b[k] ^= 1
            }
        }
    }
}
