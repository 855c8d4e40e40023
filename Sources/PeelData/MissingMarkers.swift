/// The markers publishers print in place of a figure (the Government Statistical Service's
/// symbols, and the older ones of ONS and Home Office tables), each with what it means. A value
/// that is one of these is missing, never zero, and the marker is kept as the reason
/// (`Column.missingReasons`), so `describe` can say "12 × '[c]' confidential".
public enum MissingMarkers {
    /// Marker (lower case) and meaning, in the order `describe` explains them.
    public static let standard: [(marker: String, meaning: String)] = [
        ("..", "not available"),
        (":", "not available"),
        ("-", "nil or not available (a dash)"),
        ("[x]", "not available"),
        ("[c]", "confidential"),
        ("[z]", "not applicable"),
        ("[u]", "low reliability"),
        ("[low]", "rounds to zero"),
        ("[w]", "no or too few sample cases"),
        ("*", "suppressed"),
        ("n/a", "not applicable or not available"),
        ("na", "not applicable or not available"),
        ("n/a - data not provided", "data not provided"),
        ("n/a - offence code expired", "offence code expired"),
    ]

    private static let meanings: [String: String] = Dictionary(standard.map { ($0.marker, $0.meaning) }, uniquingKeysWith: { a, _ in a })

    /// What `marker` means, ignoring case and surrounding spaces; nil when it is no standard marker.
    public static func meaning(of marker: String) -> String? {
        meanings[marker.trimmingCharacters(" ").lowercased()]
    }

    public static func isMarker(_ value: String) -> Bool { meaning(of: value) != nil }
}

extension String {
    fileprivate func trimmingCharacters(_ c: Character) -> Substring {
        var s = Substring(self)
        while s.first == c || s.first == "\u{A0}" { s = s.dropFirst() }
        while s.last == c || s.last == "\u{A0}" { s = s.dropLast() }
        return s
    }
}
