import Foundation
import XCTest

/// The layers are targets: every `import` is a declared dependency, and docs/architecture.md
/// names the targets of Package.swift, in order, with the dependencies they declare.
final class ArchitectureTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Modules that come with the toolchain and need no declaration.
    static let toolchain: Set<String> = ["Foundation", "FoundationEssentials", "Glibc", "Dispatch", "XCTest", "Testing"]

    struct Target {
        var name: String
        var type: String
        var dependencies: [String]
    }

    /// The package as SwiftPM reads it (`swift package dump-package`), read once.
    func targets() throws -> [Target] {
        if let t = Self.cached { return t }
        let t = try readTargets()
        Self.cached = t
        return t
    }
    nonisolated(unsafe) static var cached: [Target]?

    func readTargets() throws -> [Target] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // A scratch folder of its own: the running `swift test` holds the lock on .build.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("peel-architecture-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        p.arguments = ["swift", "package", "dump-package", "--package-path", Self.root.path, "--scratch-path", scratch.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "swift package dump-package failed")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try XCTUnwrap(json["targets"] as? [[String: Any]])
        return list.map { t in
            let deps = (t["dependencies"] as? [[String: Any]] ?? []).compactMap { d -> String? in
                guard let v = d.values.first as? [Any] else { return nil }
                return v.first as? String
            }
            return Target(name: t["name"] as? String ?? "", type: t["type"] as? String ?? "", dependencies: deps)
        }
    }

    /// Products of package dependencies, as imported (ArgumentParser, OrderedCollections).
    func imports(in dir: URL) throws -> [(file: String, module: String)] {
        var out: [(String, String)] = []
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let i = words.firstIndex(of: "import"), i + 1 < words.count,
                      words[..<i].allSatisfy({ $0.hasPrefix("@") }) else { continue }
                out.append((url.lastPathComponent, String(words[i + 1])))
            }
        }
        return out
    }

    func testEveryImportIsADeclaredDependency() throws {
        let all = try targets()
        XCTAssertFalse(all.isEmpty)
        for t in all where t.type != "system" {
            let dir = Self.root.appendingPathComponent(t.type == "test" ? "Tests" : "Sources").appendingPathComponent(t.name)
            guard FileManager.default.fileExists(atPath: dir.path) else { continue }
            let allowed = Set(t.dependencies).union(Self.toolchain)
            for (file, module) in try imports(in: dir) {
                XCTAssertTrue(allowed.contains(module), "\(t.name)/\(file) imports \(module), which \(t.name) does not declare")
            }
        }
    }

    func testArchitectureDocumentNamesTheLayers() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        // Rows of the layer table: "| `Name` | owns | depends on |".
        let rows = doc.split(separator: "\n").filter { $0.hasPrefix("| `") }
        let documented = rows.compactMap { row -> (String, String)? in
            let cells = row.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, let name = cells[1].split(separator: "`").first else { return nil }
            return (String(name), cells[3])
        }
        let layers = try targets().filter { $0.name.hasPrefix("Peel") && $0.type == "regular" }
        let executable = try targets().filter { $0.type == "executable" && !$0.name.hasPrefix("Fuzz") }
        XCTAssertEqual(documented.map(\.0), layers.map(\.name) + executable.map(\.name),
                       "docs/architecture.md's table must list the layer targets in Package.swift's order")
        // Each layer depends only on layers listed before it, and on exactly what the table names.
        let ordered = layers + executable
        for (i, layer) in ordered.enumerated() {
            let lower = layer.dependencies.filter { $0.hasPrefix("Peel") }
            for dep in lower {
                XCTAssertTrue(ordered[..<i].contains { $0.name == dep }, "\(layer.name) depends on \(dep), which is not below it")
            }
            let words = documented.first { $0.0 == layer.name }?.1 ?? ""
            let named = Set(words.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) })
            XCTAssertEqual(named, Set(layer.dependencies), "\(layer.name): the table says \(words)")
        }
    }
}
