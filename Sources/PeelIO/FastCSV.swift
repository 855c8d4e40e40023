import Foundation
import PeelData
import PeelSupport

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
        var chunks: [Chunk] = []
        for k in 0..<parts {
            guard let r = results.get(k) else { return nil }  // a ragged row: let the general reader say where
            if r.interrupted { throw CSVReader.interrupted(name) }
            chunks.append(r)
        }
        results.clear()
        // The row limit, as the general reader counts it: line ends, the header's included.
        if chunks.reduce(1, { $0 + $1.lines }) > Limits.maxRows + 1 {
            throw DataFileError.tooManyRows(file: fileName, limit: Limits.maxRows)
        }
        var (interners, codes) = merge(chunks, width: width)
        chunks.removeAll()
        return try CSVReader.assemble(names: names, interners: &interners, codes: &codes, skipped: [], delimiter: delimiter,
                                      name: name, fileName: fileName, options: options)
    }

    /// The chunks' dictionaries merged into one per column (the first chunk's, with the others'
    /// new values added), and each column's codes in one array, in file order. Each chunk's codes
    /// for a column are freed as soon as they are copied, so the codes are held about once.
    static func merge(_ chunks: [Chunk], width: Int) -> ([ByteInterner], [[Int32]]) {
        let total = chunks.reduce(0) { $0 + $1.rows }
        let out = MergedColumns(width)
        // Columns are independent: merged on all cores.
        DispatchQueue.concurrentPerform(iterations: width) { j in
            var merged = chunks[0].interners[j]
            var maps: [[Int32]] = [[]]
            for k in 1..<max(1, chunks.count) {
                let other = chunks[k].interners[j]
                maps.append((0..<other.count).map { c in other.bytes(c).withUnsafeBufferPointer { merged.find($0) } })
            }
            let codes = [Int32](largeUninitializedCapacity: total) { buf, n in
                var at = 0
                for (k, c) in chunks.enumerated() {
                    let src = c.codes.columns[j]
                    if k == 0 {
                        (buf.baseAddress! + at).update(from: src, count: c.rows)
                    } else {
                        maps[k].withUnsafeBufferPointer { m in
                            for r in 0..<c.rows {
                                let v = Int(src[r])
                                buf[at + r] = v >= 0 && v < m.count ? m[v] : 0
                            }
                        }
                    }
                    at += c.rows
                    c.codes.free(j)
                }
                n = at
            }
            out.set(j, merged, codes)
        }
        return out.take()
    }

    package struct Chunk {
        package var interners: [ByteInterner]
        /// Each column's codes, `rows` of them.
        package var codes: ChunkCodes
        package var rows: Int
        /// Line ends seen (blank lines included).
        package var lines = 0
        package var interrupted = false

        /// One column's codes as an array (for tests and small callers).
        package func column(_ j: Int) -> [Int32] { Array(UnsafeBufferPointer(start: codes.columns[j], count: rows)) }
    }

    /// The positions of `delimiter` and line feed bytes in the eight bytes of `word` (first byte
    /// lowest): the top bit of each matching byte, found exactly (no carries between bytes).
    @inline(__always)
    static func structural(_ word: UInt64, _ delimiter: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let x = word ^ delimiter, y = word ^ 0x0A0A_0A0A_0A0A_0A0A
        let zx = ~(((x & low) &+ low) | x | low)
        let zy = ~(((y & low) &+ low) | y | low)
        return zx | zy
    }

    /// Parses whole lines in [from, to); nil when a line has the wrong number of fields.
    /// One pass finds the delimiters and line ends eight bytes at a time; each field is compared
    /// inline with the same field of the row before (data often repeats a value on consecutive
    /// rows) and otherwise looked up in its column's dictionary; its code goes straight into its
    /// column's buffer, which is sized for the most rows the chunk can hold (pages never written
    /// cost no memory).
    package static func chunk(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, width: Int, delimiter: UInt8, release: Bool = false,
                      isInterrupted: () -> Bool, progress: (Double) -> Void = { _ in }) -> Chunk? {
        guard width >= 1, from <= to, to <= b.count, let base = b.baseAddress else { return nil }
        /// Whether [s, e) is free of quotes and NUL bytes, and its CRs end lines (CRLF): anything
        /// else is for the general reader. Checked a window at a time just ahead of the scan, so
        /// the pages of a mapped file are read once, close together, and released behind it.
        func plain(_ s: Int, _ e: Int) -> Bool {
            if memchr(base + s, Int32(UInt8(ascii: "\"")), e - s) != nil || memchr(base + s, 0, e - s) != nil { return false }
            var cr = s
            while cr < e, let p = memchr(base + cr, 13, e - cr) {
                let at = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base
                if at + 1 >= b.count || b[at + 1] != 10 { return false }
                cr = at + 1
            }
            return true
        }
        let window = 1 << 20
        var checked = min(to, from + window)
        guard plain(from, checked) else { return nil }
        var interners = (0..<width).map { _ in ByteInterner(capacity: 1024) }
        // A row takes at least `width` bytes (a delimiter or line end per field), so this many
        // rows always fit; the pages of the buffers that are never written cost no memory.
        let capacity = (to - from) / width + 1
        let codes = ChunkCodes(width: width, capacity: capacity)
        guard codes.allocated else { return nil }
        let cols = codes.columns
        // The previous row's field j: where it starts, its length and its code.
        var prevStart = [Int](repeating: 0, count: width)
        var prevLength = [Int](repeating: -1, count: width)
        var prevCode = [Int32](repeating: 0, count: width)
        var rows = 0
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        // The first whole page of this chunk (the one before may be shared with the previous chunk).
        var released = ((Int(bitPattern: base + from) + page - 1) & ~(page - 1)) - Int(bitPattern: base)
        let delimiterWord = UInt64(delimiter) &* 0x0101_0101_0101_0101
        let raw = UnsafeRawPointer(base)
        var interrupted = false
        var lines = 0

        let ok: Bool = interners.withUnsafeMutableBufferPointer { ints in
            prevStart.withUnsafeMutableBufferPointer { pStart in
                prevLength.withUnsafeMutableBufferPointer { pLength in
                    prevCode.withUnsafeMutableBufferPointer { pCode in
                        var mask: UInt64 = 0
                        var maskAt = from
                        var next = from  // the next byte not yet scanned
                        var fieldStart = from, lineStart = from
                        var field = 0
                        while true {
                            // The next delimiter or line end at or after `next`, or `to` at the end.
                            while mask == 0 {
                                if next + 8 > checked, checked < to {
                                    let upto = min(to, checked + window)
                                    guard plain(checked, upto) else { return false }
                                    checked = upto
                                }
                                if next + 8 <= to {
                                    mask = structural(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: next, as: UInt64.self)), delimiterWord)
                                    maskAt = next
                                    next += 8
                                } else {
                                    var q = next
                                    while q < to, base[q] != delimiter, base[q] != 10 { q += 1 }
                                    maskAt = q
                                    next = q < to ? q + 1 : to
                                    break
                                }
                            }
                            let k: Int
                            if mask != 0 {
                                k = maskAt + mask.trailingZeroBitCount >> 3
                                mask &= mask - 1
                            } else {
                                k = maskAt
                            }
                            let lineEnd = k == to || base[k] == 10
                            var e = k
                            if lineEnd, e > fieldStart, base[e - 1] == 13 { e -= 1 }
                            if lineEnd, field == 0, e == lineStart {
                                // A blank line.
                                if k >= to { return true }
                                lines += 1
                                fieldStart = k + 1
                                lineStart = k + 1
                                continue
                            }
                            guard field < width else { return false }
                            var a = fieldStart
                            while a < e, base[a] == 32 { a += 1 }
                            while e > a, base[e - 1] == 32 { e -= 1 }
                            let n = e - a
                            let code: Int32
                            if n == pLength[field], ByteInterner.equal(base + a, base + pStart[field], n) {
                                code = pCode[field]
                            } else {
                                code = ints[field].find(UnsafeBufferPointer(start: base + a, count: n))
                                pCode[field] = code
                                pLength[field] = n
                            }
                            pStart[field] = a
                            guard rows < capacity else { return false }
                            cols[field][rows] = code
                            field += 1
                            if lineEnd {
                                guard field == width else { return false }
                                rows += 1
                                field = 0
                                let rowStart = lineStart
                                lineStart = k + 1
                                if rows & 0x3FFF == 0 {
                                    if isInterrupted() { interrupted = true; return true }
                                    // Pages wholly inside this chunk and already read (up to the page
                                    // before this row's, which the previous row may share) go back to
                                    // the system.
                                    if release {
                                        let upto = ((Int(bitPattern: base + rowStart) & ~(page - 1)) - page) - Int(bitPattern: base)
                                        if upto - released >= 4 << 20 {
                                            madvise(UnsafeMutableRawPointer(mutating: base + released), upto - released, MADV_DONTNEED)
                                            released = upto
                                        }
                                    }
                                    progress(Double(k - from) / Double(max(1, to - from)))
                                }
                                if k >= to { return true }
                                lines += 1
                            }
                            fieldStart = k + 1
                        }
                    }
                }
            }
        }
        guard ok else { return nil }
        if interrupted { return Chunk(interners: [], codes: ChunkCodes(width: 0, capacity: 0), rows: 0, interrupted: true) }
        return Chunk(interners: interners, codes: codes, rows: rows, lines: lines)
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

/// One slot per column, each written by one thread.
private final class MergedColumns: @unchecked Sendable {
    private var interners: [ByteInterner?]
    private var codes: [[Int32]]
    private let lock = NSLock()
    init(_ n: Int) {
        interners = Array(repeating: nil, count: n)
        codes = Array(repeating: [], count: n)
    }
    func set(_ j: Int, _ i: ByteInterner, _ c: [Int32]) {
        lock.lock()
        interners[j] = i
        codes[j] = c
        lock.unlock()
    }
    func take() -> ([ByteInterner], [[Int32]]) {
        lock.lock()
        defer { lock.unlock() }
        return (interners.map { $0 ?? ByteInterner() }, codes)
    }
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
    func clear() { slots = [] }
}

/// A chunk's codes: one buffer per column, freed column by column as they are merged (or all at
/// once when the chunk is dropped).
package final class ChunkCodes: @unchecked Sendable {
    package private(set) var columns: [UnsafeMutablePointer<Int32>]
    /// The allocations, one slot per column (a raw buffer: columns are freed from several threads).
    private let blocks: UnsafeMutableBufferPointer<UnsafeMutableRawPointer?>
    let allocated: Bool

    /// Each column's buffer starts at a different offset within its pages (17 cache lines more
    /// per column): buffers of one size are mapped page-aligned, and the same row of every column
    /// would otherwise fall in one cache set and evict each other.
    init(width: Int, capacity: Int) {
        var cols: [UnsafeMutablePointer<Int32>] = []
        var raw: [UnsafeMutableRawPointer?] = []
        var ok = true
        let stagger = 17 * 64 / MemoryLayout<Int32>.stride
        for j in 0..<width {
            let (n, o1) = max(1, capacity).addingReportingOverflow((j % 64) * stagger)
            let (bytes, o2) = n.multipliedReportingOverflow(by: MemoryLayout<Int32>.stride)
            guard !o1, !o2, let p = malloc(bytes) else { ok = false; break }
            LargeBuffers.advise(p, bytes: bytes)
            raw.append(p)
            cols.append(p.bindMemory(to: Int32.self, capacity: n) + (j % 64) * stagger)
        }
        columns = cols
        blocks = .allocate(capacity: raw.count)
        _ = blocks.initialize(from: raw)
        allocated = ok
    }

    func free(_ j: Int) {
        guard j < blocks.count, let p = blocks[j] else { return }
        Foundation.free(p)
        blocks[j] = nil
    }

    deinit {
        for p in blocks { Foundation.free(p) }
        blocks.deallocate()
    }
}
