import Foundation
import XCTest

/// Every `Cases/**/NAME.peel` runs in a fresh session; its stdout must equal `NAME.out` and its
/// diagnostics `NAME.err` (no `.err` file: the script must succeed with no diagnostics).
final class GoldenScriptTests: XCTestCase {
    func testGoldenScripts() throws {
        // Scripts name fixtures relative to the repository, as a user's paths are relative to where peel runs.
        _ = FileManager.default.changeCurrentDirectoryPath(Repo.root.path)
        try GeneratedFixtures.make()
        let cases = Repo.root.appendingPathComponent("Tests/GoldenTests/Cases")
        let files = FileManager.default.enumerator(at: cases, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "peel" }.sorted { $0.path < $1.path }
        XCTAssertGreaterThan(files.count, 10, "golden cases not found")
        // The malformed-input corpus (docs/robustness.md) keeps at least 40 cases, each with its exact diagnostics.
        let malformed = files.filter { $0.path.contains("/Cases/malformed/") }
        XCTAssertGreaterThanOrEqual(malformed.count, 40)
        for url in malformed {
            let base = url.deletingPathExtension()
            XCTAssertTrue(FileManager.default.fileExists(atPath: base.appendingPathExtension("err").path)
                          || FileManager.default.fileExists(atPath: base.appendingPathExtension("out").path), "\(url.lastPathComponent) has no expected output")
        }
        for url in files {
            let name = url.path.replacingOccurrences(of: cases.path + "/", with: "")
            let text = try String(contentsOf: url, encoding: .utf8)
            let (out, err, ok) = try runScript(text, name: name)
            let base = url.deletingPathExtension()
            assertGolden(out, base.appendingPathExtension("out"))
            assertGolden(err, base.appendingPathExtension("err"))
            if !recording {
                // A script is expected to fail when its recorded diagnostics hold an error.
                let expectFailure = ((try? String(contentsOf: base.appendingPathExtension("err"), encoding: .utf8)) ?? "").contains(": error: ")
                XCTAssertEqual(ok, !expectFailure, "\(name): success was \(ok)")
            }
        }
    }

    /// The saved analyses in scripts/analyses replay exactly as recorded beside the golden cases, with
    /// their default parameters and, for the force profile, for Kent and Durham too.
    func testSavedAnalyses() throws {
        _ = FileManager.default.changeCurrentDirectoryPath(Repo.root.path)
        let dir = Repo.root.appendingPathComponent("scripts/analyses")
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil).filter { $0.pathExtension == "peel" }
        XCTAssertGreaterThanOrEqual(files.count, 5)
        let variants: [String: [String]] = ["force-profile": ["Kent", "Durham"], "outcomes-2017-18-charged": ["Kent"]]
        for url in files {
            let base = url.deletingPathExtension().lastPathComponent
            let text = try String(contentsOf: url, encoding: .utf8)
            for force in [nil] + (variants[base] ?? []).map(Optional.some) {
                let (out, err, ok) = try runScript(text, name: "scripts/analyses/" + url.lastPathComponent,
                                                   parameters: force.map { ["force": .text($0)] } ?? [:])
                XCTAssertTrue(ok, "\(base) \(force ?? ""): \(err)")
                let expected = Repo.root.appendingPathComponent("Tests/GoldenTests/Cases/analyses")
                    .appendingPathComponent(base + (force.map { ".force=\($0)" } ?? "") + ".expected")
                assertGolden(out, expected)
            }
        }
    }
}
