import Foundation

/// Interns byte strings: each distinct value is stored once and gets a dense code (0, 1, 2, …).
/// Used by the CSV reader so that a column of a million rows is a million small integers plus a
/// dictionary of its distinct values.
package struct ByteInterner {
    package private(set) var storage: [UInt8] = []
    package private(set) var starts: [Int] = [0]
    private var slots: [Int32]
    private var mask: Int
    /// The code returned last: data often repeats a value on consecutive rows, so it is checked first.
    private var last: Int32 = -1

    package init(capacity: Int = 64) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = Array(repeating: -1, count: n)
        mask = n - 1
    }

    package var count: Int { starts.count - 1 }

    package func bytes(_ code: Int) -> ArraySlice<UInt8> { storage[starts[code]..<starts[code + 1]] }

    package func string(_ code: Int) -> String { String(decoding: bytes(code), as: UTF8.self) }

    package mutating func intern(_ p: UnsafeBufferPointer<UInt8>) -> Int32 {
        if last >= 0 {
            let s = starts[Int(last)], e = starts[Int(last) + 1]
            if e - s == p.count, p.count == 0 || storage.withUnsafeBufferPointer({ Self.equal($0.baseAddress! + s, p.baseAddress!, p.count) }) {
                return last
            }
        }
        let code = lookup(p)
        last = code
        return code
    }

    /// The code of `p`, added if new, without trying the last value first (for callers that
    /// keep their own idea of the previous value).
    package mutating func find(_ p: UnsafeBufferPointer<UInt8>) -> Int32 { lookup(p) }

    /// Whether the `n` bytes at `a` and at `b` are equal, compared eight (or four) at a time
    /// inline. Every load lies within the `n` bytes (the last word may overlap the one before).
    @inline(__always)
    package static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let x = UnsafeRawPointer(a), y = UnsafeRawPointer(b)
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i += 8
            }
            return x.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        if n >= 4 {
            return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
                && x.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == y.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        }
        var i = 0
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// A hash of the bytes, eight at a time.
    @inline(__always)
    package static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        guard let base = p.baseAddress else { return h }
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i + 8 <= p.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < p.count {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }

    private mutating func lookup(_ p: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Self.hash(p)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let code = slots[i]
            if code < 0 { break }
            let s = starts[Int(code)], e = starts[Int(code) + 1]
            if e - s == p.count && (p.count == 0 || storage.withUnsafeBufferPointer({ st in
                Self.equal(st.baseAddress! + s, p.baseAddress!, p.count)
            })) {
                return code
            }
            i = (i + 1) & mask
        }
        let code = Int32(count)
        storage.append(contentsOf: p)
        starts.append(storage.count)
        slots[i] = code
        if count * 2 > slots.count { grow() }
        return code
    }

    private mutating func grow() {
        let n = slots.count * 2
        slots = Array(repeating: -1, count: n)
        mask = n - 1
        for code in 0..<count {
            let h = storage.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[starts[code]..<starts[code + 1]])) }
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(code)
        }
    }
}


