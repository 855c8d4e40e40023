/// A piece of input (a script file, a `-c` argument, one typed line) with a name for diagnostics.
public struct SourceText: Sendable {
    public let name: String
    public let text: String
    /// The line number of the first line of `text` (typed lines are numbered across a session).
    public let firstLine: Int
    package let bytes: [UInt8]

    /// A byte order mark at the very start of `text` (editors on Windows add one, invisibly) is
    /// skipped, as editors skip it: it is not part of the commands, and columns on line 1 are
    /// counted after it. One anywhere else is an error that names it (see `Lexer`).
    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        var text = text
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        self.text = text
        self.firstLine = firstLine
        self.bytes = Array(text.utf8)
    }

    /// The 1-based line and column (in characters) of a byte offset.
    public func location(of offset: Int) -> SourceLocation {
        let offset = min(max(offset, 0), bytes.count)
        var line = 0
        var lineStart = 0
        for i in 0..<offset where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        return SourceLocation(line: firstLine + line, column: column, lineStart: lineStart)
    }

    /// The text of the line that starts at `lineStart`, without its newline.
    public func lineText(from lineStart: Int) -> String {
        var end = lineStart
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        var text = String(decoding: bytes[lineStart..<end], as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        return text
    }

    /// The text covered by a range.
    public func slice(_ range: SourceRange) -> String {
        let lo = min(max(range.start, 0), bytes.count)
        let hi = min(max(range.end, lo), bytes.count)
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}

/// A line and column, both counted from 1.
public struct SourceLocation: Equatable, Sendable {
    public let line: Int
    public let column: Int
    package let lineStart: Int
}

/// A half-open range of UTF-8 byte offsets into a `SourceText`.
public struct SourceRange: Equatable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int
    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }
    public static func covering(_ a: SourceRange, _ b: SourceRange) -> SourceRange {
        SourceRange(min(a.start, b.start), max(a.end, b.end))
    }
    public var description: String { "\(start)..<\(end)" }
}
