import Dispatch
import PeelSupport

/// Facts about a table that travel with it: where it came from and how to compare within it.
public struct TableInfo: Sendable {
    public var title: String?
    /// The collection the table belongs to (e.g. "PEEL 2016 Leicestershire").
    public var group: String?
    public var description: String?
    public var source: String?
    public var period: String?
    public var notes: [String] = []
    /// The column naming the force (or area) of each row.
    public var forceColumn: String?
    /// The value of `forceColumn` on the national rows.
    public var national: String?
    /// The main numeric column.
    public var valueColumn: String?
    /// Columns that identify a row within one force (for compare).
    public var keys: [String]?
    /// Notes printed under the table in text output (what was left out, how a figure was estimated).
    public var footnotes: [String] = []
    /// For a footnote about particular columns, those columns: it is not shown once they are gone.
    public var footnoteColumns: [String: [String]] = [:]

    /// Adds a footnote that matters only while one of `columns` is shown.
    public mutating func note(_ text: String, about columns: [String]) {
        footnotes.append(text)
        footnoteColumns[text] = columns
    }

    /// The footnotes that still apply to a table with these columns.
    public func footnotes(for columns: [Column]) -> [String] {
        let names = Set(columns.map(\.name))
        return footnotes.filter { n in footnoteColumns[n].map { $0.contains(where: names.contains) } ?? true }
    }
    /// The column holding each value's 95% interval half-width, when the table has one.
    public var ciColumn: String?
    /// "higher" when a larger value is better (recording rates), so changes can be called improvements.
    public var better: String?
    /// Set on the result of `compare`: which columns hold the force, the national value and the difference.
    public var comparison: Comparison?

    public init() {}
}

/// An in-memory, column-oriented table.
public struct Table: Sendable {
    /// The most columns a table may have (as many as a spreadsheet: Excel's 16,384), so that a
    /// hostile file or a pivot cannot make millions.
    public static let maxColumns = 16_384

    public var name: String
    public var columns: [Column]
    public var info: TableInfo

    public init(name: String, columns: [Column], info: TableInfo = TableInfo()) {
        self.name = name
        self.columns = columns
        self.info = info
    }

    public var rowCount: Int { columns.first?.count ?? 0 }

    public func columnIndex(_ name: String) -> Int? {
        columns.firstIndex { $0.name == name } ?? columns.firstIndex { $0.name.lowercased() == name.lowercased() }
    }

    public func column(_ name: String) -> Column? {
        columnIndex(name).map { columns[$0] }
    }

    /// A table with only the given rows, in the given order.
    public func gather(_ rows: [Int]) -> Table {
        // Many rows: the columns are gathered on all cores (each column on its own).
        guard rows.count >= 1 << 16, columns.count > 1 else {
            return Table(name: name, columns: columns.map { $0.gather(rows) }, info: info)
        }
        let out = ColumnSlots(columns.count)
        let source = columns
        DispatchQueue.concurrentPerform(iterations: source.count) { j in out.set(j, source[j].gather(rows)) }
        return Table(name: name, columns: out.columns(), info: info)
    }
}

/// The columns `compare` produced, so that `chart` can draw them without being told.
public struct Comparison: Sendable {
    public var keys: [String]
    public var force: String
    public var national: String
    public var difference: String
    /// The column compared (the measure), which labels a chart of a comparison with no identifying columns.
    public var measure: String

    public init(keys: [String], force: String, national: String, difference: String, measure: String) {
        self.keys = keys
        self.force = force
        self.national = national
        self.difference = difference
        self.measure = measure
    }
}

extension Table {
    /// The rows of several tables with the same columns, one after another.
    public static func concatenate(_ tables: [Table]) throws -> Table {
        guard let first = tables.first else { return Table(name: "empty", columns: []) }
        var columns: [Column] = []
        for (j, c) in first.columns.enumerated() {
            var b: ColumnBuilder
            switch c.type {
            case .integer: b = .integer(c.name, unit: c.unit)
            case .decimal: b = .decimal(c.name, scale: tables.map { $0.columns[j].scale }.max() ?? c.scale, unit: c.unit)
            default: b = .text(c.name)
            }
            for t in tables {
                guard t.columns.count == first.columns.count else { throw Diagnostic("cannot put together tables with different columns") }
                let col = t.columns[j]
                for r in 0..<t.rowCount {
                    if c.type.isNumeric { b.append(col.number(r), scale: col.isMissing(r) ? nil : col.scale(r)) } else { b.append(col.formatted(r)) }
                }
            }
            var built = b.build()
            built.description = c.description
            built.isPValue = c.isPValue
            columns.append(c.validPeriods != nil ? built.detectingPeriods() : built)
        }
        return Table(name: first.name, columns: columns, info: first.info)
    }
}

/// One slot per column, each written by one thread only (so no lock is needed), read after all
/// have finished.
private final class ColumnSlots: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Column?>
    init(_ n: Int) {
        slots = .allocate(capacity: n)
        slots.initialize(repeating: nil)
    }
    func set(_ j: Int, _ c: Column) { slots[j] = c }
    func columns() -> [Column] { slots.map { $0! } }
    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }
}
