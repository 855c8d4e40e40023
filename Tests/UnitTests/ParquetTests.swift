import Foundation
import PeelData
import PeelIO
import PeelSupport
import XCTest

/// Parquet's pieces: the Thrift compact protocol (varints, zigzag, skipping unknown fields, limits),
/// the RLE/bit-packed hybrid, snappy, and the writer read back by the reader, including several row
/// groups and pages; and damaged files (cut at every length, bytes flipped, huge lengths and counts)
/// that must give an error, never a trap.
final class ParquetTests: XCTestCase {
    // MARK: - Thrift

    func testVarintsAndZigzag() throws {
        var w = ThriftWriter()
        w.varint(300)
        XCTAssertEqual(w.bytes, [0xAC, 0x02])
        for (v, z) in [(0, 0), (-1, 1), (1, 2), (-2, 3), (2147483647, 4294967294), (-2147483648, 4294967295)] as [(Int64, UInt64)] {
            XCTAssertEqual(ThriftWriter.zigzag(v), z)
            XCTAssertEqual(ThriftReader.unzigzag(z), v)
        }
        XCTAssertEqual(ThriftReader.unzigzag(ThriftWriter.zigzag(.min)), .min)
        XCTAssertEqual(ThriftReader.unzigzag(ThriftWriter.zigzag(.max)), .max)
        var r = ThriftReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01][...])
        XCTAssertEqual(try r.varint(), UInt64.max)
        // Eleven bytes, or a tenth byte with more than one bit: past 64 bits.
        var long = ThriftReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02][...])
        XCTAssertThrowsError(try long.varint())
        var cut = ThriftReader([0x80, 0x80][...])
        XCTAssertThrowsError(try cut.varint())
    }

    func testStructsSkipUnknownFieldsAndRoundTrip() throws {
        // Field 1 (i32 5), then field 40 (by long form) holding a list of structs with a map and
        // nested lists in them, unknown to any reader, then field 41 (binary "ok").
        let inner = ThriftStruct([1: .map([(.string("k"), .list([.int(1), .int(-2)], elementType: 6))], keyType: 8, valueType: 9),
                                  3: .double(2.5), 4: .bool(false), 9: .int8(-3)])
        let s = ThriftStruct([1: .i32(5), 40: .structs([inner, ThriftStruct()]), 41: .string("ok"), 42: .bool(true),
                              43: .list((0..<20).map { .i32($0) }, elementType: 5)])
        var w = ThriftWriter()
        w.writeStruct(s)
        var r = ThriftReader(w.bytes[...])
        let back = try r.readStruct()
        XCTAssertEqual(back, s)
        XCTAssertEqual(r.remaining, 0)
        XCTAssertEqual(back[41]?.string, "ok")
        XCTAssertEqual(back[1]?.int, 5)
        // A hand-written struct: field 1 i32 = 5 (0x15 0x0A), field 3 unknown struct {1: i64 7} (0x3C 0x16 0x0E 0x00), stop.
        var h = ThriftReader([0x15, 0x0A, 0x2C, 0x16, 0x0E, 0x00, 0x00][...])
        let hs = try h.readStruct()
        XCTAssertEqual(hs[1]?.int, 5)
        XCTAssertEqual(hs[3]?.structure?[1]?.int, 7)
    }

    func testThriftLimits() {
        // Structs nested 200 deep: refused, not a stack overflow.
        let deep = [UInt8](repeating: 0x1C, count: 200) + [UInt8](repeating: 0, count: 201)
        var r = ThriftReader(deep[...])
        XCTAssertThrowsError(try r.readStruct())
        // A list claiming 2^31 elements in a few bytes, a string claiming a gigabyte, an unknown type.
        for bytes: [UInt8] in [[0x19, 0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x07], [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x03], [0x1D, 0x00], [0x1B, 0xFF, 0x01, 0x88]] {
            var t = ThriftReader(bytes[...])
            XCTAssertThrowsError(try t.readStruct(), "\(bytes)")
        }
        // Every prefix of a valid struct fails cleanly.
        var w = ThriftWriter()
        w.writeStruct(ThriftStruct([1: .i32(5), 2: .string("hello"), 5: .structs([ThriftStruct([1: .int(9)])])]))
        for n in 0..<w.bytes.count {
            var t = ThriftReader(w.bytes[0..<n])
            XCTAssertThrowsError(try t.readStruct(), "prefix \(n)")
        }
    }

    // MARK: - RLE/bit-packed hybrid

    func testRLEHybridKnownBytesAndRoundTrip() throws {
        // The format's own example: 0…7 bit-packed at width 3.
        XCTAssertEqual(try RLEHybrid.decode([0x03, 0x88, 0xC6, 0xFA][...], bitWidth: 3, count: 8), [0, 1, 2, 3, 4, 5, 6, 7])
        // A run of 10 fives at width 3: header 20, one byte of value.
        XCTAssertEqual(try RLEHybrid.decode([0x14, 0x05][...], bitWidth: 3, count: 10), [UInt32](repeating: 5, count: 10))
        var g = SystemRandomNumberGenerator()
        for width in [0, 1, 2, 3, 5, 8, 9, 13, 16, 20, 31, 32] {
            for _ in 0..<8 {
                let n = Int.random(in: 0..<300, using: &g)
                let top: UInt64 = width == 0 ? 0 : (1 << UInt64(width)) - 1
                var values: [UInt32] = []
                while values.count < n {
                    let v = UInt32(UInt64.random(in: 0...top, using: &g))
                    values += [UInt32](repeating: v, count: Bool.random(using: &g) ? Int.random(in: 1...20, using: &g) : 1)
                }
                values = Array(values.prefix(n))
                let bytes = RLEHybrid.encode(values, bitWidth: width)
                XCTAssertEqual(try RLEHybrid.decode(bytes[...], bitWidth: width, count: n), values, "width \(width)")
                if n > 0 {
                    XCTAssertThrowsError(try RLEHybrid.decode(bytes.dropLast(bytes.count)[...], bitWidth: width, count: n))
                }
            }
        }
        // Values past a dictionary's size, widths past 32, and a huge run header: errors.
        XCTAssertThrowsError(try RLEHybrid.decode([0x14, 0x05][...], bitWidth: 3, count: 10, limit: 4))
        XCTAssertThrowsError(try RLEHybrid.decode([0x02, 0x00][...], bitWidth: 33, count: 1))
        XCTAssertThrowsError(try RLEHybrid.decode([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01][...], bitWidth: 8, count: 5))
    }

    // MARK: - Delta encodings

    func testDeltaEncodings() throws {
        // The format's example: 1 2 3 4 5 (block of 128 in 4 miniblocks, first 1, min delta 1, widths 0).
        let five: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0]
        XCTAssertEqual(try ParquetDelta.binaryPacked(five[...], count: 5).values, [1, 2, 3, 4, 5])
        // 7 5 3 1 2 3 4 5: min delta -2, first miniblock of width 2 (deltas less the minimum: 0 0 0 3 3 3 3, then padding).
        var mini = [UInt8](repeating: 0, count: 8)
        let deltas: [UInt8] = [0, 0, 0, 3, 3, 3, 3]
        for (i, d) in deltas.enumerated() { mini[i * 2 / 8] |= d << UInt8(i * 2 % 8) }
        let eight: [UInt8] = [0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 2, 0, 0, 0] + mini
        XCTAssertEqual(try ParquetDelta.binaryPacked(eight[...], count: 8).values, [7, 5, 3, 1, 2, 3, 4, 5])
        for n in 0..<eight.count { XCTAssertThrowsError(try ParquetDelta.binaryPacked(eight[0..<n], count: 8), "cut at \(n)") }
        // A count other than the page's, a block size not a multiple of 128, a width past 64.
        XCTAssertThrowsError(try ParquetDelta.binaryPacked(five[...], count: 6))
        XCTAssertThrowsError(try ParquetDelta.binaryPacked([0x40, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0][...], count: 5))
        XCTAssertThrowsError(try ParquetDelta.binaryPacked([0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 65, 0, 0, 0][...], count: 5))
        // BYTE_STREAM_SPLIT puts bytes back in order; too few bytes is an error.
        XCTAssertEqual(try ParquetDelta.unsplit([1, 2, 3, 4, 5, 6, 7, 8][...], count: 2, width: 4), [1, 3, 5, 7, 2, 4, 6, 8])
        XCTAssertThrowsError(try ParquetDelta.unsplit([1, 2, 3][...], count: 1, width: 4))
    }

    // MARK: - Snappy

    func testSnappyRoundTripAndMalformed() throws {
        var g = SystemRandomNumberGenerator()
        let texts: [[UInt8]] = [
            [], [1], Array("abcabcabcabcabcabcabcabcabcabcabcabc".utf8),
            (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &g) },
            (0..<200_000).map { UInt8(truncatingIfNeeded: $0 % 251) },
            Array(String(repeating: "Leicestershire,2017/18,84.1\n", count: 5000).utf8),
        ]
        for t in texts {
            let c = Snappy.compress(t)
            XCTAssertEqual(try Snappy.decompress(c[...]), t)
            if t.count > 1000 && t.first != t.dropFirst().first { XCTAssertLessThan(c.count, t.count + t.count / 6 + 32) }
        }
        XCTAssertLessThan(Snappy.compress(texts[5]).count, texts[5].count / 10)
        // A literal "abc": length 3, tag (2 << 2).
        XCTAssertEqual(try Snappy.decompress([0x03, 0x08, 0x61, 0x62, 0x63][...]), Array("abc".utf8))
        for bad: [[UInt8]] in [[[0x05, 0x08, 0x61, 0x62, 0x63]], [[0x03, 0x08, 0x61]], [[0x08, 0x00, 0x61, 0x0D, 0x00]], [[0x04, 0x00, 0x61, 0x0D, 0x05]],
                               [[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]], [[0x02, 0xF4, 0xFF, 0xFF, 0xFF, 0xFF]]] {
            XCTAssertThrowsError(try Snappy.decompress(bad[0][...]), "\(bad)")
        }
        XCTAssertThrowsError(try Snappy.decompress(Snappy.compress(texts[4])[...], limit: 1000))
    }

    // MARK: - Writer and reader

    func sampleTable(rows: Int = 11) -> Table {
        var ints = ColumnBuilder.integer("n")
        var decs = ColumnBuilder.decimal("rate", scale: 1, unit: "%")
        var texts = ColumnBuilder.text("area")
        var uniques = ColumnBuilder.text("note")
        var days: [Int32] = []
        var dayMissing: [Bool] = []
        for i in 0..<rows {
            ints.append(int: i % 4 == 1 ? nil : Int64(i) * 1_000_000_007 - 5)
            decs.append(i % 5 == 2 ? nil : Double(i) * 1.5 - 2)
            texts.append(i % 3 == 0 ? nil : ["North", "South"][i % 2])
            uniques.append(i % 6 == 5 ? nil : "row \(i), \"é\"")
            days.append(Int32(i * 400 - 3000))
            dayMissing.append(i % 7 == 3)
        }
        let date = Column(name: "day", data: .date(days), missing: MissingMask(dayMissing))
        return Table(name: "t", columns: [ints.build(), decs.build(), texts.build(), uniques.build(), date])
    }

    func assertSame(_ a: Table, _ b: Table, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.columns.map(\.name), b.columns.map(\.name), file: file, line: line)
        XCTAssertEqual(a.rowCount, b.rowCount, file: file, line: line)
        for (x, y) in zip(a.columns, b.columns) {
            XCTAssertEqual(x.type, y.type, x.name, file: file, line: line)
            XCTAssertEqual(x.scale, y.scale, x.name, file: file, line: line)
            XCTAssertEqual(x.unit, y.unit, x.name, file: file, line: line)
            for r in 0..<x.count {
                XCTAssertEqual(x.formatted(r), y.formatted(r), "\(x.name) row \(r)", file: file, line: line)
            }
        }
    }

    func testWriterReadBackWithManyRowGroupsAndPages() throws {
        let t = sampleTable(rows: 50)
        for codec in [ParquetCodec.uncompressed, .snappy, .zstd] {
            for (groupRows, pageRows) in [(1_000, 1_000), (7, 3), (1, 1)] {
                let bytes = try ParquetWriter.write(t, codec: codec, fileName: "t.parquet", rowsPerGroup: groupRows, rowsPerPage: pageRows)
                let back = try ParquetReader.read(bytes, fileName: "t.parquet", tableName: "t")
                XCTAssertEqual(back.rowGroups, (50 + groupRows - 1) / groupRows)
                assertSame(t, back.table)
            }
        }
        // No rows, and a column with every value missing.
        let empty = Table(name: "e", columns: [Column(name: "n", data: .integer([]))])
        assertSame(empty, try ParquetReader.read(try ParquetWriter.write(empty, fileName: "e"), fileName: "e", tableName: "e").table)
        let blank = Table(name: "b", columns: [Column(name: "s", data: .text(codes: [0, 0], dictionary: [""]), missing: MissingMask([true, true]))])
        assertSame(blank, try ParquetReader.read(try ParquetWriter.write(blank, fileName: "b"), fileName: "b", tableName: "b").table)
    }

    /// Throws a ParquetError or DataFileError naming the file, or reads a table: never traps.
    func readOrError(_ bytes: [UInt8]) -> Bool {
        do {
            _ = try ParquetReader.read(bytes, fileName: "bad.parquet", tableName: "t")
            return true
        } catch let e as ParquetError {
            XCTAssertEqual(e.file, "bad.parquet")
            XCTAssertFalse(e.message.isEmpty)
            return false
        } catch {
            XCTAssertTrue(error is DataFileError, "\(error)")
            return false
        }
    }

    func testDamagedFilesGiveErrors() throws {
        let bytes = try ParquetWriter.write(sampleTable(rows: 9), codec: .snappy, fileName: "t", rowsPerGroup: 4, rowsPerPage: 2)
        // Cut at every length: always an error (the file must end with PAR1 and its footer).
        for n in 0..<bytes.count {
            XCTAssertFalse(readOrError(Array(bytes[0..<n])), "cut at \(n)")
        }
        // Every byte flipped, one at a time, three ways.
        for i in bytes.indices {
            for mask: UInt8 in [0xFF, 0x01, 0x80] {
                var b = bytes
                b[i] ^= mask
                _ = readOrError(b)
            }
        }
        // A footer length past the file; a huge page size; a row count past the limit.
        var b = bytes
        let n = b.count
        b[n - 5] = 0x7F
        XCTAssertFalse(readOrError(b))
        XCTAssertFalse(readOrError(Array("PAR1PAR1".utf8) + [0, 0, 0, 0] + Array("PAR1".utf8)))
        XCTAssertFalse(readOrError(Array("a,b\n1,2\n".utf8)))
    }

    func testHugeCountsInAFooterAreRefused() throws {
        // A footer naming 2^40 rows in one row group of one INT64 column.
        let schema = [ThriftStruct([4: .string("s"), 5: .i32(1)]), ThriftStruct([1: .i32(2), 3: .i32(1), 4: .string("n")])]
        let md = ThriftStruct([1: .i32(2), 2: .list([.i32(0)], elementType: 5), 3: .list([.string("n")], elementType: 8), 4: .i32(0),
                               5: .int(1 << 40), 6: .int(10), 7: .int(10), 9: .int(4)])
        let group = ThriftStruct([1: .structs([ThriftStruct([2: .int(4), 3: .structure(md)])]), 2: .int(10), 3: .int(1 << 40)])
        for rows: Int64 in [1 << 40, 100] {
            var w = ThriftWriter()
            w.writeStruct(ThriftStruct([1: .i32(1), 2: .structs(schema), 3: .int(rows), 4: .structs([group])]))
            var file = Array("PAR1".utf8) + [UInt8](repeating: 0, count: 10) + w.bytes
            let len = UInt32(w.bytes.count)
            file += [UInt8(len & 0xFF), UInt8(len >> 8 & 0xFF), UInt8(len >> 16 & 0xFF), UInt8(len >> 24)] + Array("PAR1".utf8)
            XCTAssertFalse(readOrError(file))
        }
    }

    func testNestedAndUnsupportedColumnsAreNamed() throws {
        func file(_ schema: [ThriftStruct]) -> [UInt8] {
            var w = ThriftWriter()
            w.writeStruct(ThriftStruct([1: .i32(1), 2: .structs(schema), 3: .int(0), 4: .structs([])]))
            let len = UInt32(w.bytes.count)
            return Array("PAR1".utf8) + w.bytes + [UInt8(len & 0xFF), UInt8(len >> 8 & 0xFF), UInt8(len >> 16 & 0xFF), UInt8(len >> 24)] + Array("PAR1".utf8)
        }
        let group = file([ThriftStruct([4: .string("s"), 5: .i32(1)]), ThriftStruct([3: .i32(1), 4: .string("tags"), 5: .i32(1)]),
                          ThriftStruct([1: .i32(1), 3: .i32(2), 4: .string("element")])])
        XCTAssertThrowsError(try ParquetReader.read(group, fileName: "g.parquet", tableName: "g")) {
            XCTAssertEqual(($0 as? ParquetError)?.part, "column 'tags'")
            XCTAssertTrue(($0 as? ParquetError)?.message.contains("nested") ?? false)
        }
        let int96 = file([ThriftStruct([4: .string("s"), 5: .i32(1)]), ThriftStruct([1: .i32(3), 3: .i32(1), 4: .string("when")])])
        XCTAssertThrowsError(try ParquetReader.read(int96, fileName: "i.parquet", tableName: "i")) {
            XCTAssertEqual(($0 as? ParquetError)?.part, "column 'when'")
            XCTAssertTrue(($0 as? ParquetError)?.message.contains("INT96") ?? false)
        }
    }
}
