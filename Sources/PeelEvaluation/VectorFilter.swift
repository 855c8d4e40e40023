import PeelSupport
import PeelData
import PeelStats
import PeelIO
import PeelRender
import PeelLanguage

/// A faster `where` for the common case: conditions that are `and`/`or` of comparisons between a
/// column and literal values. Each comparison becomes a pass over the column's codes or numbers
/// producing one flag per row; missing values count as not matching, which is exact for `and` and
/// `or` (a comparison with a missing value is never true). Anything else uses the row-by-row path.
package enum VectorFilter {
    package static func mask(_ e: Expr, _ table: Table) -> [Bool]? {
        switch e {
        case .binary(.and, let a, let b, _):
            guard var x = mask(a, table), let y = mask(b, table) else { return nil }
            for i in x.indices where x[i] && !y[i] { x[i] = false }
            return x
        case .binary(.or, let a, let b, _):
            guard var x = mask(a, table), let y = mask(b, table) else { return nil }
            for i in x.indices where !x[i] && y[i] { x[i] = true }
            return x
        case .binary(let op, .column(let name, _), .literal(let lit, _), _):
            guard let col = table.column(name) else { return nil }
            return leaf(op, col, lit)
        case .inList(.column(let name, _), let items, false, _):
            guard let col = table.column(name), case .text(let codes, let dict) = col.data else { return nil }
            var wanted = Set<String>()
            for item in items {
                guard case .literal(.text(let s), _) = item else { return nil }
                wanted.insert(s)
            }
            let hit = dict.map { wanted.contains($0) }
            return byCode(codes, hit, col.missing)
        default:
            return nil
        }
    }

    /// The numbers of the rows whose flag is set.
    package static func rows(_ mask: [Bool]) -> [Int] {
        mask.withUnsafeBufferPointer { m in
            var n = 0
            for f in m where f { n += 1 }
            return [Int](unsafeUninitializedCapacity: n) { out, count in
                var k = 0
                for i in 0..<m.count where m[i] { out[k] = i; k += 1 }
                count = k
            }
        }
    }

    package static func byCode(_ codes: [Int32], _ hit: [Bool], _ missing: MissingMask) -> [Bool] {
        var out = [Bool](repeating: false, count: codes.count)
        codes.withUnsafeBufferPointer { c in
            hit.withUnsafeBufferPointer { h in
                for i in 0..<c.count where h[Int(c[i])] { out[i] = true }
            }
        }
        if !missing.isEmpty { for i in out.indices where out[i] && missing[i] { out[i] = false } }
        return out
    }

    package static func leaf(_ op: BinaryOp, _ col: Column, _ lit: Literal) -> [Bool]? {
        switch (col.data, lit) {
        case (.text(let codes, let dict), .text(let s)):
            guard let hit = TextMatch.hits(op, dict, s) else { return nil }
            return byCode(codes, hit, col.missing)
        case (.integer(let v), .number(let x, _)):
            return numeric(op, v.count, x, col.missing) { Double(v[$0]) }
        case (.decimal(let v, _), .number(let x, _)):
            return numeric(op, v.count, x, col.missing) { v[$0] }
        default:
            return nil
        }
    }

    package static func numeric(_ op: BinaryOp, _ n: Int, _ x: Double, _ missing: MissingMask, _ value: (Int) -> Double) -> [Bool]? {
        let test: (Double) -> Bool
        switch op {
        case .equal: test = { $0 == x }
        case .notEqual: test = { $0 != x }
        case .less: test = { $0 < x }
        case .lessEqual: test = { $0 <= x }
        case .greater: test = { $0 > x }
        case .greaterEqual: test = { $0 >= x }
        default: return nil
        }
        var out = [Bool](repeating: false, count: n)
        for i in 0..<n where test(value(i)) { out[i] = true }
        if !missing.isEmpty { for i in out.indices where out[i] && missing[i] { out[i] = false } }
        return out
    }
}
