@testable import PeelSupport
@testable import PeelData
@testable import PeelIO
import Foundation
import XCTest

/// Forces recognised in the forms publishers print them, checked against an independent source:
/// the force lookup (Tests/GoldenTests/Fixtures/force_lookup.csv, a copy of the reference data's
/// join of Home Office, data.police.uk and ONS names and codes), not the bundled forces table the
/// recogniser is built from.
final class ForceNamesTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let names: ForceNames = {
        let catalog = try! Catalog(directory: root.appendingPathComponent("datasets").path)
        return ForceNames(forces: try! catalog.table("forces")!)
    }()

    /// The lookup's rows, one per territorial force, as column → value.
    static let lookup: [[String: String]] = {
        let bytes = try! Array(Data(contentsOf: root.appendingPathComponent("Tests/GoldenTests/Fixtures/force_lookup.csv")))
        var options = CSVOptions()
        options.missingMarkers = []
        let t = try! CSVReader.read(bytes, name: "lookup", fileName: "force_lookup.csv", options: options).table
        return (0..<t.rowCount).map { r in
            Dictionary(uniqueKeysWithValues: t.columns.compactMap { c in c.formatted(r).map { (c.name, $0) } })
        }
    }()

    var names: ForceNames { Self.names }

    func force(_ s: String) -> ForceRecognition { .force(canonical: s) }

    func testLookupHasThe43Forces() {
        XCTAssertEqual(Self.lookup.count, 43)
        XCTAssertEqual(Set(Self.lookup.compactMap { $0["force_name"] }).count, 43)
    }

    /// Every force in every form: canonical, upper and lower case, footnote digits glued on or
    /// spaced, `[note N]`, the Home Office use-of-force name, the data.police.uk id and label, the
    /// ONS PFA 2016 and 2021 codes and names.
    func testEveryForceInEveryForm() {
        for row in Self.lookup {
            let name = row["force_name"]!
            var forms = [name, name.uppercased(), name.lowercased(), name + "3", name.uppercased() + "4", name + " 9",
                         name + "12", name + "4,6,7", name + " [note 2]", name + "*", "  \(name) ", name + "\u{A0}"]
            for col in ["use_of_force_name", "police_uk_id", "police_uk_label", "pfa16cd", "pfa21cd", "pfa16nm", "pfa21nm"] {
                guard let v = row[col] else { return XCTFail("\(name) has no \(col)") }
                forms += [v, v.uppercased()]
            }
            forms.append(row["pfa16cd"]!.lowercased())
            for f in forms {
                XCTAssertEqual(names.recognise(f), force(name), "'\(f)' should be \(name)")
            }
            XCTAssertEqual(row["pfa16cd"], row["pfa21cd"], "\(name): the 2016 and 2021 codes are the same in the lookup")
        }
    }

    /// The canonical names are the bundled forces table's (the 43 rows of kind force).
    func testCanonicalNamesAreTheForcesTables() throws {
        let catalog = try Catalog(directory: Self.root.appendingPathComponent("datasets").path)
        let t = try catalog.table("forces")!
        let kinds = t.column("kind")!, force = t.column("force")!
        let territorial = Set((0..<t.rowCount).filter { kinds.text($0) == "force" }.compactMap { force.text($0) })
        XCTAssertEqual(territorial, Set(Self.lookup.map { $0["force_name"]! }))
    }

    /// Long forms, "&" for "and", punctuation and spacing, Welsh names, and forms seen in real
    /// Home Office and ONS tables.
    func testLongFormsAndPublishersSpellings() {
        let cases: [(String, String)] = [
            ("Avon and Somerset Constabulary", "Avon and Somerset"),
            ("Avon & Somerset Constabulary", "Avon and Somerset"),
            ("AVON & SOMERSET", "Avon and Somerset"),
            ("Avon and Somerset 9", "Avon and Somerset"),
            ("Metropolitan Police Service", "Metropolitan Police"),
            ("Metropolitan Police4", "Metropolitan Police"),
            ("Metropolitan Police ", "Metropolitan Police"),
            ("Metropolitan", "Metropolitan Police"),
            ("Met", "Metropolitan Police"),
            ("Leicestershire Police", "Leicestershire"),
            ("Leicestershire Constabulary", "Leicestershire"),
            ("Leicestershire3", "Leicestershire"),
            ("LEICESTERSHIRE", "Leicestershire"),
            ("Devon & Cornwall Police", "Devon and Cornwall"),
            ("Devon & Cornwall", "Devon and Cornwall"),
            ("Devon and Cornwall Police", "Devon and Cornwall"),
            ("Dyfed-Powys Police", "Dyfed-Powys"),
            ("Dyfed Powys", "Dyfed-Powys"),
            ("Dyfed-powys", "Dyfed-Powys"),
            ("Dyfed-Powys9", "Dyfed-Powys"),
            ("Heddlu Dyfed-Powys", "Dyfed-Powys"),
            ("Heddlu Dyfed Powys", "Dyfed-Powys"),
            ("Heddlu Gwent", "Gwent"),
            ("Heddlu Gogledd Cymru", "North Wales"),
            ("Heddlu De Cymru", "South Wales"),
            ("Gwent Police / Heddlu Gwent", "Gwent"),
            ("City of London", "London, City of"),
            ("City of London Police", "London, City of"),
            ("London, City of2", "London, City of"),
            ("City of London*", "London, City of"),
            ("city-of-london", "London, City of"),
            ("Humberside [note 4]", "Humberside"),
            ("Hampshire (R)", "Hampshire"),
            ("Greater Manchester Police", "Greater Manchester"),
            ("GMP", "Greater Manchester"),
            ("Thames  Valley", "Thames Valley"),
            ("thames-valley", "Thames Valley"),
            ("North Yorkshire ", "North Yorkshire"),
            ("West Midlands", "West Midlands"),
            ("West Midlands Police", "West Midlands"),
            ("E23000021", "Leicestershire"),
            ("e23000021", "Leicestershire"),
            ("W15000004", "Dyfed-Powys"),
            ("avon-and-somerset", "Avon and Somerset"),
        ]
        for (label, canonical) in cases {
            XCTAssertEqual(names.recognise(label), force(canonical), "'\(label)'")
        }
    }

    func testRowsThatAreNotForces() {
        let cases: [(String, NonForceKind, String)] = [
            ("British Transport Police", .britishTransportPolice, "British Transport Police"),
            ("BRITISH TRANSPORT POLICE", .britishTransportPolice, "British Transport Police"),
            ("BTP", .britishTransportPolice, "British Transport Police"),
            ("British Transport Police (BTP)", .britishTransportPolice, "British Transport Police"),
            ("British Transport Police4", .britishTransportPolice, "British Transport Police"),
            ("British Transport Police(2006)", .britishTransportPolice, "British Transport Police"),
            ("Action Fraud", .fraudBody, "Action Fraud"),
            ("CIFAS", .fraudBody, "CIFAS"),
            ("Cifas", .fraudBody, "CIFAS"),
            ("UK Finance", .fraudBody, "UK Finance"),
            ("Financial Fraud Action UK", .fraudBody, "Financial Fraud Action UK"),
            ("Fraud: Action Fraud", .fraudBody, "Action Fraud"),
            ("Fraud: CIFAS", .fraudBody, "CIFAS"),
            ("Fraud: UK Finance", .fraudBody, "UK Finance"),
            ("North East", .region, "North East"),
            ("North West", .region, "North West"),
            ("Yorkshire and the Humber", .region, "Yorkshire and the Humber"),
            ("Yorkshire and The Humber", .region, "Yorkshire and the Humber"),
            ("East Midlands", .region, "East Midlands"),
            ("East of England", .region, "East of England"),
            ("East ", .region, "East of England"),
            ("Eastern", .region, "East of England"),
            ("London", .region, "London"),
            ("South East", .region, "South East"),
            ("South West", .region, "South West"),
            ("Total London", .region, "London"),
            ("*Total North East", .region, "North East"),
            ("Total Yorkshire and the Humber ", .region, "Yorkshire and the Humber"),
            ("Total West Midlands", .region, "West Midlands"),
            ("West Midlands region", .region, "West Midlands"),
            ("E12000001", .region, "North East"),
            ("E12000005", .region, "West Midlands"),
            ("E12000006", .region, "East of England"),
            ("E12000009", .region, "South West"),
            ("England", .country, "England"),
            ("ENGLAND ", .country, "England"),
            ("ENGLAND8", .country, "England"),
            ("Wales", .country, "Wales"),
            ("WALES", .country, "Wales"),
            ("England Total", .country, "England"),
            ("Wales Total", .country, "Wales"),
            ("*Total Wales", .country, "Wales"),
            ("E92000001", .country, "England"),
            ("W92000004", .country, "Wales"),
            ("England (excluding Greater Manchester Police)", .country, "England (excluding Greater Manchester)"),
            ("England and Wales", .nationalTotal, "England and Wales"),
            ("ENGLAND AND WALES", .nationalTotal, "England and Wales"),
            ("England & Wales", .nationalTotal, "England and Wales"),
            ("E&W", .nationalTotal, "England and Wales"),
            ("ENGLAND AND WALES [note 3]", .nationalTotal, "England and Wales"),
            ("ENGLAND AND WALES4,5,6,7,8", .nationalTotal, "England and Wales"),
            ("ENGLAND AND WALES10,11", .nationalTotal, "England and Wales"),
            ("England and Wales (43 territorial forces)", .nationalTotal, "England and Wales"),
            ("England and Wales Total", .nationalTotal, "England and Wales"),
            ("Total England and Wales", .nationalTotal, "England and Wales"),
            ("*Total England and Wales", .nationalTotal, "England and Wales"),
            ("Total", .nationalTotal, "England and Wales"),
            ("TOTAL", .nationalTotal, "England and Wales"),
            ("Total10", .nationalTotal, "England and Wales"),
            ("Total 43 forces", .nationalTotal, "England and Wales"),
            ("Total of 43 forces ", .nationalTotal, "England and Wales"),
            ("Total of all 43 forces", .nationalTotal, "England and Wales"),
            ("Total all 43 forces", .nationalTotal, "England and Wales"),
            ("K04000001", .nationalTotal, "England and Wales"),
            ("England and Wales (inc. BTP)", .nationalTotal, "England and Wales (including BTP)"),
            ("ENGLAND AND WALES (inc. BTP)7", .nationalTotal, "England and Wales (including BTP)"),
            ("England and Wales (including British Transport Police)", .nationalTotal, "England and Wales (including BTP)"),
            ("ENGLAND AND WALES (exc. BTP)", .nationalTotal, "England and Wales (excluding BTP)"),
            ("England & Wales excluding BTP", .nationalTotal, "England and Wales (excluding BTP)"),
            ("Total (excluding BTP)", .nationalTotal, "England and Wales (excluding BTP)"),
            ("ENGLAND AND WALES (Excluding Greater Manchester Police)4,6,7,8,9,10", .nationalTotal, "England and Wales (excluding Greater Manchester)"),
        ]
        for (label, kind, canonical) in cases {
            XCTAssertEqual(names.recognise(label), .notForce(kind: kind, canonical: canonical), "'\(label)'")
        }
    }

    /// Labels that are neither a force nor one of the rows beside them. Most are from real tables:
    /// basic command units, collaborations, other totals.
    func testUnknowns() {
        for label in ["Leicester", "Northumbria University", "Kent County Council", "Cleveland & Cheshire", "Surrey & Sussex",
                      "City of London / Metropolitan Police", "Metropolitan and City of London", "Essex Central", "Lancashire Eastern",
                      "West Midlands D1", "Leicestershire City", "Warwickshire Police BCU", "Dorset County", "Nottinghamshire Area A",
                      "Total police officers (excluding BTP)", "Total (excluding not reported and tactical communication)",
                      "Total recorded crime", "Total FPNs", "Central Service Secondments", "Wales Police", "England Police",
                      "E23000099", "E06000001", "X23000021", "", "   ", "..", "[c]", "n/a", "*", "3", "Police", "Heddlu", "Constabulary",
                      "Fraud", "Total of", "Region", String(repeating: "Kent ", count: 100)] {
            XCTAssertEqual(names.recognise(label), .unknown, "'\(label)'")
        }
    }

    /// Without the forces table only the built-in rows are known.
    func testWithoutAForcesTable() {
        let bare = ForceNames()
        XCTAssertEqual(bare.recognise("Kent"), .unknown)
        XCTAssertEqual(bare.recognise("BTP"), .notForce(kind: .britishTransportPolice, canonical: "British Transport Police"))
        XCTAssertEqual(bare.recognise("ENGLAND AND WALES"), .notForce(kind: .nationalTotal, canonical: "England and Wales"))
        XCTAssertEqual(bare.recognise("Wales"), .notForce(kind: .country, canonical: "Wales"))
        XCTAssertEqual(bare.spellings(of: "Kent"), ["Kent"])
    }

    // MARK: spellings and match

    func testSpellings() {
        XCTAssertEqual(names.spellings(of: "Met"), ["Metropolitan Police", "Metropolitan", "Metropolitan Police Service", "Met", "Met Police", "MPS"])
        XCTAssertEqual(names.spellings(of: "LEICESTERSHIRE3"), ["Leicestershire", "Leicestershire Police", "Leics"])
        XCTAssertEqual(names.spellings(of: "E23000021").first, "Leicestershire")
        XCTAssertEqual(names.spellings(of: "Leicester"), ["Leicester"])
        XCTAssertEqual(names.spellings(of: "Total").first, "England and Wales")
        XCTAssertEqual(names.spellings(of: "BTP"), ["British Transport Police", "BTP"])
        XCTAssertEqual(names.spellings(of: "England and Wales (inc. BTP)").first, "England and Wales (including BTP)")
    }

    func testMatchFindsTheFormTheTableUses() {
        XCTAssertEqual(names.match("Leicestershire", in: ["LEICESTERSHIRE", "KENT"]), "LEICESTERSHIRE")
        XCTAssertEqual(names.match("Leicestershire", in: ["Leicestershire3", "Kent4"]), "Leicestershire3")
        XCTAssertEqual(names.match("Met", in: ["Metropolitan Police4", "London, City of2"]), "Metropolitan Police4")
        XCTAssertEqual(names.match("City of London", in: ["Metropolitan Police4", "London, City of2"]), "London, City of2")
        XCTAssertEqual(names.match("Leicestershire", in: ["Leicestershire", "LEICESTERSHIRE"]), "Leicestershire", "an exact spelling first")
        XCTAssertEqual(names.match("kent", in: ["Kent", "KENT"]), "Kent", "ignoring case, the first in order")
        XCTAssertEqual(names.match("England and Wales", in: ["ENGLAND AND WALES [note 3]", "Kent"]), "ENGLAND AND WALES [note 3]")
        XCTAssertEqual(names.match("E23000021", in: ["Leicestershire Police"]), "Leicestershire Police")
        XCTAssertNil(names.match("Leicester", in: ["Leicestershire", "LEICESTERSHIRE"]))
        XCTAssertNil(names.match("Kent", in: ["Kent County Council"]))
        XCTAssertNil(names.match("West Midlands", in: ["West Midlands D1"]))
        XCTAssertEqual(names.match("not a force", in: ["NOT A FORCE"]), "NOT A FORCE", "any text still matches ignoring case")
    }

    // MARK: detectForceColumn

    func table(_ csv: String) throws -> Table {
        try CSVReader.table(Array(csv.utf8), name: "t", fileName: "t.csv")
    }

    /// In the lookup every name column holds the 43 forces; the first wins, never the code or region column.
    func testDetectsTheFirstNameColumnNotCodesOrRegions() throws {
        let bytes = try Array(Data(contentsOf: Self.root.appendingPathComponent("Tests/GoldenTests/Fixtures/force_lookup.csv")))
        let t = try CSVReader.table(bytes, name: "lookup", fileName: "force_lookup.csv")
        XCTAssertEqual(names.detectForceColumn(t), "force_name")
        let codesAndRegions = Table(name: "t", columns: [t.column("pfa16cd")!, t.column("region")!, t.column("country")!])
        XCTAssertNil(names.detectForceColumn(codesAndRegions), "codes and regions are not force names")
        let later = Table(name: "t", columns: [t.column("pfa16cd")!, t.column("region")!, t.column("police_uk_label")!])
        XCTAssertEqual(names.detectForceColumn(later), "police_uk_label")
    }

    /// An ONS-style table: codes, names (upper-case totals, footnotes, regions, BTP) and counts.
    func testDetectsAreaNameInAPublishersLayout() throws {
        var csv = "Area Code,Area Name,offences\nK04000001,ENGLAND AND WALES [note 3],1\nE92000001,ENGLAND ,2\nE12000001,North East,3\n"
        for (i, row) in Self.lookup.enumerated() { csv += "\(row["pfa16cd"]!),\"\(i % 5 == 0 ? row["force_name"]!.uppercased() : row["force_name"]! + "\(i % 3)")\",\(i)\n" }
        csv += ",British Transport Police,7\n"
        XCTAssertEqual(names.detectForceColumn(try table(csv)), "Area Name")
    }

    func testSmallTables() throws {
        XCTAssertEqual(names.detectForceColumn(try table("region,Force,rate\nEast Midlands,Leicestershire,1\nSouth East,KENT,2\nNorth East,Durham3,3\n,England and Wales,4\n")), "Force")
        XCTAssertEqual(names.detectForceColumn(try table("PFA name,x\nLeicestershire,1\n")), "PFA name")
        XCTAssertNil(names.detectForceColumn(try table("name,x\nAlice,1\nBob,2\nKent,3\n")), "one force among other words is not a force column")
        XCTAssertNil(names.detectForceColumn(try table("region,x\nNorth East,1\nWest Midlands,2\nLondon,3\n")), "regions are not forces")
        XCTAssertNil(names.detectForceColumn(try table("a,b\n1,2\n")))
        XCTAssertNil(names.detectForceColumn(Table(name: "empty", columns: [])))
    }

    /// 20 forces among many other labels (basic command units) are enough.
    func testTwentyForcesAmongOtherLabels() throws {
        var csv = "unit,n\n"
        for row in Self.lookup.prefix(20) {
            csv += "\"\(row["force_name"]!)\",1\n"
            for k in 1...4 { csv += "\"\(row["force_name"]!) Area \(Character(UnicodeScalar(64 + k)!))\",1\n" }
        }
        XCTAssertEqual(names.detectForceColumn(try table(csv)), "unit")
        var nineteen = "unit,n\n"
        for row in Self.lookup.prefix(19) {
            nineteen += "\"\(row["force_name"]!)\",1\n"
            for k in 1...4 { nineteen += "\"\(row["force_name"]!) Area \(Character(UnicodeScalar(64 + k)!))\",1\n" }
        }
        XCTAssertNil(names.detectForceColumn(try table(nineteen)))
    }
}
