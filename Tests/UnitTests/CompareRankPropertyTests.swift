@testable import PeelSupport
@testable import PeelData
@testable import PeelStats
@testable import PeelIO
@testable import PeelLanguage
@testable import PeelSession
import Foundation
import XCTest

/// Random tables (forces × measures, with extra numeric and text columns, ties and missing values),
/// loaded as a user's CSV would be, must give the same `compare` and `rank` answers as the
/// straightforward definitions written out here.
final class CompareRankPropertyTests: XCTestCase {
    struct Cell { var force: String; var measure: String; var value: Double? }

    static let territorial: [String] = {
        let t = try! Catalog(directory: SessionTests.datasets).table("forces")!
        let f = t.column("force")!, k = t.column("kind")!
        return (0..<t.rowCount).filter { k.text($0) == "force" }.compactMap { f.text($0) }.sorted()
    }()

    /// The band of a value by the documented rule, worked out from scratch: competition rank from
    /// the top, and the band of that shared position.
    static func referencePlace(_ x: Double, among values: [Double]) -> (position: String, band: String) {
        let n = values.count
        let rank = 1 + values.filter { $0 > x }.count
        let tied = values.filter { $0 == x }.count > 1
        let band: String
        if Double(rank) <= Double(n) / 4 { band = "one of the highest" }
        else if Double(n + 1 - rank) <= Double(n) / 4 { band = "one of the lowest" }
        else { band = "broadly in line" }
        return ((tied ? "=" : "") + Ranking.ordinal(rank) + " highest of \(n)", band)
    }

    func table(_ s: Session, _ text: String) throws -> Table {
        let statements = try Parser.parse(SourceText(name: "t", text: text), registry: s.registry)
        guard case .table(let t, _)? = try s.evaluate(statements[0]) else { throw Diagnostic("no table from \(text)") }
        return t
    }

    func testCompareAndRankMatchTheReference() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peel-prop-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var checked = 0
        for seed in 1...60 as ClosedRange<UInt64> {
            var g = SplitMix(seed: seed)  // a failure names a seed that reproduces it
            let all = Self.territorial
            let forces = Bool.random(using: &g) ? all : Array(all.shuffled(using: &g).prefix(Int.random(in: 4...42, using: &g)))
            let national = Bool.random(using: &g)
            let measures = (1...Int.random(in: 1...3, using: &g)).map { "m\($0)" }
            // Values from a few halves, so that ties are common; some missing.
            var cells: [Cell] = []
            for f in forces + (national ? ["England and Wales"] : []) {
                for m in measures {
                    let v: Double? = Int.random(in: 0..<10, using: &g) == 0 ? nil : Double(Int.random(in: 0...8, using: &g)) / 2
                    cells.append(Cell(force: f, measure: m, value: v))
                }
            }
            cells.shuffle(using: &g)
            var csv = "force,measure,value,count,other_rate,note\n"
            for c in cells {
                let count = Int.random(in: 0...9_999_999, using: &g)
                let other = Double(Int.random(in: 0...999, using: &g)) / 10
                csv += "\"\(c.force)\",\(c.measure),\(c.value.map { String(format: "%.1f", $0) } ?? ""),\(count),\(String(format: "%.1f", other)),\"about \(c.force)\"\n"
            }
            let file = dir.appendingPathComponent("t\(seed).csv")
            try csv.write(to: file, atomically: true, encoding: .utf8)
            let s = Session(catalog: try Catalog(directory: SessionTests.datasets), sink: CaptureSink())
            XCTAssertTrue(s.run(SourceText(name: "load", text: "load \"\(file.path)\" as t")), "seed \(seed)")

            let value: [String: [String: Double]] = cells.reduce(into: [:]) { d, c in if let v = c.value { d[c.measure, default: [:]][c.force] = v } }
            let ranked = Set(all).isSubset(of: Set(forces))
            let force = forces[Int.random(in: 0..<forces.count, using: &g)]

            // compare to mean: the mean of the present values of the forces in the table.
            let toMean = try table(s, "t | compare \"\(force)\" to mean on value")
            let mcol = try XCTUnwrap(toMean.column("measure"), "seed \(seed)")
            let fi = try XCTUnwrap(toMean.columnIndex(force))
            XCTAssertEqual(toMean.rowCount, measures.count, "seed \(seed)")
            for r in 0..<toMean.rowCount {
                let m = mcol.text(r)!
                let vals = forces.compactMap { value[m]?[$0] }
                let mean = vals.isEmpty ? nil : vals.reduce(0, +) / Double(vals.count)
                let x = value[m]?[force]
                XCTAssertEqual(toMean.columns[fi].number(r), x, "seed \(seed) \(m)")
                if let mean {
                    XCTAssertEqual(try XCTUnwrap(toMean.columns[fi + 1].number(r)), mean, accuracy: 1e-9, "seed \(seed) \(m)")
                } else {
                    XCTAssertNil(toMean.columns[fi + 1].number(r))
                }
                if let x, let mean {
                    XCTAssertEqual(try XCTUnwrap(toMean.column("difference")?.number(r)), x - mean, accuracy: 1e-9, "seed \(seed) \(m)")
                    XCTAssertEqual(toMean.column("direction")?.text(r), x > mean ? "higher" : x < mean ? "lower" : "same", "seed \(seed) \(m)")
                }
                XCTAssertEqual(toMean.column("position") != nil, ranked, "seed \(seed)")
                if ranked {
                    if let x {
                        let ref = Self.referencePlace(x, among: all.compactMap { value[m]?[$0] })
                        XCTAssertEqual(toMean.column("position")?.text(r), ref.position, "seed \(seed) \(m) \(force)")
                        XCTAssertEqual(toMean.column("band")?.text(r), ref.band, "seed \(seed) \(m) \(force)")
                    } else {
                        XCTAssertNil(toMean.column("position")?.text(r))
                    }
                }
                checked += 1
            }

            // compare with the national row, matched on the measure, never on count or other_rate.
            if national {
                let toNational = try table(s, "t | compare \"\(force)\" on value")
                let mc = try XCTUnwrap(toNational.column("measure"))
                let ni = try XCTUnwrap(toNational.columnIndex("England and Wales"))
                for r in 0..<toNational.rowCount {
                    XCTAssertEqual(toNational.columns[ni].number(r), value[mc.text(r)!]?["England and Wales"], "seed \(seed)")
                }
            }

            // rank per measure: every row with a value, ranked among that measure's rows.
            let rankedTable = try table(s, "t | rank value per measure")
            let rf = rankedTable.column("force")!, rm = rankedTable.column("measure")!, rv = rankedTable.column("value")!
            for r in 0..<rankedTable.rowCount {
                let pos = rankedTable.column("position")!.text(r), band = rankedTable.column("band")!.text(r)
                // The England and Wales row is not a force, so it is not ranked among them.
                guard let x = rv.number(r), rf.text(r) != "England and Wales" else {
                    XCTAssertNil(pos)
                    continue
                }
                let among = cells.filter { $0.measure == rm.text(r)! && $0.force != "England and Wales" }.compactMap(\.value)
                let ref = Self.referencePlace(x, among: among)
                XCTAssertEqual(pos, ref.position, "seed \(seed) \(rf.text(r)!)")
                XCTAssertEqual(band, ref.band, "seed \(seed) \(rf.text(r)!)")
                checked += 1
            }

            // compare each agrees with compare, force by force.
            if seed % 6 == 0 {
                let each = try table(s, "t | compare each to mean on value")
                let ef = each.column("force")!, em = each.column("measure")!, ed = each.column("difference")!
                for r in 0..<each.rowCount {
                    let m = em.text(r)!, f = ef.text(r)!
                    let vals = forces.compactMap { value[m]?[$0] }
                    if let x = value[m]?[f], !vals.isEmpty {
                        XCTAssertEqual(try XCTUnwrap(ed.number(r)), x - vals.reduce(0, +) / Double(vals.count), accuracy: 1e-9, "seed \(seed)")
                        if ranked { XCTAssertEqual(each.column("band")?.text(r), Self.referencePlace(x, among: all.compactMap { value[m]?[$0] }).band) }
                    }
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 500)
    }

    /// With no England and Wales row, the national figure of a ratio made by `pct` is the sum of
    /// the counts of the territorial forces over the sum of their denominators: British Transport
    /// Police, a region and forces excluded on request left out, forces with a missing count too.
    func testPooledNationalMatchesTheSums() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peel-pool-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for seed in 1...25 as ClosedRange<UInt64> {
            var g = SplitMix(seed: seed)
            let all = Self.territorial
            var rows: [(String, Int?, Int)] = []
            for f in all + ["British Transport Police", "North East"] {
                let n = Int.random(in: 1...2_000_000, using: &g)
                let x: Int? = Int.random(in: 0..<12, using: &g) == 0 ? nil : Int.random(in: 0...n, using: &g)
                rows.append((f, x, n))
            }
            rows.shuffle(using: &g)
            var csv = "force,hits,total\n"
            for (f, x, n) in rows { csv += "\"\(f)\",\(x.map(String.init) ?? ""),\(n)\n" }
            let file = dir.appendingPathComponent("p\(seed).csv")
            try csv.write(to: file, atomically: true, encoding: .utf8)
            let s = Session(catalog: try Catalog(directory: SessionTests.datasets), sink: CaptureSink())
            XCTAssertTrue(s.run(SourceText(name: "load", text: "load \"\(file.path)\" as t")), "seed \(seed)")
            let excluded = Array(all.shuffled(using: &g).prefix(Int.random(in: 0...3, using: &g)))
            let present = rows.filter { $0.1 != nil && all.contains($0.0) }
            let force = present[Int.random(in: 0..<present.count, using: &g)].0
            let ex = excluded.filter { $0 != force }
            let exText = ex.isEmpty ? "" : " excluding (" + ex.map { "\"\($0)\"" }.joined(separator: ", ") + ")"
            let out = try table(s, "t | add share = pct(hits, total) | compare \"\(force)\"\(exText)")
            let used = rows.filter { all.contains($0.0) && !ex.contains($0.0) && $0.1 != nil }
            let sx = used.reduce(0.0) { $0 + Double($1.1!) }, sn = used.reduce(0.0) { $0 + Double($1.2) }
            let national = try XCTUnwrap(out.column("England and Wales")?.number(0), "seed \(seed)")
            XCTAssertEqual(national, sx / sn * 100, accuracy: 1e-9, "seed \(seed)")
            let mine = rows.first { $0.0 == force }!
            // The difference is that of the two values as shown (2 decimals), so the page adds up.
            func shown(_ v: Double) -> Double { (v * 100).rounded(.toNearestOrAwayFromZero) / 100 }
            XCTAssertEqual(try XCTUnwrap(out.column("difference")?.number(0)), shown(Double(mine.1!) / Double(mine.2) * 100) - shown(sx / sn * 100), accuracy: 1e-9, "seed \(seed)")
            let notes = out.info.footnotes.joined(separator: "\n")
            XCTAssertTrue(notes.contains("over \(used.count) of \(all.count - ex.count) forces"), "seed \(seed): \(notes)")
            XCTAssertTrue(notes.contains("British Transport Police"), "seed \(seed)")
            for e in ex { XCTAssertTrue(notes.contains(e), "seed \(seed): \(e) not named") }
            // rank ranks the territorial forces with a value, never the other two rows.
            let ranked = try table(s, "t | add share = pct(hits, total) | rank share")
            let positions = (0..<ranked.rowCount).compactMap { ranked.column("position")!.text($0) }
            let withValue = rows.filter { all.contains($0.0) && $0.1 != nil }.count
            XCTAssertEqual(positions.count, withValue, "seed \(seed)")
            XCTAssertTrue(positions.allSatisfy { $0.hasSuffix(" of \(withValue)") }, "seed \(seed)")
        }
    }

    /// `compare each` reuses each group's comparator rows across forces: every force's rows must be
    /// what `compare FORCE` gives alone, against the national figure, the mean, the force's region
    /// and peers (whose mean leaves the force out, so it differs from force to force).
    func testCompareEachEqualsEachForceAlone() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peel-each-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var g = SplitMix(seed: 5)
        var csv = "force,measure,value,events,people\n"
        for f in Self.territorial {
            for m in ["m1", "m2", "m3"] {
                let v = Int.random(in: 0..<8, using: &g) == 0 ? "" : String(Double(Int.random(in: 0...8, using: &g)) / 2)
                csv += "\"\(f)\",\(m),\(v),\(Int.random(in: 0...500, using: &g)),\(Int.random(in: 1000...9000, using: &g))\n"
            }
        }
        let file = dir.appendingPathComponent("t.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let s = Session(catalog: try Catalog(directory: SessionTests.datasets), sink: CaptureSink())
        XCTAssertTrue(s.run(SourceText(name: "load", text: "load \"\(file.path)\" as t")))
        XCTAssertTrue(s.run(SourceText(name: "let", text: "let r = t | add share = pct(events, people)")))
        let picks = ["Kent", "Essex", "Cumbria", "Dyfed-Powys", "London, City of"]
        for (source, to) in [("t", ""), ("t", " to mean"), ("t", " to region"), ("t", " to (\"Kent\", \"Essex\", \"Surrey\")"), ("r", "")] {
            let on = source == "r" ? " on share" : " on value"
            let each = try table(s, "\(source) | compare each\(to)\(on)")
            let ef = try XCTUnwrap(each.column("force")), em = try XCTUnwrap(each.column("measure"))
            let ed = try XCTUnwrap(each.column("difference"))
            for f in picks {
                let one = try table(s, "\(source) | compare \"\(f)\"\(to)\(on)")
                let om = try XCTUnwrap(one.column("measure")), od = try XCTUnwrap(one.column("difference"))
                for r in 0..<one.rowCount {
                    let m = om.text(r)
                    let hits = (0..<each.rowCount).filter { ef.text($0) == f && em.text($0) == m }
                    XCTAssertEqual(hits.count, 1, "\(source)\(to) \(f) \(m ?? "")")
                    guard let h = hits.first else { continue }
                    XCTAssertEqual(ed.number(h), od.number(r), "\(source)\(to) \(f) \(m ?? ""): difference")
                    for name in ["position", "band", "p", "limits"] {
                        if let a = each.column(name), let b = one.column(name) {
                            XCTAssertEqual(a.formatted(h), b.formatted(r), "\(source)\(to) \(f) \(m ?? ""): \(name)")
                        }
                    }
                }
            }
        }
    }
}
extension SplitMix: RandomNumberGenerator {
}
