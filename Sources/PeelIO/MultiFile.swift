import Foundation
import PeelSupport
import PeelData

/// One file of a load of many, read: `name` is its `source_file` value, `fileName` how errors and
/// skipped rows name it (a path to open, or `ARCHIVE.zip:ENTRY`).
package struct MultiFilePart {
    package var name: String
    package var fileName: String
    package var result: CSVResult

    package init(name: String, fileName: String, result: CSVResult) {
        self.name = name
        self.fileName = fileName
        self.result = result
    }
}

/// Many files read as one table, with what `load` says about them.
package struct MultiFileResult {
    package var table: Table
    /// Each file's `source_file` name and its rows, in the table's order.
    package var files: [(name: String, rows: Int)]
    /// One sentence each: header differences, columns whose type differs between files, …
    package var notes: [String]
    /// The readers' located warnings, each naming its file.
    package var warnings: [Diagnostic]
    /// Bad rows left out (with `skip bad rows`): the file as errors name it, the line and why.
    package var skipped: [(file: String, line: Int, reason: String)]
}

/// Loading many CSV files as one table: the files a pattern matches (`load "DIR/*-street.csv"`)
/// or the CSV entries of a zip archive (`load "2019-01.zip"`). The files are stacked in sorted
/// order under a first column, `source_file`, naming each row's file: its path relative to the
/// pattern's directory (`2019-01-city-of-london-street.csv`), and for an entry of an archive, the
/// archive's name, a colon and the entry's path inside it
/// (`2019-01.zip:2019-01/2019-01-city-of-london-street.csv`).
package enum MultiFile {
    package static let sourceColumn = "source_file"

    /// A zip archive, by its name.
    package static func isZip(_ path: String) -> Bool { path.lowercased().hasSuffix(".zip") }

    /// An entry a zip holds that `load` reads without being told: CSV or TSV, maybe gzipped.
    package static func isDataEntry(_ path: String) -> Bool {
        let l = path.lowercased()
        return [".csv", ".csv.gz", ".tsv", ".tsv.gz"].contains { l.hasSuffix($0) }
    }

    /// The metadata macOS adds to archives it makes (`__MACOSX/…/._x.csv`): never data.
    package static func isMacMetadata(_ path: String) -> Bool {
        path.hasPrefix("__MACOSX/") || path.split(separator: "/").last.map { $0.hasPrefix("._") } ?? false
    }

    /// The entries of `zip` to read, in sorted path order: those `filter` matches (against the
    /// entry's path when the pattern holds a `/`, else against its file name), or without a
    /// filter every CSV and TSV entry, in any folder. Folders and macOS metadata are left out.
    package static func members(of zip: ZipFile, filter: String?) throws -> [ZipFile.Entry] {
        var seen = Set<String>()
        var picked: [ZipFile.Entry] = []
        for e in zip.entries where !e.isDirectory && !isMacMetadata(e.path) && !seen.contains(e.path) {
            let base = e.path.split(separator: "/").last.map(String.init) ?? e.path
            let wanted: Bool
            if let filter {
                wanted = filter.contains("/") ? Glob.matches(filter, e.path) : Glob.matches(filter, base)
            } else {
                wanted = isDataEntry(e.path)
            }
            if wanted {
                seen.insert(e.path)
                picked.append(e)
            }
        }
        guard !picked.isEmpty else {
            let holds = zip.entries.filter { !isMacMetadata($0.path) }
            throw MultiFileError.noEntries(archive: zip.fileName, filter: filter, holds: holds.prefix(6).map(\.path), count: holds.count)
        }
        return picked.sorted { Glob.utf8Less($0.path, $1.path) }
    }

    /// A file to read: a CSV file on disk, or a zip archive whose entries are read.
    package struct Source {
        /// Where to open it.
        package var path: String
        /// How `source_file` names it (or, for an archive, the prefix before `:`).
        package var name: String
        /// How errors name it.
        package var fileName: String

        package init(path: String, name: String, fileName: String) {
            self.path = path
            self.name = name
            self.fileName = fileName
        }
    }

    /// Reads every source (each .zip among them: its members, chosen by `filter`) with the CSV
    /// reader and stacks them. Nothing is kept if any file fails; `options.isInterrupted` is
    /// checked between files and within each. `pattern` names the whole in errors.
    package static func load(_ sources: [Source], pattern: String, filter: String?, tableName: String, options: CSVOptions,
                             progress: @escaping @Sendable (Double) -> Void = { _ in }) throws -> MultiFileResult {
        // Open the archives first, so that a damaged one or one with no CSV file stops the load
        // before anything is read, and so that the whole can be sized.
        enum Item { case file(Source), entry(ZipFile, ZipFile.Entry, Source) }
        var items: [Item] = []
        var declared: UInt64 = 0
        for s in sources {
            if isZip(s.path) {
                let zip = try ZipFile(path: s.path, fileName: s.fileName)
                zip.isInterrupted = options.isInterrupted
                for e in try members(of: zip, filter: filter) {
                    items.append(.entry(zip, e, s))
                    declared = declared.addingReportingOverflow(e.uncompressedSize).overflow ? .max : declared + e.uncompressedSize
                }
            } else {
                if WorkbookLoad.format(of: s.path) != nil { throw MultiFileError.workbookInPattern(pattern: pattern, file: s.fileName) }
                items.append(.file(s))
            }
            if items.count > Glob.maxFiles { throw MultiFileError.tooManyFiles(pattern: pattern, limit: Glob.maxFiles) }
        }
        let budget = Limits.maxDecompressedBytes
        if declared > UInt64(budget) {
            throw MultiFileError.archiveTooLarge(archive: sources.count == 1 ? sources[0].fileName : pattern, bytes: declared, limit: budget)
        }
        var stacker = MultiFileStacker(tableName: tableName, pattern: pattern)
        var used = 0
        for (i, item) in items.enumerated() {
            if options.isInterrupted() { throw CSVReader.interrupted(tableName) }
            var o = options
            let n = Double(items.count)
            o.progress = { progress((Double(i) + $0) / n) }
            switch item {
            case .file(let s):
                let result: CSVResult
                do {
                    result = try FileBytes.withContents(s.path) { bytes, mapped in
                        var m = o
                        m.releaseReadPages = mapped
                        return try CSVReader.read(bytes, name: tableName, fileName: s.fileName, options: m)
                    }
                } catch FileBytes.Failure.unreadable(let why) {
                    throw MultiFileError.unreadable(file: s.fileName, why: why)
                } catch FileBytes.Failure.notRegular(let what) {
                    throw MultiFileError.notRegular(file: s.fileName, what: what)
                } catch FileBytes.Failure.changed {
                    throw MultiFileError.changed(file: s.fileName)
                }
                try stacker.add(MultiFilePart(name: s.name, fileName: s.fileName, result: result))
            case .entry(let zip, let e, let s):
                let bytes: [UInt8]
                do {
                    bytes = try zip.read(e.path, limit: max(0, budget - used))
                } catch is ZipFile.Interrupted {
                    throw CSVReader.interrupted(tableName)
                }
                used += bytes.count
                let fileName = "\(s.fileName):\(e.path)"
                let result = try CSVReader.read(bytes, name: tableName, fileName: fileName, options: o)
                try stacker.add(MultiFilePart(name: "\(s.name):\(e.path)", fileName: fileName, result: result))
            }
        }
        return try stacker.build()
    }
}

/// Puts the tables of many files together, one after another: columns matched by name (the first
/// file's order, then new names in the order first seen), a file's missing columns missing, and a
/// column's type the one that holds every file's values (integer and decimal: decimal; numbers
/// or dates beside text: text). Typed storage is copied whole, never value by value as text,
/// except for a column that must become text.
package struct MultiFileStacker {
    package let tableName: String
    package let pattern: String
    private var parts: [MultiFilePart] = []
    private var rows = 0

    package init(tableName: String, pattern: String) {
        self.tableName = tableName
        self.pattern = pattern
    }

    package var count: Int { parts.count }

    package mutating func add(_ part: MultiFilePart) throws {
        rows += part.result.table.rowCount
        if rows > Limits.maxRows { throw MultiFileError.tooManyRows(pattern: pattern, limit: Limits.maxRows) }
        parts.append(part)
    }

    /// The stacked table. The parts' columns are let go one at a time as they are copied, so
    /// memory stays near one copy of the data.
    package mutating func build() throws -> MultiFileResult {
        var names: [String] = []
        var position: [String: Int] = [:]
        for p in parts {
            for c in p.result.table.columns where position[c.name] == nil {
                position[c.name] = names.count
                names.append(c.name)
            }
        }
        if names.count + 1 > Table.maxColumns {
            throw MultiFileError.tooManyColumns(pattern: pattern, count: names.count + 1, limit: Table.maxColumns)
        }
        var notes = headerNotes()
        let later = otherNotes()
        // The file column, named so that it does not take a name the files use.
        var sourceName = MultiFile.sourceColumn
        var k = 2
        while position[sourceName] != nil { sourceName = "\(MultiFile.sourceColumn)_\(k)"; k += 1 }
        if sourceName != MultiFile.sourceColumn {
            notes.append("the files have a column named \(MultiFile.sourceColumn), so the column naming each row's file is called \(sourceName)")
        }
        let counts = parts.map(\.result.table.rowCount)
        var columns = [sourceColumn(sourceName, counts: counts)]
        // Where each merged column is in each part.
        let index: [[String: Int]] = parts.map { p in
            Dictionary(p.result.table.columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        }
        for name in names {
            var pieces: [Column?] = []
            for p in parts.indices {
                guard let j = index[p][name] else { pieces.append(nil); continue }
                pieces.append(parts[p].result.table.columns[j])
                // Let the part's copy go (the piece holds it until this column is built).
                parts[p].result.table.columns[j].data = .integer([])
                parts[p].result.table.columns[j].missing = MissingMask()
                parts[p].result.table.columns[j].rowScales = nil
                parts[p].result.table.columns[j].missingReasons = nil
            }
            let (column, note) = Self.merge(name: name, pieces: pieces, counts: counts, fileNames: parts.map(\.name))
            columns.append(column)
            notes += note
        }
        notes += later
        let table = Table(name: tableName, columns: columns)
        return MultiFileResult(table: table, files: parts.indices.map { (parts[$0].name, counts[$0]) }, notes: notes,
                               warnings: parts.flatMap(\.result.warnings),
                               skipped: parts.flatMap { p in p.result.skipped.map { (p.fileName, $0.line, $0.reason) } })
    }

    /// `source_file`: each part's name on each of its rows.
    private func sourceColumn(_ name: String, counts: [Int]) -> Column {
        var dictionary: [String] = []
        var codes: [Int32] = []
        codes.reserveCapacity(rows)
        for (p, n) in counts.enumerated() where n > 0 {
            let code = Int32(dictionary.count)
            dictionary.append(parts[p].name)
            codes.append(contentsOf: repeatElement(code, count: n))
        }
        var c = Column(name: name, data: .text(codes: codes, dictionary: dictionary.isEmpty ? [""] : dictionary))
        c.description = "the file each row was read from"
        return c
    }

    /// "2019-03-x.csv lacks column 'Context'; has extra column 'Foo'", for each file whose
    /// header is not the first file's (the same names in another order are matched by name).
    private func headerNotes() -> [String] {
        guard let first = parts.first else { return [] }
        let firstNames = first.result.table.columns.map(\.name)
        let firstSet = Set(firstNames)
        var out: [String] = []
        func quoted(_ names: [String]) -> String {
            let shown = names.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
            return names.count > 8 ? shown + " and \(names.count - 8) more" : shown
        }
        for p in parts.dropFirst() {
            let names = p.result.table.columns.map(\.name)
            let set = Set(names)
            let lacks = firstNames.filter { !set.contains($0) }
            let extra = names.filter { !firstSet.contains($0) }
            var said: [String] = []
            if !lacks.isEmpty { said.append("lacks column\(lacks.count == 1 ? "" : "s") \(quoted(lacks))") }
            if !extra.isEmpty { said.append("has extra column\(extra.count == 1 ? "" : "s") \(quoted(extra))") }
            if !said.isEmpty { out.append("\(p.name) " + said.joined(separator: "; ") + " (compared with \(first.name))") }
        }
        return out
    }

    /// Files with no header or no rows, renamed columns, and rows with no values left out.
    private func otherNotes() -> [String] {
        var out: [String] = []
        var empty: [(String, Int)] = []
        for p in parts {
            let r = p.result
            if !r.hadHeader { out.append("\(p.name) has no header row, so its columns are called column_1, column_2, …") }
            for (from, to) in r.renamed {
                out.append(from == "(empty)" ? "in \(p.name), a column with no name is called \(to)" : "in \(p.name), a second column named \(from) is called \(to)")
            }
            if r.table.rowCount == 0 { out.append("\(p.name) has no rows") }
            if r.emptyRows > 0 { empty.append((p.name, r.emptyRows)) }
        }
        if !empty.isEmpty {
            let total = empty.reduce(0) { $0 + $1.1 }
            let each = empty.prefix(5).map { "\($0.0): \($0.1)" }.joined(separator: ", ") + (empty.count > 5 ? ", …" : "")
            out.append("\(total) row\(total == 1 ? "" : "s") with no values left out (\(each))")
        }
        return out
    }

    private enum Kind: Int, Comparable {
        case text, date, integer, decimal
        static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
        var words: String {
            switch self {
            case .text: return "text"
            case .date: return "dates"
            case .integer: return "whole numbers"
            case .decimal: return "decimals"
            }
        }
    }

    /// One column of the stacked table from each part's column of that name (nil where a part
    /// lacks it), and a note when the parts disagree about its type or unit.
    package static func merge(name: String, pieces: [Column?], counts: [Int], fileNames: [String]) -> (Column, [String]) {
        precondition(pieces.count == counts.count && counts.count == fileNames.count)
        var notes: [String] = []
        // A piece whose values are all missing (or that has none) says nothing about the type.
        let kinds: [Kind?] = pieces.enumerated().map { i, c in
            guard let c, counts[i] > 0, c.missing.count(upTo: counts[i]) < counts[i] else { return nil }
            switch c.type {
            case .integer: return .integer
            case .decimal: return .decimal
            case .date: return .date
            case .text: return .text
            }
        }
        let present = Set(kinds.compactMap { $0 })
        let kind: Kind
        if present.isEmpty { kind = .text } else if present.count == 1 { kind = present.first! } else if present.isSubset(of: [.integer, .decimal]) { kind = .decimal } else { kind = .text }
        if present.count > 1 && kind == .text {
            let said = present.sorted().map { k -> String in
                "\(k.words) in " + Self.names(fileNames.indices.filter { kinds[$0] == k }.map { fileNames[$0] })
            }
            notes.append("column '\(name)' is read as text: it holds " + said.joined(separator: "; "))
        }
        // The unit, when every file with values agrees on it.
        var unit: String?
        let units = Set(pieces.indices.filter { kinds[$0] != nil }.map { pieces[$0]?.unit ?? "" })
        if kind != .text, units.count == 1 { unit = units.first.flatMap { $0.isEmpty ? nil : $0 } }
        if kind != .text, units.count > 1 {
            let said = units.sorted().map { u in
                let files = pieces.indices.filter { kinds[$0] != nil && (pieces[$0]?.unit ?? "") == u }.map { fileNames[$0] }
                return "\(u.isEmpty ? "none" : u) in " + Self.names(files)
            }
            notes.append("column '\(name)' has different units in different files (" + said.joined(separator: "; ") + "), so it has none")
        }
        let total = counts.reduce(0, +)
        var missing: [Bool] = []
        missing.reserveCapacity(total)
        func appendMissing(_ i: Int) {
            if let c = pieces[i], kinds[i] != nil { missing.append(contentsOf: c.missing.flags(counts[i])) } else { missing.append(contentsOf: repeatElement(true, count: counts[i])) }
        }
        var rowScales: [UInt8]?
        var periods: [Period]?
        let data: ColumnData
        switch kind {
        case .integer:
            var v: [Int64] = []
            v.reserveCapacity(total)
            for i in pieces.indices {
                if kinds[i] != nil, case .integer(let a)? = pieces[i]?.data { v.append(contentsOf: a.prefix(counts[i])) } else { v.append(contentsOf: repeatElement(0, count: counts[i])) }
                appendMissing(i)
            }
            data = .integer(v)
        case .date:
            var v: [Int32] = []
            v.reserveCapacity(total)
            for i in pieces.indices {
                if kinds[i] != nil, case .date(let a)? = pieces[i]?.data { v.append(contentsOf: a.prefix(counts[i])) } else { v.append(contentsOf: repeatElement(0, count: counts[i])) }
                appendMissing(i)
            }
            data = .date(v)
        case .decimal:
            var v: [Double] = [], scales: [UInt8] = []
            v.reserveCapacity(total)
            scales.reserveCapacity(total)
            var scale = 0
            for i in pieces.indices {
                let n = counts[i]
                switch kinds[i] != nil ? pieces[i]?.data : nil {
                case .integer(let a)?:
                    v.append(contentsOf: a.prefix(n).map(Double.init))
                    scales.append(contentsOf: repeatElement(0, count: n))
                case .decimal(let a, let s)?:
                    v.append(contentsOf: a.prefix(n))
                    if let r = pieces[i]?.rowScales { scales.append(contentsOf: r.prefix(n)) } else { scales.append(contentsOf: repeatElement(UInt8(clamping: s), count: n)) }
                    scale = max(scale, s)
                default:
                    v.append(contentsOf: repeatElement(0, count: n))
                    scales.append(contentsOf: repeatElement(0, count: n))
                }
                appendMissing(i)
            }
            data = .decimal(v, scale: scale)
            let uniform = zip(scales, missing).allSatisfy { $1 || Int($0) == scale }
            rowScales = uniform ? nil : scales
        case .text:
            var dictionary: [String] = []
            var lookup: [String: Int32] = [:]
            var entryPeriods: [Period?] = []
            var allPeriods = true
            func intern(_ s: String) -> Int32 {
                if let c = lookup[s] { return c }
                let c = Int32(dictionary.count)
                lookup[s] = c
                dictionary.append(s)
                entryPeriods.append(nil)
                return c
            }
            var codes: [Int32] = []
            codes.reserveCapacity(total)
            for i in pieces.indices {
                let n = counts[i]
                guard let c = pieces[i], kinds[i] != nil else {
                    codes.append(contentsOf: repeatElement(0, count: n))
                    appendMissing(i)
                    continue
                }
                let flags = c.missing.flags(n)
                if case .text(let own, let dict) = c.data {
                    // Only the entries some present row uses join the dictionary.
                    var remap = [Int32](repeating: -1, count: dict.count)
                    for r in 0..<n where !flags[r] {
                        let k = Int(own[r])
                        guard k >= 0, k < dict.count else { continue }
                        if remap[k] < 0 {
                            remap[k] = intern(dict[k])
                            if let p = c.periods, k < p.count { entryPeriods[Int(remap[k])] = p[k] } else { allPeriods = false }
                        }
                    }
                    for r in 0..<n {
                        let k = Int(own[r])
                        codes.append(flags[r] || k < 0 || k >= dict.count ? 0 : max(0, remap[k]))
                    }
                } else {
                    allPeriods = false
                    for r in 0..<n { codes.append(flags[r] ? 0 : intern(c.formatted(r) ?? "")) }
                }
                missing.append(contentsOf: flags)
            }
            if allPeriods, !dictionary.isEmpty, entryPeriods.allSatisfy({ $0 != nil }) { periods = entryPeriods.map { $0! } }
            data = .text(codes: codes, dictionary: dictionary.isEmpty ? [""] : dictionary)
        }
        let first = pieces.compactMap { $0 }.first
        var column = Column(name: name, unit: unit, description: first?.description, data: data, missing: MissingMask(missing), rowScales: rowScales)
        column.isPValue = first?.isPValue ?? false
        column.periods = periods
        column.missingReasons = mergeReasons(pieces, counts: counts)
        return (column, notes)
    }

    /// `a`, `a and b`, `a, b and c`, `a, b, c and 4 other files`.
    private static func names(_ files: [String]) -> String {
        if files.count > 4 { return files.prefix(3).joined(separator: ", ") + " and \(files.count - 3) other files" }
        if files.count <= 1 { return files.first ?? "" }
        return files.dropLast().joined(separator: ", ") + " and " + files.last!
    }

    /// The parts' missing-value reasons, their markers put in one list (nil when no part has any).
    private static func mergeReasons(_ pieces: [Column?], counts: [Int]) -> MissingReasons? {
        guard pieces.contains(where: { $0?.missingReasons != nil }) else { return nil }
        var markers: [String] = []
        var codeOf: [String: UInt8] = [:]
        var codes: [UInt8] = []
        codes.reserveCapacity(counts.reduce(0, +))
        for (i, piece) in pieces.enumerated() {
            let n = counts[i]
            guard let r = piece?.missingReasons, r.codes.count >= n else {
                codes.append(contentsOf: repeatElement(0, count: n))
                continue
            }
            var remap = [UInt8](repeating: 0, count: r.markers.count + 1)
            for (k, m) in r.markers.enumerated() {
                if let c = codeOf[m] { remap[k + 1] = c } else if markers.count < 255 {
                    markers.append(m)
                    codeOf[m] = UInt8(markers.count)
                    remap[k + 1] = UInt8(markers.count)
                }
            }
            for c in r.codes.prefix(n) { codes.append(Int(c) < remap.count ? remap[Int(c)] : 0) }
        }
        return MissingReasons(codes: codes, markers: markers)
    }
}
