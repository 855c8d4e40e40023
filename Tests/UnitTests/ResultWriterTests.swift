@testable import PeelSupport
@testable import PeelData
@testable import PeelIO
@testable import PeelEvaluation
@testable import PeelSession
import Foundation
import XCTest

/// The screen, `output "FILE"` and `export "FILE"` write a result the one way (`ResultWriter`).
final class ResultWriterTests: XCTestCase {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("datasets").path

    func run(_ text: String) throws -> CaptureSink {
        let sink = CaptureSink()
        let s = Session(catalog: try Catalog(directory: Self.datasets), sink: sink)
        XCTAssertTrue(s.run(SourceText(name: "t", text: text)), sink.stderr)
        return sink
    }

    /// `as FORMAT` over a preceding `| format`, and that over the file's extension; what the file
    /// gets is what the screen shows for the same command.
    func testExportWritesWhatTheScreenShows() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peel-writer-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let txt = dir.appendingPathComponent("top.txt").path
        let screen = try run("outcomes | top 3 | format markdown").stdout
        XCTAssertTrue(screen.hasPrefix("| force |"), screen)
        _ = try run("outcomes | top 3 | format markdown | export \"\(txt)\"")
        XCTAssertEqual(try String(contentsOfFile: txt, encoding: .utf8), screen)
        _ = try run("outcomes | top 3 | format markdown | export \"\(txt)\" as csv")
        XCTAssertEqual(try String(contentsOfFile: txt, encoding: .utf8), try run("outcomes | top 3 | format csv").stdout)
        _ = try run("outcomes | top 3 | export \"\(txt)\"")
        XCTAssertEqual(try String(contentsOfFile: txt, encoding: .utf8), try run("outcomes | top 3").stdout)
        // `output "FILE"` gets the screen's bytes too, with the sources line the session asks for.
        let log = dir.appendingPathComponent("log.txt").path
        _ = try run("set sources = 1\noutput \"\(log)\"\noutcomes | top 2 | format box")
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8), try run("set sources = 1\noutcomes | top 2 | format box").stdout)
    }

    func testFormatPrecedence() {
        let t = Table(name: "t", columns: [])
        XCTAssertEqual(ResultWriter.format(of: .table(t, format: .markdown), named: .csv, otherwise: .text), .csv)
        XCTAssertEqual(ResultWriter.format(of: .table(t, format: .markdown), named: nil, otherwise: .text), .markdown)
        XCTAssertEqual(ResultWriter.format(of: .table(t), named: nil, otherwise: .json), .json)
        XCTAssertEqual(ResultWriter.format(of: .text("x"), named: nil, otherwise: .tsv), .tsv)
    }
}
