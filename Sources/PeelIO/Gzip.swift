import CPeelZlib
import Foundation
import PeelSupport

/// Decompresses gzip data with zlib; a truncated or corrupt stream is an error, never a short read.
package enum Gzip {
    package static func isGzip(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// `name` is the file (for errors in the data); `table`, the table being loaded (for an interruption).
    package static func decompress(_ input: UnsafeBufferPointer<UInt8>, name: String, table: String? = nil, isInterrupted: () -> Bool = { false },
                           progress: (Double) -> Void = { _ in }) throws -> [UInt8] {
        var stream = z_stream()
        guard peel_inflate_init_gzip(&stream) == Z_OK else {
            throw DataFileError.gzipNotStarted(file: name)
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        // A guess at the expanded size, never more than 64 MiB up front: the array grows as needed
        // (a gzip header padded to gigabytes must not reserve six times its size).
        output.reserveCapacity(min(input.count * 6, 64 << 20))
        let limit = Limits.maxDecompressedBytes
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        var status: Int32 = Z_OK
        do {
            // zlib counts input in 32 bits: a file over 4 GiB is fed a piece at a time.
            let piece = 1 << 30
            var fed = min(input.count, piece)
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(fed)
            func refill() {
                if stream.avail_in == 0, fed < input.count, let base = input.baseAddress {
                    let n = min(input.count - fed, piece)
                    stream.next_in = UnsafeMutablePointer(mutating: base + fed)
                    stream.avail_in = UInt32(n)
                    fed += n
                }
            }
            repeat {
                refill()
                let produced: Int = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(chunk)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return chunk - Int(stream.avail_out)
                }
                output.append(contentsOf: buffer[0..<produced])
                // Text never holds a NUL byte: stop at the first (a zero bomb ends here, after
                // one chunk), and let the reader report it at its line and column.
                if produced > 0, buffer.withUnsafeBufferPointer({ memchr($0.baseAddress!, 0, produced) != nil }) { return output }
                if output.count > limit {
                    throw DataFileError.gzipTooLarge(file: name, limit: limit)
                }
                if isInterrupted() { throw CSVReader.interrupted(table ?? name) }
                let unread = Int(stream.avail_in) + (input.count - fed)
                progress(1 - Double(unread) / Double(max(1, input.count)))
                // Concatenated gzip members (as `cat a.gz b.gz` makes) continue the stream.
                if status == Z_STREAM_END, unread > 0 {
                    refill()
                    inflateReset(&stream)
                    status = Z_OK
                }
                if status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR {
                    let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw DataFileError.gzipCorrupt(file: name, detail: detail, offset: fed - Int(stream.avail_in))
                }
                if status == Z_BUF_ERROR && stream.avail_in == 0 && fed == input.count { break }
            } while status != Z_STREAM_END
        }
        guard status == Z_STREAM_END else {
            throw DataFileError.gzipTruncated(file: name)
        }
        return output
    }
}
