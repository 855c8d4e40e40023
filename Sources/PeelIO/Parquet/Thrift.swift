/// Thrift's compact protocol, the encoding of a Parquet file's footer and page headers: just what
/// Parquet needs, as a tree of values. A struct is read whole into its fields by id (so an unknown
/// field, however deeply nested, is passed over by reading it like any other); nesting is limited
/// in depth, and no list, map or string may claim more elements or bytes than the input holds.
package indirect enum ThriftValue: Equatable, Sendable {
    case bool(Bool)
    /// An i64.
    case int(Int64)
    /// An i32 (or an i16, as read).
    case int32(Int32)
    case int8(Int8)
    case double(Double)
    case binary(ArraySlice<UInt8>)
    /// Elements of one type (`elementType` is the compact type code, for re-encoding an empty list).
    case list([ThriftValue], elementType: UInt8)
    case map([(ThriftValue, ThriftValue)], keyType: UInt8, valueType: UInt8)
    case structure(ThriftStruct)

    package static func == (a: ThriftValue, b: ThriftValue) -> Bool {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.int32(let x), .int32(let y)): return x == y
        case (.int8(let x), .int8(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.binary(let x), .binary(let y)): return x.elementsEqual(y)
        case (.list(let x, let t), .list(let y, let u)): return t == u && x == y
        case (.map(let x, let k, let v), .map(let y, let k2, let v2)):
            return k == k2 && v == v2 && x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.structure(let x), .structure(let y)): return x == y
        default: return false
        }
    }

    /// The compact protocol's type code for a value of this kind (booleans as 1, "true").
    package var typeCode: UInt8 {
        switch self {
        case .bool: return 1
        case .int: return 6
        case .int32: return 5
        case .int8: return 3
        case .double: return 7
        case .binary: return 8
        case .list: return 9
        case .map: return 11
        case .structure: return 12
        }
    }

    /// Any integer, whatever its width.
    package var int: Int64? {
        switch self {
        case .int(let v): return v
        case .int32(let v): return Int64(v)
        case .int8(let v): return Int64(v)
        default: return nil
        }
    }
    package var bool: Bool? { if case .bool(let v) = self { return v }; return nil }
    package var binary: ArraySlice<UInt8>? { if case .binary(let v) = self { return v }; return nil }
    package var structure: ThriftStruct? { if case .structure(let v) = self { return v }; return nil }
    package var list: [ThriftValue]? { if case .list(let v, _) = self { return v }; return nil }
    package var string: String? { binary.map { String(decoding: $0, as: UTF8.self) } }
}

/// A struct's fields by id (a union is a struct with one field set).
package struct ThriftStruct: Equatable, Sendable {
    package var fields: [Int16: ThriftValue] = [:]
    package init(_ fields: [Int16: ThriftValue] = [:]) { self.fields = fields }
    package subscript(_ id: Int16) -> ThriftValue? {
        get { fields[id] }
        set { fields[id] = newValue }
    }
}

/// Reads compact-protocol values from bytes, at `position`.
package struct ThriftReader {
    package let bytes: ArraySlice<UInt8>
    package private(set) var position: Int
    /// Deeper nesting than this is refused (Parquet's own structs nest five deep).
    package static let maxDepth = 64

    package init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    /// How many bytes are left.
    package var remaining: Int { bytes.endIndex - position }
    /// How many bytes have been read.
    package var consumed: Int { position - bytes.startIndex }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.endIndex else { throw ParquetFault("the Thrift data ends early") }
        let b = bytes[position]
        position += 1
        return b
    }

    /// An unsigned LEB128 varint of at most 64 bits.
    package mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64, shift < 63 || b & 0x7E == 0 else { throw ParquetFault("a Thrift varint is longer than 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A zigzag-encoded signed integer.
    package mutating func zigzag() throws -> Int64 {
        ThriftReader.unzigzag(try varint())
    }

    package static func unzigzag(_ v: UInt64) -> Int64 {
        Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    /// A length or a count: never more than the bytes left (each element takes at least one byte).
    mutating func size() throws -> Int {
        let n = try varint()
        guard n <= UInt64(remaining) else { throw ParquetFault("a Thrift length of \(n) is more than the \(remaining) bytes left") }
        return Int(n)
    }

    package mutating func readStruct(depth: Int = 0) throws -> ThriftStruct {
        guard depth < Self.maxDepth else { throw ParquetFault("Thrift structs nest more than \(Self.maxDepth) deep") }
        var out = ThriftStruct()
        var last: Int64 = 0
        while true {
            let header = try byte()
            if header == 0 { return out }
            let type = header & 0x0F
            let delta = Int64(header >> 4)
            let id: Int64
            if delta == 0 {
                id = try zigzag()
            } else {
                id = last + delta
            }
            guard let id16 = Int16(exactly: id) else { throw ParquetFault("a Thrift field id \(id) is out of range") }
            last = id
            let value: ThriftValue
            switch type {
            case 1: value = .bool(true)
            case 2: value = .bool(false)
            default: value = try read(type: type, depth: depth + 1)
            }
            out[id16] = value
        }
    }

    mutating func read(type: UInt8, depth: Int) throws -> ThriftValue {
        guard depth < Self.maxDepth else { throw ParquetFault("Thrift values nest more than \(Self.maxDepth) deep") }
        switch type {
        case 1, 2: return .bool(try byte() == 1)
        case 3: return .int8(Int8(bitPattern: try byte()))
        case 4, 5:
            let v = try zigzag()
            guard let w = Int32(exactly: v) else { throw ParquetFault("a Thrift i32 of \(v) is out of range") }
            return .int32(w)
        case 6: return .int(try zigzag())
        case 7:
            guard remaining >= 8 else { throw ParquetFault("the Thrift data ends inside a double") }
            var bits: UInt64 = 0
            for i in 0..<8 { bits |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
            position += 8
            return .double(Double(bitPattern: bits))
        case 8:
            let n = try size()
            let v = bytes[position..<(position + n)]
            position += n
            return .binary(v)
        case 9, 10:
            let header = try byte()
            let element = header & 0x0F
            var count = Int(header >> 4)
            if count == 15 { count = try size() }
            guard count <= remaining else { throw ParquetFault("a Thrift list of \(count) elements is longer than the \(remaining) bytes left") }
            var items: [ThriftValue] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try read(type: element, depth: depth + 1)) }
            return .list(items, elementType: element)
        case 11:
            let count = try size()
            guard count > 0 else { return .map([], keyType: 0, valueType: 0) }
            let kinds = try byte()
            var pairs: [(ThriftValue, ThriftValue)] = []
            pairs.reserveCapacity(count)
            for _ in 0..<count {
                let k = try read(type: kinds >> 4, depth: depth + 1)
                let v = try read(type: kinds & 0x0F, depth: depth + 1)
                pairs.append((k, v))
            }
            return .map(pairs, keyType: kinds >> 4, valueType: kinds & 0x0F)
        case 12: return .structure(try readStruct(depth: depth))
        default: throw ParquetFault("an unknown Thrift type code \(type)")
        }
    }
}

/// Writes compact-protocol values.
package struct ThriftWriter {
    package private(set) var bytes: [UInt8] = []
    package init() {}

    package mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    package static func zigzag(_ v: Int64) -> UInt64 {
        UInt64(bitPattern: (v << 1) ^ (v >> 63))
    }

    package mutating func writeStruct(_ s: ThriftStruct) {
        var last: Int16 = 0
        for id in s.fields.keys.sorted() {
            let value = s.fields[id]!
            let type: UInt8
            if case .bool(let b) = value { type = b ? 1 : 2 } else { type = value.typeCode }
            let delta = Int(id) - Int(last)
            if delta > 0 && delta <= 15 {
                bytes.append(UInt8(delta) << 4 | type)
            } else {
                bytes.append(type)
                varint(Self.zigzag(Int64(id)))
            }
            last = id
            if case .bool = value { continue }
            write(value)
        }
        bytes.append(0)
    }

    package mutating func write(_ value: ThriftValue) {
        switch value {
        case .bool(let b): bytes.append(b ? 1 : 2)
        case .int(let v): varint(Self.zigzag(v))
        case .int32(let v): varint(Self.zigzag(Int64(v)))
        case .int8(let v): bytes.append(UInt8(bitPattern: v))
        case .double(let d):
            let bits = d.bitPattern
            for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
        case .binary(let b):
            varint(UInt64(b.count))
            bytes.append(contentsOf: b)
        case .list(let items, let element):
            if items.count < 15 { bytes.append(UInt8(items.count) << 4 | element) } else {
                bytes.append(0xF0 | element)
                varint(UInt64(items.count))
            }
            for item in items { write(item) }
        case .map(let pairs, let k, let v):
            varint(UInt64(pairs.count))
            if !pairs.isEmpty { bytes.append(k << 4 | v) }
            for (a, b) in pairs {
                write(a)
                write(b)
            }
        case .structure(let s): writeStruct(s)
        }
    }
}

extension ThriftValue {
    package static func string(_ s: String) -> ThriftValue { .binary(ArraySlice(Array(s.utf8))) }
    /// An i32 (a value past its range is clamped; callers check sizes before).
    package static func i32(_ v: Int) -> ThriftValue { .int32(Int32(clamping: v)) }
    package static func structs(_ items: [ThriftStruct]) -> ThriftValue { .list(items.map { .structure($0) }, elementType: 12) }
}
