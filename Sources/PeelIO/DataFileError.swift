import Foundation
import PeelSupport

/// What went wrong reading or writing a file: a CSV file, a gzip stream, the dataset catalogue, a
/// file written by `export`, `output` or `save`. Each case holds the file and, where known, the
/// line, column and text of the line; `diagnostic` is the one place that puts them into words.
public enum DataFileError: DiagnosticConvertible, Equatable, Sendable {
    /// Which text held bytes that are not UTF-8.
    public enum Part: Equatable, Sendable {
        /// The header row of a CSV file.
        case header
        /// A column of a CSV file.
        case column(String)
        /// A whole text of another kind, named for the reader ("the script", "the input").
        case text(String)
    }

    /// What became of the destination when a write failed.
    public enum Kept: Equatable, Sendable {
        /// Nothing to say.
        case unknown
        /// An append was undone: the file holds what it held before.
        case cutBack
        /// A replacement was abandoned: the old file is untouched.
        case untouched
        /// Written straight through (a terminal, a pipe): some bytes may have gone.
        case partlyWritten
    }

    // Reading a CSV file.
    /// The file starts with a UTF-16 byte order mark.
    case utf16(FileLocation)
    /// More rows than one table may hold.
    case tooManyRows(file: String, limit: Int)
    /// Bytes that are not UTF-8, at `location` (line and column), in `part`; `excerpt` is the line.
    case invalidUTF8(FileLocation, excerpt: String, part: Part)
    /// A NUL byte, on the line of `location`.
    case nulBytes(FileLocation)
    /// A header with more columns than a table may hold.
    case tooWide(FileLocation, columns: Int, limit: Int)
    /// A record with `found` fields where the header has `expected`.
    case fieldCount(FileLocation, excerpt: String, expected: Int, found: Int)
    /// A quoted field still open at the end of the file (`location` is the line it opened on).
    case unclosedQuote(FileLocation, excerpt: String)
    /// Text after the closing quote of a field.
    case textAfterClosingQuote(FileLocation, excerpt: String)
    /// A quote in the middle of an unquoted field.
    case quoteInUnquotedField(FileLocation, excerpt: String)
    /// No header row: nothing but blank lines, or nothing at all.
    case empty(FileLocation)
    /// A warning, not an error: a column of numbers read as text because of `value` (`reason`
    /// says why), at the record's line and `excerpt` when they are known.
    case readAsText(FileLocation, excerpt: String?, column: String, value: String, reason: String)
    /// Ctrl-C or SIGTERM stopped the load of `table` (the table asked for, not the file).
    case interrupted(table: String)

    // Gzip.
    /// zlib could not be set up.
    case gzipNotStarted(file: String)
    /// The data expands past `limit` bytes.
    case gzipTooLarge(file: String, limit: Int)
    /// zlib's complaint (`detail`), `offset` compressed bytes in.
    case gzipCorrupt(file: String, detail: String, offset: Int)
    /// The file ends inside the compressed stream.
    case gzipTruncated(file: String)

    // The dataset catalogue.
    /// `catalog.json` at `path` cannot be read.
    case catalogueUnreadable(path: String)
    /// `catalog.json` does not decode (`reason` is the decoder's).
    case catalogueMalformed(path: String, reason: String)
    /// A bundled table's file cannot be read.
    case bundledTableUnreadable(path: String, table: String)

    // Writing a file (at `range`, the command that writes).
    /// The system refused with errno `code`.
    case writeFailed(path: String, code: Int32, kept: Kept, range: SourceRange?)
    /// The destination is a directory.
    case writeToDirectory(path: String, range: SourceRange?)
    /// The destination is a kind of file peel does not write (`reason`); `replacing` is true for a
    /// whole-file write (export, save), false for an append.
    case writeRefused(path: String, reason: String, replacing: Bool, range: SourceRange?)
    /// Output is confined to `root` (fuzzing) and `path` is outside it.
    case writeOutsideConfinement(path: String, root: String, range: SourceRange?)
    /// The folder `folder` of the destination does not exist.
    case writeFolderMissing(path: String, folder: String, range: SourceRange?)
    /// A named pipe nobody reads.
    case writeToUnreadPipe(path: String, range: SourceRange?)

    /// The reason a record has the wrong number of fields, also listed for rows skipped with `skip bad rows`.
    public static func fieldCountReason(expected: Int, found: Int) -> String {
        "expected \(expected) fields, found \(found)"
    }

    public var diagnostic: Diagnostic {
        switch self {
        case .utf16(let at):
            return Diagnostic("the file is UTF-16 text (it starts with a UTF-16 byte order mark); peel reads UTF-8", at,
                              help: "save it as UTF-8 (in Excel: CSV UTF-8; in Notepad: Save as, Encoding UTF-8)")
        case .tooManyRows(let file, let limit):
            return Diagnostic("the file has more than \(NumberFormat.grouped(limit)) rows, peel's limit for one table, so it was not loaded",
                              FileLocation(file: file),
                              help: "filter or split it first (the largest real table peel meets has under half a million rows)")
        case .invalidUTF8(let at, let excerpt, let part):
            let what: String
            switch part {
            case .header: what = "the header"
            case .column(let c): what = "column '\(c)'"
            case .text(let t): what = t
            }
            let help: String
            if case .text = part {
                help = "save it as UTF-8 (in most editors: Save as, then Encoding UTF-8); this looks like Latin-1 or Windows-1252"
            } else {
                help = "save the file as UTF-8 (in Excel: CSV UTF-8); this looks like Latin-1 or Windows-1252"
            }
            return Diagnostic("\(what) holds text that is not valid UTF-8", at, excerpt: excerpt, help: help)
        case .nulBytes(let at):
            return Diagnostic("the file contains NUL bytes, so it is not a text file", at,
                              help: "is this a spreadsheet (.xlsx/.ods)? export it as CSV first")
        case .tooWide(let at, let columns, let limit):
            return Diagnostic("the header names \(NumberFormat.grouped(columns)) columns; a table may have at most \(NumberFormat.grouped(limit))", at,
                              help: "is the delimiter right? give it with: load \"FILE\" delimiter \";\"")
        case .fieldCount(let at, let excerpt, let expected, let found):
            return Diagnostic(Self.fieldCountReason(expected: expected, found: found), at, excerpt: excerpt,
                              help: "check the quoting on that line, or load with 'skip bad rows' to leave such rows out")
        case .unclosedQuote(let at, let excerpt):
            return Diagnostic("a quoted field is never closed", at, excerpt: excerpt,
                              help: "the quote opened on line \(at.line ?? 1) has no closing quote before the end of the file")
        case .textAfterClosingQuote(let at, let excerpt):
            return Diagnostic("unexpected text after a closing quote", at, excerpt: excerpt,
                              help: "inside a quoted field, write a quote as two quotes (\"\")")
        case .quoteInUnquotedField(let at, let excerpt):
            return Diagnostic("a quote inside an unquoted field", at, excerpt: excerpt,
                              help: "quote the whole field and double the inner quote (\"\")")
        case .empty(let at):
            return Diagnostic("the file is empty", at, help: "a CSV file needs a header row naming its columns")
        case .readAsText(let at, let excerpt, let column, let value, let reason):
            var d = Diagnostic("column '\(column)' is read as text: \"\(DisplayWidth.truncate(value, to: 60))\" \(reason)", at, excerpt: excerpt,
                               help: "correct that value in the file if the column should hold numbers")
            d.isWarning = true
            return d
        case .interrupted(let table):
            return Diagnostic("interrupted: \(table) was not loaded, and every table is as it was",
                              help: "nothing of it was kept; run the command again to load it")
        case .gzipNotStarted(let file):
            return Diagnostic("cannot start gzip decompression", FileLocation(file: file))
        case .gzipTooLarge(let file, let limit):
            return Diagnostic("the file expands to more than \(Limits.bytes(limit)) when decompressed, peel's limit for one file (a quarter of this machine's memory), so it was not loaded",
                              FileLocation(file: file), help: "a real table is far smaller; the file may be damaged or not what it seems")
        case .gzipCorrupt(let file, let detail, let offset):
            return Diagnostic("the gzip data is corrupt (\(detail)), \(NumberFormat.grouped(offset)) bytes in", FileLocation(file: file),
                              help: "the file is damaged; copy or download it again")
        case .gzipTruncated(let file):
            return Diagnostic("the gzip data is truncated", FileLocation(file: file),
                              help: "the file ends before the compressed stream does; copy or download it again")
        case .catalogueUnreadable(let path):
            return Diagnostic("cannot read the dataset catalogue \(path)", help: "set PEEL_DATA to the folder holding catalog.json")
        case .catalogueMalformed(let path, let reason):
            return Diagnostic("the dataset catalogue \(path) is malformed: \(reason)")
        case .bundledTableUnreadable(let path, let table):
            return Diagnostic("cannot read \(path) for table '\(table)'")
        case .writeFailed(let path, let code, let kept, let range):
            let why: String? = switch code {
            case ENOSPC, EDQUOT: "the disk (or your quota) is full"
            case EFBIG: "the file size limit (ulimit -f) was reached"
            default: nil
            }
            let outcome: String? = switch kept {
            case .unknown: nil
            case .cutBack: "the file is cut back to what it held before this result"
            case .untouched: "nothing was written, and the old file (if any) is as it was"
            case .partlyWritten: "some of the text may have reached it"
            }
            // The outcome is told only with a reason the user can act on.
            let help = why.map { w in outcome.map { w + ": " + $0 } ?? w }
            return Diagnostic("cannot write '\(path)': \(String(cString: strerror(code)))", at: range, help: help)
        case .writeToDirectory(let path, let range):
            return Diagnostic("cannot write '\(path)': it is a directory", at: range)
        case .writeRefused(let path, let reason, let replacing, let range):
            return Diagnostic("cannot write '\(path)': \(reason)", at: range,
                              help: replacing ? "write to a regular file by its own name (to see a table on the screen, leave out the export)" : nil)
        case .writeOutsideConfinement(let path, let root, let range):
            return Diagnostic("cannot write '\(path)': file output is confined to \(root)", at: range)
        case .writeFolderMissing(let path, let folder, let range):
            return Diagnostic("cannot write '\(path)': the folder \(folder) does not exist", at: range)
        case .writeToUnreadPipe(let path, let range):
            return Diagnostic("cannot write '\(path)': it is a named pipe (FIFO) and no program is reading it", at: range,
                              help: "start the program that reads it first (e.g. cat \(path) in another terminal), then run this again")
        }
    }
}

extension Diagnostic {
    /// An error at a place in a data file, with the line's text.
    fileprivate init(_ message: String, _ location: FileLocation, excerpt: String? = nil, help: String? = nil) {
        self.init(message, file: location.file, line: location.line, column: location.column, excerpt: excerpt, help: help)
    }
}
