@testable import PeelSupport
@testable import PeelData
@testable import PeelIO
@testable import PeelLanguage
@testable import PeelEvaluation
@testable import PeelSession
import Foundation
import XCTest

/// The column-at-a-time paths (expressions for `add`, grouping, summarising) against the
/// row-at-a-time definitions they replace, on a table with missing values in every column.
final class VectorTests: XCTestCase {
    /// 500 rows, reproducible: two text columns and two numeric ones, each with missing values.
    static func table() -> Table {
        var rng = SplitMix(seed: 7)
        var force = ColumnBuilder.text("force"), kind = ColumnBuilder.text("kind")
        var n = ColumnBuilder.integer("n"), x = ColumnBuilder.decimal("x", scale: 1)
        for _ in 0..<500 {
            let r = rng.next()
            force.append(r % 11 == 0 ? nil : ["Kent", "Essex", "Durham", "Gwent"][Int(r % 4)])
            kind.append(r % 13 == 0 ? nil : ["a", "b", "c"][Int((r >> 8) % 3)])
            n.append(r % 7 == 0 ? nil : Double((r >> 16) % 50))
            x.append(r % 5 == 0 ? nil : Double(Int((r >> 24) % 2001) - 1000) / 10)
        }
        return Table(name: "t", columns: [force.build(), kind.build(), n.build(), x.build()])
    }

    func expr(_ s: String) throws -> Expr {
        var p = Parser(tokens: try Lexer.tokenize(SourceText(name: "t", text: s)))
        return try p.expression()
    }

    /// The engine's column-at-a-time results against the row-by-row reference evaluator.
    func testVectorExpressionsEqualRowByRow() throws {
        let t = Self.table()
        let c = ExprEngine(table: t)
        let cases = [
            "n", "x", "-x", "n + x", "n - x", "n * x", "n / x", "x / (n - 10)", "3", "missing",
            "if(kind = \"a\", n, 0)", "if(kind != \"b\" and x > 0, x, n)", "if(not (n >= 10 or x < -50), 1, 2)",
            "if(force ~ \"ken\", x, missing)", "if(force !~ \"e\" or kind = \"c\", n, x)", "if(n = x, 1, 0)",
            "if(n <= 5, n, -n)", "round(x)", "round(x / 3, 2)", "abs(x)", "pct(n, x)", "per_1000(n, 7)", "per_100000(x, n)",
            "total(n)", "percent_of_total(x)", "pct(if(kind = \"a\", n, 0), total(n))", "round(pct(n, total(n)) - pct(x, total(x)), 2)",
            "if(n = missing, 1, 0)", "if(force in (\"Kent\"), 1, 0)",
        ]
        for s in cases {
            let e = try expr(s)
            let v = try c.evaluate(e).vector
            let reference = ReferenceEvaluator(table: t)
            for r in 0..<t.rowCount {
                let want = reference.eval(e, r)
                switch (want, v.value(r)) {
                case (.number(let d), .number(let got)):
                    XCTAssertEqual(got.bitPattern, d.bitPattern, "\(s) row \(r)")
                case (let w, let g):
                    XCTAssertEqual(g, w, "\(s) row \(r)")
                }
            }
        }
    }

    func testGroupIDsMatchAGroupingByValue() throws {
        let t = Self.table()
        // One and two text keys (direct table), and numeric keys (hashed), all by first appearance.
        for keys in [["force"], ["force", "kind"], ["n"], ["kind", "x"], ["force", "kind", "n"]] {
            let cols = keys.map { t.column($0)! }
            let g = t.groupIDs(by: cols)
            var seen: [String: Int32] = [:]
            var firsts: [Int] = []
            for r in 0..<t.rowCount {
                let k = cols.map { $0.formatted(r) ?? "\u{0}missing" }.joined(separator: "\u{1}")
                if seen[k] == nil { seen[k] = Int32(firsts.count); firsts.append(r) }
                XCTAssertEqual(g.ids[r], seen[k], "\(keys) row \(r)")
            }
            XCTAssertEqual(g.firstRows, firsts, "\(keys)")
            let rows = t.groupRows(by: cols).groups
            XCTAssertEqual(rows.count, firsts.count)
            XCTAssertEqual(rows.map { $0.rows.first! }, firsts)
            XCTAssertEqual(rows.reduce(0) { $0 + $1.rows.count }, t.rowCount)
        }
    }

    /// Keys of many columns (the fold): small and large cardinalities, so both the direct table and
    /// the hashed pairs are used; -0.0 meets 0; missing meets missing only; first-appearance order.
    func testGroupIDsOfManyColumnsAgainstStringKeys() {
        var rng = SplitMix(seed: 11)
        var a = ColumnBuilder.text("a"), b = ColumnBuilder.integer("b"), c = ColumnBuilder.decimal("c", scale: 1)
        var d = ColumnBuilder.integer("d"), e = ColumnBuilder.text("e")
        for _ in 0..<6000 {
            let r = rng.next()
            a.append(r % 17 == 0 ? nil : ["Kent", "Essex", "Durham"][Int(r % 3)])
            b.append(r % 19 == 0 ? nil : Double((r >> 8) % 5000))
            let z = Double(Int((r >> 24) % 3)) - 1
            c.append(r % 23 == 0 ? nil : (z == 0 && (r >> 30) & 1 == 1 ? -0.0 : z))
            d.append(Double((r >> 34) % 4000))
            e.append(r % 29 == 0 ? nil : "e\((r >> 44) % 2)")
        }
        let t = Table(name: "t", columns: [a.build(), b.build(), c.build(), d.build(), e.build()])
        for keys in [["a", "b"], ["b", "d"], ["a", "c", "e"], ["b", "d", "c", "a", "e"], ["e", "a"]] {
            let cols = keys.map { t.column($0)! }
            let g = t.groupIDs(by: cols)
            var seen: [String: Int32] = [:]
            var firsts: [Int] = []
            for r in 0..<t.rowCount {
                let k = cols.map { col -> String in
                    guard let v = col.formatted(r) else { return "\u{0}missing" }
                    return v == "-0.0" ? "0.0" : v
                }.joined(separator: "\u{1}")
                if seen[k] == nil { seen[k] = Int32(firsts.count); firsts.append(r) }
                XCTAssertEqual(g.ids[r], seen[k], "\(keys) row \(r)")
            }
            XCTAssertEqual(g.firstRows, firsts, "\(keys)")
        }
    }

    /// sum, mean, min, max and count per group from the accumulator, against plain lists.
    func testSummariseAgainstLists() throws {
        let t = Self.table()
        let sink = CaptureSink()
        let catalog = try Catalog(directory: SessionTests.datasets)
        catalog.add(t)
        let s = Session(catalog: catalog, sink: sink)
        var settings = s.settings
        settings.format = .csv
        s.settings = settings
        XCTAssertTrue(s.run(SourceText(name: "t", text: "t | summarise count, count(x) as cx, sum(x) as sx, mean(x) as mx, min(x) as lo, max(x) as hi, share(x) as sh by force")))
        let lines = sink.stdout.split(separator: "\n").dropFirst()
        let force = t.column("force")!, x = t.column("x")!
        var all = 0.0
        for r in 0..<t.rowCount { if let v = x.number(r) { all += v } }
        XCTAssertEqual(lines.count, 5)  // four forces and the missing one
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let rows = (0..<t.rowCount).filter { (force.formatted($0) ?? "") == f[0] }
            let vals = rows.compactMap { x.number($0) }
            XCTAssertEqual(Int(f[1]), rows.count, String(line))
            XCTAssertEqual(Int(f[2]), vals.count)
            XCTAssertEqual(Double(f[3])!, vals.reduce(0, +), accuracy: 1e-9)
            XCTAssertEqual(Double(f[4])!, vals.reduce(0, +) / Double(vals.count), accuracy: 1e-9)
            XCTAssertEqual(Double(f[5]), vals.min())
            XCTAssertEqual(Double(f[6]), vals.max())
            XCTAssertEqual(Double(f[7])!, vals.reduce(0, +) / all * 100, accuracy: 1e-9)
        }
    }

    /// A file cut short while it is mapped: reads past the new end see zeros instead of a crash,
    /// and the read is reported as changed.
    func testAMappedFileTruncatedWhileReadIsReportedNotACrash() throws {
        let path = NSTemporaryDirectory() + "peel-truncate-\(getpid()).csv"
        let text = String(repeating: "force,n\nKent,1\n", count: 20_000)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        var tail: UInt8 = 1
        XCTAssertThrowsError(try FileBytes.withContents(path) { b, mapped -> Int in
            XCTAssertTrue(mapped)
            XCTAssertEqual(b.count, text.utf8.count)
            XCTAssertEqual(truncate(path, 100), 0)
            tail = b[b.count - 1]  // past the new end: would be SIGBUS without the guard
            return b.count
        }) { error in
            guard case FileBytes.Failure.changed = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(tail, 0)
        // An untouched file reads whole, and nothing is reported.
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let n = try FileBytes.withContents(path) { b, _ in b.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }
        XCTAssertEqual(n, 40_000)
    }

    /// A mask turned into flags a word at a time gives what a lookup per row gives, for lengths
    /// either side of a 64-bit word and for fewer rows than the mask holds.
    func testMissingMaskFlagsEqualRowLookups() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return seed >> 33 }
        for n in [0, 1, 63, 64, 65, 127, 128, 129, 1000] {
            for density in [0, 1, 10, 50, 100] {
                let flags = (0..<n).map { _ in Int(next() % 100) < density }
                let mask = MissingMask(flags)
                XCTAssertEqual(mask.flags(n), (0..<n).map { mask[$0] }, "\(n) rows, \(density)% missing")
                XCTAssertEqual(mask.flags(n), flags)
                let fewer = n / 2
                XCTAssertEqual(mask.flags(fewer), Array(flags.prefix(fewer)))
            }
        }
    }
}

/// A small reproducible random generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
