import Foundation
import PeelSupport
import PeelData

/// How `datasets/catalog.json` describes one bundled table.
package struct CatalogEntry: Decodable {
    package struct ColumnInfo: Decodable {
        package var unit: String?
        package var description: String?
        /// A column that is `numerator / denominator × per` of two other columns (a rate or a
        /// percentage), so national figures can be pooled from the counts.
        package var numerator: String?
        package var denominator: String?
        package var per: Double?
    }
    package var name: String
    package var group: String?
    package var file: String
    /// The row count, so `tables` can list a large table without reading it.
    package var rows: Int?
    /// Source column names to replace (e.g. `Force Name` → `force`).
    package var rename: [String: String]?
    /// Columns with one value on every row, added at load (e.g. the publication a raw copy came from).
    package var constants: [String: String]?
    package var title: String?
    package var description: String?
    package var period: String?
    package var source: String?
    package var force: String?
    package var national: String?
    package var value: String?
    package var keys: [String]?
    /// The column of 95% confidence-interval half-widths for `value`.
    package var ci: String?
    /// "higher" when a larger value is better.
    package var better: String?
    package var columns: [String: ColumnInfo]?
    package var notes: [String]?
}

private struct CatalogFile: Decodable {
    var tables: [CatalogEntry]
}

/// The tables a session knows: bundled ones (read from disk on first use) and any added later.
public final class Catalog {
    private var entries: [CatalogEntry] = []
    private var loaded: [String: Table] = [:]
    private var order: [String] = []
    private var forceNamesCache: ForceNames?
    /// Told, while a table is read, its name and how far the read has got (0 to 1); nil when done.
    public var progress: @Sendable (String, Double?) -> Void = { _, _ in }
    public private(set) var directory: String?

    /// A catalog over the bundled datasets in `directory` (which holds `catalog.json`).
    public init(directory: String?) throws {
        self.directory = directory
        guard let directory else { return }
        let path = directory + "/catalog.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError.catalogueUnreadable(path: path)
        }
        do {
            entries = try JSONDecoder().decode(CatalogFile.self, from: data).tables
        } catch {
            throw DataFileError.catalogueMalformed(path: path, reason: "\(error)")
        }
        order = entries.map(\.name)
    }

    /// An empty catalog, for tests and for `--no-data`.
    public init() {}

    /// Table names in the order they were catalogued or added.
    public var names: [String] { order }

    public func contains(_ name: String) -> Bool { resolve(name) != nil }

    /// The catalogued name matching `name` exactly, or else ignoring case.
    public func resolve(_ name: String) -> String? {
        order.first { $0 == name } ?? order.first { $0.lowercased() == name.lowercased() }
    }

    /// The table called `name`, loading it from disk the first time.
    public func table(_ name: String) throws -> Table? {
        guard let name = resolve(name) else { return nil }
        if let t = loaded[name] { return t }
        guard let entry = entries.first(where: { $0.name == name }), let directory else { return nil }
        let path = directory + "/" + entry.file
        guard let data = FileBytes.read(path) else {
            throw DataFileError.bundledTableUnreadable(path: path, table: name)
        }
        var options = CSVOptions()
        options.isInterrupted = Interrupt.isRequested
        let report = progress
        options.progress = { report(name, $0) }
        defer { progress(name, nil) }
        var table = try CSVReader.read(data, name: name, fileName: entry.file, options: options).table
        for i in table.columns.indices {
            if let n = entry.rename?[table.columns[i].name] { table.columns[i].name = n }
        }
        for (col, value) in (entry.constants ?? [:]).sorted(by: { $0.key < $1.key }) where table.columnIndex(col) == nil {
            table.columns.append(Column(name: col, data: .text(codes: Array(repeating: 0, count: table.rowCount), dictionary: [value])))
        }
        table.info.group = entry.group
        table.info.title = entry.title
        table.info.description = entry.description
        table.info.source = entry.source
        table.info.period = entry.period
        table.info.notes = entry.notes ?? []
        table.info.forceColumn = entry.force
        table.info.national = entry.national
        table.info.valueColumn = entry.value
        table.info.keys = entry.keys
        table.info.ciColumn = entry.ci
        table.info.better = entry.better
        for i in table.columns.indices {
            if let c = entry.columns?[table.columns[i].name] {
                table.columns[i].unit = c.unit
                table.columns[i].description = c.description
                if let n = c.numerator, let d = c.denominator {
                    table.columns[i].ratio = Ratio(numerator: n, denominator: d, factor: c.per ?? 1)
                }
            }
        }
        loaded[name] = table
        return table
    }

    /// What `tables` shows for a table, without reading a large file that is not yet loaded.
    public func summary(_ name: String) throws -> (group: String?, rows: Int, columns: Int, period: String?, title: String?)? {
        guard let name = resolve(name) else { return nil }
        if loaded[name] == nil, let e = entries.first(where: { $0.name == name }), let rows = e.rows {
            let cols = (e.columns?.count ?? 0)
            return (e.group, rows, cols, e.period, e.title)
        }
        guard let t = try table(name) else { return nil }
        return (t.info.group, t.rowCount, t.columns.count, t.info.period, t.info.title)
    }

    /// A table's source, without reading the table.
    public func source(of name: String) -> String? {
        guard let name = resolve(name) else { return nil }
        if let t = loaded[name] { return t.info.source }
        return entries.first { $0.name == name }?.source
    }

    /// The file a bundled table is read from.
    public func filePath(_ name: String) -> String? {
        guard let directory, let e = entries.first(where: { $0.name == name }) else { return nil }
        return directory + "/" + e.file
    }

    /// True for a table that ships with peel (not one the user loaded).
    public func isBundled(_ name: String) -> Bool { entries.contains { $0.name == name } }

    /// True once a table's rows are in memory.
    public func isLoaded(_ name: String) -> Bool { resolve(name).map { loaded[$0] != nil } ?? false }

    /// Column names of a table without loading its rows when it is not yet loaded.
    public func columnNames(_ name: String) -> [String] {
        guard let name = resolve(name) else { return [] }
        if let t = loaded[name] { return t.columns.map(\.name) }
        if let e = entries.first(where: { $0.name == name }), e.rows != nil, let cols = e.columns {
            return cols.keys.sorted()
        }
        return (try? table(name))?.map { $0.columns.map(\.name) } ?? []
    }

    /// The names and aliases of the forces, from the `forces` table (empty when there is none).
    public func forceNames() -> ForceNames {
        if let f = forceNamesCache { return f }
        let f = ((try? table("forces")) ?? nil).map { ForceNames(forces: $0) } ?? ForceNames()
        forceNamesCache = f
        return f
    }

    /// A new catalog with the same tables (already-read ones shared, not re-read), without `excluded`.
    /// Changes to either afterwards do not reach the other. Used to start many sessions quickly.
    public func fork(excluding excluded: Set<String> = []) -> Catalog {
        let c = Catalog()
        c.entries = entries.filter { !excluded.contains($0.name) }
        c.loaded = loaded.filter { !excluded.contains($0.key) }
        c.order = order.filter { !excluded.contains($0) }
        c.forceNamesCache = forceNamesCache
        c.directory = directory
        return c
    }

    /// Adds (or replaces) a table held in memory.
    public func add(_ table: Table) {
        if !order.contains(table.name) { order.append(table.name) }
        loaded[table.name] = table
    }

    /// The dataset folder: `PEEL_DATA`, else `datasets/` beside the build folder or the working directory.
    public static func locateDatasets(executablePath: String?, environment: [String: String]) -> String? {
        if let env = environment["PEEL_DATA"], !env.isEmpty { return env }
        var candidates: [String] = []
        if let exe = executablePath {
            var dir = URL(fileURLWithPath: exe).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<5 {
                candidates.append(dir.appendingPathComponent("datasets").path)
                dir = dir.deletingLastPathComponent()
            }
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/datasets")
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/catalog.json") }
    }
}
