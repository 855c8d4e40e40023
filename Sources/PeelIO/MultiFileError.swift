import PeelSupport

/// What stops `load` of many files at once (a pattern or a zip archive) before any file is read,
/// or while they are put together. Each is worded without a place: `load` puts it at the path.
package enum MultiFileError: DiagnosticConvertible, Equatable, Sendable {
    /// A pattern that matches no file: `rest` is the pattern from its first wildcard on, and
    /// `holds` the first few names in `directory`, of `count`.
    case noMatch(pattern: String, directory: String, rest: String, holds: [String], count: Int)
    /// The part of a pattern before its wildcards is not a directory.
    case noDirectory(pattern: String, directory: String)
    case tooManyFiles(pattern: String, limit: Int)
    /// An archive with no CSV entry (or none matching `filter`): the first entries, of `count`.
    case noEntries(archive: String, filter: String?, holds: [String], count: Int)
    /// The entries to read expand (by their own account) to more than peel reads at once.
    case archiveTooLarge(archive: String, bytes: UInt64, limit: Int)
    /// A pattern that matched workbooks, which are loaded one at a time.
    case workbookInPattern(pattern: String, file: String)
    /// The files together have more rows or columns than one table may.
    case tooManyRows(pattern: String, limit: Int)
    case tooManyColumns(pattern: String, count: Int, limit: Int)
    /// A matched file that could not be opened or read (`FileBytes.Failure`, worded by `load`).
    case unreadable(file: String, why: String)
    case notRegular(file: String, what: String)
    case changed(file: String)

    package var diagnostic: Diagnostic {
        func list(_ names: [String], of count: Int) -> String {
            let shown = names.map { "'\($0)'" }.joined(separator: ", ")
            return count > names.count ? "\(shown) … (\(NumberFormat.grouped(count)) in all)" : shown
        }
        switch self {
        case .noMatch(let pattern, let directory, let rest, let holds, let count):
            return Diagnostic("no file matches '\(pattern)': nothing in the directory '\(directory)' matches '\(rest)'",
                              help: count == 0 ? "that directory is empty" : "it holds " + list(holds, of: count)
                                  + "; * matches any run of characters in a name, ? one character, [abc] one of those")
        case .noDirectory(let pattern, let directory):
            return Diagnostic("no file matches '\(pattern)': there is no directory '\(directory)'",
                              help: "paths are relative to the directory peel was started in")
        case .tooManyFiles(let pattern, let limit):
            return Diagnostic("'\(pattern)' matches more than \(NumberFormat.grouped(limit)) files, the most one load reads",
                              help: "make the pattern narrower, e.g. one year's files: 2019-*-street.csv")
        case .noEntries(let archive, let filter, let holds, let count):
            let what = filter.map { "no entry matching '\($0)'" } ?? "no CSV file"
            return Diagnostic("'\(archive)' holds \(what)",
                              help: count == 0 ? "the archive is empty"
                                  : "it holds " + list(holds, of: count) + (filter == nil ? "; pick entries with files \"PATTERN\"" : ""))
        case .archiveTooLarge(let archive, let bytes, let limit):
            return Diagnostic("the CSV files in '\(archive)' expand to \(Limits.bytes(Int(clamping: bytes))), more than the \(Limits.bytes(limit)) peel reads at once",
                              help: "pick fewer of them with files \"PATTERN\"")
        case .workbookInPattern(let pattern, let file):
            return Diagnostic("'\(pattern)' matches the workbook '\(file)': workbooks are loaded one at a time",
                              help: "load each workbook on its own (load \"\(file)\"), or make the pattern match only CSV files")
        case .tooManyRows(let pattern, let limit):
            return Diagnostic("the files of '\(pattern)' have more than \(NumberFormat.grouped(limit)) rows together, peel's limit for one table, so none was loaded",
                              help: "load fewer files at once")
        case .tooManyColumns(let pattern, let count, let limit):
            return Diagnostic("the files of '\(pattern)' have \(NumberFormat.grouped(count)) different column names together, more than the \(NumberFormat.grouped(limit)) a table may have",
                              help: "load files with the same columns together")
        case .unreadable(let file, let why):
            return Diagnostic("cannot read '\(file)': \(why.lowercased())")
        case .notRegular(let file, let what):
            return Diagnostic("cannot read '\(file)': it is \(what), not a file", help: "make the pattern match only data files")
        case .changed(let file):
            return Diagnostic("'\(file)' changed while it was being read, so nothing was loaded",
                              help: "wait until the program writing it has finished, then load again")
        }
    }
}
