@testable import PeelCommands
import Foundation
import XCTest

/// The command registry is the one place a command's name is written: help, usage, keywords,
/// completion and the traits other layers ask about all read it.
final class CommandSpecTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testNamesAndAliasesAreUniqueAndEveryCommandIsDescribed() {
        let reg = CommandRegistry.standard
        let words = reg.commands.flatMap { [$0.name] + $0.aliases }
        XCTAssertEqual(Set(words).count, words.count, "a name or alias is used twice")
        let others = reg.commands.flatMap(\.otherToolsNames)
        XCTAssertEqual(Set(others).count, others.count, "another tool's word points at two commands")
        for w in others { XCTAssertFalse(reg.isCommand(w), "'\(w)' is both a command and another tool's word") }
        for c in reg.commands {
            XCTAssertTrue(c.usage.hasPrefix(c.name), c.name)
            XCTAssertFalse(c.summary.isEmpty, c.name)
            XCTAssertFalse(c.details.isEmpty, c.name)
            XCTAssertFalse(c.examples.isEmpty, c.name)
            XCTAssertEqual(c.name, c.name.lowercased(), c.name)
        }
    }

    /// No source file spells a command's name (or alias) as a string literal of its own, except
    /// the command's file and the registry: everything else asks the spec. Only the layers that can
    /// see the registry are read (commands, session, the executable): below them a word such as
    /// `sheets` is a file format's element name, not a command.
    func testCommandNamesAreWrittenOnlyInTheirOwnFiles() throws {
        let reg = CommandRegistry.standard
        var owner: [String: String] = [:]
        for c in reg.commands {
            let file = c.name.prefix(1).uppercased() + c.name.dropFirst() + "Command.swift"
            for w in [c.name] + c.aliases { owner[w] = file }
        }
        let sources = Self.root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
            .filter { u in ["PeelCommands", "PeelSession", "peel"].contains { u.path.contains("/Sources/\($0)/") } }
        XCTAssertGreaterThan(files.count, 30, "sources not found")
        var found: [String] = []
        for url in files {
            let name = url.lastPathComponent
            if name == "CommandRegistry.swift" { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for (line, literal) in Self.stringLiterals(in: text) {
                guard let own = owner[literal], own != name else { continue }
                found.append("\(url.path.replacingOccurrences(of: Self.root.path + "/", with: "")):\(line): \"\(literal)\" (belongs in \(own))")
            }
        }
        XCTAssertEqual(found, [], "command names written outside their command's file:\n" + found.joined(separator: "\n"))
    }

    func testTheLiteralScannerSkipsCommentsAndInterpolatedText() {
        let text = #"""
            // "sort" in a comment
            /// "sort" in a doc comment /* "sort" */
            let a = "sort"
            let b = "sort by \(x)"
            let c = "\(y == "where" ? 1 : 2)"
            let d = """
                top
                """
            /* "load" /* nested */ "load" */ let e = #"set"#
            """#
        let found = Self.stringLiterals(in: text)
        XCTAssertEqual(found.map(\.1), ["sort", "where", "top", "set"])
        XCTAssertEqual(found.map(\.0), [3, 5, 6, 9])
    }

    /// The plain string literals in Swift source (those without interpolation), with their lines:
    /// comments are skipped, and literals inside an interpolation are found.
    static func stringLiterals(in source: String) -> [(Int, String)] {
        let s = Array(source.utf8)
        var out: [(Int, String)] = []
        var i = 0
        var line = 1
        func at(_ k: Int, _ text: String) -> Bool {
            let t = Array(text.utf8)
            return k + t.count <= s.count && Array(s[k..<k + t.count]) == t
        }
        // Code up to (and past) an unmatched `)` when `inInterpolation`, else to the end.
        func code(inInterpolation: Bool) {
            var depth = 0
            while i < s.count {
                let c = s[i]
                if at(i, "//") {
                    while i < s.count, s[i] != UInt8(ascii: "\n") { i += 1 }
                    continue
                }
                if at(i, "/*") {
                    var d = 0
                    repeat {
                        if at(i, "/*") { d += 1; i += 2 } else if at(i, "*/") { d -= 1; i += 2 } else {
                            if s[i] == UInt8(ascii: "\n") { line += 1 }
                            i += 1
                        }
                    } while d > 0 && i < s.count
                    continue
                }
                if c == UInt8(ascii: "#") {
                    var k = i, hashes = 0
                    while k < s.count, s[k] == UInt8(ascii: "#") { hashes += 1; k += 1 }
                    if k < s.count, s[k] == UInt8(ascii: "\"") {
                        i = k
                        string(hashes: hashes)
                        continue
                    }
                }
                if c == UInt8(ascii: "\"") { string(hashes: 0); continue }
                if c == UInt8(ascii: "\n") { line += 1 }
                if c == UInt8(ascii: "(") { depth += 1 }
                if c == UInt8(ascii: ")") {
                    if depth == 0 && inInterpolation { i += 1; return }
                    depth -= 1
                }
                i += 1
            }
        }
        func string(hashes: Int) {
            let startLine = line
            let multi = at(i, "\"\"\"")
            let pounds = String(repeating: "#", count: hashes)
            let close = (multi ? "\"\"\"" : "\"") + pounds
            let escape = "\\" + pounds
            i += multi ? 3 : 1
            var bytes: [UInt8] = []
            var plain = true
            while i < s.count {
                if at(i, close) { i += close.utf8.count; break }
                if at(i, escape) {
                    let k = i + escape.utf8.count
                    if k < s.count, s[k] == UInt8(ascii: "(") {
                        plain = false
                        i = k + 1
                        code(inInterpolation: true)
                        continue
                    }
                    bytes += s[i...min(k, s.count - 1)]
                    i = k + 1
                    continue
                }
                if s[i] == UInt8(ascii: "\n") {
                    if !multi { break }
                    line += 1
                }
                bytes.append(s[i])
                i += 1
            }
            guard plain else { return }
            var text = String(decoding: bytes, as: UTF8.self)
            // A multi-line literal's text is its lines between the quotes, indentation removed.
            if multi { text = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "\n") }
            out.append((startLine, text))
        }
        code(inInterpolation: false)
        return out
    }
}
