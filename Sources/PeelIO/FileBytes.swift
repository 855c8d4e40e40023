import Foundation
import CPeelSys

/// Reads a whole file into one byte array (one copy, not two as `Data` then `[UInt8]` would make).
package enum FileBytes {
    package static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(st.st_size)
        var ok = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buf, n in
            var done = 0
            while done < size {
                let r = Glibc.read(fd, buf.baseAddress! + done, size - done)
                if r < 0 && errno == EINTR { continue }
                if r <= 0 { break }
                done += r
            }
            ok = done == size
            n = done
        }
        return ok ? bytes : nil
    }
}

extension FileBytes {
    package enum Failure: Error {
        /// The reason, from the system (e.g. "Permission denied").
        case unreadable(String)
        /// A FIFO, device or socket: reading one could block forever or never end.
        case notRegular(String)
        /// Another program changed the file while it was being read.
        case changed
    }

    /// Runs `body` over the file's bytes without copying them: the file is mapped read-only (and
    /// never written), or read into memory where it cannot be mapped. If the file is truncated or
    /// modified while `body` runs, throws `.changed` after it returns, whatever it returned.
    /// `body` is told whether the bytes are a mapping (see `CSVOptions.releaseReadPages`).
    package static func withContents<T>(_ path: String, _ body: (UnsafeBufferPointer<UInt8>, Bool) throws -> T) throws -> T {
        // Opened without blocking (a FIFO would otherwise wait for a writer), then checked.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw Failure.unreadable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var before = stat()
        guard fstat(fd, &before) == 0 else { throw Failure.unreadable(String(cString: strerror(errno))) }
        switch before.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFIFO: throw Failure.notRegular("a named pipe (FIFO)")
        case S_IFCHR, S_IFBLK: throw Failure.notRegular("a device")
        case S_IFSOCK: throw Failure.notRegular("a socket")
        default: throw Failure.notRegular("a special file")
        }
        let size = Int(before.st_size)
        func unchanged() -> Bool {
            var after = stat()
            return fstat(fd, &after) == 0 && after.st_size == before.st_size
                && after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec
        }
        if size > 0, let p = peel_map_file(fd, size) {
            let result: Result<T, Error> = Result { try body(UnsafeBufferPointer(start: p, count: size), true) }
            let damaged = peel_unmap_file(p, size) != 0
            if damaged || !unchanged() { throw Failure.changed }
            return try result.get()
        }
        guard let bytes = read(path) else { throw Failure.unreadable(String(cString: strerror(errno))) }
        let result = try bytes.withUnsafeBufferPointer { try body($0, false) }
        if !unchanged() { throw Failure.changed }
        return result
    }
}
