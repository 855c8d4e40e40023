import Foundation
import PeelSupport

/// Files written whole or not at all: a temporary file beside the target, then a rename.
public enum AtomicFile {
    /// When set, files may be written only inside this folder (used by the fuzzer, so that random
    /// commands cannot write over anything). Nil in normal use: every path the user gives is allowed.
    nonisolated(unsafe) public static var confinedTo: String?

    /// What a path names, as far as writing it goes.
    public enum Target: Equatable {
        /// Nothing yet (or a link to nothing): a new file is made.
        case missing
        /// A regular file (or a link, which is replaced): written whole through a temporary file.
        case regular
        case directory
        /// A character device (a terminal, /dev/null) or a named pipe (FIFO): the bytes are
        /// written straight to it. Renaming a file over it would replace the device or the pipe.
        case passThrough
        /// Anything else peel cannot write (a socket, a disk, an open file reached through /proc).
        case refused(String)
    }

    /// What is at `path`, following links (a link to /dev/null or a pipe is written through).
    public static func target(_ path: String) -> Target {
        var st = stat()
        guard stat(path, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFCHR, S_IFIFO: return .passThrough
        case S_IFSOCK: return .refused("it is a socket, not a file")
        case S_IFBLK: return .refused("it is a block device (a disk), not a file")
        case S_IFREG:
            // /dev/stdout, /dev/fd/N and /proc/self/fd/N name another program's (or peel's own)
            // open file: a temporary file cannot be renamed over them, and writing through would
            // write over that file from its start.
            return throughProc(path) ? .refused("it is an open file reached through /proc (like /dev/stdout or /dev/fd/N), which peel cannot replace") : .regular
        default: return .refused("it is not a regular file")
        }
    }

    /// True when `path`, or a link on the way to its file, lies in /proc.
    package static func throughProc(_ path: String) -> Bool {
        var p = path
        for _ in 0..<40 {
            let slash = p.lastIndex(of: "/")
            let dir = slash.map { $0 == p.startIndex ? "/" : String(p[..<$0]) } ?? "."
            if let real = realpath(dir, nil) {
                let r = String(cString: real)
                free(real)
                if r == "/proc" || r.hasPrefix("/proc/") { return true }
            }
            var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(p, &buf, buf.count - 1)
            guard n > 0 else { return false }
            let link = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            p = link.hasPrefix("/") ? link : dir + "/" + link
        }
        return false
    }

    /// A failed write of `path` with errno `code`, and what became of the file.
    package static func failure(_ path: String, _ code: Int32, at range: SourceRange?, kept: DataFileError.Kept) -> DataFileError {
        .writeFailed(path: path, code: code, kept: kept, range: range)
    }

    /// Adds `text` to the end of the file at `path` (made by `write` before), whole or not at all:
    /// on a failed write (a full disk, a file size limit) the file is cut back to its old length.
    /// Never through a symbolic link. Ctrl-C and SIGTERM are held off while the bytes are written.
    /// A terminal, /dev/null or a named pipe is written straight through.
    public static func append(_ text: String, to path: String, at range: SourceRange?) throws {
        switch target(path) {
        case .passThrough: return try writeThrough(Array(text.utf8), to: path, at: range)
        case .directory: throw DataFileError.writeToDirectory(path: path, range: range)
        case .refused(let why): throw DataFileError.writeRefused(path: path, reason: why, replacing: false, range: range)
        case .missing, .regular: break
        }
        try holdingSignals {
            let fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw failure(path, errno, at: range, kept: .unknown) }
            defer { close(fd) }
            var st = stat()
            guard fstat(fd, &st) == 0 else { throw failure(path, errno, at: range, kept: .unknown) }
            if let code = writeAll(Array(text.utf8), to: fd) {
                _ = ftruncate(fd, st.st_size)
                throw failure(path, code, at: range, kept: .cutBack)
            }
        }
    }

    /// Writes every byte to `fd` and (with `sync`) flushes it to disk; the errno when that fails.
    package static func writeAll(_ bytes: [UInt8], to fd: Int32, sync: Bool = true) -> Int32? {
        var code: Int32?
        bytes.withUnsafeBufferPointer { b in
            var done = 0
            while done < b.count {
                let r = Glibc.write(fd, b.baseAddress! + done, b.count - done)
                if r < 0 && errno == EINTR { continue }
                if r <= 0 { code = r < 0 ? errno : ENOSPC; return }
                done += r
            }
        }
        if code == nil && sync && fsync(fd) != 0 { code = errno }
        return code
    }

    /// Runs `body` with Ctrl-C, SIGTERM and SIGHUP held off (delivered when it ends).
    package static func holdingSignals<T>(_ body: () throws -> T) rethrows -> T {
        var held = sigset_t(), old = sigset_t()
        sigemptyset(&held)
        sigaddset(&held, SIGINT)
        sigaddset(&held, SIGTERM)
        sigaddset(&held, SIGHUP)
        pthread_sigmask(SIG_BLOCK, &held, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        return try body()
    }

    private static let counterLock = NSLock()
    nonisolated(unsafe) private static var counter = 0

    /// `.peel-tmp-PID-N` in the folder of `path`: short, so that a file name of 255 bytes (the
    /// most a folder allows) still has room for its temporary file beside it.
    package static func temporaryPath(beside path: String) -> String {
        counterLock.lock()
        counter += 1
        let n = counter
        counterLock.unlock()
        return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(".peel-tmp-\(getpid())-\(n)").path
    }

    /// Writes `text` to `path` whole or not at all (see `write(bytes:to:at:newFileMode:)`).
    public static func write(_ text: String, to path: String, at range: SourceRange?) throws {
        try write(bytes: Array(text.utf8), to: path, at: range)
    }

    /// Writes `bytes` to `path` whole or not at all. The bytes go to a new temporary file beside the
    /// target (created exclusively, never through an existing file or link), are flushed to disk,
    /// and the file is renamed over the target. Ctrl-C and SIGTERM are held off from the rename's
    /// start to its end, so an interruption leaves the old file or the new one, and a kill -9
    /// leaves the old file (and at most a stray temporary file beside it). A file that is replaced
    /// keeps its permission bits and, where the system allows, its owner and group; a new file
    /// gets `newFileMode` (less the umask). A terminal, /dev/null or a named pipe is written
    /// straight through (a rename would replace it); sockets and the like are refused.
    public static func write(bytes: [UInt8], to path: String, at range: SourceRange?, newFileMode: mode_t = 0o644) throws {
        let url = URL(fileURLWithPath: path)
        if let root = confinedTo {
            let target = url.standardizedFileURL.path
            guard target.hasPrefix(URL(fileURLWithPath: root).standardizedFileURL.path + "/") else {
                throw DataFileError.writeOutsideConfinement(path: path, root: root, range: range)
            }
        }
        switch target(path) {
        case .directory: throw DataFileError.writeToDirectory(path: path, range: range)
        case .refused(let why): throw DataFileError.writeRefused(path: path, reason: why, replacing: true, range: range)
        case .passThrough: return try writeThrough(bytes, to: path, at: range)
        case .missing, .regular: break
        }
        let dir = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: dir.isEmpty ? "." : dir) else {
            throw DataFileError.writeFolderMissing(path: path, folder: dir, range: range)
        }
        // The file being replaced (the path itself: a link is replaced, not its target).
        var old = stat()
        let replacing = lstat(path, &old) == 0 && (old.st_mode & S_IFMT) == S_IFREG
        let tmp = temporaryPath(beside: path)
        unlink(tmp)  // a stray one from an earlier kill with the same process number
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, replacing ? 0o600 : newFileMode)
        guard fd >= 0 else { throw failure(path, errno, at: range, kept: .unknown) }
        if replacing {
            // Owner and group first (changing them clears set-user-ID bits); a user who may not
            // give a file away (EPERM) still keeps its group where they belong to it.
            if fchown(fd, old.st_uid, old.st_gid) != 0 { _ = fchown(fd, uid_t.max, old.st_gid) }
            _ = fchmod(fd, old.st_mode & 0o777)
        }
        let code = writeAll(bytes, to: fd)
        close(fd)
        if let code {
            unlink(tmp)
            throw failure(path, code, at: range, kept: .untouched)
        }
        try holdingSignals {
            if rename(tmp, path) != 0 {
                let code = errno
                unlink(tmp)
                throw failure(path, code, at: range, kept: .unknown)
            }
        }
    }

    /// Writes `bytes` straight to a terminal, a device or a named pipe. A pipe nobody reads is an
    /// error (not a wait that never ends); a reader that stops early gives an error, not SIGPIPE.
    package static func writeThrough(_ bytes: [UInt8], to path: String, at range: SourceRange?) throws {
        let fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            var st = stat()
            if code == ENXIO, stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFIFO {
                throw DataFileError.writeToUnreadPipe(path: path, range: range)
            }
            throw failure(path, code, at: range, kept: .unknown)
        }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var pipeSignal = sigset_t(), old = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &old)
        let code = writeAll(bytes, to: fd, sync: false)
        if code == EPIPE {
            // Take the SIGPIPE that write raised, so it is not delivered when the mask is restored.
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var none = timespec()
                _ = sigtimedwait(&pipeSignal, nil, &none)
            }
        }
        pthread_sigmask(SIG_SETMASK, &old, nil)
        if let code { throw failure(path, code, at: range, kept: .partlyWritten) }
    }
}

