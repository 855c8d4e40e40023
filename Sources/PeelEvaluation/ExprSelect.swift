import PeelSupport
import PeelData
import PeelLanguage

/// The rows a condition keeps, found without building a vector per row, for the conditions
/// analysts write most: tests of one column against literals, joined by `and`
/// (`force = "Kent" and year = "2015/16" and count >= 100`).
///
/// Each test of a text column is decided once per dictionary entry by the ordinary engine, run
/// on a probe table holding each entry once and one missing value, so it means exactly what the
/// full evaluation means (periods in time order, `~`, `in` with `missing`, the same errors). The
/// rows are then one pass over the codes of the most selective test, and the other tests look
/// only at the rows still kept. Anything else gets nil, and the caller evaluates it in full.
extension ExprEngine {
    package func selectedRows(_ e: Expr) throws -> [Int]? {
        var leaves: [Expr] = []
        func flatten(_ e: Expr) {
            if case .binary(.and, let a, let b, _) = e { flatten(a); flatten(b) } else { leaves.append(e) }
        }
        flatten(e)
        // Every test must have a shape handled here before any is worked out, so that errors come
        // in the order the full evaluation would give them.
        guard leaves.allSatisfy({ shape($0) != nil }) else { return nil }
        var tests: [RowTest] = []
        for leaf in leaves {
            guard let t = try rowTest(leaf) else { return nil }
            tests.append(t)
        }
        let n = table.rowCount
        tests.sort { $0.share < $1.share }
        var kept = tests[0].rows(n)
        for t in tests.dropFirst() {
            if kept.isEmpty { break }
            t.filter(&kept)
        }
        return kept
    }

    /// The column a test reads and whether it is numeric, or nil when the test is of another shape.
    private func shape(_ e: Expr) -> (column: Int, numeric: Bool)? {
        switch e {
        case .binary(let op, .column(let name, _), .literal(let lit, _), _), .binary(let op, .literal(let lit, _), .column(let name, _), _):
            guard op.isComparison || op == .match || op == .notMatch, let i = table.columnIndex(name) else { return nil }
            switch (table.columns[i].data, lit) {
            case (.text, .text), (.text, .missing): return (i, false)
            case (.integer, .number), (.decimal, .number):
                // A number against a column: only `column OP number`, the order written here.
                if case .binary(_, .column, _, _) = e, op.isComparison { return (i, true) }
                return nil
            default: return nil
            }
        case .inList(.column(let name, _), let items, _, _):
            guard let i = table.columnIndex(name), case .text = table.columns[i].data else { return nil }
            for item in items {
                guard case .literal(let lit, _) = item else { return nil }
                switch lit {
                case .text, .missing: continue
                default: return nil
                }
            }
            return (i, false)
        default:
            return nil
        }
    }

    private func rowTest(_ e: Expr) throws -> RowTest? {
        guard let (i, numeric) = shape(e) else { return nil }
        let col = table.columns[i]
        if numeric {
            guard case .binary(let op, _, .literal(.number(let k, _), _), _) = e else { return nil }
            switch col.data {
            case .integer(let v): return RowTest(kind: .integer(v, op, k), missing: col.missing)
            case .decimal(let v, _): return RowTest(kind: .decimal(v, op, k), missing: col.missing)
            default: return nil
            }
        }
        guard case .text(let codes, let dict) = col.data else { return nil }
        // Each entry once, then one missing value.
        var probe = col
        probe.data = .text(codes: (0..<Int32(dict.count)).map { $0 } + [0], dictionary: dict)
        var flags = [Bool](repeating: false, count: dict.count + 1)
        flags[dict.count] = true
        probe.missing = MissingMask(flags)
        probe.rowScales = nil
        probe.missingReasons = nil
        let engine = ExprEngine(table: Table(name: table.name, columns: [probe], info: table.info), forceNames: forceNames, variables: variables)
        let r = try engine.evaluate(e)
        guard r.type == .bool else { return nil }
        let (v, u) = r.vector.truth(dict.count + 1)
        let hits = (0...dict.count).map { v[$0] && !u[$0] }
        return RowTest(kind: .coded(codes, Array(hits.dropLast()), missingHolds: hits[dict.count]), missing: col.missing)
    }
}

private extension BinaryOp {
    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return true
        default: return false
        }
    }
}

/// One test of one column, row by row.
private struct RowTest {
    enum Kind {
        /// Text codes and whether each entry passes; `missingHolds` for a missing value.
        case coded([Int32], [Bool], missingHolds: Bool)
        case integer([Int64], BinaryOp, Double)
        case decimal([Double], BinaryOp, Double)
    }
    var kind: Kind
    var missing: MissingMask

    /// A guess at the share of rows that pass, to test the most selective first: the share of
    /// dictionary entries that pass; a number test, a half.
    var share: Double {
        if case .coded(_, let hits, _) = kind, !hits.isEmpty {
            return Double(hits.reduce(0) { $0 + ($1 ? 1 : 0) }) / Double(hits.count)
        }
        return 0.5
    }

    /// The rows of 0..<n that pass, in order.
    func rows(_ n: Int) -> [Int] {
        let anyMissing = !missing.isEmpty
        return [Int](largeUninitializedCapacity: n) { out, count in
            var k = 0
            switch kind {
            case .coded(let codes, let hits, let missingHolds):
                codes.withUnsafeBufferPointer { c in
                    hits.withUnsafeBufferPointer { h in
                        let entries = h.count
                        if anyMissing {
                            for r in 0..<min(n, c.count) {
                                let code = Int(c[r])
                                let pass = missing[r] ? missingHolds : (code >= 0 && code < entries && h[code])
                                if pass { out[k] = r; k += 1 }
                            }
                        } else {
                            // Branch-free: every row is written, and the count moves on when it passes.
                            let pass = h.map { $0 ? 1 : 0 } as [Int]
                            pass.withUnsafeBufferPointer { p in
                                for r in 0..<min(n, c.count) {
                                    let code = Int(c[r])
                                    out[k] = r
                                    k &+= UInt(bitPattern: code) < UInt(entries) ? p[code] : 0
                                }
                            }
                        }
                    }
                }
            case .integer(let v, let op, let x):
                v.withUnsafeBufferPointer { v in
                    ExprOps.ordered(op) { test in
                        for r in 0..<min(n, v.count) where test(Double(v[r]), x) && (!anyMissing || !missing[r]) { out[k] = r; k += 1 }
                    }
                }
            case .decimal(let v, let op, let x):
                v.withUnsafeBufferPointer { v in
                    ExprOps.ordered(op) { test in
                        for r in 0..<min(n, v.count) where test(v[r], x) && (!anyMissing || !missing[r]) { out[k] = r; k += 1 }
                    }
                }
            }
            count = k
        }
    }

    /// Keeps the rows of `kept` that pass.
    func filter(_ kept: inout [Int]) {
        let anyMissing = !missing.isEmpty
        var k = 0
        kept.withUnsafeMutableBufferPointer { rows in
            switch kind {
            case .coded(let codes, let hits, let missingHolds):
                codes.withUnsafeBufferPointer { c in
                    hits.withUnsafeBufferPointer { h in
                        for i in 0..<rows.count {
                            let r = rows[i]
                            let pass: Bool
                            if anyMissing, missing[r] { pass = missingHolds } else {
                                let code = Int(c[r])
                                pass = code >= 0 && code < h.count && h[code]
                            }
                            if pass { rows[k] = r; k += 1 }
                        }
                    }
                }
            case .integer(let v, let op, let x):
                v.withUnsafeBufferPointer { v in
                    ExprOps.ordered(op) { test in
                        for i in 0..<rows.count {
                            let r = rows[i]
                            if test(Double(v[r]), x) && (!anyMissing || !missing[r]) { rows[k] = r; k += 1 }
                        }
                    }
                }
            case .decimal(let v, let op, let x):
                v.withUnsafeBufferPointer { v in
                    ExprOps.ordered(op) { test in
                        for i in 0..<rows.count {
                            let r = rows[i]
                            if test(v[r], x) && (!anyMissing || !missing[r]) { rows[k] = r; k += 1 }
                        }
                    }
                }
            }
        }
        kept.removeLast(kept.count - k)
    }
}
