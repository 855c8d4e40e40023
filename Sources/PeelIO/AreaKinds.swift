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
        let rows = table.rowCount
        // The code column: the first other text column whose present values are mostly area
        // codes, counted per dictionary entry (one pass over the codes, no text per row).
        var codeColumn: Column?
        var codeKinds: [ForceRecognition?] = []
        for c in table.columns where c.name != labels.name {
            guard case .text(let codes, let dict) = c.data else { continue }
            // No entry that looks like a code: not the code column, and no need to count rows.
            let looks = dict.indices.map { Self.looksLikeAreaCode(dict[$0]) }
            guard looks.contains(true) else { continue }
            let uses = Self.uses(codes: codes, entries: dict.count, missing: c.missing)
            let present = uses.reduce(0, +)
            let coded = dict.indices.reduce(0) { $0 + (looks[$1] ? uses[$1] : 0) }
            if present > 0, coded * 2 > present {
                codeColumn = c
                codeKinds = dict.indices.map { k -> ForceRecognition? in
                    guard looks[k], uses[k] > 0 else { return nil }
                    let r = recognise(dict[k])
                    return r == .unknown ? nil : r
                }
                break
            }
        }
        guard case .text(let labelCodes, let labelDict) = labels.data else { return markAreasRowByRow(table, labels: labels, at: fi, codeColumn: codeColumn) }
        // Each row's kind as an index into `distinct`: the code column's reading where it gives
        // one, else the label's, each recognised once per dictionary entry.
        var distinct: [ForceRecognition] = [.unknown]
        func index(_ r: ForceRecognition) -> Int32 {
            if let i = distinct.firstIndex(of: r) { return Int32(i) }
            distinct.append(r)
            return Int32(distinct.count - 1)
        }
        var labelKind = [Int32](repeating: -1, count: labelDict.count)
        if codeColumn == nil {
            // Without a code column a row's kind is its label's: when no label in use is anything
            // but a force (or unknown), there is nothing to mark, found from the entries alone.
            let used = labels.usedEntries(codes: labelCodes, entries: labelDict.count)
            var other = false
            for k in labelDict.indices where used[k] {
                labelKind[k] = index(recognise(labelDict[k]))
                if case .notForce = distinct[Int(labelKind[k])] { other = true }
            }
            if !other { return AreaMarking(table: table, note: nil) }
        }
        var byCode = [Int32](repeating: -1, count: codeKinds.count)
        for (k, r) in codeKinds.enumerated() { if let r { byCode[k] = index(r) } }
        var kind = [Int32](repeating: 0, count: rows)
        let codeCodes: [Int32]
        if let cc = codeColumn, case .text(let c, _) = cc.data { codeCodes = c } else { codeCodes = [] }
        let codeMissing = codeColumn?.missing ?? MissingMask()
        let checkCodeMissing = !codeMissing.isEmpty
        let labelMissing = labels.missing
        let checkLabelMissing = !labelMissing.isEmpty
        for r in 0..<rows {
            if !codeCodes.isEmpty, !checkCodeMissing || !codeMissing[r] {
                let c = Int(codeCodes[r])
                if c >= 0, c < byCode.count, byCode[c] >= 0 { kind[r] = byCode[c]; continue }
            }
            if checkLabelMissing && labelMissing[r] { continue }
            let l = Int(labelCodes[r])
            guard l >= 0, l < labelKind.count else { continue }
            if labelKind[l] < 0 { labelKind[l] = index(recognise(labelDict[l])) }
            kind[r] = labelKind[l]
        }
        var count = [Int](repeating: 0, count: distinct.count)
        for k in kind { count[Int(k)] += 1 }
        func isOther(_ r: ForceRecognition) -> Bool { if case .notForce = r { return true }; return false }
        guard distinct.indices.contains(where: { count[$0] > 0 && isOther(distinct[$0]) }) else { return AreaMarking(table: table, note: nil) }
        // area_kind as ColumnBuilder would build it: labels in first-seen order, missing where unknown.
        let labelOf = distinct.map { Self.kindLabel($0) }
        var entry = [Int32](repeating: -1, count: distinct.count)
        var dict: [String] = []
        var codes = [Int32](repeating: 0, count: rows)
        var missing = [Bool](repeating: false, count: rows)
        for r in 0..<rows {
            let k = Int(kind[r])
            guard let text = labelOf[k] else { missing[r] = true; continue }
            if entry[k] < 0 {
                if let i = dict.firstIndex(of: text) { entry[k] = Int32(i) } else { entry[k] = Int32(dict.count); dict.append(text) }
            }
            codes[r] = entry[k]
        }
        var column = Column(name: "area_kind", data: .text(codes: codes, dictionary: dict.isEmpty ? [""] : dict), missing: MissingMask(missing))
        column.description = Self.areaKindDescription(labels.name)
        var out = table
        out.columns.insert(column, at: fi + 1)
        var nationalRows = 0
        var nationalRow = 0
        for (k, r) in distinct.enumerated() where count[k] > 0 {
            if case .notForce(.nationalTotal, _) = r {
                if nationalRows == 0 { nationalRow = kind.firstIndex(of: Int32(k)) ?? 0 }
                nationalRows += count[k]
            }
        }
        if nationalRows == 1, let label = labels.text(nationalRow), out.info.national == nil { out.info.national = label }
        let forces = Set(distinct.indices.compactMap { k -> String? in
            if count[k] > 0, case .force(let c) = distinct[k] { return c }
            return nil
        })
        var perKind: [NonForceKind: Int] = [:]
        for (k, r) in distinct.enumerated() { if case .notForce(let nk, _) = r { perKind[nk, default: 0] += count[k] } }
        let note = Self.areaNote(labels.name, forces: forces.count, perKind: perKind, unknown: count[0])
        return AreaMarking(table: out, note: note)
    }

    /// How many rows with a value use each of `entries` dictionary entries.
    private static func uses(codes: [Int32], entries: Int, missing: MissingMask) -> [Int] {
        var n = [Int](repeating: 0, count: entries)
        let anyMissing = !missing.isEmpty
        n.withUnsafeMutableBufferPointer { u in
            codes.withUnsafeBufferPointer { c in
                for r in 0..<c.count {
                    let k = Int(c[r])
                    if k >= 0, k < entries, !anyMissing || !missing[r] { u[k] += 1 }
                }
            }
        }
        return n
    }

    private static func areaKindDescription(_ labels: String) -> String {
        "what the row's \(labels) is: a territorial force, British Transport Police, a fraud body, a region, a country or England and Wales (missing: not recognised)"
    }

    private static func areaNote(_ labels: String, forces: Int, perKind: [NonForceKind: Int], unknown: Int) -> String {
        var parts: [String] = []
        for (kind, one, many) in [(NonForceKind.britishTransportPolice, "British Transport Police", "British Transport Police rows"),
                                  (.fraudBody, "fraud body", "fraud bodies"), (.region, "region", "regions"),
                                  (.country, "country", "countries"), (.nationalTotal, "England and Wales total", "England and Wales totals")] {
            let n = perKind[kind] ?? 0
            if n > 0 { parts.append("\(n) \(n == 1 ? one : many)") }
        }
        var note = "\(labels): \(forces) territorial force\(forces == 1 ? "" : "s") recognised; not forces: " + parts.joined(separator: ", ")
            + " (column area_kind says which)"
        if unknown > 0 { note += "; \(unknown) row\(unknown == 1 ? "" : "s") not recognised" }
        return note
    }

    /// The same for a force column that is not text (a column named `force` holding numbers or
    /// dates): a reading per row.
    private func markAreasRowByRow(_ table: Table, labels: Column, at fi: Int, codeColumn: Column?) -> AreaMarking {
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
        column.description = Self.areaKindDescription(labels.name)
        var out = table
        out.columns.insert(column, at: fi + 1)
        let national = kinds.indices.filter { if case .notForce(.nationalTotal, _) = kinds[$0] { return true }; return false }
        if national.count == 1, let label = labels.text(national[0]), out.info.national == nil { out.info.national = label }
        var perKind: [NonForceKind: Int] = [:]
        for k in others { if case .notForce(let nk, _) = k { perKind[nk, default: 0] += 1 } }
        return AreaMarking(table: out, note: Self.areaNote(labels.name, forces: forces.count, perKind: perKind,
                                                           unknown: kinds.filter { $0 == .unknown }.count))
    }

    /// E23000021, W15000004, E12000005, K04000001: a letter and eight digits.
    package static func looksLikeAreaCode(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 9, u[0] >= 65, u[0] <= 90 else { return false }
        return u[1...].allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}
