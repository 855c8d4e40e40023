@testable import PeelIO
@testable import PeelRender
import Foundation
import XCTest

/// The fuzzer's differential check of the two CSV readers, replayed over the committed corpus in
/// every test run (scripts/fuzz explores new inputs; this keeps the ones it found).
final class CSVCorpusTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus/csv")

    /// Each input is read as FuzzCSV reads it: the first byte picks the delimiter and whether bad
    /// rows are skipped; the general reader is forced for one read, the parallel quote-free reader
    /// (in tiny chunks) for the other. When the parallel reader accepts an input the general one
    /// must too, with the same types and the same cells.
    func testReadersAgreeOnTheCommittedCorpus() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        XCTAssertGreaterThan(files.count, 100, "the corpus is missing from \(Self.corpus.path)")
        var bothRead = 0
        for name in files {
            let data = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            guard let flags = data.first else { continue }
            let body = Array(data.dropFirst())
            let (general, parallel) = CSVOptions.differentialPair(flags: flags)
            let (a, b) = body.withUnsafeBufferPointer { bytes in
                (try? CSVReader.read(bytes, name: "t", fileName: "corpus.csv", options: general),
                 try? CSVReader.read(bytes, name: "t", fileName: "corpus.csv", options: parallel))
            }
            switch (a, b) {
            case (let x?, let y?):
                bothRead += 1
                XCTAssertEqual(x.table.columns.map(\.type), y.table.columns.map(\.type), name)
                XCTAssertEqual(try TableRenderer.render(x.table, format: .csv), try TableRenderer.render(y.table, format: .csv), name)
            case (nil, _?):
                XCTFail("\(name): the parallel reader accepted what the general reader rejects")
            default:
                break
            }
        }
        // About a fifth of the corpus is read by both (the rest is rejected, or left to the general
        // reader); a check that compared nothing would prove nothing.
        XCTAssertGreaterThan(bothRead, 200)
    }
}
