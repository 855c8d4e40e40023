import PeelData

/// The names each force goes by, from the `forces` table: "Met" and "Metropolitan Police Service" are
/// both "Metropolitan Police"; "Heddlu Dyfed-Powys" is "Dyfed-Powys". Labels are also recognised in
/// the forms publishers print them (`recognise`): any case, `&` for "and", other punctuation and
/// spacing, footnote marks glued on (`Leicestershire3`, `Humberside [note 4]`), long forms
/// ("Leicestershire Constabulary", "Heddlu …"), data.police.uk ids and ONS PFA codes; and the rows
/// that are not territorial forces (British Transport Police, fraud bodies, regions, countries and
/// the England and Wales total) are recognised as such.
public struct ForceNames: Sendable {
    /// Lower-cased name or alias → every spelling of that force (canonical name first).
    private var spellings: [String: [String]] = [:]
    /// Comparison key (`ForceText.key`) → what the label stands for.
    private var byKey: [String: ForceRecognition] = [:]
    /// Upper-cased ONS area code → what it stands for.
    private var byCode: [String: ForceRecognition] = [:]

    public init() {
        addNonForces(regions: [], countries: [])
    }

    /// Reads the `force`, `aliases` (separated by "; "), `kind` ("force" or "national"),
    /// `police_uk_id`, `pfa_code`, `region` and `country` columns of a forces table.
    public init(forces: Table) {
        guard let names = forces.column("force") else {
            addNonForces(regions: [], countries: [])
            return
        }
        let aliases = forces.column("aliases"), kinds = forces.column("kind")
        let ids = forces.column("police_uk_id"), codes = forces.column("pfa_code")
        var regions: [String] = [], countries: [String] = []
        var national: [(String, [String])] = []
        for r in 0..<forces.rowCount {
            guard let canonical = names.text(r) else { continue }
            let all = [canonical] + (aliases?.text(r)?.split(separator: ";").map { $0.trimmingSpaces() }.filter { !$0.isEmpty } ?? [])
            for name in all { spellings[name.lowercased()] = all }
            let kind = kinds?.text(r)?.lowercased() ?? "force"
            if kind == "national" {
                national.append((canonical, all))
                continue
            }
            guard kind == "force" else { continue }
            let found = ForceRecognition.force(canonical: canonical)
            for name in all + [ids?.text(r)].compactMap({ $0 }) { byKey[ForceText.key(Substring(name))] = found }
            if let code = codes?.text(r), ForceText.isAreaCode(Substring(code)) { byCode[code.uppercased()] = found }
            if let region = forces.column("region")?.text(r) { regions.append(region) }
            if let country = forces.column("country")?.text(r) { countries.append(country) }
        }
        for (canonical, all) in national {
            for name in all where byKey[ForceText.key(Substring(name))] == nil {
                byKey[ForceText.key(Substring(name))] = .notForce(kind: .nationalTotal, canonical: canonical)
            }
        }
        addNonForces(regions: regions, countries: countries)
    }

    /// The built-in rows that are not forces; a force's name is never replaced ("West Midlands" is
    /// both a force and a region: as a label it is the force). Countries come before regions, so
    /// "Wales" is the country.
    private mutating func addNonForces(regions: [String], countries: [String]) {
        func add(_ name: String, _ r: ForceRecognition) {
            let k = ForceText.key(Substring(name))
            if byKey[k] == nil { byKey[k] = r }
        }
        for b in NonForceNames.btp { add(b, .notForce(kind: .britishTransportPolice, canonical: NonForceNames.btp[0])) }
        for f in NonForceNames.fraudBodies { add(f, .notForce(kind: .fraudBody, canonical: f)) }
        let nationalName = byKey.values.first { if case .notForce(.nationalTotal, _) = $0 { return true }; return false }?.canonical ?? "England and Wales"
        for n in NonForceNames.national { add(n, .notForce(kind: .nationalTotal, canonical: nationalName)) }
        for c in countries + ["England", "Wales"] { add(c, .notForce(kind: .country, canonical: c)) }
        for r in regions { add(r, .notForce(kind: .region, canonical: r)) }
        for (alias, r) in NonForceNames.regionAliases { add(alias, .notForce(kind: .region, canonical: r)) }
        for (code, r) in NonForceNames.codes where byCode[code] == nil { byCode[code] = r }
    }

    // MARK: Recognition

    /// What `label` stands for: a territorial force (by its canonical name), a row that is not one
    /// (with its kind), or `.unknown`. "Leicestershire", "LEICESTERSHIRE", "Leicestershire3",
    /// "Leicestershire Police", "leicestershire" (the data.police.uk id) and "E23000021" (the ONS
    /// PFA code) are all `.force(canonical: "Leicestershire")`; "Leicester" is `.unknown`.
    public func recognise(_ label: String) -> ForceRecognition {
        recognition(label).result
    }

    /// Whether the label was recognised by its area code (a code column is not a force column).
    private func recognition(_ label: String) -> (result: ForceRecognition, byCode: Bool) {
        let s = ForceText.trim(Substring(label))
        guard !s.isEmpty, s.utf8.count <= 300 else { return (.unknown, false) }
        if ForceText.isAreaCode(s) { return (byCode[s.uppercased()] ?? .unknown, true) }
        // Bilingual or paired labels ("Gwent Police / Heddlu Gwent") count only when both halves agree:
        // "City of London / Metropolitan Police" is neither force.
        if s.contains("/") {
            let parts = s.split(separator: "/", omittingEmptySubsequences: false)
            let each = parts.map { recogniseLabel($0) }
            if parts.count <= 3, each[0] != .unknown, each.allSatisfy({ $0 == each[0] }) { return (each[0], false) }
            if each.contains(where: { $0 != .unknown }) { return (.unknown, false) }
        }
        return (recogniseLabel(s), false)
    }

    private func recogniseLabel(_ s: Substring) -> ForceRecognition {
        let whole = ForceText.key(s)
        if let r = byKey[whole] { return r }
        return recogniseKey(ForceText.key(ForceText.stripFootnotes(s)), depth: 0)
    }

    private static let qualifiers: [String: String] = [
        "inc": "including", "incl": "including", "including": "including",
        "exc": "excluding", "excl": "excluding", "excluding": "excluding",
    ]
    private static let forceSuffixes = [" police service", " police force", " police", " constabulary"]

    private func recogniseKey(_ k: String, depth: Int) -> ForceRecognition {
        guard !k.isEmpty, depth < 4 else { return .unknown }
        if let r = byKey[k] { return r }
        // Long forms of a force's name: "Leicestershire Constabulary", "Heddlu Gwent".
        for suffix in Self.forceSuffixes where k.hasSuffix(suffix) {
            if case .force(let c) = recogniseKey(String(k.dropLast(suffix.count)), depth: depth + 1) { return .force(canonical: c) }
        }
        if k.hasPrefix("heddlu "), case .force(let c) = recogniseKey(String(k.dropFirst(7)), depth: depth + 1) { return .force(canonical: c) }
        // "Fraud: Action Fraud".
        if k.hasPrefix("fraud "), case .notForce(.fraudBody, let c) = recogniseKey(String(k.dropFirst(6)), depth: depth + 1) {
            return .notForce(kind: .fraudBody, canonical: c)
        }
        var words = k.split(separator: " ").map(String.init)
        // A qualified total: "England and Wales (inc. BTP)", "Total (excluding BTP)",
        // "England (excluding Greater Manchester Police)".
        if let q = words.indices.dropFirst().first(where: { Self.qualifiers[words[$0]] != nil }), q + 1 < words.count {
            let base = recogniseKey(words[..<q].joined(separator: " "), depth: depth + 1)
            if case .notForce(let kind, let c) = base, kind == .nationalTotal || kind == .country || kind == .region {
                let whatKey = words[(q + 1)...].joined(separator: " ")
                // What is left out or put in must itself be recognised (not "not reported").
                let what: String
                switch recogniseKey(whatKey, depth: depth + 1) {
                case .notForce(.britishTransportPolice, _): what = "BTP"
                case .force(let f): what = f
                case .notForce(_, let other): what = other
                case .unknown: return .unknown
                }
                return .notForce(kind: kind, canonical: "\(c) (\(Self.qualifiers[words[q]]!) \(what))")
            }
            return .unknown
        }
        // "Total", "Total England and Wales", "England and Wales Total", "Total of all 43 forces",
        // "Total London", "Wales Total"; "West Midlands region".
        var total = false
        if words.first == "total" { words.removeFirst(); total = true } else if words.last == "total" { words.removeLast(); total = true }
        if total {
            if words.isEmpty { return byKey["england and wales"] ?? .notForce(kind: .nationalTotal, canonical: "England and Wales") }
            if words.first == "of" { words.removeFirst() }
            if words.isEmpty { return .unknown }
            let rest = words.joined(separator: " ")
            switch byKey[rest] ?? recogniseKey(rest, depth: depth + 1) {
            case .notForce(let kind, let c) where kind != .fraudBody && kind != .britishTransportPolice:
                return .notForce(kind: kind, canonical: c)
            case .force(let c) where regionNamed(c) != nil:
                return .notForce(kind: .region, canonical: regionNamed(c)!)
            default: return .unknown
            }
        }
        if words.count > 1, words.last == "region" {
            let rest = words.dropLast().joined(separator: " ")
            if let region = regionNamed(rest) { return .notForce(kind: .region, canonical: region) }
        }
        return .unknown
    }

    /// The region called `name` (by key), also when a force has the same name ("West Midlands").
    private func regionNamed(_ name: String) -> String? {
        let k = ForceText.key(Substring(name))
        for (_, r) in NonForceNames.codes {
            if case .notForce(.region, let c) = r, ForceText.key(Substring(c)) == k { return c }
        }
        if case .notForce(.region, let c)? = byKey[k] { return c }
        return nil
    }

    // MARK: Columns

    /// The text column that holds force names: the one with the most distinct territorial forces
    /// recognised (by name, not by code), needing at least 20 of them, or, in a small table, more
    /// than half its distinct values recognised and at least half of those forces ("Force",
    /// "Police force area", "PFA name", "force_name"). Nil when no column qualifies. Columns with
    /// more than 5,000 distinct values are not looked at (no force column has so many), nor any
    /// column once 200,000 values have been (a very wide file costs a bounded time).
    public func detectForceColumn(_ table: Table) -> String? {
        var best: (name: String, forces: Int, recognised: Int)?
        var budget = 200_000
        for c in table.columns {
            guard case .text(_, let dictionary) = c.data, dictionary.count <= 5_000 else { continue }
            guard budget > 0 else { break }
            budget -= dictionary.count
            let present = c.presentTexts()
            guard !present.isEmpty else { continue }
            var forces = Set<String>(), recognised = 0
            for v in present {
                let (r, byCode) = recognition(v)
                guard !byCode else { continue }
                if case .force(let f) = r { forces.insert(f) }
                if r != .unknown { recognised += 1 }
            }
            let qualifies = forces.count >= 20 || (forces.count >= 1 && recognised * 2 > present.count && forces.count * 2 >= recognised)
            guard qualifies else { continue }
            if best == nil || forces.count > best!.forces || (forces.count == best!.forces && recognised > best!.recognised) {
                best = (c.name, forces.count, recognised)
            }
        }
        return best?.name
    }

    // MARK: Spellings

    /// Every spelling of the force `name` (canonical first), or just `name` when it is not a known
    /// force. A label recognised as a force in another form ("LEICESTERSHIRE", "Leicestershire3")
    /// gives that force's spellings; one recognised as another row gives its canonical name first.
    public func spellings(of name: String) -> [String] {
        if let s = spellings[name.lowercased()] { return s }
        switch recognise(name) {
        case .force(let c), .notForce(_, let c):
            if let s = spellings[c.lowercased()] { return s }
            return c == name ? [name] : [c, name]
        case .unknown:
            return [name]
        }
    }

    /// The spelling of `name` that occurs in `present`: exactly, then ignoring case, then any value
    /// recognised as the same force or row ("LEICESTERSHIRE" or "Leicestershire3" for
    /// "Leicestershire"; the first in sorted order when several are).
    public func match(_ name: String, in present: Set<String>) -> String? {
        let all = spellings(of: name)
        for s in all where present.contains(s) { return s }
        let lowered = Dictionary(present.map { ($0.lowercased(), $0) }, uniquingKeysWith: { a, b in min(a, b) })
        for s in all {
            if let m = lowered[s.lowercased()] { return m }
        }
        let wanted = recognise(name)
        guard wanted != .unknown else { return nil }
        return present.filter { recognise($0) == wanted }.min()
    }
}

extension Substring {
    package func trimmingSpaces() -> String { String(self).trimmingSpaces() }
}
