#if canImport(Glibc)
import Glibc
#endif

/// A small pull scanner for the XML inside workbooks (.xlsx parts, .ods content.xml), over bytes
/// that stay where they are: names, attribute values and text are spans of the input, decoded
/// only when a reader asks for them, so scanning makes no String per element.
///
/// It reads UTF-8 XML 1.0 without a DTD: elements and attributes (names as written, prefix
/// included: `table:table-row`), text with the five predefined entities and numeric character
/// references decoded, CDATA sections; comments and processing instructions are skipped. A
/// document type declaration (and with it any entity declaration) is refused: that is where
/// entity-expansion bombs live, and no spreadsheet program writes one. Anything malformed (a tag
/// left open, an end tag that closes the wrong element, a bad reference, invalid UTF-8) is a
/// `WorkbookError` naming the part and the line, column and byte where it was found.
///
/// Use it inside `withUnsafeBufferPointer` of the bytes it scans; it must not outlive them.
package struct XMLScanner {
    package enum Event: Equatable, Sendable {
        /// An element's start tag (also for `<x/>`, which is followed at once by its `.end`).
        case start
        case end
        /// Character data (possibly whitespace between tags) or a CDATA section.
        case text
        case eof
    }

    /// A run of bytes in the input.
    package struct Span: Equatable, Sendable {
        package var start: Int
        package var count: Int
    }

    private struct Attribute {
        var name: Span
        var value: Span
        /// The value needs no decoding (no reference, no whitespace to normalise).
        var plain: Bool
    }

    private let base: UnsafePointer<UInt8>
    private let end: Int
    package let file: String
    /// The zip entry being scanned, for errors.
    package let part: String

    private var pos: Int
    private var stack: [Span] = []
    private var attributes: [Attribute] = []
    private var scratch: [UInt8] = []
    private var closePending = false
    private var rootClosed = false
    private var textSpan = Span(start: 0, count: 0)
    private var textPlain = true

    /// The current element's name (after `.start` and `.end`).
    package private(set) var name = Span(start: 0, count: 0)
    /// The current start tag was written `<x/>`.
    package private(set) var isSelfClosing = false
    /// Where the current event starts (a byte offset).
    package private(set) var offset = 0

    /// Elements open around the current event; after `.start` it counts the element itself, after
    /// `.end` it no longer does.
    package var depth: Int { stack.count }

    /// Checks that `bytes` are UTF-8 (after an optional byte-order mark) and makes a scanner at
    /// their start.
    package init(_ bytes: UnsafeBufferPointer<UInt8>, file: String, part: String) throws(WorkbookError) {
        self.file = file
        self.part = part
        guard let b = bytes.baseAddress, bytes.count > 0 else {
            throw WorkbookError(file: file, part: part, "is empty, where an XML document was expected",
                                help: "the workbook is damaged; open it in a spreadsheet program and save it again")
        }
        base = b
        end = bytes.count
        pos = 0
        if end >= 2, (b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE) {
            throw WorkbookError(file: file, part: part, "is XML in UTF-16, which peel does not read (only UTF-8)",
                                help: "open the workbook in a spreadsheet program and save it again")
        }
        if end >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { pos = 3 }
        if let bad = Self.firstInvalidUTF8(b, end) {
            throw error("the bytes are not valid UTF-8", at: bad)
        }
        stack.reserveCapacity(32)
        attributes.reserveCapacity(16)
    }

    // MARK: Scanning

    /// The next event. At the end of the input, `.eof` once every element is closed.
    package mutating func next() throws(WorkbookError) -> Event {
        if closePending {
            closePending = false
            name = stack.removeLast()
            if stack.isEmpty { rootClosed = true }
            return .end
        }
        while true {
            guard pos < end else {
                if let open = stack.last {
                    throw error("the document ends inside <\(string(open))>, which is never closed (the part is truncated?)", at: end)
                }
                if !rootClosed { throw error("there is no root element", at: end) }
                return .eof
            }
            offset = pos
            if base[pos] != UInt8(ascii: "<") {
                let start = pos
                let stop = find(UInt8(ascii: "<"), from: pos) ?? end
                pos = stop
                textSpan = Span(start: start, count: stop - start)
                textPlain = true
                if stack.isEmpty {
                    for k in start..<stop where !Self.isSpace(base[k]) {
                        throw error("there is text outside the root element", at: k)
                    }
                    continue
                }
                if memchr(base + start, Int32(UInt8(ascii: "&")), stop - start) != nil
                    || memchr(base + start, 0x0D, stop - start) != nil {
                    textPlain = false
                    try decode(textSpan, attribute: false, write: false)
                }
                return .text
            }
            guard pos + 1 < end else { throw error("the document ends inside a tag", at: pos) }
            let c = base[pos + 1]
            if c == UInt8(ascii: "/") {
                try scanEndTag()
                return .end
            } else if c == UInt8(ascii: "?") {
                guard let close = find2(UInt8(ascii: "?"), UInt8(ascii: ">"), from: pos + 2) else {
                    throw error("a processing instruction <? is never closed with ?>", at: pos)
                }
                pos = close + 2
            } else if c == UInt8(ascii: "!") {
                if matches("<!--", at: pos) {
                    guard let close = find3(UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: ">"), from: pos + 4) else {
                        throw error("a comment <!-- is never closed with -->", at: pos)
                    }
                    pos = close + 3
                } else if matches("<![CDATA[", at: pos) {
                    guard !stack.isEmpty else { throw error("there is a CDATA section outside the root element", at: pos) }
                    let start = pos + 9
                    guard let close = find3(UInt8(ascii: "]"), UInt8(ascii: "]"), UInt8(ascii: ">"), from: start) else {
                        throw error("a CDATA section is never closed with ]]>", at: pos)
                    }
                    textSpan = Span(start: start, count: close - start)
                    textPlain = true
                    pos = close + 3
                    return .text
                } else if matches("<!DOCTYPE", at: pos) || matches("<!ENTITY", at: pos) {
                    throw WorkbookError(file: file, part: part, "declares XML entities; peel does not expand them",
                                        help: "no spreadsheet program writes a document type declaration; this file was made by hand or is hostile (an entity-expansion bomb?)")
                } else {
                    throw error("<! starts neither a comment nor a CDATA section", at: pos)
                }
            } else {
                try scanStartTag()
                return .start
            }
        }
    }

    /// Skips the rest of the element just started (its descendants and its end tag).
    package mutating func skipElement() throws(WorkbookError) {
        let target = depth - 1
        while depth > target {
            if try next() == .eof { return }
        }
    }

    private mutating func scanStartTag() throws(WorkbookError) {
        if rootClosed { throw error("there is a second root element", at: pos) }
        var i = pos + 1
        let nameStart = i
        while i < end, !Self.endsName(base[i]) { i += 1 }
        guard i > nameStart else { throw error("< is not followed by an element name", at: pos) }
        name = Span(start: nameStart, count: i - nameStart)
        attributes.removeAll(keepingCapacity: true)
        isSelfClosing = false
        while true {
            while i < end, Self.isSpace(base[i]) { i += 1 }
            guard i < end else { throw error("the document ends inside the tag <\(string(name))", at: pos) }
            let c = base[i]
            if c == UInt8(ascii: ">") {
                i += 1
                break
            }
            if c == UInt8(ascii: "/") {
                guard i + 1 < end, base[i + 1] == UInt8(ascii: ">") else {
                    throw error("/ inside the tag <\(string(name))> is not followed by >", at: i)
                }
                i += 2
                isSelfClosing = true
                break
            }
            let attrStart = i
            while i < end, !Self.endsName(base[i]) { i += 1 }
            guard i > attrStart else { throw error("the tag <\(string(name))> has \(Self.show(c)) where an attribute or > was expected", at: i) }
            let attrName = Span(start: attrStart, count: i - attrStart)
            while i < end, Self.isSpace(base[i]) { i += 1 }
            guard i < end, base[i] == UInt8(ascii: "=") else {
                throw error("the attribute \(string(attrName)) of <\(string(name))> has no = and value", at: i)
            }
            i += 1
            while i < end, Self.isSpace(base[i]) { i += 1 }
            guard i < end, base[i] == UInt8(ascii: "\"") || base[i] == UInt8(ascii: "'") else {
                throw error("the value of the attribute \(string(attrName)) of <\(string(name))> is not quoted", at: i)
            }
            let quote = base[i]
            let valueStart = i + 1
            guard let close = find(quote, from: valueStart) else {
                throw error("the value of the attribute \(string(attrName)) of <\(string(name))> is never closed", at: i)
            }
            var plain = true
            for k in valueStart..<close {
                let v = base[k]
                if v == UInt8(ascii: "<") { throw error("< inside the value of the attribute \(string(attrName))", at: k) }
                if v == UInt8(ascii: "&") || v == 0x09 || v == 0x0A || v == 0x0D { plain = false }
            }
            let value = Span(start: valueStart, count: close - valueStart)
            if !plain { try decode(value, attribute: true, write: false) }
            attributes.append(Attribute(name: attrName, value: value, plain: plain))
            i = close + 1
            guard i < end else { throw error("the document ends inside the tag <\(string(name))", at: pos) }
            let after = base[i]
            if !Self.isSpace(after) && after != UInt8(ascii: "/") && after != UInt8(ascii: ">") {
                throw error("the attributes of <\(string(name))> are not separated by a space", at: i)
            }
        }
        pos = i
        stack.append(name)
        closePending = isSelfClosing
    }

    private mutating func scanEndTag() throws(WorkbookError) {
        var i = pos + 2
        let nameStart = i
        while i < end, !Self.endsName(base[i]) { i += 1 }
        let n = Span(start: nameStart, count: i - nameStart)
        while i < end, Self.isSpace(base[i]) { i += 1 }
        guard i < end, base[i] == UInt8(ascii: ">") else { throw error("the end tag </\(string(n)) is not closed with >", at: pos) }
        guard let open = stack.last else { throw error("</\(string(n))> closes an element that was never opened", at: pos) }
        guard open.count == n.count, memcmp(base + open.start, base + n.start, n.count) == 0 else {
            throw error("</\(string(n))> closes <\(string(open))>", at: pos)
        }
        stack.removeLast()
        if stack.isEmpty { rootClosed = true }
        name = n
        isSelfClosing = false
        pos = i + 1
    }

    // MARK: Names and attributes

    /// The current element's name is exactly `s` (prefix included).
    @inline(__always)
    package func isName(_ s: StaticString) -> Bool { equal(name, s) }

    /// The current element's name, without any namespace prefix, is `s` (`x:c` and `c` are both `c`).
    @inline(__always)
    package func isLocalName(_ s: StaticString) -> Bool { equal(Self.local(name, base), s) }

    /// The current element's namespace prefix is `prefix` (`draw` for `draw:frame`).
    package func hasPrefix(_ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        return name.count > n && base[name.start + n] == UInt8(ascii: ":") && memcmp(base + name.start, prefix.utf8Start, n) == 0
    }

    /// The current element's name as text.
    package var nameString: String { string(name) }

    /// The number of attributes of the current start tag.
    package var attributeCount: Int { attributes.count }

    /// The index of the attribute named exactly `s` (prefix included).
    package func attributeIndex(_ s: StaticString) -> Int? {
        for k in attributes.indices where equal(attributes[k].name, s) { return k }
        return nil
    }

    /// The index of the attribute whose name, without a prefix, is `s`; with `prefixed`, only an
    /// attribute that has a prefix (`r:id`, not `id`).
    package func localAttributeIndex(_ s: StaticString, prefixed: Bool = false) -> Int? {
        for k in attributes.indices {
            let n = attributes[k].name
            let l = Self.local(n, base)
            if prefixed && l.count == n.count { continue }
            if equal(l, s) { return k }
        }
        return nil
    }

    /// The name of attribute `index`, as written.
    package func attributeName(_ index: Int) -> String { string(attributes[index].name) }

    /// The decoded value of attribute `index`.
    package mutating func attributeValue(_ index: Int) -> String {
        withAttribute(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// The decoded value of the attribute named exactly `s`, or nil when the tag has none.
    package mutating func attribute(_ s: StaticString) -> String? {
        attributeIndex(s).map { attributeValue($0) }
    }

    /// Calls `body` with the decoded bytes of attribute `index`.
    package mutating func withAttribute<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let a = attributes[index]
        if a.plain { return body(UnsafeBufferPointer(start: base + a.value.start, count: a.value.count)) }
        scratch.removeAll(keepingCapacity: true)
        try? decode(a.value, attribute: true, write: true)  // validated when the tag was scanned
        return scratch.withUnsafeBufferPointer(body)
    }

    /// The value of the attribute named `s` when it is the attribute `value` (compared as written, not decoded).
    package func attributeEquals(_ s: StaticString, _ value: StaticString) -> Bool {
        guard let k = attributeIndex(s) else { return false }
        return equal(attributes[k].value, value)
    }

    // MARK: Text

    /// The current text event is a CDATA section or character data without references.
    package var textIsPlain: Bool { textPlain }

    /// Calls `body` with the decoded bytes of the current text event.
    package mutating func withText<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if textPlain { return body(UnsafeBufferPointer(start: base + textSpan.start, count: textSpan.count)) }
        scratch.removeAll(keepingCapacity: true)
        try? decode(textSpan, attribute: false, write: true)  // validated when it was scanned
        return scratch.withUnsafeBufferPointer(body)
    }

    /// Appends the decoded bytes of the current text event to `out`.
    package mutating func appendText(to out: inout [UInt8]) {
        if textPlain {
            out.append(contentsOf: UnsafeBufferPointer(start: base + textSpan.start, count: textSpan.count))
            return
        }
        withText { out.append(contentsOf: $0) }
    }

    /// The decoded current text event.
    package mutating func text() -> String { withText { String(decoding: $0, as: UTF8.self) } }

    /// The current text event is only whitespace.
    package var textIsSpace: Bool {
        for k in textSpan.start..<(textSpan.start + textSpan.count) where !Self.isSpace(base[k]) { return false }
        return true
    }

    // MARK: Errors

    /// An error at byte `at`, with its line and column, naming this part.
    package func error(_ message: String, at: Int) -> WorkbookError {
        let at = min(max(at, 0), end)
        let (line, column) = lineAndColumn(at)
        return WorkbookError(file: file, part: part, "is not well-formed XML: \(message) (line \(line), column \(column), byte \(at))",
                             help: "the workbook is damaged or was not written by a spreadsheet program; open it in one and save it again")
    }

    /// Where the current event is, `line 3, column 17`, for readers' own messages.
    package func location() -> String {
        let (line, column) = lineAndColumn(offset)
        return "line \(line), column \(column)"
    }

    /// The 1-based line and column (in bytes) of offset `at`, counted only when an error needs them.
    private func lineAndColumn(_ at: Int) -> (Int, Int) {
        var line = 1, lineStart = 0
        while lineStart < at, let p = memchr(base + lineStart, 0x0A, at - lineStart) {
            line += 1
            lineStart = base.distance(to: p.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return (line, at - lineStart + 1)
    }

    // MARK: Helpers

    @inline(__always)
    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D }

    /// A byte that cannot be part of a name: whitespace, `/`, `>`, `=`, `<`, quotes.
    @inline(__always)
    private static func endsName(_ c: UInt8) -> Bool {
        c <= 0x20 || c == UInt8(ascii: "/") || c == UInt8(ascii: ">") || c == UInt8(ascii: "=")
            || c == UInt8(ascii: "<") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'")
    }

    /// `'='`, or `byte 0x80` for a byte that does not print.
    private static func show(_ c: UInt8) -> String {
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        let digits = Array("0123456789ABCDEF")
        return "byte 0x" + String(digits[Int(c >> 4)]) + String(digits[Int(c & 15)])
    }

    @inline(__always)
    private static func local(_ n: Span, _ base: UnsafePointer<UInt8>) -> Span {
        if let p = memchr(base + n.start, Int32(UInt8(ascii: ":")), n.count) {
            let colon = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
            return Span(start: colon + 1, count: n.start + n.count - colon - 1)
        }
        return n
    }

    @inline(__always)
    private func equal(_ span: Span, _ s: StaticString) -> Bool {
        span.count == s.utf8CodeUnitCount && memcmp(base + span.start, s.utf8Start, span.count) == 0
    }

    private func string(_ span: Span) -> String {
        String(decoding: UnsafeBufferPointer(start: base + span.start, count: min(span.count, 200)), as: UTF8.self)
    }

    private func matches(_ s: StaticString, at i: Int) -> Bool {
        i + s.utf8CodeUnitCount <= end && memcmp(base + i, s.utf8Start, s.utf8CodeUnitCount) == 0
    }

    @inline(__always)
    private func find(_ c: UInt8, from i: Int) -> Int? {
        guard i < end, let p = memchr(base + i, Int32(c), end - i) else { return nil }
        return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
    }

    private func find2(_ a: UInt8, _ b: UInt8, from i: Int) -> Int? {
        var k = i
        while let at = find(a, from: k) {
            if at + 1 < end, base[at + 1] == b { return at }
            k = at + 1
        }
        return nil
    }

    private func find3(_ a: UInt8, _ b: UInt8, _ c: UInt8, from i: Int) -> Int? {
        var k = i
        while let at = find(a, from: k) {
            if at + 2 < end, base[at + 1] == b, base[at + 2] == c { return at }
            k = at + 1
        }
        return nil
    }

    /// Decodes references in `span` (and normalises line ends, or an attribute's whitespace) into
    /// `scratch` when `write`; checks every reference either way.
    private mutating func decode(_ span: Span, attribute: Bool, write: Bool) throws(WorkbookError) {
        var i = span.start
        let stop = span.start + span.count
        while i < stop {
            let c = base[i]
            if c == UInt8(ascii: "&") {
                guard let semi = memchr(base + i, Int32(UInt8(ascii: ";")), min(stop - i, 40)) else {
                    throw error("& does not start a reference such as &amp; (write & as &amp;)", at: i)
                }
                let close = base.distance(to: semi.assumingMemoryBound(to: UInt8.self))
                let ref = Span(start: i + 1, count: close - i - 1)
                var scalar: UInt32
                if equal(ref, "amp") { scalar = 0x26 }
                else if equal(ref, "lt") { scalar = 0x3C }
                else if equal(ref, "gt") { scalar = 0x3E }
                else if equal(ref, "quot") { scalar = 0x22 }
                else if equal(ref, "apos") { scalar = 0x27 }
                else if ref.count >= 2, base[ref.start] == UInt8(ascii: "#") {
                    let hex = base[ref.start + 1] == UInt8(ascii: "x")
                    let first = ref.start + (hex ? 2 : 1)
                    guard first < close else { throw error("the character reference &\(string(ref)); has no digits", at: i) }
                    scalar = 0
                    for k in first..<close {
                        let d = base[k]
                        let v: UInt32
                        if d >= 48 && d <= 57 { v = UInt32(d - 48) }
                        else if hex && d >= 97 && d <= 102 { v = UInt32(d - 87) }
                        else if hex && d >= 65 && d <= 70 { v = UInt32(d - 55) }
                        else { throw error("the character reference &\(string(ref)); is not a number", at: i) }
                        scalar = scalar * (hex ? 16 : 10) + v
                        if scalar > 0x10FFFF { break }
                    }
                    guard scalar != 0, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
                        throw error("the character reference &\(string(ref)); is not a character", at: i)
                    }
                } else {
                    throw error("&\(string(ref)); is not one of XML's five entities (&amp; &lt; &gt; &quot; &apos;) and peel expands no others", at: i)
                }
                if write { Self.appendUTF8(scalar, to: &scratch) }
                i = close + 1
                continue
            }
            if write {
                if c == 0x0D {
                    // A CR or CRLF is one line end; in an attribute value it is a space.
                    scratch.append(attribute ? 0x20 : 0x0A)
                    if i + 1 < stop, base[i + 1] == 0x0A { i += 1 }
                } else if attribute && (c == 0x09 || c == 0x0A) {
                    scratch.append(0x20)
                } else {
                    scratch.append(c)
                }
            }
            i += 1
        }
    }

    private static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        if v < 0x80 {
            out.append(UInt8(v))
        } else if v < 0x800 {
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// The offset of the first byte that is not part of well-formed UTF-8, or nil.
    package static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i < n {
            if i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let c = p[i]
            if c < 0x80 { i += 1; continue }
            @inline(__always) func cont(_ k: Int) -> Bool { k < n && p[k] & 0xC0 == 0x80 }
            if c < 0xC2 { return i }
            if c < 0xE0 {
                guard cont(i + 1) else { return i }
                i += 2
            } else if c < 0xF0 {
                guard cont(i + 1), cont(i + 2) else { return i }
                let c1 = p[i + 1]
                if c == 0xE0 && c1 < 0xA0 { return i }  // overlong
                if c == 0xED && c1 >= 0xA0 { return i }  // a surrogate
                i += 3
            } else if c < 0xF5 {
                guard cont(i + 1), cont(i + 2), cont(i + 3) else { return i }
                let c1 = p[i + 1]
                if c == 0xF0 && c1 < 0x90 { return i }  // overlong
                if c == 0xF4 && c1 >= 0x90 { return i }  // past U+10FFFF
                i += 4
            } else {
                return i
            }
        }
        return nil
    }
}
