import Foundation
import PeelData

/// The fast path for large, well-formed files with no quotes: split into chunks at line ends, parse
/// the chunks on all cores with a dictionary per column each, then merge the dictionaries. Any file it
/// cannot read this way (quotes, a ragged row) goes to the general reader, which reports errors
/// precisely.
package enum FastCSV {
    /// Parses `b` from `start` (after any byte order mark), or returns nil to use the general reader.
    package static func parse(_ b: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8, name: String, fileName: String,
                      options: CSVOptions) throws -> CSVResult? {
        let count = b.count - start
        guard count > options.fastPathMinimum, count > 0, let base = b.baseAddress else { return nil }
        guard let nl = memchr(base + start, 10, count) else { return nil }
        let headerEnd = UnsafeRawPointer(nl).assumingMemoryBound(to: UInt8.self) - base
        // Quotes need the general reader (a quoted field may hold the delimiter or a line end), and
        // NUL bytes its error. The header is checked here, each chunk by its own thread.
        if memchr(base + start, Int32(UInt8(ascii: "\"")), headerEnd - start) != nil || memchr(base + start, 0, headerEnd - start) != nil { return nil }
        if let p = memchr(base + start, 13, headerEnd - start), UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base != headerEnd - 1 { return nil }
        var names = try split(UnsafeBufferPointer(rebasing: b[start..<headerEnd]), delimiter).map {
            guard let name = String(validating: $0, as: UTF8.self) else { throw CSVReader.InvalidUTF8() }
            return name
        }
        if names.count == 1, names[0].isEmpty { return nil }
        names = names.map { $0.trimmingSpaces() }
        let width = names.count
        // One column: blank lines and lines of spaces are ambiguous there; the general reader decides.
        if width < 2 { return nil }
        if width > Table.maxColumns { throw CSVReader.tooWide(width, fileName) }

        // Chunks end at line ends.
        let bodyStart = headerEnd + 1
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8, (b.count - bodyStart) / max(1, options.chunkBytes)))
        var bounds = [bodyStart]
        for k in 1..<parts {
            var cut = bodyStart + (b.count - bodyStart) * k / parts
            if let p = memchr(base + cut, 10, b.count - cut) { cut = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base + 1 } else { cut = b.count }
            bounds.append(max(cut, bounds.last!))
        }
        bounds.append(b.count)

        let results = ChunkResults(parts)
        let shared = SharedBytes(b: b)
        let cuts = bounds
        let stop = options.isInterrupted
        let report = options.progress
        let release = options.releaseReadPages
        DispatchQueue.concurrentPerform(iterations: parts) { k in
            results.set(k, chunk(shared.b, cuts[k], cuts[k + 1], width: width, delimiter: delimiter, release: release, isInterrupted: stop,
                                 progress: k == 0 ? report : { _ in }))
        }
        var interners: [ByteInterner] = []
        var codes: [[Int32]] = []
        for k in 0..<parts {
            guard let r = results.get(k) else { return nil }  // a ragged row: let the general reader say where
            if r.interrupted { throw CSVReader.interrupted(name) }
            if k == 0 {
                interners = r.interners
                codes = r.codes
                continue
            }
            for j in 0..<width {
                var map = [Int32](repeating: 0, count: r.interners[j].count)
                for c in 0..<r.interners[j].count {
                    map[c] = r.interners[j].bytes(c).withUnsafeBufferPointer { interners[j].intern($0) }
                }
                codes[j].reserveCapacity(codes[j].count + r.codes[j].count)
                for c in r.codes[j] { codes[j].append(map[Int(c)]) }
            }
        }
        return try CSVReader.assemble(names: names, interners: &interners, codes: &codes, skipped: [], delimiter: delimiter,
                                      name: name, fileName: fileName, options: options)
    }

    package struct Chunk {
        package var interners: [ByteInterner]
        package var codes: [[Int32]]
        package var interrupted = false
    }

    /// Parses whole lines in [from, to); nil when a line has the wrong number of fields.
    /// Codes go row by row into one flat buffer (no per-field array bookkeeping), turned into one
    /// array per column at the end.
    package static func chunk(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, width: Int, delimiter: UInt8, release: Bool = false,
                      isInterrupted: () -> Bool, progress: (Double) -> Void = { _ in }) -> Chunk? {
        if memchr(b.baseAddress! + from, Int32(UInt8(ascii: "\"")), to - from) != nil || memchr(b.baseAddress! + from, 0, to - from) != nil { return nil }
        // A CR must end a line as CRLF; a CR on its own (an old Mac line end) is for the general reader.
        var cr = from
        while cr < to, let p = memchr(b.baseAddress! + cr, 13, to - cr) {
            let at = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - b.baseAddress!
            if at + 1 >= b.count || b[at + 1] != 10 { return nil }
            cr = at + 1
        }
        var interners = (0..<width).map { _ in ByteInterner(capacity: 1024) }
        var capacity = max(1024, (to - from) / 100) * width
        var flat = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        defer { flat.deallocate() }
        var used = 0
        let base = b.baseAddress!
        var i = from
        var lines = 0
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        // The first whole page of this chunk (the one before may be shared with the previous chunk).
        var released = ((Int(bitPattern: base + from) + page - 1) & ~(page - 1)) - Int(bitPattern: base)
        let ok: Bool = interners.withUnsafeMutableBufferPointer { ints in
            while i < to {
                var lineEnd = to
                if let p = memchr(base + i, 10, to - i) { lineEnd = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base }
                var end = lineEnd
                if end > i, base[end - 1] == 13 { end -= 1 }
                if end > i {
                    if used + width > capacity {
                        let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: capacity * 2)
                        bigger.update(from: flat, count: used)
                        flat.deallocate()
                        flat = bigger
                        capacity *= 2
                    }
                    var field = 0
                    var s = i
                    while true {
                        // The next delimiter, found a machine word at a time.
                        var k = end
                        if let p = memchr(base + s, Int32(delimiter), end - s) {
                            k = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base
                        }
                        guard field < width else { return false }
                        var a = s, e = k
                        while a < e, base[a] == 32 { a += 1 }
                        while e > a, base[e - 1] == 32 { e -= 1 }
                        flat[used + field] = ints[field].intern(UnsafeBufferPointer(start: base + a, count: e - a))
                        field += 1
                        if k == end { break }
                        s = k + 1
                    }
                    guard field == width else { return false }
                    used += width
                    lines += 1
                    if lines & 0xFFFF == 0 {
                        if isInterrupted() { return true }
                        // Pages wholly inside this chunk and already read go back to the system.
                        if release {
                            let upto = (Int(bitPattern: base + i) & ~(page - 1)) - Int(bitPattern: base)
                            if upto - released >= 16 << 20 {
                                madvise(UnsafeMutableRawPointer(mutating: base + released), upto - released, MADV_DONTNEED)
                                released = upto
                            }
                        }
                        progress(Double(i - from) / Double(max(1, to - from)))
                    }
                }
                i = lineEnd + 1
            }
            return true
        }
        guard ok else { return nil }
        if i < to { return Chunk(interners: [], codes: [], interrupted: true) }
        let rows = used / width
        let codes = (0..<width).map { j in
            [Int32](unsafeUninitializedCapacity: rows) { buf, n in
                for r in 0..<rows { buf[r] = flat[r * width + j] }
                n = rows
            }
        }
        return Chunk(interners: interners, codes: codes)
    }

    package static func split(_ line: UnsafeBufferPointer<UInt8>, _ d: UInt8) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var cur: [UInt8] = []
        for c in line {
            if c == d { out.append(cur[...]); cur = [] } else if c != 13 { cur.append(c) }
        }
        out.append(cur[...])
        return out
    }
}

/// The file's bytes, read by every chunk at once (never written while shared).
private struct SharedBytes: @unchecked Sendable {
    let b: UnsafeBufferPointer<UInt8>
}

/// One slot per chunk, each written by one thread.
private final class ChunkResults: @unchecked Sendable {
    private var slots: [FastCSV.Chunk?]
    private let lock = NSLock()
    init(_ n: Int) { slots = Array(repeating: nil, count: n) }
    func set(_ k: Int, _ c: FastCSV.Chunk?) {
        lock.lock()
        slots[k] = c
        lock.unlock()
    }
    func get(_ k: Int) -> FastCSV.Chunk? { slots[k] }
}
