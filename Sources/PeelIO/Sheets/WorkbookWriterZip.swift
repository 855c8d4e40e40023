import Foundation
import PeelSupport
import ZIPFoundation

/// A workbook's zip archive, made in memory with ZIPFoundation, entry by entry in the order given.
package enum WorkbookWriterZip {
    /// One entry's bytes: given whole, or made in pieces (a sheet's XML, which is never held whole).
    package enum Content {
        case bytes([UInt8])
        /// `pieces` pieces, piece k appended by `write(k, &buffer)`; the same bytes every time.
        case pieces(count: Int, write: (Int, inout [UInt8]) throws -> Void)
    }

    package struct Part {
        package var path: String
        package var content: Content
        /// Stored as it is, not compressed (an .ods file's `mimetype`, which must be first and stored).
        package var stored = false

        package init(_ path: String, _ content: Content, stored: Bool = false) {
            self.path = path
            self.content = content
            self.stored = stored
        }
    }

    /// How much is compressed at a time.
    static let chunk = 1 << 20

    /// The archive's bytes. `fileName` names the file in errors.
    package static func archive(_ parts: [Part], fileName: String) throws -> [UInt8] {
        let archive: Archive
        do {
            archive = try Archive(accessMode: .create)
        } catch {
            throw WorkbookError(file: fileName, "the zip archive could not be started in memory (\(error))")
        }
        let date = Date()
        for part in parts {
            let method: CompressionMethod = part.stored ? .none : .deflate
            switch part.content {
            case .bytes(let b):
                try add(archive, part.path, size: b.count, method: method, date: date, fileName: fileName) { position, size in
                    guard position >= 0, position <= b.count, size >= 0, size <= b.count - position else { throw Mismatch() }
                    return Data(b[position..<position + size])
                }
            case .pieces(let count, let write):
                // First measured, then made again and handed over a chunk at a time.
                var size = 0
                var scratch: [UInt8] = []
                for k in 0..<count {
                    scratch.removeAll(keepingCapacity: true)
                    try write(k, &scratch)
                    size += scratch.count
                }
                scratch = []
                var pending: [UInt8] = []
                var start = 0
                var next = 0
                var given = 0
                try add(archive, part.path, size: size, method: method, date: date, fileName: fileName) { position, want in
                    guard position == given, want >= 0 else { throw Mismatch() }
                    while pending.count - start < want {
                        if start > 0 {
                            pending.removeSubrange(0..<start)
                            start = 0
                        }
                        guard next < count else { throw Mismatch() }
                        try write(next, &pending)
                        next += 1
                    }
                    let out = Data(pending[start..<start + want])
                    start += want
                    given += want
                    return out
                }
                // Every byte measured was handed over, and no more was made.
                while next < count {
                    try write(next, &pending)
                    next += 1
                }
                guard given == size, pending.count - start == 0 else {
                    throw WorkbookError(file: fileName, part: part.path, "came out differently the second time it was made")
                }
            }
        }
        guard let data = archive.data else {
            throw WorkbookError(file: fileName, "the zip archive in memory has no bytes")
        }
        return [UInt8](data)
    }

    /// The provider handed over other bytes than it measured (a bug, not an input).
    private struct Mismatch: Error {}

    private static func add(_ archive: Archive, _ path: String, size: Int, method: CompressionMethod, date: Date, fileName: String,
                            provider: (Int, Int) throws -> Data) throws {
        do {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(size), modificationDate: date,
                                 compressionMethod: method, bufferSize: chunk) { position, want in
                guard let p = Int(exactly: position) else { throw Mismatch() }
                return try provider(p, want)
            }
        } catch let e as WorkbookError {
            throw e
        } catch let e as Diagnostic {
            throw e  // Ctrl-C (`Interrupt.stopped`) while the XML was made
        } catch is Mismatch {
            throw WorkbookError(file: fileName, part: path, "came out differently the second time it was made")
        } catch {
            throw WorkbookError(file: fileName, part: path, "could not be compressed into the zip archive (\(error))")
        }
    }
}
