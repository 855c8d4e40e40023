import PeelData

/// What a label in a force column stands for.
public enum ForceRecognition: Equatable, Sendable {
    /// One of the 43 territorial forces, by its canonical name (the `force` column of `forces`).
    case force(canonical: String)
    /// A row that is not a territorial force: British Transport Police, a fraud body, a region,
    /// a country or the England and Wales total.
    case notForce(kind: NonForceKind, canonical: String)
    case unknown

    /// The canonical name, when the label was recognised.
    public var canonical: String? {
        switch self {
        case .force(let c), .notForce(_, let c): return c
        case .unknown: return nil
        }
    }

    public var isTerritorialForce: Bool {
        if case .force = self { return true }
        return false
    }
}

public enum NonForceKind: String, Sendable {
    case britishTransportPolice, fraudBody, region, country, nationalTotal
}

/// The rows publishers print beside the forces, in the forms seen in their tables (each list says
/// where). Territorial forces come from the `forces` table instead (`ForceNames(forces:)`).
enum NonForceNames {
    /// British Transport Police: Home Office PRC/outcomes files and ONS PFA tables ("British Transport
    /// Police"), Home Office police workforce tables ("British Transport Police (BTP)").
    static let btp = ["British Transport Police", "BTP", "British Transport Police (BTP)"]

    /// Fraud bodies that report crime beside the forces: Home Office PRC 2017-18 ("Action Fraud",
    /// "CIFAS", "UK Finance", "Financial Fraud Action UK"); Home Office recorded crime by PFA
    /// writes them "Fraud: Action Fraud" and so on (the "fraud" prefix is taken off by rule).
    static let fraudBodies = ["Action Fraud", "CIFAS", "UK Finance", "Financial Fraud Action UK"]

    /// Region names beside those of the `forces` table's `region` column: "East" (ONS PFA Table P1,
    /// Home Office recorded crime by PFA) and "Eastern" (Home Office police workforce by force and
    /// region, as cleaned by Resistance-Lab) for the East of England.
    static let regionAliases: [(String, String)] = [("East", "East of England"), ("Eastern", "East of England")]

    /// ONS area codes of the rows ONS PFA Table P1 (year ending June 2025) prints beside the PFAs.
    static let codes: [(String, ForceRecognition)] = [
        ("K04000001", .notForce(kind: .nationalTotal, canonical: "England and Wales")),
        ("E92000001", .notForce(kind: .country, canonical: "England")),
        ("W92000004", .notForce(kind: .country, canonical: "Wales")),
        ("E12000001", .notForce(kind: .region, canonical: "North East")),
        ("E12000002", .notForce(kind: .region, canonical: "North West")),
        ("E12000003", .notForce(kind: .region, canonical: "Yorkshire and the Humber")),
        ("E12000004", .notForce(kind: .region, canonical: "East Midlands")),
        ("E12000005", .notForce(kind: .region, canonical: "West Midlands")),
        ("E12000006", .notForce(kind: .region, canonical: "East of England")),
        ("E12000007", .notForce(kind: .region, canonical: "London")),
        ("E12000008", .notForce(kind: .region, canonical: "South East")),
        ("E12000009", .notForce(kind: .region, canonical: "South West")),
    ]

    /// Labels of the England and Wales total (besides the `forces` table's national row and its
    /// aliases): ONS PFA tables ("ENGLAND AND WALES"), Home Office workforce tables ("Total 43
    /// forces", "Total of all 43 forces", "Total all 43 forces", "Total of 43 forces").
    /// "Total" alone, "Total England and Wales" and "England and Wales Total" are read by rule.
    static let national = ["England and Wales", "43 forces", "all 43 forces", "43 territorial forces"]
}

/// Text as force recognition compares it.
enum ForceText {
    /// Spaces, tabs, line ends and no-break spaces.
    static func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{A0}" }

    static func trim(_ s: Substring) -> Substring {
        var s = s
        while let f = s.first, isBlank(f) { s = s.dropFirst() }
        while let l = s.last, isBlank(l) { s = s.dropLast() }
        return s
    }

    /// An ONS/GSS area code: a capital letter and eight digits (`E23000021`, `W15000004`).
    static func isAreaCode(_ s: Substring) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 9, (65...90).contains(u[0]) || (97...122).contains(u[0]) else { return false }
        return u.dropFirst().allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    private static let superscripts: Set<Character> = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]

    /// The label without the footnote marks publishers glue on: `Leicestershire3`, `Avon and
    /// Somerset 9`, `ENGLAND AND WALES4,5,6,7,8`, `Humberside [note 4]`, `City of London*`,
    /// `Hampshire (R)` (revised), `British Transport Police(2006)`, superscript digits; and a
    /// leading `*` or dash (`*Total Wales`).
    static func stripFootnotes(_ label: Substring) -> Substring {
        var s = trim(label)
        while true {
            let before = s
            while let f = s.first, f == "*" || f == "-" || f == "–" || isBlank(f) { s = s.dropFirst() }
            s = trim(s)
            if s.last == "]", let open = s.lastIndex(of: "["),
               s[s.index(after: open)...].lowercased().hasPrefix("note") {
                s = s[..<open]
            } else if let l = s.last, l == "*" || l == "†" || l == "‡" || superscripts.contains(l) {
                s = s.dropLast()
            } else if s.last == ")", let open = s.lastIndex(of: "(") {
                let inner = s[s.index(after: open)..<s.index(before: s.endIndex)].lowercased()
                if inner == "r" || inner == "p" || (!inner.isEmpty && inner.allSatisfy { $0.isASCII && $0.isNumber }) { s = s[..<open] }
            } else if let l = s.last, l.isASCII, l.isNumber {
                // A run of digits (with commas and spaces between: `4,5,6` or `1, 2`) after a letter or bracket.
                var i = s.endIndex
                while i > s.startIndex {
                    let p = s.index(before: i)
                    let c = s[p]
                    guard (c.isASCII && c.isNumber) || c == "," || c == " " else { break }
                    i = p
                }
                let head = trim(s[..<i])
                if let h = head.last, h.isLetter || h == ")" || h == "]" { s = head }
            }
            s = trim(s)
            if s == before || s.isEmpty { return s.isEmpty ? before : s }
        }
    }

    /// The comparison key: lower case, `&` as "and", apostrophes dropped, any other punctuation
    /// (hyphens, commas, brackets, dots, slashes) as one space.
    static func key(_ s: Substring) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var space = false
        func word(_ w: String) {
            if space && !out.isEmpty { out.append(" ") }
            space = false
            out += w
        }
        for c in s {
            if c.isLetter || c.isNumber {
                word(c.lowercased())
            } else if c == "&" {
                space = true
                word("and")
                space = true
            } else if c == "'" || c == "’" {
                continue
            } else {
                space = true
            }
        }
        return out
    }
}
