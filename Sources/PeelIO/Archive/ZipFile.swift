import Foundation
import PeelSupport
import ZIPFoundation

/// A zip archive opened for reading (an .xlsx or .ods workbook, or a data.police.uk download),
/// through ZIPFoundation. Every entry is read whole into memory, within limits, so a truncated,
/// corrupt or hostile archive (a zip bomb) stops with a `WorkbookError` naming the entry.
package final class ZipFile {
    package struct Entry: Sendable, Equatable {
        package var path: String
        package var uncompressedSize: UInt64
        package var compressedSize: UInt64
        package var isDirectory: Bool
    }

    /// An entry that expands past this ratio and past `bombFloor` bytes is refused as a zip bomb:
    /// real workbooks and CSV files compress 5 to 50 times.
    package static let bombRatio: UInt64 = 1_000
    package static let bombFloor: UInt64 = 64 << 20

    package let fileName: String
    package let entries: [Entry]
    private let archive: Archive
    private var zipEntries: [String: ZIPFoundation.Entry] = [:]
    /// Checked while an entry is inflated: true stops the read (Ctrl-C).
    package var isInterrupted: () -> Bool = { false }

    /// Opens `path`; `fileName` is how errors name it.
    package init(path: String, fileName: String) throws {
        self.fileName = fileName
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw WorkbookError(file: fileName, "is not a readable zip archive: it is truncated or damaged (no zip directory at its end)",
                                help: "download the file again; if it opens elsewhere, export it as CSV and load that")
        }
        self.archive = archive
        var list: [Entry] = []
        for e in archive {
            list.append(Entry(path: e.path, uncompressedSize: e.uncompressedSize, compressedSize: e.compressedSize, isDirectory: e.type == .directory))
            zipEntries[e.path] = e
            if list.count > 1_000_000 {
                throw WorkbookError(file: fileName, "holds more than 1,000,000 entries", help: "this is not a workbook or a data download peel can read")
            }
        }
        self.entries = list
    }

    package func contains(_ path: String) -> Bool { zipEntries[path] != nil }

    /// The bytes of entry `path`, checked against its CRC. `limit` caps what it may expand to.
    package func read(_ path: String, limit: Int = Limits.maxDecompressedBytes) throws -> [UInt8] {
        guard let e = zipEntries[path] else {
            throw WorkbookError(file: fileName, part: path, "is not in the archive")
        }
        let declared = e.uncompressedSize
        func bomb(_ size: UInt64) -> WorkbookError {
            WorkbookError(file: fileName, part: path,
                          "expands to more than \(Limits.bytes(Int(clamping: size))) from \(e.compressedSize) compressed bytes, which no real data does (a zip bomb?)",
                          help: "nothing was loaded")
        }
        func tooBig() -> WorkbookError {
            WorkbookError(file: fileName, part: path, "expands to more than \(Limits.bytes(limit)), the most peel reads from one entry",
                          help: "nothing was loaded")
        }
        if declared > UInt64(limit) { throw tooBig() }
        let ratioLimit = max(Self.bombFloor, e.compressedSize.multipliedReportingOverflow(by: Self.bombRatio).overflow ? UInt64.max : e.compressedSize * Self.bombRatio)
        if declared > ratioLimit { throw bomb(declared) }
        var out: [UInt8] = []
        out.reserveCapacity(Int(min(declared, 256 << 20)))
        struct Stop: Error { var error: WorkbookError? }
        let interrupted = isInterrupted
        do {
            let crc = try archive.extract(e, bufferSize: 64 << 10, skipCRC32: false) { chunk in
                if out.count + chunk.count > limit { throw Stop(error: tooBig()) }
                if UInt64(out.count + chunk.count) > ratioLimit { throw Stop(error: bomb(UInt64(out.count + chunk.count))) }
                if interrupted() { throw Stop(error: nil) }
                out.append(contentsOf: chunk)
            }
            // ZIPFoundation computes the checksum but leaves comparing it to the caller.
            if crc != e.checksum { throw Archive.ArchiveError.invalidCRC32 }
        } catch let s as Stop {
            if let error = s.error { throw error }
            throw Interrupted()
        } catch {
            throw WorkbookError(file: fileName, part: path, "cannot be read: the archive is damaged or truncated (\(Self.describe(error)))",
                                help: "download the file again")
        }
        return out
    }

    /// Thrown by `read` when `isInterrupted` said stop.
    package struct Interrupted: Error {}

    private static func describe(_ error: Error) -> String {
        switch error {
        case Archive.ArchiveError.invalidCRC32: return "a checksum does not match"
        case Archive.ArchiveError.invalidCompressionMethod: return "an unknown compression method"
        case Archive.ArchiveError.invalidLocalHeaderDataOffset, Archive.ArchiveError.invalidLocalHeaderSize: return "a bad entry header"
        default: return "\(error)".split(separator: "(").first.map(String.init) ?? "\(error)"
        }
    }
}
