@testable import PeelSupport
@testable import PeelData
@testable import PeelIO
import Foundation
import XCTest

/// Finding the table in a publisher's worksheet: synthetic grids for each rule, and real sheets
/// (exported cell by cell to JSON, see Fixtures/sheets/SOURCES.md) for the layouts publishers use.
final class SheetTableTests: XCTestCase {
    // MARK: - Helpers

    private let E = SheetCell.empty
    private func t(_ s: String) -> SheetCell { .text(s) }
    private func n(_ v: Double, _ d: Int? = nil) -> SheetCell { .number(v, decimals: d) }
    private func p(_ v: Double, _ d: Int? = nil) -> SheetCell { .percent(v, decimals: d) }

    private func extract(_ rows: [[SheetCell]], name: String = "P1", merges: [CellRange] = [], headerRow: Int? = nil,
                         range: String? = nil) throws -> SheetTableResult {
        var o = SheetOptions()
        o.headerRow = headerRow
        o.range = range.flatMap(CellRange.parse)
        return try SheetTable.extract(Sheet(name: name, rows: rows, merges: merges), tableName: "t", fileName: "f.xlsx", options: o)
    }

    private func names(_ r: SheetTableResult) -> [String] { r.table.columns.map(\.name) }

    private func column(_ r: SheetTableResult, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> Column {
        guard let c = r.table.columns.first(where: { $0.name == name }) else {
            XCTFail("no column '\(name)' in \(names(r))", file: file, line: line)
            return Column(name: name, data: .integer([]))
        }
        return c
    }

    private func texts(_ c: Column) -> [String?] { (0..<c.count).map { c.text($0) } }

    private func errorMessage(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as DiagnosticConvertible { return e.diagnostic.message } catch { return "\(error)" }
    }

    /// A small publisher-style sheet: a title, a blank row, a subtitle, the header, three forces and
    /// a total, then a source line and two footnotes.
    private func forcesSheet() -> [[SheetCell]] {
        [
            [t("Table P1: Police recorded crime by police force area, year ending March 20191,2")],
            [],
            [t("England and Wales")],
            [t("Area Code"), t("Area Name"), t("Number of offences2"), t("Rate per 1,000")],
            [t("E23000021"), t("Leicestershire3"), n(91315, 0), n(83.25, 1)],
            [t("E23000029"), t("Thames Valley12"), n(163515, 0), n(67.0, 1)],
            [t("W15000004"), t("Dyfed-Powys"), n(27915, 0), n(53.4, 1)],
            [t("K04000001"), t("ENGLAND AND WALES4"), n(5257081, 0), n(89.5, 1)],
            [t("Source: Home Office - Police recorded crime ")],
            [t("1. Police recorded crime data are not designated as National Statistics.")],
            [t("2. Includes  British Transport Police.")],
        ]
    }

    // MARK: - Header detection and extent

    func testTitleRowsAreSkippedAndTheHeaderFound() throws {
        let r = try extract(forcesSheet())
        XCTAssertEqual(r.headerRow, 4)
        XCTAssertEqual(r.range, CellRange.parse("A4:D8"))
        XCTAssertEqual(names(r), ["Area Code", "Area Name", "Number of offences", "Rate per 1,000"])
        XCTAssertEqual(r.table.rowCount, 4)
        XCTAssertEqual(r.table.columns.map(\.type), [.text, .text, .integer, .decimal])
        XCTAssertTrue(r.notes.contains("header in row 4 (2 title rows above it skipped)"), "\(r.notes)")
        XCTAssertEqual(r.table.info.notes.prefix(2), ["Table P1: Police recorded crime by police force area, year ending March 20191,2", "England and Wales"])
    }

    func testNotesBelowTheTableAreLeftOutAndKeptInTheTableNotes() throws {
        let r = try extract(forcesSheet())
        XCTAssertEqual(r.table.rowCount, 4, "the source line and footnotes are not rows")
        XCTAssertTrue(r.notes.contains("3 note rows below the table left out"), "\(r.notes)")
        XCTAssertEqual(Array(r.table.info.notes.suffix(3)), [
            "Source: Home Office - Police recorded crime",
            "1. Police recorded crime data are not designated as National Statistics.",
            "2. Includes British Transport Police.",
        ])
        // No footnote text leaks into a value.
        XCTAssertFalse(texts(column(r, "Area Name")).contains { $0?.contains("Source") ?? false })
    }

    func testNoteRowsOfEachKindEndTheTable() throws {
        for note in ["1. Includes BTP", "1 Includes BTP", "12) See the user guide", "Source: ONS", "Notes", "Note: provisional", "* suppressed", "† estimate"] {
            let rows: [[SheetCell]] = [
                [t("Force"), t("Count")],
                [t("Kent"), n(5)],
                [t(note)],
                [t("Essex"), n(7)],
            ]
            let r = try extract(rows)
            XCTAssertEqual(r.table.rowCount, 1, note)
            XCTAssertEqual(r.table.columns[1].type, .integer, note)
        }
        // A label that only starts with a number is data, not a note, when it has values beside it.
        let r = try extract([[t("Group"), t("Count")], [t("1 Local policing"), n(5)], [t("2 Response"), n(7)]])
        XCTAssertEqual(r.table.rowCount, 2)
    }

    func testTheHeaderIsTheRowThatNamesMostOfTheDataColumns() throws {
        // A row of two headings far apart ("England and Wales", "Headcount") is a title, not the header.
        let rows: [[SheetCell]] = [
            [t("Table X  Officers, by force")],
            [t("England and Wales"), E, E, E, t("Headcount")],
            [t("Force"), t("Male"), t("Female"), t("Other"), t("Total")],
            [t("Kent"), n(3), n(4), n(0), n(7)],
            [t("Essex"), n(2), n(2), n(1), n(5)],
        ]
        let r = try extract(rows)
        XCTAssertEqual(r.headerRow, 3)
        XCTAssertEqual(names(r), ["Force", "Male", "Female", "Other", "Total"])
        XCTAssertEqual(r.table.info.notes, ["Table X Officers, by force", "England and Wales", "Headcount"])
    }

    func testAUnitsRowBetweenTheHeaderAndTheDataIsSkipped() throws {
        let rows: [[SheetCell]] = [
            [t("Force"), t("Offences"), t("Rate")],
            [E, t("Numbers")],
            [t("Kent"), n(5), n(1.5, 1)],
            [t("Essex"), n(7), n(2.5, 1)],
        ]
        let r = try extract(rows)
        XCTAssertEqual(r.headerRow, 1)
        XCTAssertEqual(r.table.rowCount, 2)
        XCTAssertEqual(column(r, "Offences").type, .integer)
        XCTAssertTrue(r.notes.contains("row 2 between the header and the data left out (Numbers)"), "\(r.notes)")
        XCTAssertEqual(r.table.info.notes, ["Numbers"])
    }

    func testASecondBlockAfterABlankRowIsNotAppended() throws {
        let rows: [[SheetCell]] = [
            [t("Year"), t("Chief Officer"), t("Sergeant")],
            [t("2015/16"), n(13), n(822)],
            [t("2016/17"), n(15), n(1395)],
            [],
            [t("Change between")],
            [t("31.03.16 and 31.03.17"), n(2), n(573)],
            [],
            [t("Notes")],
            [t("1. Promotions are on a headcount basis.")],
        ]
        let r = try extract(rows)
        XCTAssertEqual(r.table.rowCount, 2)
        XCTAssertEqual(texts(column(r, "Year")), ["2015/16", "2016/17"])
        XCTAssertTrue(r.notes.contains("rows 5–6 below a blank row were not read; use range to read them"), "\(r.notes)")
        XCTAssertTrue(r.notes.contains("2 note rows below the table left out"), "\(r.notes)")
        XCTAssertFalse(r.table.info.notes.contains("Change between"), "the second block is data, not a note")
        // The second block can be read with a range.
        let b = try extract(rows, range: "A5:C6")
        XCTAssertEqual(names(b), ["Change between", "column_2", "column_3"])
        XCTAssertEqual(b.table.rowCount, 1)
    }

    func testBlankRowsBetweenRowsOfTheSameShapeAreSeparators() throws {
        // As in ONS tables: England and Wales, then a blank row, then England, a blank row, the regions.
        let rows: [[SheetCell]] = [
            [t("Area"), t("Incidents"), t("Rate")],
            [t("ENGLAND AND WALES"), n(1000), n(10.5, 1)],
            [],
            [t("ENGLAND"), n(900), n(10.1, 1)],
            [],
            [t("North East"), n(100), t("..")],
            [t("Cleveland"), n(40), n(9.0, 1)],
            [],
            [t("Source: Home Office")],
        ]
        let r = try extract(rows)
        XCTAssertEqual(texts(column(r, "Area")), ["ENGLAND AND WALES", "ENGLAND", "North East", "Cleveland"])
        XCTAssertTrue(r.notes.contains("2 blank rows inside the table skipped"), "\(r.notes)")
        XCTAssertEqual(r.table.info.notes, ["Source: Home Office"])
        // A row after a blank row without the label column's value is another block.
        let other = try extract([[t("Type"), t("Tactic"), t("Count")], [t("Restraint"), t("Handcuffing"), n(5)], [t("Other"), t("Dog"), n(2)],
                                 [], [E, t("Tactical communication"), n(203141)]])
        XCTAssertEqual(other.table.rowCount, 2)
        XCTAssertTrue(other.notes.contains("row 5 below a blank row was not read; use range to read it"), "\(other.notes)")
    }

    func testABlockBesideTheTableIsNotRead() throws {
        let rows: [[SheetCell]] = [
            [t("Force"), t("2017"), E, t("Force"), t("2018")],
            [t("Kent"), n(5), E, t("Kent"), n(6)],
            [t("Essex"), n(7), E, t("Essex"), n(8)],
        ]
        let r = try extract(rows)
        XCTAssertEqual(names(r), ["Force", "2017"])
        XCTAssertTrue(r.notes.contains("columns D–E right of a blank column were not read; use range to read them"), "\(r.notes)")
        XCTAssertEqual(r.range, CellRange.parse("A1:B3"))
    }

    func testEmptySpacerColumnsAreLeftOutAndValuesUnderAnEmptyHeadingKept() throws {
        let rows: [[SheetCell]] = [
            [E, t("Male"), E, t("Female"), E],
            [t("Kent"), n(5), E, n(6), n(11)],
            [t("Essex"), n(7), E, n(8), n(15)],
        ]
        let r = try extract(rows)
        XCTAssertEqual(names(r), ["column_1", "Male", "Female", "column_4"])
        XCTAssertEqual(texts(column(r, "column_1")), ["Kent", "Essex"])
        XCTAssertTrue(r.notes.contains("1 empty column left out (C)"), "\(r.notes)")
        XCTAssertTrue(r.notes.contains("2 columns without a heading named column_1, column_4"), "\(r.notes)")
    }

    // MARK: - Column names

    func testHeadingsAreCleanedAndFootnoteDigitsRemoved() throws {
        let rows: [[SheetCell]] = [
            [t("  Force\nname "), t("Number of offences2"), t("2017/18"), t("Q1"), t("P1"), t("E23000021"), t("Stalking and  harassment4"),
             t("Total officers per 100,000 population1, 2"), t("Total"), t("total"), E],
            [t("Kent"), n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(8), n(9), n(10)],
        ]
        let r = try extract(rows)
        XCTAssertEqual(names(r), ["Force name", "Number of offences", "2017/18", "Q1", "P1", "E23000021", "Stalking and harassment",
                                  "Total officers per 100,000 population", "Total", "total_2", "column_11"])
        XCTAssertTrue(r.notes.contains("footnote digits removed from 3 column names (Number of offences2 → Number of offences)"), "\(r.notes)")
        XCTAssertTrue(r.notes.contains("1 repeated heading renamed (total → total_2)"), "\(r.notes)")
    }

    func testFootnoteDigitsInHeadingsAsPublishersWriteThem() {
        let cases: [(String, String)] = [
            ("Number of offences2", "Number of offences"),
            ("Total recorded crime (excluding fraud3)", "Total recorded crime (excluding fraud)"),
            ("Officers available for duty1 (full-time equivalent)", "Officers available for duty (full-time equivalent)"),
            ("Population figures (mid-2017)3 rounded", "Population figures (mid-2017) rounded"),
            ("Apr '07 to Mar '084", "Apr '07 to Mar '08"),
            ("Apr '11 to Mar '126,7,8", "Apr '11 to Mar '12"),
            ("Derbyshire6", "Derbyshire"),
            ("ENGLAND AND WALES7,8,9,10,11", "ENGLAND AND WALES"),
            // Kept as written.
            ("2017/18", "2017/18"), ("Q1", "Q1"), ("P10", "P10"), ("KS4", "KS4"), ("FY19", "FY19"), ("E23000021", "E23000021"),
            ("Mar19", "Mar19"), ("Year 2", "Year 2"), ("Rate per 1,000", "Rate per 1,000"), ("Apr '07 to Mar '08", "Apr '07 to Mar '08"),
            ("Table 2a1", "Table 2a1"), ("OVER35 years", "OVER35 years"), ("Top10 forces", "Top10 forces"),
            // Footnotes are numbered from 1: a trailing 0 is part of the name.
            ("neg0", "neg0"), ("Rate (per 10)0", "Rate (per 10)0"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(SheetTableNames.stripFootnotes(input), expected, input)
        }
    }

    func testATwoRowHeaderJoinsRepeatedHeadingsWithTheirGroupLabel() throws {
        // Home Office workforce layout: group labels above, the same rank names under each.
        let rows: [[SheetCell]] = [
            [t("England and Wales")],
            [t("Police force"), t("Male ranks"), E, E, t("Female ranks"), E, E, t("Total police ranks")],
            [E, t("Chief Officer"), t("Sergeant"), t("Total male ranks"), t("Chief Officer"), t("Sergeant"), t("Total female ranks"), E],
            [t("Kent"), n(3), n(40), n(43), n(1), n(10), n(11), n(54)],
            [t("Essex"), n(4), n(50), n(54), n(2), n(12), n(14), n(68)],
        ]
        let r = try extract(rows)
        XCTAssertEqual(r.headerRow, 3)
        XCTAssertEqual(names(r), ["Police force", "Male ranks Chief Officer", "Male ranks Sergeant", "Total male ranks",
                                  "Female ranks Chief Officer", "Female ranks Sergeant", "Total female ranks", "Total police ranks"])
        XCTAssertEqual(column(r, "Total male ranks").description, "Male ranks (sheet column D)", "a unique heading keeps its own name; the group label describes it")
        XCTAssertEqual(r.range, CellRange.parse("A2:H5"))
        XCTAssertTrue(r.notes.contains("header in rows 2–3 (1 title row above it skipped)"), "\(r.notes)")
        XCTAssertTrue(r.notes.contains("4 headings repeated under different group labels joined with the label (Male ranks Chief Officer)"), "\(r.notes)")
    }

    func testMergedHeadingsTakeTheirTopLeftValue() throws {
        // ONS layout: a heading two rows tall (C4:C5) and group labels merged across their columns.
        let rows: [[SheetCell]] = [
            [t("Table P1")],
            [E, E, t("Total recorded crime"), E, t("Victim-based crime"), E, E],
            [t("Area Code"), t("Area Name"), E, E, t("Violence"), t("Homicide"), t("Robbery")],
            [t("E23000013"), t("Cleveland"), n(67307), E, n(21968), n(15), n(512)],
            [t("E23000008"), t("Durham"), n(63621), E, n(24767), n(8), n(190)],
        ]
        let merges = [CellRange.parse("C2:C3")!, CellRange.parse("E2:G2")!]
        let r = try extract(rows, merges: merges)
        XCTAssertEqual(r.headerRow, 3)
        XCTAssertEqual(names(r), ["Area Code", "Area Name", "Total recorded crime", "Violence", "Homicide", "Robbery"])
        XCTAssertEqual(column(r, "Homicide").description, "Victim-based crime (sheet column F)")
        XCTAssertEqual(column(r, "Total recorded crime").description, "sheet column C")
        XCTAssertTrue(r.notes.contains("1 empty column left out (D)"), "\(r.notes)")
    }

    func testHeadingsAboveABlankRowNameColumnsTheHeaderLeavesEmpty() throws {
        // Home Office use-of-force layout.
        let rows: [[SheetCell]] = [
            [t("Table 1. Number of times tactics were used")],
            [E, E, t("Number of times tactic reported"), t("Number of incidents involving tactic")],
            [],
            [t("Type of force"), t("Tactic")],
            [t("Restraint"), t("Handcuffing"), n(302449), n(295963)],
            [t("Restraint"), t("Ground restraint"), n(68582), n(68582)],
        ]
        let r = try extract(rows)
        XCTAssertEqual(r.headerRow, 4)
        XCTAssertEqual(names(r), ["Type of force", "Tactic", "Number of times tactic reported", "Number of incidents involving tactic"])
        XCTAssertEqual(r.table.info.notes, ["Table 1. Number of times tactics were used"])
        XCTAssertTrue(r.notes.contains("header in row 4 (1 title row above it skipped); names for columns C, D from row 2"), "\(r.notes)")
    }

    func testYearHeadingsWrittenAsNumbers() throws {
        let rows: [[SheetCell]] = [
            [t("Officers, 31 March")],
            [t("Force"), n(2015), n(2016), n(2017)],
            [t("Kent"), n(3300.5, 1), n(3210.2, 1), n(3100, 1)],
            [t("Essex"), n(3000, 1), n(2950.5, 1), n(2900.1, 1)],
        ]
        let r = try extract(rows)
        XCTAssertEqual(r.headerRow, 2)
        XCTAssertEqual(names(r), ["Force", "2015", "2016", "2017"])
        XCTAssertEqual(column(r, "2017").formatted(0), "3100.0")
    }

    func testASingleHeadingOverTheFigures() throws {
        // HMIC value-for-money layout: the force names have no heading.
        let rows: [[SheetCell]] = [
            [t("ADR 441 - 999 calls received by force (year to 31 March 2013)")],
            [],
            [E, t("999 calls received")],
            [t("Avon & Somerset"), n(202960, 0)],
            [t("Bedfordshire"), n(88013, 0)],
        ]
        let r = try extract(rows)
        XCTAssertEqual(r.headerRow, 3)
        XCTAssertEqual(names(r), ["column_1", "999 calls received"])
        XCTAssertEqual(r.table.rowCount, 2)
        XCTAssertEqual(r.table.info.notes, ["ADR 441 - 999 calls received by force (year to 31 March 2013)"])
        XCTAssertTrue(SheetTable.holdsTable(Sheet(name: "S", rows: rows)))
        // A title over the label column is no heading.
        XCTAssertThrowsError(try extract([[t("Crimes by force")], [t("Kent"), n(5)], [t("Essex"), n(7)]]))
    }

    func testDateHeadingsAndAGroupRowAboveABlankRow() throws {
        // Home Office workforce Table H6 layout.
        let mar16 = CivilDate.days(year: 2016, month: 3, day: 1)!, mar17 = CivilDate.days(year: 2017, month: 3, day: 1)!
        let rows: [[SheetCell]] = [
            [t("Table H6  Police staff, by police force area")],
            [],
            [t("England and Wales"), E, E, E, E, t("Full time equivalents")],
            [t("Police force area"), t("As at:"), E, E, t("Change in 12 months\nMar-16 - Mar-17")],
            [],
            [E, .date(mar16), .date(mar17), E, t("Number"), t("%")],
            [t("North East"), n(2280.33), n(2337.76), E, n(57.43000000000029), n(2.518495130090833)],
            [t("Cleveland"), n(220.76), n(266.7), E, n(45.94), n(20.80992933502446)],
        ]
        let r = try extract(rows)
        XCTAssertEqual(r.headerRow, 6)
        XCTAssertEqual(names(r), ["Police force area", "2016-03-01", "2017-03-01", "Number", "%"])
        XCTAssertEqual(column(r, "2016-03-01").description, "As at: (sheet column B)")
        XCTAssertEqual(column(r, "%").description, "Change in 12 months Mar-16 - Mar-17 (sheet column F)")
        XCTAssertEqual(column(r, "Number").formatted(0), "57.43")
        XCTAssertEqual(r.table.info.notes, ["Table H6 Police staff, by police force area", "England and Wales", "Full time equivalents"])
    }

    func testASymbolHeadingIsAHeading() throws {
        let rows: [[SheetCell]] = [
            [t("Table 3")],
            [t("Force"), t("Number"), t("%")],
            [t("Kent"), n(5), n(12.5, 1)],
            [t("Essex"), n(7), t("+")],
        ]
        let r = try extract(rows)
        XCTAssertEqual(r.headerRow, 2)
        XCTAssertEqual(names(r), ["Force", "Number", "%"])
        XCTAssertEqual(column(r, "%").type, .decimal)
    }

    // MARK: - Footnote digits in labels

    func testFootnoteDigitsGluedToLabelsAreRemoved() throws {
        let r = try extract(forcesSheet())
        XCTAssertEqual(texts(column(r, "Area Name")), ["Leicestershire", "Thames Valley", "Dyfed-Powys", "ENGLAND AND WALES"])
        XCTAssertTrue(r.notes.contains("footnote digits removed from 3 labels (Leicestershire3 → Leicestershire)"), "\(r.notes)")
        XCTAssertEqual(texts(column(r, "Area Code")), ["E23000021", "E23000029", "W15000004", "K04000001"], "codes are never touched")
    }

    func testALoneFootnoteIsRemovedOnlyWhenTheLabelAppearsWithoutIt() throws {
        let one = try extract([[t("Force"), t("N")], [t("Kent"), n(1)], [t("Essex"), n(2)], [t("Kent2"), n(3)]])
        XCTAssertEqual(texts(column(one, "Force")), ["Kent", "Essex", "Kent"])
        let lone = try extract([[t("Force"), t("N")], [t("Kent"), n(1)], [t("Essex"), n(2)], [t("Surrey2"), n(3)]])
        XCTAssertEqual(texts(column(lone, "Force")), ["Kent", "Essex", "Surrey2"], "one label with digits and no twin: maybe not a footnote")
        XCTAssertFalse(lone.notes.contains { $0.hasPrefix("footnote digits removed from") })
    }

    func testCodesPeriodsAndSeriesKeepTheirDigits() throws {
        let rows: [[SheetCell]] = [
            [t("Code"), t("Quarter"), t("Year"), t("Phase"), t("N")],
            [t("E23000021"), t("Q1"), t("2017/18"), t("Phase2"), n(1)],
            [t("W15000004"), t("Q2"), t("2018/19"), t("Phase3"), n(2)],
            [t("E23000001"), t("P10"), t("2019/20"), t("Phase4"), n(3)],
        ]
        let r = try extract(rows)
        XCTAssertEqual(texts(column(r, "Code")), ["E23000021", "W15000004", "E23000001"])
        XCTAssertEqual(texts(column(r, "Quarter")), ["Q1", "Q2", "P10"])
        XCTAssertEqual(texts(column(r, "Year")), ["2017/18", "2018/19", "2019/20"])
        XCTAssertEqual(texts(column(r, "Phase")), ["Phase2", "Phase3", "Phase4"], "labels that would all become one are a series")
    }

    // MARK: - Cell types

    func testMarkersAreMissingWithTheirReasonAndNeverMakeText() throws {
        let rows: [[SheetCell]] = [
            [t("Force"), t("Offences"), t("Rate")],
            [t("Kent"), n(5), .error("#DIV/0!")],
            [t("Essex"), t(".."), n(1.5, 1)],
            [t("Surrey"), t(" [c] "), t("[x]")],
            [t("Sussex"), t("[C]"), E],
            [t("Dorset"), t("N/A"), t("-")],
            [t("City of London"), n(9), t("+")],
        ]
        let r = try extract(rows)
        let offences = column(r, "Offences")
        XCTAssertEqual(offences.type, .integer)
        XCTAssertEqual((0..<6).map(offences.isMissing), [false, true, true, true, true, false])
        XCTAssertEqual(offences.missingReasons, MissingReasons(codes: [0, 1, 2, 3, 4, 0], markers: ["..", "[c]", "[C]", "N/A"]))
        let rate = column(r, "Rate")
        XCTAssertEqual(rate.type, .decimal)
        XCTAssertEqual(rate.number(1), 1.5)
        XCTAssertEqual(rate.missingReasons, MissingReasons(codes: [1, 0, 2, 0, 3, 4], markers: ["#DIV/0!", "[x]", "-", "+"]),
                       "a symbol alone (ONS '+': suppressed) is a marker too")
        XCTAssertTrue(rate.isMissing(3), "a blank cell is missing without a reason")
        XCTAssertNil(rate.number(0), "missing is missing, never zero")
    }

    func testMarkersInAColumnOfWords() throws {
        // Significance flags: `*` and `-` are words there; `:` still means not available.
        let rows: [[SheetCell]] = [
            [t("Area"), t("Percent"), t("Significant")],
            [t("ENGLAND AND WALES"), n(37.8, 1), t(":")],
            [t("Cleveland"), n(44.3, 1), t("*")],
            [t("Durham"), n(40.6, 1), t("*↑")],
            [t("Kent"), n(38.1, 1), E],
        ]
        let r = try extract(rows)
        let flags = column(r, "Significant")
        XCTAssertEqual(texts(flags), [nil, "*", "*↑", nil])
        XCTAssertEqual(flags.missingReasons, MissingReasons(codes: [1, 0, 0, 0], markers: [":"]))
    }

    func testTextCellsHoldingNumbersAreNumbers() throws {
        let rows: [[SheetCell]] = [
            [t("Force"), t("Officers"), t("Share"), t("Rate")],
            [t("Kent"), t(" 2863 "), t("84.1%"), t("12.50")],
            [t("Essex"), t("1,662"), t("7.5%"), t("3.25")],
            [t("Surrey"), t("-00"), t(" 10.0% "), n(4)],
        ]
        let r = try extract(rows)
        let officers = column(r, "Officers")
        XCTAssertEqual(officers.type, .integer)
        XCTAssertEqual((0..<3).map(officers.number), [2863, 1662, 0])
        let share = column(r, "Share")
        XCTAssertEqual(share.unit, "%")
        XCTAssertEqual((0..<3).map(share.number), [84.1, 7.5, 10.0])
        let rate = column(r, "Rate")
        XCTAssertEqual(rate.type, .decimal)
        XCTAssertEqual((0..<3).map(rate.formatted), ["12.50", "3.25", "4"])
    }

    func testPercentCellsAreDecimalsTimesAHundred() throws {
        let rows: [[SheetCell]] = [
            [t("Force"), t("Satisfied"), t("General")],
            [t("Kent"), p(0.841, 1), p(0.8670225994518836)],
            [t("Essex"), p(0.8211394818925806, 1), p(0.5)],
        ]
        let r = try extract(rows)
        let s = column(r, "Satisfied")
        XCTAssertEqual(s.unit, "%")
        XCTAssertEqual(s.scale, 1)
        XCTAssertEqual(s.number(0), 84.1, "0.841 × 100 is 84.1, not 84.10000000000001")
        XCTAssertEqual(s.formatted(1), "82.1")
        let g = column(r, "General")
        XCTAssertEqual(g.number(0), 86.7022599452, "General: written to 12 significant digits")
        XCTAssertEqual(g.formatted(0), "86.7022599452")
        XCTAssertEqual(g.formatted(1), "50")
    }

    func testNumberFormatsGiveTheScale() throws {
        let rows: [[SheetCell]] = [
            [t("Force"), t("Count"), t("Shown 1dp"), t("General"), t("Whole as 1dp"), t("Rounded rate"), t("Third")],
            [t("Kent"), n(5, 0), n(1.25, 1), n(730.8800000000001), n(12, 1), n(71.80453529058131, 0), n(2.0 / 3)],
            [t("Essex"), n(6), n(2, 1), n(17), n(13, 1), n(67.5, 0), n(2337.76 - 2280.33)],
        ]
        let r = try extract(rows)
        XCTAssertEqual(column(r, "Count").type, .integer)
        let one = column(r, "Shown 1dp")
        XCTAssertEqual(one.scale, 1)
        XCTAssertEqual(one.number(0), 1.25, "the value is kept; the format only says how it is shown")
        XCTAssertEqual(one.formatted(1), "2.0")
        let general = column(r, "General")
        XCTAssertEqual(general.number(0), 730.88)
        XCTAssertEqual((0..<2).map(general.formatted), ["730.88", "17"], "each value keeps the precision it was written with")
        XCTAssertEqual(column(r, "Whole as 1dp").type, .decimal, "a format with decimals is not an integer column")
        let rate = column(r, "Rounded rate")
        XCTAssertEqual(rate.type, .decimal)
        XCTAssertEqual(rate.number(0), 71.80453529058131)
        XCTAssertEqual(rate.formatted(0), "72")
        let third = column(r, "Third")
        XCTAssertEqual((0..<2).map(third.formatted), ["0.666666666667", "57.43"], "at most 12 decimals; a formula's float noise goes")
        XCTAssertEqual(third.number(1), 57.43)
    }

    func testDateCellsAndBools() throws {
        let d1 = CivilDate.days(year: 2017, month: 7, day: 21)!, d2 = CivilDate.days(year: 2018, month: 3, day: 31)!
        let rows: [[SheetCell]] = [
            [t("Table"), t("Updated"), t("National Statistics"), t("N")],
            [t("H1"), .date(d1), .bool(true), n(1)],
            [t("H2"), .date(d2), .bool(false), n(2)],
        ]
        let r = try extract(rows)
        let updated = column(r, "Updated")
        XCTAssertEqual(updated.type, .date)
        XCTAssertEqual(texts(updated), ["2017-07-21", "2018-03-31"])
        XCTAssertEqual(texts(column(r, "National Statistics")), ["TRUE", "FALSE"])
    }

    func testAWordAmongNumbersMakesTextWithALocatedWarning() throws {
        var rows: [[SheetCell]] = [[t("Title")], [], [t("Force"), E, E, t("Rate")]]
        for k in 0..<12 { rows.append([t("Force \(k)"), E, E, n(Double(k) + 0.5, 1)]) }
        rows.append([t("Kent"), E, E, t("see note")])
        let r = try extract(rows)
        let rate = column(r, "Rate")
        XCTAssertEqual(rate.type, .text)
        XCTAssertEqual(rate.text(0), "0.5")
        XCTAssertEqual(r.warnings.count, 1)
        XCTAssertEqual(r.warnings.first?.message, "sheet 'P1' cell D16: column 'Rate' read as text because of 'see note'")
        XCTAssertEqual(r.warnings.first?.location?.file, "f.xlsx")
        XCTAssertEqual(r.warnings.first?.isWarning, true)
    }

    func testRowsWithNoValuesAreDropped() throws {
        let rows: [[SheetCell]] = [
            [t("Force"), t("N"), t("M")],
            [t("Kent"), n(1), n(2)],
            [E, t(".."), t("..")],
            [t("Essex"), t(".."), n(3)],
        ]
        let r = try extract(rows)
        XCTAssertEqual(texts(column(r, "Force")), ["Kent", "Essex"])
        XCTAssertTrue(r.notes.contains("1 row with no values left out"), "\(r.notes)")
        XCTAssertEqual(column(r, "N").missingReasons, MissingReasons(codes: [0, 1], markers: [".."]))
    }

    // MARK: - Overrides and errors

    func testHeaderRowOverride() throws {
        // Row 3 holds the headings the user wants; the detector would take row 3 too, so ask for row 2.
        let rows: [[SheetCell]] = [
            [t("Title")],
            [t("Area"), t("Figure")],
            [t("Kent"), n(5)],
            [t("Essex"), n(6)],
        ]
        let r = try extract(rows, headerRow: 3)
        XCTAssertEqual(r.headerRow, 3)
        XCTAssertEqual(names(r), ["Kent", "5"])
        XCTAssertEqual(r.table.rowCount, 1)
        XCTAssertTrue(r.notes.contains("2 rows above the header skipped"), "\(r.notes)")
        XCTAssertEqual(errorMessage { _ = try self.extract(rows, headerRow: 9) }, "header row 9 is outside sheet 'P1', whose cells are in rows 1–4")
        XCTAssertEqual(errorMessage { _ = try self.extract(rows + [[], [t("x"), n(1)]], headerRow: 5) }, "row 5 of sheet 'P1' is blank, so it holds no headings")
    }

    func testRangeOverride() throws {
        let rows: [[SheetCell]] = [
            [t("Title")],
            [t("Area"), t("Figure"), t("Other")],
            [t("Kent"), n(5), n(1)],
            [t("Essex"), n(6), n(2)],
            [],
            [t("Source: x")],
        ]
        let r = try extract(rows, range: "B2:C4")
        XCTAssertEqual(names(r), ["Figure", "Other"])
        XCTAssertEqual(r.table.rowCount, 2)
        XCTAssertEqual(r.range, CellRange.parse("B2:C4"))
        XCTAssertEqual(r.headerRow, 2)
        // Header inside the range, rows above it skipped.
        let h = try extract(rows, headerRow: 2, range: "A1:B4")
        XCTAssertEqual(names(h), ["Area", "Figure"])
        XCTAssertEqual(h.table.rowCount, 2)
        XCTAssertEqual(errorMessage { _ = try self.extract(rows, range: "E10:F12") }, "range E10:F12 is outside sheet 'P1', whose cells are A1:C6")
        XCTAssertEqual(errorMessage { _ = try self.extract(rows, headerRow: 1, range: "A2:B4") }, "header row 1 is outside the range A2:B4")
        // A range written corner to corner the other way round is the same range.
        var o = SheetOptions()
        o.range = CellRange(firstRow: 3, firstColumn: 2, lastRow: 1, lastColumn: 1)
        let flipped = try SheetTable.extract(Sheet(name: "P1", rows: rows), tableName: "t", fileName: "f", options: o)
        XCTAssertEqual(flipped.range, CellRange.parse("B2:C4"))
    }

    func testASheetWithoutATable() {
        XCTAssertEqual(errorMessage { _ = try self.extract([], name: "X") }, "sheet 'X' holds no table")
        XCTAssertEqual(errorMessage { _ = try self.extract([[E, t("  ")]], name: "X") }, "sheet 'X' holds no table")
        do {
            _ = try extract([], name: "X")
            XCTFail("an empty sheet gave a table")
        } catch let e as WorkbookError {
            XCTAssertEqual(e, WorkbookError(file: "f.xlsx", "sheet 'X' holds no table", help: "the sheet has no cells with values; choose another sheet"))
        } catch {
            XCTFail("\(error)")
        }
        XCTAssertEqual(errorMessage { _ = try self.extract([[t("Notes")], [], [t("These tables are published alongside the bulletin.")]], name: "Notes") },
                       "sheet 'Notes' holds no table")
        XCTAssertEqual(errorMessage { _ = try SheetTable.extract(Sheet(name: "Chart1", isChart: true), tableName: "t", fileName: "f.xlsx", options: SheetOptions()) },
                       "sheet 'Chart1' is a chart sheet and holds no table")
    }

    func testHoldsTableAndTitle() {
        XCTAssertTrue(SheetTable.holdsTable(Sheet(name: "P1", rows: forcesSheet())))
        XCTAssertEqual(SheetTable.title(Sheet(name: "P1", rows: forcesSheet())), "Table P1: Police recorded crime by police force area, year ending March 20191,2")
        let notes = Sheet(name: "Notes", rows: [[t("Crime in England & Wales\nPFA tables")], [], [t("Table P1: Police recorded crime")]])
        XCTAssertFalse(SheetTable.holdsTable(notes))
        XCTAssertEqual(SheetTable.title(notes), "Crime in England & Wales")
        // An index of tables (words and dates, no figures) is not a table to choose first.
        let index = Sheet(name: "Index", rows: [[t("Table number"), t("Title"), t("Last updated")],
                                                [t("H1"), t("Police officers"), .date(17368)], [t("H2"), t("Police staff"), .date(17368)]])
        XCTAssertFalse(SheetTable.holdsTable(index))
        XCTAssertNil(SheetTable.title(index), "a header row is no title")
        XCTAssertEqual((try? SheetTable.extract(index, tableName: "t", fileName: "f", options: SheetOptions()))?.table.rowCount, 2,
                       "asked for by name, it is read as a table of text")
        // Nor is a contents sheet whose only numbers are the tables' numbers 1, 2, 3.
        let contents = Sheet(name: "Contents", rows: [[t("Contents")], [], [t("Table"), t("Title"), t("Period covered")],
                                                      [n(1), t("Tactics"), t("2018/19")], [n(2), t("Age"), t("2018/19")], [n(3), t("Gender"), t("2018/19")]])
        XCTAssertFalse(SheetTable.holdsTable(contents))
        XCTAssertEqual((try? SheetTable.extract(contents, tableName: "t", fileName: "f", options: SheetOptions()))?.table.rowCount, 3)
        // Lists of words with a marker here and there are no table either.
        let lists = Sheet(name: "Lists", rows: [[t("YesNo"), t("Gender")], [t("Yes"), t("Male")], [t("No"), t("N/A")]])
        XCTAssertFalse(SheetTable.holdsTable(lists))
        XCTAssertFalse(SheetTable.holdsTable(Sheet(name: "C", isChart: true)))
        XCTAssertFalse(SheetTable.holdsTable(Sheet(name: "One", rows: [[t("Force"), n(1)]])))
    }

    func testInterruption() {
        var rows: [[SheetCell]] = [[t("Force"), t("N")]]
        for k in 0..<9000 { rows.append([t("F\(k)"), n(Double(k))]) }
        var o = SheetOptions()
        o.isInterrupted = { true }
        XCTAssertThrowsError(try SheetTable.extract(Sheet(name: "S", rows: rows), tableName: "t", fileName: "f", options: o)) { e in
            XCTAssertEqual(e as? DataFileError, DataFileError.interrupted(table: "t"))
        }
    }

    /// Random grids (fixed seed): whatever the cells, extracting never traps, and every column has
    /// one value per row.
    func testRandomGridsNeverTrap() {
        var rng = SplitMix(seed: 7)
        let words = ["Kent", "Total5", "..", "[c]", "Source: x", "1. note", "", " ", "E23000021", "2017/18", "12%", "1,662", "-", "*", "#N/A", "x\ny"]
        for _ in 0..<400 {
            let height = Int(rng.next() % 14), width = Int(rng.next() % 7) + 1
            var rows: [[SheetCell]] = []
            for _ in 0..<height {
                var row: [SheetCell] = []
                for _ in 0..<Int(rng.next() % UInt64(width + 1)) {
                    switch rng.next() % 9 {
                    case 0, 1: row.append(.empty)
                    case 2, 3: row.append(.text(words[Int(rng.next() % UInt64(words.count))]))
                    case 4: row.append(.number(Double(Int64(rng.next() % 2000)) / 4 - 100, decimals: rng.next() % 2 == 0 ? nil : Int(rng.next() % 20)))
                    case 5: row.append(.percent([0.5, .infinity, .nan, 1e300][Int(rng.next() % 4)], decimals: nil))
                    case 6: row.append(.date(Int32(truncatingIfNeeded: Int64(rng.next() % 40000))))
                    case 7: row.append(.bool(rng.next() % 2 == 0))
                    default: row.append(.error("#DIV/0!"))
                    }
                }
                rows.append(row)
            }
            let merges = rng.next() % 3 == 0 ? [CellRange(firstRow: 0, firstColumn: 0, lastRow: Int(rng.next() % 3), lastColumn: Int(rng.next() % 4))] : []
            let sheet = Sheet(name: "R", rows: rows, merges: merges)
            _ = SheetTable.holdsTable(sheet)
            _ = SheetTable.title(sheet)
            for header in [nil, 1, 3, 0, -5, Int.max] {
                var o = SheetOptions()
                o.headerRow = header
                // Ranges in any order, even before A1.
                if rng.next() % 4 == 0 {
                    o.range = CellRange(firstRow: Int(rng.next() % 6) - 1, firstColumn: Int(rng.next() % 4) - 1, lastRow: Int(rng.next() % 20) - 1, lastColumn: Int(rng.next() % 8) - 1)
                }
                guard let r = try? SheetTable.extract(sheet, tableName: "t", fileName: "f", options: o) else { continue }
                let count = r.table.rowCount
                for c in r.table.columns {
                    XCTAssertEqual(c.count, count)
                    if let reasons = c.missingReasons { XCTAssertEqual(reasons.codes.count, count) }
                    for i in 0..<count { _ = c.formatted(i) }
                }
            }
        }
    }

    // MARK: - Real publisher sheets (JSON exports, see Fixtures/sheets/SOURCES.md)

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sheets")

    /// Builds a `Sheet` from a fixture written by Fixtures/sheets/export_sheet.py.
    private func fixture(_ name: String) throws -> Sheet {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(name))
        guard let doc = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let sheetName = doc["sheet"] as? String, let rows = doc["rows"] as? [[Any]], let merges = doc["merges"] as? [[Int]] else {
            throw NSError(domain: "fixture", code: 1)
        }
        func decimals(_ o: [String: Any]) -> Int? { (o["d"] as? NSNumber)?.intValue }
        let cells: [[SheetCell]] = rows.map { row in
            row.map { any -> SheetCell in
                guard let o = any as? [String: Any] else { return .empty }
                if let v = o["n"] as? NSNumber { return .number(v.doubleValue, decimals: decimals(o)) }
                if let v = o["p"] as? NSNumber { return .percent(v.doubleValue, decimals: decimals(o)) }
                if let s = o["s"] as? String { return .text(s) }
                if let b = o["b"] as? Bool { return .bool(b) }
                if let d = o["t"] as? NSNumber { return .date(d.int32Value) }
                if let e = o["e"] as? String { return .error(e) }
                return .empty
            }
        }
        return Sheet(name: sheetName, rows: cells, merges: merges.map { CellRange(firstRow: $0[0], firstColumn: $0[1], lastRow: $0[2], lastColumn: $0[3]) })
    }

    private func realTable(_ name: String) throws -> SheetTableResult {
        try SheetTable.extract(fixture(name), tableName: "t", fileName: name, options: SheetOptions())
    }

    /// ONS Table P1, year ending March 2019: title, "England and Wales", group labels over the
    /// offence groups, a heading two rows tall, a "Numbers" row, 56 areas, a source line and 8 notes.
    func testONSPoliceForceAreaTableP1() throws {
        let sheet = try fixture("ons-pfa-ye-mar2019-P1.json")
        XCTAssertTrue(SheetTable.holdsTable(sheet))
        XCTAssertEqual(SheetTable.title(sheet), "Table P1: Police recorded crime by offence group and police force area, English regions and Wales, number of offences, year ending March 20191,2")
        let r = try realTable("ons-pfa-ye-mar2019-P1.json")
        XCTAssertEqual(r.sheetName, "Table P1 ")
        XCTAssertEqual(r.headerRow, 5)
        XCTAssertEqual(r.range, CellRange.parse("A4:AA62"))
        XCTAssertEqual(names(r), [
            "Area Code", "Area Name", "Total recorded crime (excluding fraud)", "Violence against the person", "Homicide",
            "Violence with injury", "Violence without injury", "Stalking and harassment", "Death or serious injury - unlawful driving",
            "Sexual offences", "Robbery", "Theft offences", "Burglary", "Residential burglary", "Non-residential burglary",
            "Vehicle offences", "Theft from the person", "Bicycle theft", "Shoplifting", "Other theft offences",
            "Criminal damage and arson", "Drug offences", "Possession of weapons offences", "Public order offences", "Miscellaneous crimes",
        ])
        XCTAssertEqual(column(r, "Homicide").description, "Victim-based crime (sheet column F)")
        XCTAssertEqual(column(r, "Drug offences").description, "Other crimes against society (sheet column X)")
        // 43 forces + England and Wales, England, 9 regions, Wales and British Transport Police.
        XCTAssertEqual(r.table.rowCount, 56)
        let codes = column(r, "Area Code"), areas = column(r, "Area Name"), total = column(r, "Total recorded crime (excluding fraud)")
        XCTAssertEqual(total.type, .integer)
        let forceRows = (0..<56).filter { codes.text($0).map { $0.hasPrefix("E23") || $0.hasPrefix("W15") } ?? false }
        XCTAssertEqual(forceRows.count, 43)
        // SOURCES.md: 43 forces 5,190,468 + BTP 66,613 = England and Wales 5,257,081.
        XCTAssertEqual(forceRows.compactMap(total.number).reduce(0, +), 5_190_468)
        XCTAssertEqual(areas.text(0), "ENGLAND AND WALES")
        XCTAssertEqual(total.number(0), 5_257_081)
        XCTAssertEqual(areas.text(55), "British Transport Police")
        XCTAssertTrue(codes.isMissing(55), "BTP has no area code")
        XCTAssertEqual(total.number(55), 66_613)
        let leicestershire = try XCTUnwrap((0..<56).first { areas.text($0) == "Leicestershire" })
        XCTAssertEqual(codes.text(leicestershire), "E23000021")
        XCTAssertEqual(total.number(leicestershire), 91_315)
        XCTAssertEqual(column(r, "Homicide").number(leicestershire), 8)
        XCTAssertEqual(areas.text(7), "Cheshire", "Cheshire7 lost its footnote digit")
        XCTAssertEqual(codes.text(7), "E23000006")
        XCTAssertEqual(areas.text(23), "West Midlands", "the region's trailing space is trimmed")
        XCTAssertEqual(r.notes, [
            "header in rows 4–5 (2 title rows above it skipped)",
            "row 6 between the header and the data left out (Numbers)",
            "footnote digits removed from 5 column names (Total recorded crime (excluding fraud3) → Total recorded crime (excluding fraud))",
            "2 empty columns left out (D, W)",
            "footnote digits removed from 4 labels (ENGLAND AND WALES6 → ENGLAND AND WALES)",
            "9 note rows below the table left out",
        ])
        XCTAssertEqual(r.table.info.notes.count, 2 + 1 + 9)
        XCTAssertEqual(r.table.info.notes[1], "England and Wales")
        XCTAssertEqual(r.table.info.notes[2], "Numbers")
        XCTAssertEqual(r.table.info.notes[3], "Source: Home Office - Police recorded crime")
        XCTAssertEqual(r.table.info.notes[4], "1. Police recorded crime data are not designated as National Statistics.")
        XCTAssertTrue(r.warnings.isEmpty)
    }

    /// ONS Table P7: anti-social behaviour incidents by year, period labels over pairs of columns,
    /// blank rows between England and Wales, England, each region and Wales; '..' for BTP.
    func testONSPoliceForceAreaTableP7() throws {
        let r = try realTable("ons-pfa-ye-mar2019-P7.json")
        XCTAssertEqual(r.headerRow, 5)
        XCTAssertEqual(r.table.columns.count, 25)
        XCTAssertEqual(Array(names(r).prefix(5)), ["column_1", "Apr '07 to Mar '08 Number of Incidents", "Apr '07 to Mar '08 Number per 1,000 population",
                                                   "Apr '08 to Mar '09 Number of Incidents", "Apr '08 to Mar '09 Number per 1,000 population"])
        XCTAssertEqual(names(r).last, "Apr '18 to Mar '19 Number per 1,000 population")
        XCTAssertEqual(r.table.rowCount, 57)
        let area = column(r, "column_1")
        XCTAssertEqual(area.text(0), "ENGLAND AND WALES (inc. BTP)")
        XCTAssertEqual(area.text(56), "British Transport Police")
        XCTAssertTrue(texts(area).contains("City of London"))
        XCTAssertTrue(texts(area).contains("London 10"), "a footnote after a space is not glued, so it stays")
        let first = column(r, "Apr '07 to Mar '08 Number of Incidents"), last = column(r, "Apr '18 to Mar '19 Number of Incidents")
        XCTAssertEqual(first.type, .integer)
        // SOURCES.md: ASB (exc. BTP) England and Wales 3,873,916 in 2007/08 and 1,424,755 in 2018/19.
        XCTAssertEqual(area.text(1), "ENGLAND AND WALES (exc. BTP)")
        XCTAssertEqual(first.number(1), 3_873_916)
        XCTAssertEqual(last.number(1), 1_424_755)
        XCTAssertTrue(first.isMissing(0))
        XCTAssertEqual(first.missingReasons?.counts().first?.marker, "..")
        let rate = column(r, "Apr '07 to Mar '08 Number per 1,000 population")
        XCTAssertEqual(rate.type, .decimal, "City of London's '+' (suppressed, note 11) is a marker")
        let city = try XCTUnwrap((0..<57).first { area.text($0) == "City of London" })
        XCTAssertTrue(rate.isMissing(city))
        XCTAssertEqual(rate.missingReasons?.counts().map(\.marker), ["..", "+"])
        XCTAssertEqual(first.number(city), 1902)
        XCTAssertEqual(rate.scale, 0, "the sheet shows rates as whole numbers")
        XCTAssertEqual(rate.number(1), 71.80453529058131)
        XCTAssertTrue(r.notes.contains("12 blank rows inside the table skipped"), "\(r.notes)")
        XCTAssertTrue(r.notes.contains("footnote digits removed from 3 labels (ENGLAND AND WALES (inc. BTP)9 → ENGLAND AND WALES (inc. BTP))"), "\(r.notes)")
        XCTAssertTrue(r.notes.contains("12 note rows below the table left out"), "\(r.notes)")
    }

    /// Home Office police workforce, 31 March 2017, Table H1: officers by force, a two-row header
    /// with Male / Female / Total under two group labels.
    func testHomeOfficeWorkforceTableH1() throws {
        let r = try realTable("ho-workforce-jul17-H1.json")
        XCTAssertEqual(r.headerRow, 5)
        XCTAssertEqual(names(r), [
            "Police force",
            "All officers (full-time equivalent) Male", "All officers (full-time equivalent) Female", "All officers (full-time equivalent) Total",
            "Officers available for duty (full-time equivalent) Male", "Officers available for duty (full-time equivalent) Female",
            "Officers available for duty (full-time equivalent) Total",
        ])
        // 43 forces, Total 43 forces, Central service secondments, BTP, Total.
        XCTAssertEqual(r.table.rowCount, 47)
        let force = column(r, "Police force"), total = column(r, "All officers (full-time equivalent) Total")
        XCTAssertEqual(force.text(0), "Avon & Somerset")
        XCTAssertEqual(force.text(43), "Total 43 forces")
        XCTAssertEqual(force.text(46), "Total")
        XCTAssertEqual(total.type, .decimal)
        XCTAssertEqual(total.number(0), 2667.31)
        XCTAssertEqual(total.formatted(43), "123142.0345")
        // The published total of the 43 forces is their sum.
        XCTAssertEqual((0..<43).compactMap(total.number).reduce(0, +), try XCTUnwrap(total.number(43)), accuracy: 1e-6)
        XCTAssertEqual(r.notes, [
            "header in rows 4–5 (2 title rows above it skipped)",
            "6 headings repeated under different group labels joined with the label (All officers (full-time equivalent) Male)",
            "footnote digits removed from 1 column name (Officers available for duty1 (full-time equivalent) → Officers available for duty (full-time equivalent))",
            "1 empty column left out (E)",
            "2 note rows below the table left out",
        ])
    }

    /// Home Office police workforce, Table P1 (promotions by year): a second block ("Change between")
    /// below a blank row, then notes.
    func testHomeOfficeWorkforceTableP1() throws {
        let r = try realTable("ho-workforce-jul17-P1.json")
        XCTAssertEqual(r.headerRow, 5)
        XCTAssertEqual(names(r), [
            "column_1", "Male ranks Chief Officer", "Male ranks Chief Superintendent", "Male ranks Superintendent", "Male ranks Chief Inspector",
            "Male ranks Inspector", "Male ranks Sergeant", "Total male ranks",
            "Female ranks Chief Officer", "Female ranks Chief Superintendent", "Female ranks Superintendent", "Female ranks Chief Inspector",
            "Female ranks Inspector", "Female ranks Sergeant", "Total female ranks", "Total police ranks",
        ])
        XCTAssertEqual(r.table.rowCount, 11)
        XCTAssertEqual(column(r, "column_1").text(0), "2006/07")
        XCTAssertEqual(column(r, "column_1").text(10), "2016/17")
        XCTAssertEqual(column(r, "Total police ranks").number(0), 3750)
        XCTAssertEqual(column(r, "Male ranks Chief Officer").number(0), 25)
        XCTAssertEqual(column(r, "Total male ranks").description, "Male ranks (sheet column I)")
        XCTAssertTrue(r.notes.contains("rows 18–19 below a blank row were not read; use range to read them"), "\(r.notes)")
        XCTAssertTrue(r.notes.contains("3 empty columns left out (B, J, R)"), "\(r.notes)")
        XCTAssertTrue(r.notes.contains("8 note rows below the table left out"), "\(r.notes)")
        XCTAssertEqual(Array(r.table.info.notes.prefix(3)).dropFirst(), ["England and Wales6", "Headcount1"])
    }

    /// HMIC value-for-money data 2013, victims' satisfaction: percentages formatted 0.0% and 0.00%,
    /// 'N/A' for City of London's most-similar-group figures, no heading over the force names.
    func testHMICValueForMoneyVictimSatisfaction() throws {
        let r = try realTable("hmic-vfm-adr2013-victims.json")
        XCTAssertEqual(r.headerRow, 3)
        XCTAssertEqual(names(r), ["column_1", "% Satisfied", "Confidence interval", "MSG % Satisfied", "MSG confidence interval"])
        XCTAssertEqual(r.table.rowCount, 44)
        let force = column(r, "column_1"), satisfied = column(r, "% Satisfied"), ci = column(r, "Confidence interval"), msg = column(r, "MSG % Satisfied")
        XCTAssertEqual(satisfied.unit, "%")
        // The forces' satisfaction is formatted 0.0%, the average 0.00%.
        XCTAssertEqual(satisfied.scale, 2)
        XCTAssertEqual(satisfied.scale(0), 1)
        XCTAssertEqual(satisfied.formatted(43), "84.56")
        XCTAssertEqual(ci.scale, 2)
        // SOURCES.md: Avon & Somerset 86.7%, Bedfordshire 82.1% (CI ±1.2pp), E&W average 84.6%.
        XCTAssertEqual(force.text(0), "Avon & Somerset")
        XCTAssertEqual(satisfied.formatted(0), "86.7")
        XCTAssertEqual(satisfied.formatted(1), "82.1")
        XCTAssertEqual(try XCTUnwrap(ci.number(1)), 1.208, accuracy: 0.001)
        XCTAssertEqual(force.text(43), "England and Wales AVERAGE")
        XCTAssertEqual(try XCTUnwrap(satisfied.number(43)), 84.55566120448182, accuracy: 1e-9)
        let london = try XCTUnwrap((0..<44).first { force.text($0) == "London, City of" })
        XCTAssertTrue(msg.isMissing(london))
        XCTAssertEqual(msg.missingReasons?.counts().map(\.marker), ["N/A"])
        XCTAssertTrue(msg.isMissing(43), "the average row has no MSG figure")
        XCTAssertEqual(msg.missingReasons?.codes[43], 0, "a blank cell has no reason")
    }

    /// Home Office use of force 2018/19, Table 1: headings for the figures above a blank row, the row
    /// labels' headings below it; tactical communication set apart below a blank row.
    func testHomeOfficeUseOfForceTable1() throws {
        let r = try realTable("ho-useofforce-2018-19-T1.json")
        XCTAssertEqual(r.headerRow, 6)
        XCTAssertEqual(names(r), ["Type of force", "Tactic", "Number of times tactic reported", "Number of incidents involving tactic"])
        XCTAssertEqual(r.table.rowCount, 42)
        XCTAssertEqual(column(r, "Tactic").text(0), "Total Tactics")
        XCTAssertEqual(column(r, "Number of times tactic reported").number(0), 632_185)
        XCTAssertEqual(column(r, "Number of incidents involving tactic").number(0), 427_725)
        XCTAssertEqual(column(r, "Tactic").text(41), "Total Not reported")
        XCTAssertTrue(r.notes.contains("row 50 below a blank row was not read; use range to read it"), "\(r.notes)")
        XCTAssertTrue(r.notes.contains("12 note rows below the table left out"), "\(r.notes)")
        XCTAssertEqual(r.table.info.notes.first, "Table 1. Number of times tactics were used and total number of incidents in which they were used")
    }
}
