@testable import PeelIO
@testable import PeelRender
import Foundation
import XCTest

/// Sources as readers see them: the publisher and publication, not the files peel's data was built from.
final class CitationTests: XCTestCase {
    func testInternalPathsScriptsAndCopiesAreDropped() {
        XCTAssertEqual(Citation.forReaders("../shared/reference-data/force-lookup (force_lookup.csv and its SOURCES.md): Home Office PRC force names, ONS police force area lookups, House of Commons Library SN00634 (population, officers). Built by scripts/data/make_forces.py."),
                       "Home Office PRC force names, ONS police force area lookups, House of Commons Library SN00634 (population, officers).")
        XCTAssertEqual(Citation.forReaders("HMIC, PEEL: Police effectiveness 2016 – Leicestershire Police, Figure 2 (seeds 004_4fd8c52f16f9bbd6.txt); Home Office data"),
                       "HMIC, PEEL: Police effectiveness 2016 – Leicestershire Police, Figure 2; Home Office data")
        XCTAssertEqual(Citation.forReaders("Derived in ../shared/reference-data/home-office-prc-2017-18 (SOURCES.md) from the Home Office PRC open data."),
                       "Derived from the Home Office PRC open data.")
        XCTAssertEqual(Citation.forReaders("Home Office tables, sheet 2017/18; copy in ../shared/reference-data/home-office-prc-2017-18 (SOURCES.md)."),
                       "Home Office tables, sheet 2017/18.")
        XCTAssertEqual(Citation.forReaders("HMICFRS press releases; URL on every row. From ../shared/reference-data/peel-2017-grades."),
                       "HMICFRS press releases; URL on every row.")
    }

    func testPublicationsUrlsAndLoadedFilesAreKept() {
        let kept = ["Home Office crime outcomes open data, prc-outcomes-open-data-mar2018-tables.ods, via GitHub mpjashby/cj-charts.",
                    "HMICFRS news release, https://www.justiceinspectorates.gov.uk/hmicfrs/news/notes.txt",
                    "HMIC, Crime data integrity: inspection of Leicestershire Police, August 2014"]
        for s in kept { XCTAssertEqual(Citation.forReaders(s), s) }
        // A file the analyst loaded is its own source: nothing else to name.
        XCTAssertEqual(Citation.forReaders("Tests/GoldenTests/Fixtures/mixed-missing.csv"), "Tests/GoldenTests/Fixtures/mixed-missing.csv")
    }

    func testSentencesAndClausesDoNotDoubleTheirPunctuation() {
        XCTAssertEqual(Citation.sentence("Built from tables (2017)."), "Built from tables (2017).")
        XCTAssertEqual(Citation.sentence("Built from tables (2017)"), "Built from tables (2017).")
        XCTAssertEqual(Citation.clause("open data (tables).") + "; period: 2017", "open data (tables); period: 2017")
    }

    /// No bundled table's source, as shown to readers, names a project file.
    func testNoBundledSourceShowsAnInternalReference() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let catalog = try Catalog(directory: root.appendingPathComponent("datasets").path)
        for name in catalog.names {
            let source = try XCTUnwrap(catalog.source(of: name), name)
            let cited = Citation.forReaders(source)
            XCTAssertFalse(cited.isEmpty, name)
            for word in cited.split(separator: " ") { XCTAssertFalse(Citation.isInternalReference(word), "\(name): \(word)") }
            for bad in ["../", "SOURCES", ".py", "seeds", ".txt", "  ", " ;", ".;", ".."] { XCTAssertFalse(cited.contains(bad), "\(name): \(cited)") }
        }
    }
}
