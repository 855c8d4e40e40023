import PeelData

/// The names each force goes by, from the `forces` table: "Met" and "Metropolitan Police Service" are
/// both "Metropolitan Police"; "Heddlu Dyfed-Powys" is "Dyfed-Powys".
public struct ForceNames: Sendable {
    /// Lower-cased name or alias → every spelling of that force (canonical name first).
    private var spellings: [String: [String]] = [:]

    public init() {}

    /// Reads the `force` and `aliases` (separated by "; ") columns of a forces table.
    public init(forces: Table) {
        guard let names = forces.column("force") else { return }
        let aliases = forces.column("aliases")
        for r in 0..<forces.rowCount {
            guard let canonical = names.text(r) else { continue }
            let all = [canonical] + (aliases?.text(r)?.split(separator: ";").map { $0.trimmingSpaces() }.filter { !$0.isEmpty } ?? [])
            for name in all { spellings[name.lowercased()] = all }
        }
    }

    /// Every spelling of the force `name` (canonical first), or just `name` when it is not a known force.
    public func spellings(of name: String) -> [String] {
        spellings[name.lowercased()] ?? [name]
    }

    /// The spelling of `name` that occurs in `present` (exactly, then ignoring case), if any.
    public func match(_ name: String, in present: Set<String>) -> String? {
        for s in spellings(of: name) {
            if present.contains(s) { return s }
        }
        let lowered = Dictionary(present.map { ($0.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        for s in spellings(of: name) {
            if let m = lowered[s.lowercased()] { return m }
        }
        return nil
    }
}

extension Substring {
    package func trimmingSpaces() -> String { String(self).trimmingSpaces() }
}
