import CPeelZlib
import CPeelZstd
import PeelSupport

/// Parquet's compression codecs (its CompressionCodec numbers): peel reads UNCOMPRESSED, SNAPPY,
/// GZIP and ZSTD, and writes UNCOMPRESSED, SNAPPY and ZSTD.
package enum ParquetCodec: Int, Sendable, CaseIterable {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7

    package var name: String {
        switch self {
        case .uncompressed: return "UNCOMPRESSED"
        case .snappy: return "SNAPPY"
        case .gzip: return "GZIP"
        case .lzo: return "LZO"
        case .brotli: return "BROTLI"
        case .lz4: return "LZ4"
        case .zstd: return "ZSTD"
        case .lz4Raw: return "LZ4_RAW"
        }
    }

    /// The codecs `export … codec NAME` accepts, by the names it accepts.
    package static let writable: [(String, ParquetCodec)] = [("zstd", .zstd), ("snappy", .snappy), ("none", .uncompressed)]

    /// The `size` bytes `data` expands to.
    package func decompress(_ data: ArraySlice<UInt8>, size: Int) throws -> [UInt8] {
        guard size >= 0, size <= Limits.maxDecompressedBytes else {
            throw ParquetFault("a page declares \(size) bytes uncompressed, past peel's limit of \(Limits.bytes(Limits.maxDecompressedBytes))")
        }
        switch self {
        case .uncompressed:
            guard data.count == size else { throw ParquetFault("an uncompressed page holds \(data.count) bytes, not the \(size) its header says") }
            return Array(data)
        case .snappy:
            let out = try Snappy.decompress(data, limit: size)
            guard out.count == size else { throw ParquetFault("a snappy page expands to \(out.count) bytes, not the \(size) its header says") }
            return out
        case .zstd: return try Self.unzstd(data, size: size)
        case .gzip: return try Self.gunzip(data, size: size)
        default:
            throw ParquetFault("is compressed with \(name), which peel does not read (it reads UNCOMPRESSED, SNAPPY, GZIP and ZSTD)",
                               help: "write the file again with ZSTD, SNAPPY or no compression, e.g. in pyarrow: write_table(t, f, compression='zstd')")
        }
    }

    package func compress(_ data: [UInt8]) throws -> [UInt8] {
        switch self {
        case .uncompressed: return data
        case .snappy: return Snappy.compress(data)
        case .zstd:
            let bound = ZSTD_compressBound(data.count)
            var out = [UInt8](repeating: 0, count: bound)
            let n = out.withUnsafeMutableBytes { o in
                data.withUnsafeBytes { i in ZSTD_compress(o.baseAddress, bound, i.baseAddress, data.count, 3) }
            }
            guard ZSTD_isError(n) == 0 else { throw ParquetFault("zstd could not compress a page: " + String(cString: ZSTD_getErrorName(n))) }
            out.removeSubrange(n...)
            return out
        default: throw ParquetFault("peel does not write \(name)")
        }
    }

    static func unzstd(_ data: ArraySlice<UInt8>, size: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        // A frame of no bytes is fine for an empty page; ZSTD needs a valid pointer either way.
        let n = out.withUnsafeMutableBytes { o in
            data.withUnsafeBytes { i in ZSTD_decompress(o.baseAddress, size, i.baseAddress, data.count) }
        }
        guard ZSTD_isError(n) == 0 else {
            throw ParquetFault("the zstd data is corrupt (" + String(cString: ZSTD_getErrorName(n)) + ")")
        }
        guard n == size else { throw ParquetFault("a zstd page expands to \(n) bytes, not the \(size) its header says") }
        return out
    }

    static func gunzip(_ data: ArraySlice<UInt8>, size: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard peel_inflate_init_gzip(&stream) == Z_OK else { throw ParquetFault("zlib could not be started") }
        defer { inflateEnd(&stream) }
        guard data.count <= Int(UInt32.max), size < Int(UInt32.max) else { throw ParquetFault("a gzip page is too large") }
        // One byte more than expected, to tell a stream that runs long.
        var out = [UInt8](repeating: 0, count: size + 1)
        var status: Int32 = Z_OK
        let produced: Int = out.withUnsafeMutableBufferPointer { o in
            data.withUnsafeBufferPointer { i in
                stream.next_in = UnsafeMutablePointer(mutating: i.baseAddress)
                stream.avail_in = UInt32(i.count)
                stream.next_out = o.baseAddress
                stream.avail_out = UInt32(o.count)
                repeat {
                    status = inflate(&stream, Z_NO_FLUSH)
                    // Members one after another (as some writers make them) continue the stream.
                    if status == Z_STREAM_END, stream.avail_in > 0, stream.avail_out > 0 {
                        inflateReset(&stream)
                        status = Z_OK
                    }
                } while status == Z_OK && stream.avail_in > 0 && stream.avail_out > 0
                return o.count - Int(stream.avail_out)
            }
        }
        guard status == Z_STREAM_END || status == Z_OK || status == Z_BUF_ERROR else {
            let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw ParquetFault("the gzip data is corrupt (\(detail))")
        }
        guard produced == size, status == Z_STREAM_END else {
            throw ParquetFault("a gzip page expands to \(produced > size ? "more than \(size)" : "\(produced)") bytes, not the \(size) its header says")
        }
        out.removeLast()
        return out
    }
}
