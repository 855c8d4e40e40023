@testable import PeelSupport
@testable import PeelData
@testable import PeelIO
@testable import PeelRender
@testable import PeelLanguage
@testable import PeelEvaluation
@testable import PeelCommands
import XCTest

/// Periods as publishers write them: reading every form, refusing what is not one, time order,
/// comparisons, and marking a column of them.
final class PeriodTests: XCTestCase {
    /// The month index of `year`-`month`, worked out here rather than by the code under test.
    func m(_ year: Int, _ month: Int) -> Int32 { Int32(year * 12 + month - 1) }

    func assertPeriod(_ text: String, _ kind: Period.Kind, _ from: (Int, Int), _ to: (Int, Int), line: UInt = #line) {
        guard let p = Period.parse(text) else { return XCTFail("'\(text)' is not read as a period", line: line) }
        XCTAssertEqual(p.kind, kind, text, line: line)
        XCTAssertEqual(p.first, m(from.0, from.1), "\(text): first month", line: line)
        XCTAssertEqual(p.last, m(to.0, to.1), "\(text): last month", line: line)
    }

    func testFinancialYears() {
        for t in ["2017/18", "2017-18", "2017/2018", "2017-2018", "FY 2017/18", "fy2017-18", "FY 2017/2018",
                  "Financial year 2017/18", " 2017/18 ", "2017 / 18", "2017–18", "financial year ending March 2018", "FYE 2018"] {
            assertPeriod(t, .financialYear, (2017, 4), (2018, 3))
        }
        assertPeriod("1999/00", .financialYear, (1999, 4), (2000, 3))
        assertPeriod("2009/10", .financialYear, (2009, 4), (2010, 3))
    }

    func testQuarters() {
        // Financial quarters: Q1 is April to June; Q4 is January to March of the next year.
        assertPeriod("2017/18 Q1", .quarter, (2017, 4), (2017, 6))
        assertPeriod("2017-18 q2", .quarter, (2017, 7), (2017, 9))
        assertPeriod("Q3 2017/18", .quarter, (2017, 10), (2017, 12))
        assertPeriod("2017/18 Quarter 4", .quarter, (2018, 1), (2018, 3))
        assertPeriod("FY 2017/18 Q4", .quarter, (2018, 1), (2018, 3))
        // Calendar quarters: Q1 is January to March.
        for t in ["2018 Q1", "2018Q1", "2018-Q1", "Q1 2018", "q1 2018"] { assertPeriod(t, .quarter, (2018, 1), (2018, 3)) }
        assertPeriod("2018 Q4", .quarter, (2018, 10), (2018, 12))
        // Quarters written as their months.
        assertPeriod("Jan to Mar 2018", .quarter, (2018, 1), (2018, 3))
        assertPeriod("April–June 2017", .quarter, (2017, 4), (2017, 6))
        assertPeriod("Oct-Dec 2018", .quarter, (2018, 10), (2018, 12))
    }

    func testMonths() {
        for t in ["2019-01", "01/2019", "Jan 2019", "January 2019", "JAN 2019", "Jan-19", "Jan '19", "2019 Jan", "Jan. 2019"] {
            assertPeriod(t, .month, (2019, 1), (2019, 1))
        }
        assertPeriod("Sept 2019", .month, (2019, 9), (2019, 9))
        assertPeriod("Sep 2019", .month, (2019, 9), (2019, 9))
        assertPeriod("2019-12", .month, (2019, 12), (2019, 12))
        assertPeriod("Mar-98", .month, (1998, 3), (1998, 3))
    }

    func testRollingYears() {
        assertPeriod("12 months to 30 June 2016", .rollingYear, (2015, 7), (2016, 6))
        assertPeriod("12 months ending June 2016", .rollingYear, (2015, 7), (2016, 6))
        assertPeriod("twelve months to 30th June 2016", .rollingYear, (2015, 7), (2016, 6))
        for t in ["year ending March 2018", "Year ending Mar 2018", "YE Mar 18", "YE March 2018", "year to Mar 2018",
                  "year ending 31 March 2018", "Apr '17 to Mar '18", "April 2017 to March 2018", "Apr 2017 - Mar 2018",
                  "Apr-17 to Mar-18", "1 April 2017 to 31 March 2018", "Apr to Mar 2018", "April 2017 – March 2018"] {
            assertPeriod(t, .rollingYear, (2017, 4), (2018, 3))
        }
        assertPeriod("12 months to 29 February 2016", .rollingYear, (2015, 3), (2016, 2))
        assertPeriod("Jan 2019 to Dec 2019", .rollingYear, (2019, 1), (2019, 12))
    }

    func testNotPeriods() {
        let not = ["2017/19", "2017-19", "2017/2019", "2018/17", "13/2019", "00/2019", "Q5", "Q0 2018", "2018 Q5", "2019", "19",
                   "Kent", "free text about 2017/18", "2017/18 and 2018/19", "", "   ", "2019-13", "2019-00", "Jan 19", "Janu 2019",
                   "12 months to 15 June 2016", "12 months to 31 June 2016", "12 months to 29 February 2015",
                   "11 months to June 2016", "Apr 2017 to Feb 2018", "Nov 2017 to Jan 2018", "2 April 2017 to 31 March 2018",
                   "0999/00", "9999/00", "FYE February 2018", "2017/18 Q5", "2017/18 Q", "Q1", "2018-06-30", "30/06/2018",
                   "2017/18 (provisional)", "P2017/18", String(repeating: "2017/18 ", count: 20), "2017/18/19", "1.5", "-2017/18"]
        for t in not { XCTAssertNil(Period.parse(t), "'\(t)' should not be a period") }
    }

    /// `YYYY-NN` that could be a month or a financial year: read as a financial year alone, and
    /// by its neighbours in a column.
    func testAmbiguousHyphenForms() {
        XCTAssertEqual(Period.parse("2011-12"), Period.financialYear(2011))
        XCTAssertEqual(Period.parse("2000-01"), Period.financialYear(2000))
        XCTAssertEqual(Period.detect(["2011-10", "2011-11", "2011-12"])?.map(\.kind), [.month, .month, .month])
        XCTAssertEqual(Period.detect(["2011-10", "2011-11", "2011-12"])?.last?.first, m(2011, 12))
        XCTAssertEqual(Period.detect(["2010-11", "2011-12", "2013-14"])?.map(\.kind), [.financialYear, .financialYear, .financialYear])
        XCTAssertEqual(Period.detect(["2010-11", "2011-12"])?.map(\.kind), [.financialYear, .financialYear])
        // Both kinds written the same way: the ambiguous value cannot be told, so no periods.
        XCTAssertNil(Period.detect(["2011-12", "2019-05", "2015-16"]))
        // Without an ambiguous value, a mix of kinds is fine.
        XCTAssertEqual(Period.detect(["2019-05", "2015-16"])?.map(\.kind), [.month, .financialYear])
        let months = [Period.month(year: 2011, month: 11)!]
        XCTAssertEqual(Period.parse("2011-12", amongst: months), Period.month(year: 2011, month: 12))
        XCTAssertEqual(Period.parse("2011-12", amongst: [Period.financialYear(2012)!]), Period.financialYear(2011))
        XCTAssertNil(Period.detect([]))
        XCTAssertNil(Period.detect(["2017/18", "Kent"]))
    }

    func testTimeOrder() {
        let labels = ["2009/10", "2008/09", "Feb 2019", "Jan 2019", "year ending June 2018", "year ending March 2018", "2010/11"]
        let sorted = labels.sorted { Period.parse($0)! < Period.parse($1)! }
        XCTAssertEqual(sorted, ["2008/09", "2009/10", "2010/11", "year ending March 2018", "year ending June 2018", "Jan 2019", "Feb 2019"])
        // A quarter ends before its year does, and the year's last quarter ends with it but starts later.
        let fy = Period.parse("2017/18")!
        XCTAssertLessThan(Period.parse("2017/18 Q1")!, fy)
        XCTAssertLessThan(fy, Period.parse("2017/18 Q4")!)
    }

    func testTimeTests() {
        let fy = Period.financialYear(2015)!
        // A month of the year is within it: at or after its start, at or before its end.
        let may = Period.month(year: 2015, month: 5)!
        XCTAssertTrue(may.test(.atOrAfter, fy))
        XCTAssertTrue(may.test(.atOrBefore, fy))
        XCTAssertFalse(may.test(.before, fy))
        XCTAssertFalse(may.test(.after, fy))
        XCTAssertFalse(may.test(.same, fy))
        XCTAssertTrue(Period.month(year: 2015, month: 3)!.test(.before, fy))
        XCTAssertTrue(Period.month(year: 2016, month: 4)!.test(.after, fy))
        XCTAssertTrue(Period.parse("2015-16")!.test(.same, fy))
        XCTAssertTrue(Period.parse("12 months to 31 March 2016")!.test(.same, fy))
        // Rolling years a quarter apart are ordered though they overlap.
        let ye18 = Period.parse("year ending March 2018")!, ye18j = Period.parse("year ending June 2018")!
        XCTAssertTrue(ye18j.test(.after, ye18))
        XCTAssertTrue(ye18j.test(.atOrAfter, ye18))
        XCTAssertTrue(ye18.test(.before, ye18j))
        // Each test is its opposite's negation, and among periods of one length they follow `<`.
        var all: [Period] = []
        for y in 2014...2016 {
            all.append(Period.financialYear(y)!)
            for q in 1...4 { all.append(Period.quarter(year: y, quarter: q)!) }
            for mo in [1, 6, 12] { all.append(Period.month(year: y, month: mo)!) }
        }
        for a in all {
            for b in all {
                XCTAssertEqual(a.test(.before, b), !a.test(.atOrAfter, b))
                XCTAssertEqual(a.test(.after, b), !a.test(.atOrBefore, b))
                XCTAssertEqual(a.test(.same, b), !a.test(.different, b))
                if a.months == b.months {
                    XCTAssertEqual(a.test(.before, b), a < b, "\(a) < \(b)")
                    XCTAssertEqual(a.test(.after, b), b < a, "\(a) > \(b)")
                }
            }
        }
    }

    func testHelpers() {
        XCTAssertEqual(Period.quarter(financialYear: "2017/18", quarter: "Q1"), Period(kind: .quarter, first: m(2017, 4), last: m(2017, 6)))
        XCTAssertEqual(Period.quarter(financialYear: "2017-18", quarter: "4"), Period(kind: .quarter, first: m(2018, 1), last: m(2018, 3)))
        XCTAssertEqual(Period.quarter(financialYear: "2017/18", quarter: "Quarter 2"), Period(kind: .quarter, first: m(2017, 7), last: m(2017, 9)))
        XCTAssertNil(Period.quarter(financialYear: "2017/18", quarter: "Q5"))
        XCTAssertNil(Period.quarter(financialYear: "2017", quarter: "Q1"))
        XCTAssertNil(Period.quarter(financialYear: "Jan 2017", quarter: "Q1"))
        XCTAssertEqual(Period.quarter(year: 2018, quarter: 1), Period(kind: .quarter, first: m(2018, 1), last: m(2018, 3)))
        XCTAssertNil(Period.quarter(year: 2018, quarter: 0))
        XCTAssertNil(Period.month(year: 2018, month: 13))
        XCTAssertNil(Period.financialYear(99_999))
        XCTAssertEqual(Period.parse("2017-18")?.description, "2017/18")
        XCTAssertEqual(Period.parse("January 2019")?.description, "Jan 2019")
        XCTAssertEqual(Period.parse("YE Mar 18")?.description, "year ending Mar 2018")
        XCTAssertEqual(Period.parse("2017/18 Q1")?.description, "Apr to Jun 2017")
        // Periods made by hand, even nonsensical ones, describe themselves without trapping.
        XCTAssertEqual(Period.yearMonth(-1).month, 12)
        XCTAssertEqual(Period.yearMonth(-1).year, -1)
        for k in Period.Kind.allCases {
            XCTAssertFalse(Period(kind: k, first: Int32.min, last: Int32.max).description.isEmpty)
            XCTAssertFalse(Period(kind: k, first: -5, last: -30).description.isEmpty)
        }
    }

    /// Every period's plain label reads back as the same months; labels cut and spliced at random
    /// never trap, and whatever they read as is a whole month, quarter or year.
    func testRoundTripAndMangledLabels() {
        var all: [Period] = []
        for y in [1000, 1999, 2000, 2017, 9998] {
            all.append(Period.financialYear(y)!)
            for q in 1...4 { all.append(Period.quarter(year: y, quarter: q)!) }
            for mo in 1...12 {
                all.append(Period.month(year: y, month: mo)!)
                let last = Period.monthIndex(year: y, month: mo)!
                all.append(Period(kind: .rollingYear, first: last - 11, last: last))
            }
        }
        for p in all {
            guard let back = Period.parse(p.description) else { XCTFail("'\(p.description)' does not read back"); continue }
            XCTAssertTrue(back.sameSpan(p), "\(p.description)")
        }
        let seeds = ["2017/18", "2017/18 Q1", "Q1 2018", "Jan-19", "Apr '17 to Mar '18", "12 months to 30 June 2016",
                     "year ending March 2018", "FY 2017/18", "01/2019", "2011-12", "January–March 2018"]
        var rng = SplitMix(seed: 11)
        let pieces = Array("0123456789/-' QqJanMarchtoyearending12–".map(String.init))
        for _ in 0..<20_000 {
            var chars = Array(seeds[Int(rng.next() % UInt64(seeds.count))])
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = chars.isEmpty ? 0 : Int(rng.next() % UInt64(chars.count + 1))
                switch rng.next() % 3 {
                case 0: if at < chars.count { chars.remove(at: at) }
                case 1: chars.insert(contentsOf: pieces[Int(rng.next() % UInt64(pieces.count))], at: at)
                default: if at < chars.count { chars[at] = Character(pieces[Int(rng.next() % UInt64(pieces.count))]) }
                }
            }
            if let p = Period.parse(String(chars)) {
                XCTAssertTrue([1, 3, 12].contains(p.months), "'\(String(chars))' read as \(p.months) months")
                XCTAssertTrue(Period.years.contains(Period.yearMonth(p.last).year))
            }
        }
    }

    // MARK: Columns

    func text(_ name: String, _ values: [String?]) -> Column {
        var b = ColumnBuilder.text(name)
        for v in values { b.append(v) }
        return b.build()
    }

    func testDetectingPeriods() {
        let c = text("year", ["2017/18", nil, "2015/16", "2016/17", "2015/16"]).detectingPeriods()
        XCTAssertEqual(c.validPeriods, [Period.financialYear(2017)!, Period.financialYear(2015)!, Period.financialYear(2016)!])
        XCTAssertEqual(c.typeName, "financial year")
        XCTAssertEqual(c.formatted(0), "2017/18", "the label stays as written")
        // One value that is not a period: the column is text.
        let t = text("year", ["2017/18", "2016/17", "provisional"]).detectingPeriods()
        XCTAssertNil(t.periods)
        XCTAssertEqual(t.typeName, "text")
        // Nothing present: not periods.
        XCTAssertNil(text("year", [nil, nil]).detectingPeriods().periods)
        // Numbers (a column of calendar years) stay numbers.
        var years = ColumnBuilder.integer("year")
        for y in [2019, 2018] { years.append(Double(y)) }
        let ints = years.build().detectingPeriods()
        XCTAssertNil(ints.periods)
        XCTAssertEqual(ints.typeName, "integer")
        XCTAssertEqual(text("q", ["2017/18 Q1", "2017/18 Q2"]).detectingPeriods().typeName, "quarter")
        XCTAssertEqual(text("m", ["Jan 2019", "2019-02"]).detectingPeriods().typeName, "month")
        XCTAssertEqual(text("r", ["year ending March 2018", "YE Jun 18"]).detectingPeriods().typeName, "rolling year")
        XCTAssertEqual(text("p", ["2017/18", "2017/18 Q1"]).detectingPeriods().typeName, "period")
        // Months written YYYY-MM with one that could be a financial year: months.
        let months = text("m", ["2011-11", "2011-12", "2012-01"]).detectingPeriods()
        XCTAssertEqual(months.validPeriods?.map(\.first), [m(2011, 11), m(2011, 12), m(2012, 1)])
    }

    /// Rows left by `where` keep their dictionary; a non-period entry no row uses is dropped.
    func testDetectingPeriodsDropsUnusedEntries() {
        let all = text("year", ["Total", "2016/17", "2015/16", "Total"])
        let kept = all.gather([1, 2]).detectingPeriods()
        XCTAssertEqual(kept.validPeriods, [Period.financialYear(2016)!, Period.financialYear(2015)!])
        XCTAssertEqual((0..<2).map { kept.formatted($0) }, ["2016/17", "2015/16"])
        XCTAssertNil(all.detectingPeriods().periods)
        // A missing row's code may point at a non-period entry: it is still missing.
        var withMissing = all
        withMissing.missing = MissingMask([true, false, false, true])
        let d = withMissing.detectingPeriods()
        XCTAssertNotNil(d.validPeriods)
        XCTAssertEqual((0..<4).map { d.formatted($0) }, [nil, "2016/17", "2015/16", nil])
    }

    /// Periods that do not match the dictionary (a stale list) are never used.
    func testStalePeriodsIgnored() {
        var c = text("year", ["2017/18", "2016/17"]).detectingPeriods()
        c.periods = [Period.financialYear(2017)!]
        XCTAssertNil(c.validPeriods)
        XCTAssertNil(c.periodRanks())
        XCTAssertEqual(c.typeName, "text")
        // A left join's gather of an empty column replaces the dictionary: its periods no longer count.
        let empty = text("year", []).detectingPeriods()
        XCTAssertNil(empty.periods)
        let joined = text("year", ["2017/18", "2016/17"]).detectingPeriods().gather([Int?]([nil, 0, 1]))
        XCTAssertNotNil(joined.validPeriods)
        XCTAssertEqual(joined.rowsInPeriodOrder(), [2, 1, 0])
    }

    func testRanksAndOrder() {
        let c = text("p", ["2009/10", "2008/09", nil, "2008-09", "2010/11"]).detectingPeriods()
        // "2008/09" and "2008-09" are one period: they share a rank and keep their rows' order.
        XCTAssertEqual(c.periodRanks(), [1, 0, 0, 2])
        XCTAssertEqual(c.rowsInPeriodOrder(), [1, 3, 0, 4, 2])
        XCTAssertNil(text("p", ["b", "a"]).rowsInPeriodOrder())
    }

    func testSortOrdersPeriodsInTime() throws {
        let c = text("p", ["2009/10", "2008/09", nil, "2010/11", "Jan 2008"]).detectingPeriods()
        XCTAssertEqual(try SortCommand.order(5, by: [(c, false)]), [4, 1, 0, 3, 2])
        XCTAssertEqual(try SortCommand.order(5, by: [(c, true)]), [3, 0, 1, 4, 2])
        // Months: alphabetical order would put Feb before Jan.
        let months = text("m", ["Feb 2019", "Jan 2019", "Dec 2018"]).detectingPeriods()
        XCTAssertEqual(try SortCommand.order(3, by: [(months, false)]), [2, 1, 0])
    }

    func testQuarterColumn() throws {
        let fy = text("year", ["2017/18", "2017/18", nil, "2018-19"])
        var qb = ColumnBuilder.integer("quarter")
        for q in [2, 1, 3, 4] { qb.append(Double(q)) }
        let q = try XCTUnwrap(Column.quarters(named: "period", year: fy, quarter: qb.build()))
        XCTAssertEqual((0..<4).map { q.formatted($0) }, ["2017/18 Q2", "2017/18 Q1", nil, "2018-19 Q4"])
        XCTAssertEqual(q.validPeriods?.map(\.first), [m(2017, 7), m(2017, 4), m(2019, 1)])
        XCTAssertEqual(q.typeName, "quarter")
        // Calendar years as numbers, quarters as text.
        var yb = ColumnBuilder.integer("year")
        for y in [2018, 2019] { yb.append(Double(y)) }
        let cal = try XCTUnwrap(Column.quarters(named: "period", year: yb.build(), quarter: text("q", ["Q1", "Q4"])))
        XCTAssertEqual((0..<2).map { cal.formatted($0) }, ["2018 Q1", "2019 Q4"])
        XCTAssertEqual(cal.validPeriods?.map(\.last), [m(2018, 3), m(2019, 12)])
        XCTAssertNil(Column.quarters(named: "p", year: fy, quarter: text("q", ["Q1", "Q5", "Q1", "Q1"])))
        XCTAssertNil(Column.quarters(named: "p", year: text("y", ["Kent"]), quarter: text("q", ["Q1"])))
        XCTAssertNil(Column.quarters(named: "p", year: fy, quarter: text("q", ["Q1"])))
    }

    // MARK: Expressions

    func table() -> Table {
        Table(name: "t", columns: [
            text("period", ["2016/17", "2014/15", "2015/16", nil, "2017/18"]).detectingPeriods(),
            text("other", ["2015/16", "2015/16", "2014/15", "2015/16", "2018/19"]).detectingPeriods(),
            text("plain", ["b", "a", "c", "d", "e"]),
        ])
    }

    func rows(_ e: Expr, _ t: Table? = nil) throws -> [Int] {
        let engine = ExprEngine(table: t ?? table())
        return try engine.evaluate(try engine.rewrite(e)).vector.trueRows((t ?? table()).rowCount)
    }

    let r0 = SourceRange(0, 1)

    func cmp(_ op: BinaryOp, _ col: String, _ lit: String, flipped: Bool = false) -> Expr {
        let c = Expr.column(col, r0), l = Expr.literal(.text(lit), SourceRange(10, 10 + lit.count))
        return flipped ? .binary(op, l, c, r0) : .binary(op, c, l, r0)
    }

    func testComparisonsInTime() throws {
        XCTAssertEqual(try rows(cmp(.greaterEqual, "period", "2015/16")), [0, 2, 4])
        XCTAssertEqual(try rows(cmp(.greater, "period", "2015-16")), [0, 4])
        XCTAssertEqual(try rows(cmp(.less, "period", "2015/16")), [1])
        XCTAssertEqual(try rows(cmp(.lessEqual, "period", "2015/2016")), [1, 2])
        XCTAssertEqual(try rows(cmp(.equal, "period", "FY 2015/16")), [2])
        XCTAssertEqual(try rows(cmp(.notEqual, "period", "2015/16")), [0, 1, 4])
        // The literal first: "2015/16" <= period.
        XCTAssertEqual(try rows(cmp(.lessEqual, "period", "2015/16", flipped: true)), [0, 2, 4])
        XCTAssertEqual(try rows(cmp(.greater, "period", "2015/16", flipped: true)), [1])
        // A month against financial years: `>` keeps those that end after it (2016/17 runs to
        // March 2017), `<` those that start before it.
        XCTAssertEqual(try rows(cmp(.greater, "period", "Jan 2017")), [0, 4])
        XCTAssertEqual(try rows(cmp(.less, "period", "Jan 2017")), [0, 1, 2])
        // Two columns of periods, row by row (row 3 is missing on one side).
        XCTAssertEqual(try rows(.binary(.greater, .column("period", r0), .column("other", r0), r0)), [0, 2])
        // A text column is still compared as text.
        XCTAssertEqual(try rows(cmp(.greaterEqual, "plain", "c")), [2, 3, 4])
        // In a list: by the months covered, whatever the spelling.
        let list = Expr.inList(.column("period", r0), [.literal(.text("2014-15"), r0), .literal(.text("2017/2018"), r0)], negated: false, r0)
        XCTAssertEqual(try rows(list), [1, 4])
        let notList = Expr.inList(.column("period", r0), [.literal(.text("2014-15"), r0)], negated: true, r0)
        XCTAssertEqual(try rows(notList), [0, 2, 4])
        let withMissing = Expr.inList(.column("period", r0), [.literal(.text("2014-15"), r0), .literal(.missing, r0)], negated: false, r0)
        XCTAssertEqual(try rows(withMissing), [1, 3])
    }

    func testLiteralThatIsNoPeriod() throws {
        for op in [BinaryOp.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual] {
            XCTAssertThrowsError(try rows(cmp(op, "period", "2015/6"))) { e in
                guard let e = e as? NotAPeriod else { return XCTFail("\(e)") }
                XCTAssertEqual(e.text, "2015/6")
                XCTAssertEqual(e.column, "period")
                XCTAssertEqual(e.range, SourceRange(10, 16), "at the literal")
                XCTAssertTrue(e.diagnostic.message.hasPrefix("'2015/6' is not a period; periods look like 2015/16"))
                XCTAssertEqual(e.diagnostic.range, SourceRange(10, 16))
            }
        }
        XCTAssertThrowsError(try rows(cmp(.less, "period", "Kent", flipped: true)))
        XCTAssertThrowsError(try rows(.inList(.column("period", r0), [.literal(.text("2014/16"), r0)], negated: false, r0)))
        // `~` still matches text.
        XCTAssertEqual(try rows(.binary(.match, .column("period", r0), .literal(.text("/1"), r0), r0)), [0, 1, 2, 4])
    }

    // MARK: Loading and charts

    func testCSVMarksPeriodColumns() throws {
        let csv = "year,fy,month,n\n2019,2017/18,Jan 2019,1\n2018,2016/17,Feb 2019,2\n"
        let t = try CSVReader.read(Array(csv.utf8), name: "t", fileName: "t.csv").table
        XCTAssertEqual(t.columns.map(\.typeName), ["integer", "financial year", "month", "integer"])
    }

    func testChartsInTimeOrder() {
        var bar = ChartSpec(kind: .bar, title: "n", labels: ["2017/18", "2015/16", "2016/17"],
                            series: [ChartSeries(name: "n", values: [3, 1, 2], scales: [0, 1, 2])])
        bar.highlight = [0]
        bar.marks = [30, 10, 20]
        let b = bar.inTimeOrder()
        XCTAssertEqual(b.labels, ["2015/16", "2016/17", "2017/18"])
        XCTAssertEqual(b.series[0].values, [1, 2, 3])
        XCTAssertEqual(b.series[0].scales, [1, 2, 0])
        XCTAssertEqual(b.marks, [10, 20, 30])
        XCTAssertEqual(b.highlight, [2])
        // Labels that are not periods keep the rows' order.
        let plain = ChartSpec(kind: .bar, title: "n", labels: ["b", "a"], series: [ChartSeries(name: "n", values: [1, 2], scales: [0, 0])])
        XCTAssertEqual(plain.inTimeOrder().labels, ["b", "a"])
        var line = ChartSpec(kind: .line, title: "n", labels: ["Kent"], series: [ChartSeries(name: "n", values: [2, nil, 1], scales: [0, 0, 0])])
        line.periods = ["Feb 2019", "n/a", "Jan 2019"]
        line.grid = [[2, nil, 1]]
        line.gridScales = [[0, 0, 0]]
        let l = line.inTimeOrder()
        XCTAssertEqual(l.periods, ["Jan 2019", "Feb 2019", "n/a"])
        XCTAssertEqual(l.grid, [[1, 2, nil]])
        XCTAssertEqual(l.series[0].values, [1, 2, nil])
        var interval = bar
        interval.kind = .interval
        XCTAssertEqual(interval.inTimeOrder().labels, bar.labels)
    }
}
