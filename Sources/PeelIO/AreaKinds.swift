import PeelData

/// Marks what each row of a force column stands for, so a publisher's table with regions,
/// countries, British Transport Police and totals among its forces can be told apart: a column
/// `area_kind` after the force column ("force", "British Transport Police", "fraud body",
/// "region", "country", "England and Wales"; missing where the label is not recognised), and the
/// national row named in the table's info so `compare` finds it.
extension ForceNames {
    package struct AreaMarking {
        package var table: Table
        /// One sentence for load's summary, or nil when every row is a force.
        package var note: String?
    }

    /// The words `area_kind` uses for each kind of row.
    package static func kindLabel(_ r: ForceRecognition) -> String? {
        switch r {
        case .force: return "force"
        case .notForce(let kind, _):
            switch kind {
            case .britishTransportPolice: return "British Transport Police"
            case .fraudBody: return "fraud body"
            case .region: return "region"
            case .country: return "country"
            case .nationalTotal: return "England and Wales"
            }
        case .unknown: return nil
        }
    }

    /// `table` with `area_kind` added after `forceColumn` when some rows are not territorial forces.
    /// An area-code column (E23000021, E12000005, K04000001), when there is one, decides rows whose
    /// label is ambiguous ("West Midlands" is a force and a region).
    package func markAreas(_ table: Table, forceColumn: String) -> AreaMarking {
        guard let fi = table.columnIndex(forceColumn), table.columnIndex("area_kind") == nil else { return AreaMarking(table: table, note: nil) }
        let labels = table.columns[fi]
        let codeColumn = table.columns.first { c in
            guard c.type == .text, c.name != labels.name else { return false }
            let present = (0..<c.count).compactMap { c.text($0) }
            return !present.isEmpty && present.filter { Self.looksLikeAreaCode($0) }.count * 2 > present.count
        }
        var kinds: [ForceRecognition] = []
        kinds.reserveCapacity(table.rowCount)
        var cache: [String: ForceRecognition] = [:]
        for r in 0..<table.rowCount {
            if let code = codeColumn?.text(r), Self.looksLikeAreaCode(code), case let byCode = recognise(code), byCode != .unknown {
                kinds.append(byCode)
                continue
            }
            guard let label = labels.text(r) else { kinds.append(.unknown); continue }
            if let k = cache[label] { kinds.append(k); continue }
            let k = recognise(label)
            if cache.count < 100_000 { cache[label] = k }
            kinds.append(k)
        }
        let forces = Set(kinds.compactMap { k -> String? in if case .force(let c) = k { return c }; return nil })
        let others = kinds.filter { if case .notForce = $0 { return true }; return false }
        guard !others.isEmpty else { return AreaMarking(table: table, note: nil) }
        var b = ColumnBuilder.text("area_kind")
        for k in kinds { b.append(Self.kindLabel(k)) }
        var column = b.build()
        column.description = "what the row's \(labels.name) is: a territorial force, British Transport Police, a fraud body, a region, a country or England and Wales (missing: not recognised)"
        var out = table
        out.columns.insert(column, at: fi + 1)
        let national = kinds.indices.filter { if case .notForce(.nationalTotal, _) = kinds[$0] { return true }; return false }
        if national.count == 1, let label = labels.text(national[0]), out.info.national == nil { out.info.national = label }
        var parts: [String] = []
        for (kind, one, many) in [(NonForceKind.britishTransportPolice, "British Transport Police", "British Transport Police rows"),
                                  (.fraudBody, "fraud body", "fraud bodies"), (.region, "region", "regions"),
                                  (.country, "country", "countries"), (.nationalTotal, "England and Wales total", "England and Wales totals")] {
            let n = others.filter { if case .notForce(let k, _) = $0 { return k == kind }; return false }.count
            if n > 0 { parts.append("\(n) \(n == 1 ? one : many)") }
        }
        let unknown = kinds.filter { $0 == .unknown }.count
        var note = "\(labels.name): \(forces.count) territorial force\(forces.count == 1 ? "" : "s") recognised; not forces: " + parts.joined(separator: ", ")
            + " (column area_kind says which)"
        if unknown > 0 { note += "; \(unknown) row\(unknown == 1 ? "" : "s") not recognised" }
        return AreaMarking(table: out, note: note)
    }

    /// E23000021, W15000004, E12000005, K04000001: a letter and eight digits.
    package static func looksLikeAreaCode(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 9, u[0] >= 65, u[0] <= 90 else { return false }
        return u[1...].allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}
