#if canImport(Glibc)
import Glibc
#endif
import CEditLine
import Foundation
import PeelSupport
import PeelIO

/// The history file behind the shell. It is used only when it is a libedit history (or does not
/// exist yet): any other file is left alone. Each save re-reads the file under a lock and adds
/// this session's new entries to what is there, so two shells on one file both keep their
/// commands. A problem (a directory, another kind of file, no permission) is said once on stderr,
/// and the shell goes on without saving history.
final class HistoryStore {
    static let header = "_HiStOrY_V2_"
    /// The most entries the file keeps (the oldest go first), as the line editor keeps in memory.
    static let limit = 1000

    let path: String
    /// True when the file is read at start-up (a history file that exists).
    private(set) var loadable = false
    /// A terminal, /dev/null or a named pipe: each new entry is written to it; nothing is read.
    private var passThrough = false
    /// False after a problem that makes saving pointless or harmful.
    private var saving = true
    private var warned = false
    /// Entries added since the last save that reached the file.
    private var unsaved: [String] = []

    init(path: String) {
        self.path = path
        switch AtomicFile.target(path) {
        case .directory:
            refuse("'\(path)' is a directory", help: "give --history-file a file name, e.g. \(path.hasSuffix("/") ? path : path + "/")history")
        case .refused(let why):
            refuse("'\(path)': \(why)", help: "give --history-file a regular file")
        case .passThrough:
            passThrough = true
        case .missing:
            checkFolder()
        case .regular:
            switch Self.contents(of: path) {
            case .other:
                refuse("'\(path)' is not a peel history file (its first line is not \(Self.header)), so it is left as it is",
                       help: "give --history-file a new file name, or a history file peel wrote")
                return
            case .unreadable(let code):
                refuse("cannot read '\(path)': \(String(cString: strerror(code)))",
                       help: "make the file readable (chmod u+r), or give --history-file another file")
                return
            case .history, .empty: break
            }
            loadable = true
            if access(path, W_OK) != 0 {
                refuse("cannot write '\(path)': \(String(cString: strerror(errno)))",
                       help: "make the file writable (chmod u+w), or give --history-file another file")
            } else {
                checkFolder()
            }
        }
    }

    /// The file is replaced by a rename, which needs the folder to be writable.
    private func checkFolder() {
        let dir = Self.folder(of: path)
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) || !isDir.boolValue {
            refuse("the folder \(dir) does not exist", help: "create it, or give --history-file another file")
        } else if access(dir, W_OK) != 0 {
            refuse("cannot create files in the folder \(dir): \(String(cString: strerror(errno)))",
                   help: "give --history-file a file in a folder you can write")
        }
    }

    private func refuse(_ reason: String, help: String) {
        saving = false
        warn(reason, help: help)
    }

    /// Once per session, on stderr.
    private func warn(_ reason: String, help: String?) {
        guard !warned else { return }
        warned = true
        fflush(stdout)
        fputs("peel: warning: history is not saved: \(reason)\n" + (help.map { "help: \($0)\n" } ?? ""), stderr)
        fflush(stderr)
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    enum Contents { case history, empty, other, unreadable(Int32) }

    /// Whether the file starts with libedit's header line (or is empty).
    static func contents(of path: String) -> Contents {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .unreadable(errno) }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: header.utf8.count + 1)
        let n = read(fd, &buf, buf.count)
        if n < 0 { return .unreadable(errno) }
        if n == 0 { return .empty }
        return n == buf.count && buf == Array((header + "\n").utf8) ? .history : .other
    }

    /// The entries of the file as the `history` command shows them (none unless it is loaded).
    var lines: [String] { loadable ? HistoryFile.lines(path) : [] }

    func add(_ entry: String) { unsaved.append(entry) }

    /// Adds the unsaved entries to the file: under a lock on its folder (so two shells saving at
    /// once do not lose each other's entries), the file is read again, the new entries go after
    /// its own, the oldest beyond the limit are dropped, and the whole is written to a temporary
    /// file and renamed into place. All signals are held off meanwhile.
    func save() {
        guard saving, !unsaved.isEmpty else { return }
        var all = sigset_t(), old = sigset_t()
        sigfillset(&all)
        sigprocmask(SIG_BLOCK, &all, &old)
        defer { sigprocmask(SIG_SETMASK, &old, nil) }
        guard let encoded = Self.encode(unsaved) else {
            warn("the entries could not be prepared (no temporary file could be made)", help: nil)
            return
        }
        if passThrough {
            do {
                try AtomicFile.write(bytes: encoded.flatMap { $0 + [10] }, to: path, at: nil)
                unsaved = []
            } catch {
                warn((error as? DiagnosticConvertible)?.diagnostic.message ?? "\(error)", help: nil)
            }
            return
        }
        let lock = Self.lockFolder(Self.folder(of: path))
        defer { if lock >= 0 { flock(lock, LOCK_UN); close(lock) } }
        var entries: [[UInt8]] = []
        switch AtomicFile.target(path) {
        case .missing: break
        case .regular:
            // Read through the same checks as at start-up: another program may have put a file
            // of its own here since.
            switch Self.contents(of: path) {
            case .empty: break
            case .history:
                guard let data = FileManager.default.contents(atPath: path) else {
                    warn("cannot read '\(path)' again to add to it", help: nil)
                    return
                }
                entries = Self.entryLines([UInt8](data))
            case .other:
                refuse("'\(path)' is no longer a peel history file, so it is left as it is", help: "give --history-file another file")
                return
            case .unreadable(let code):
                warn("cannot read '\(path)' again to add to it: \(String(cString: strerror(code)))", help: nil)
                return
            }
        default:
            refuse("'\(path)' is no longer a regular file", help: "give --history-file another file")
            return
        }
        var new = encoded[...]
        if let first = new.first, entries.last == first { new = new.dropFirst() }
        let kept = (entries + new).suffix(Self.limit)
        let bytes = Array((Self.header + "\n").utf8) + kept.flatMap { $0 + [10] }
        do {
            try AtomicFile.write(bytes: bytes, to: path, at: nil, newFileMode: 0o600)
            unsaved = []
        } catch {
            warn((error as? DiagnosticConvertible)?.diagnostic.message ?? "\(error)", help: nil)
        }
    }

    /// The lines after the header, each one entry in libedit's encoding.
    static func entryLines(_ data: [UInt8]) -> [[UInt8]] {
        data.split(separator: 10, omittingEmptySubsequences: true).dropFirst().map(Array.init)
    }

    /// Locks the folder (flock; other peel shells saving a history there wait). Waits at most two
    /// seconds: a lock held longer (a stopped process) does not hang the shell, which then saves
    /// without it. Returns the folder's descriptor, or -1.
    static func lockFolder(_ dir: String) -> Int32 {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return -1 }
        for _ in 0..<200 {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return fd }
            if errno != EWOULDBLOCK && errno != EINTR { break }
            usleep(10_000)
        }
        close(fd)
        return -1
    }

    /// The entries in libedit's own encoding (one line each), written by libedit itself.
    static func encode(_ entries: [String]) -> [[UInt8]]? {
        guard let h = history_init() else { return nil }
        defer { history_end(h) }
        peel_history_setsize(h, Int32(entries.count + 1))
        for e in entries { peel_history_enter(h, e) }
        guard let fp = tmpfile() else { return nil }
        defer { fclose(fp) }
        guard peel_history_save_fp(h, fp) >= 0, fflush(fp) == 0 else { return nil }
        let fd = fileno(fp)
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        var offset: off_t = 0
        while true {
            let n = pread(fd, &buf, buf.count, offset)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            data += buf[0..<n]
            offset += off_t(n)
        }
        let lines = entryLines(data)
        return lines.count == entries.count ? lines : nil
    }
}
