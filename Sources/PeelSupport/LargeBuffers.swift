#if canImport(Glibc)
import Glibc
#endif

/// Large column buffers (millions of rows) backed by 2 MiB pages where the kernel allows it. Each
/// 4 KiB page of a new buffer costs a page fault when first written; a 5M-row load writes about
/// 400 MB of new buffers, and those faults were a fifth of its time. Advising huge pages for the
/// aligned middle of a buffer cuts the faults about 500-fold; where transparent huge pages are
/// off (or not Linux), the advice is ignored and nothing changes but the speed.
@usableFromInline package enum LargeBuffers {
    /// Buffers smaller than this are left alone (a huge page would mostly hold nothing).
    package static let threshold = 4 << 20
    private static let hugePage = 2 << 20

    /// Advises huge pages for the whole 2 MiB pages inside `bytes` bytes at `p`, before they are
    /// first written.
    @usableFromInline package static func advise(_ p: UnsafeMutableRawPointer?, bytes: Int) {
        #if os(Linux)
        guard bytes >= threshold, let p else { return }
        let at = Int(bitPattern: p)
        let (last, overflow) = at.addingReportingOverflow(bytes)
        guard !overflow else { return }
        let start = (at + hugePage - 1) & ~(hugePage - 1), end = last & ~(hugePage - 1)
        guard end > start, let s = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(s, end - start, MADV_HUGEPAGE)
        #endif
    }
}

extension Array {
    /// `Array(unsafeUninitializedCapacity:initializingWith:)` for a buffer that may be large:
    /// huge pages are advised for it before `fill` writes it.
    @inlinable
    package init(largeUninitializedCapacity capacity: Int,
                 initializingWith fill: (inout UnsafeMutableBufferPointer<Element>, inout Int) throws -> Void) rethrows {
        try self.init(unsafeUninitializedCapacity: capacity) { buf, n in
            LargeBuffers.advise(UnsafeMutableRawPointer(buf.baseAddress), bytes: buf.count &* MemoryLayout<Element>.stride)
            try fill(&buf, &n)
        }
    }

    /// `count` copies of `value` in a buffer that may be large (huge pages advised first).
    @inlinable
    package init(largeRepeating value: Element, count: Int) {
        self.init(largeUninitializedCapacity: count) { buf, n in
            if let base = buf.baseAddress { base.initialize(repeating: value, count: count) }
            n = count
        }
    }
}
