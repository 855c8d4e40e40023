import PeelSupport

/// What is wrong with a Parquet file (or a table that cannot be written as one): the file, the
/// part of it (a column, the footer), what is wrong and what to do. Every reader and writer step
/// throws this, so each complaint reads `FILE: error: column 'x': …`.
package typealias ParquetError = FilePartError

/// A fault found while decoding bytes, before the file and column are known; the reader wraps it
/// in a `ParquetError` that names them.
package struct ParquetFault: Error, Equatable, Sendable {
    package var message: String
    /// What to do, when the file is sound but uses something peel does not read (nil: damaged).
    package var help: String?
    package init(_ message: String, help: String? = nil) {
        self.message = message
        self.help = help
    }

    /// The help for a damaged file.
    package static let damaged = "the file is damaged or not a Parquet file peel can read"
}
