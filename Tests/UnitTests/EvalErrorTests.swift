@testable import PeelSupport
@testable import PeelIO
@testable import PeelLanguage
@testable import PeelEvaluation
@testable import PeelCommands
@testable import PeelSession
import Foundation
import XCTest

/// Which typed error a command raises, case by case, through a whole session (parse, then run).
final class EvalErrorTests: XCTestCase {
    /// A command, and what its error must be.
    struct Case: Sendable {
        let text: String
        let expect: @Sendable (Error) -> Bool
        let line: UInt
        init(_ text: String, line: UInt = #line, _ expect: @escaping @Sendable (Error) -> Bool) {
            self.text = text
            self.expect = expect
            self.line = line
        }
    }

    /// The error `text` raises when parsed and run in a fresh session, or nil when it runs.
    func error(of text: String) throws -> Error? {
        let session = Session(catalog: try Catalog(directory: SessionTests.datasets), sink: CaptureSink())
        do {
            for statement in try Parser.parse(SourceText(name: "t", text: text), registry: .standard) {
                _ = try session.evaluate(statement)
            }
        } catch {
            return error
        }
        return nil
    }

    static let cases: [Case] = [
        // Names that are not there.
        Case("nope") { if case EvalError.unknownTable("nope", _, _) = $0 { true } else { false } },
        Case("outcomes | select fource") {
            if case EvalError.unknownColumn("fource", "outcomes", let columns, _) = $0 { columns.contains("force") } else { false }
        },
        Case("outcomes | join forces on nope") { if case EvalError.unknownColumn("nope", "outcomes", _, _) = $0 { true } else { false } },
        Case("outcomes | where force = $nobody") { if case EvalError.unknownVariable("nobody", _, _) = $0 { true } else { false } },
        Case("set forces = (\"Kent\", \"Essex\")\noutcomes | where force = $forces") {
            if case EvalError.variableIsList("forces", _) = $0 { true } else { false }
        },
        // Expressions.
        Case("outcomes | add x = nofunc(share)") { if case EvalError.unknownFunction("nofunc", _) = $0 { true } else { false } },
        Case("outcomes | add x = round(share, 20)") { if case EvalError.badDecimals = $0 { true } else { false } },
        Case("outcomes | where share = \"5\"") { if case EvalError.cannotCompare(_, .number, .text, _) = $0 { true } else { false } },
        Case("outcomes | where share < missing") { if case EvalError.missingCannotBeOrdered = $0 { true } else { false } },
        Case("outcomes | where share ~ 5") { if case EvalError.matchNeedsText("~", _, .number, _) = $0 { true } else { false } },
        Case("outcomes | where share") { if case CommandError.whereNeedsCondition(.number, _) = $0 { true } else { false } },
        Case("help | top 1") { if case EvalError.textCannotContinue("help", _) = $0 { true } else { false } },
        // compare.
        Case("outcomes | compare \"Nowhere\"") { if case CommandError.noRowsForArea("Nowhere", "force", _, _) = $0 { true } else { false } },
        Case("outcomes | compare \"Leicestershire\" on outcome") {
            if case CommandError.compareNotNumeric("outcome", "text", _) = $0 { true } else { false }
        },
        Case("outcomes | compare \"Leicestershire\" by force") { if case CommandError.byIsForceOrValue("force", true, _) = $0 { true } else { false } },
        // chart.
        Case("outcomes | chart grouped share") { if case CommandError.groupedNeedsColumns = $0 { true } else { false } },
        Case("outcomes | chart bar outcome") { if case CommandError.chartNotNumeric("outcome", _, _) = $0 { true } else { false } },
        Case("outcomes | chart bar share ascii nope") { if case ParseError.unexpectedInStep(_, _, "chart", _) = $0 { true } else { false } },
        // load and export.
        Case("load \"no/such/file.csv\"") { if case CommandError.noSuchFile("no/such/file.csv", _) = $0 { true } else { false } },
        Case("load \"/tmp\"") { if case CommandError.isDirectory("/tmp", false, _) = $0 { true } else { false } },
        Case("load \"x.csv\" delimiter \";;\"") { if case ParseError.delimiterNotOneCharacter = $0 { true } else { false } },
        Case("outcomes | export \"rates.dat\"") { if case ParseError.exportUnknownExtension(_, "rates.dat", "dat", "rates", _) = $0 { true } else { false } },
        Case("outcomes | export \"rates\"") { if case ParseError.exportNoExtension(_, "rates", "rates", _) = $0 { true } else { false } },
        Case("outcomes | export \"r.csv\" as nope") { if case ParseError.unknownFormat(_, "nope", _, false) = $0 { true } else { false } },
        // select and summarise.
        Case("outcomes | select share, share") { if case ParseError.columnSelectedTwice(_, "share") = $0 { true } else { false } },
        Case("outcomes | select share as x, force as X") { if case ParseError.columnNameClash(_, "X", 1, "x") = $0 { true } else { false } },
        Case("outcomes | select share as \"rate\"") { if case ParseError.quotedColumnName(_, "rate") = $0 { true } else { false } },
        Case("outcomes | summarise mean(outcome)") { if case CommandError.aggregateNotNumeric("mean", "outcome", "text", _) = $0 { true } else { false } },
        Case("outcomes | summarise meen(share)") { if case ParseError.unknownAggregate(_, "meen", _) = $0 { true } else { false } },
        Case("outcomes | summarise count, count") { if case CommandError.resultNameClash("count", "count", nil, _) = $0 { true } else { false } },
        // pivot.
        Case("outcomes | select force, share | pivot force values share") { if case CommandError.pivotDuplicate("force", _, _) = $0 { true } else { false } },
        Case("outcomes | pivot outcome values nope") { if case EvalError.unknownColumn("nope", _, _, _) = $0 { true } else { false } },
        // set and format.
        Case("set width = 5") { if case CommandError.widthOutOfRange = $0 { true } else { false } },
        Case("set format = \"nope\"") { if case CommandError.unknownFormatSetting = $0 { true } else { false } },
        Case("set echo = 2") { if case CommandError.flagNotBinary("echo", _) = $0 { true } else { false } },
        Case("outcomes | format nope") { if case ParseError.unknownFormat(_, "nope", _, true) = $0 { true } else { false } },
        // Others.
        Case("outcomes | top 1.5") { if case ParseError.rowCountNotWhole(_, "top", "1.5") = $0 { true } else { false } },
        Case("outcomes | bottom 3") { if case ParseError.needsOrderColumn(_, "bottom") = $0 { true } else { false } },
        Case("outcomes | rank outcome") { if case CommandError.notNumeric("outcome", _, "rank", _) = $0 { true } else { false } },
        Case("interval 5 of 3") { if case CommandError.proportionOutOfRange = $0 { true } else { false } },
        Case("test 1 of 2 vs 0.5 of 3") { if case CommandError.countNotWhole(0.5, _, _) = $0 { true } else { false } },
        Case("help nope") { if case CommandError.noHelp("nope", _, _) = $0 { true } else { false } },
        Case("output \"/tmp\"") { if case CommandError.isDirectory("/tmp", true, _) = $0 { true } else { false } },
    ]

    func testEachCommandRaisesItsCase() throws {
        for c in Self.cases {
            let e = try error(of: c.text)
            XCTAssertNotNil(e, "\(c.text) ran without an error", line: c.line)
            guard let e else { continue }
            XCTAssertTrue(c.expect(e), "\(c.text): \(e)", line: c.line)
            // Every typed error knows where it is: the rendered error points into the command.
            XCTAssertNotNil((e as? DiagnosticConvertible)?.diagnostic.range, "\(c.text): \(e)", line: c.line)
        }
    }

    /// A step's error that does not know its place takes the step's; one that does keeps its own.
    func testPlacingAtTheStep() {
        let step = SourceRange(3, 9)
        guard case .needsTable("top", step?) = EvalError.needsTable(verb: "top", at: nil).at(step) else { return XCTFail("not placed") }
        XCTAssertEqual(EvalError.expectedNumber(at: SourceRange(1, 2)).at(step).range, SourceRange(1, 2))
    }

    func testEveryCaseHasWords() {
        let r = SourceRange(0, 1)
        typealias Key = CommandError.Key
        let eval: [EvalError] = [
            .unknownTable(name: "x", known: ["a", "b"], at: r),
            .unknownColumn(name: "x", table: "x", columns: ["a", "b"], at: r),
            .unknownVariable(name: "x", known: ["a", "b"], at: r),
            .unknownFunction(name: "x", at: r),
            .needsTable(verb: "x", at: nil),
            .textCannotContinue(verb: "x", at: r),
            .expectedNumber(at: r),
            .notOneValue(what: "x", at: r),
            .variableIsList(name: "x", at: r),
            .wrongArgumentCount(function: "x", arity: 1...2, usage: "x", at: r),
            .functionNeedsNumbers(function: "x", found: .number, at: r),
            .functionNeedsCondition(function: "x", found: .number, at: r),
            .badDecimals(at: r),
            .ifMixesTypes(at: r),
            .totalTooLarge(at: r),
            .inListMismatch(found: .number, among: "x", at: r),
            .operandType(what: "x", wanted: .number, found: .number, at: r),
            .matchNeedsText(op: "x", operand: "x", found: .number, at: r),
            .matchPatternNotText(op: "x", at: r),
            .missingCannotBeOrdered(at: r),
            .cannotCompare(operand: "x", left: .number, right: .number, at: r),
            .conditionsCannotBeOrdered(at: r),
        ]
        let command: [CommandError] = [
            .notNumeric(column: "x", holds: "x", command: "x", at: r),
            .aggregateNotNumeric(function: "x", column: "x", holds: "x", at: r),
            .chartNotNumeric(column: "x", holds: "x", at: r),
            .compareNotNumeric(column: "x", holds: "x", at: r),
            .chartWhichColumn(kind: "x", example: "y", at: r),
            .compareWhichColumn(force: "x", example: nil, at: r),
            .resultNameClash(name: "x", function: "x", column: "y", at: r),
            .sumTooLarge(column: "x", whole: true, group: [("k", "v")], at: r),
            .shareTotalTooLarge(column: "x", at: r),
            .addOverflow(name: "x", row: 3, force: "y", at: r),
            .countNotWhole(value: -1.5, example: "x", at: r),
            .negativeHalfWidth(value: -1.5, at: r),
            .testNeedsInterval(at: r),
            .countsOutOfRange(at: r),
            .proportionsUntestable(at: r),
            .unlikeValues(at: r),
            .proportionOutOfRange(at: r),
            .groupedNeedsColumns(at: r),
            .mixedUnits(units: ["a", "b"], at: r),
            .cannotDraw(column: "x", value: "x", label: "x", at: r),
            .intervalNeedsColumn(at: r),
            .negativeIntervalWidth(column: "x", value: "x", label: "x", at: r),
            .markOneValue(at: r),
            .noRowToHighlight(name: "x", labels: ["a", "b"], at: r),
            .lineNeedsPeriods(at: r),
            .noPeriodRows(column: "x", period: "x", periods: ["a", "b"], at: r),
            .recordedNotWhole(at: r),
            .changeDuplicate(over: "x", period: "x", key: [("k", "v")], at: r),
            .noSharedColumn(left: "x", right: "x", at: r),
            .joinDuplicate(table: "x", key: [("k", "v")], at: r),
            .whereNeedsCondition(found: .number, at: r),
            .pivotTooManyColumns(column: "x", count: 3, at: r),
            .pivotTooManyCells(rows: 3, columns: 3, at: r),
            .pivotDuplicate(column: "x", value: "x", at: r),
            .unpivotMixedTypes(at: r),
            .noForceColumn(table: "x", at: r),
            .byIsForceOrValue(column: "x", isForce: true, at: r),
            .compareDuplicate(force: "x", key: [("k", "v")], at: r),
            .noForcesToCompare(table: "x", at: r),
            .noMatchingRow(area: "x", force: "x", identity: "x", key: "y", forceColumn: "x", at: r),
            .noNationalRow(table: "x", national: "x", forceColumn: "x", allForces: true, at: r),
            .peerGroupNotNames(at: r),
            .noForcesToAverage(at: r),
            .noRegionTable(at: r),
            .noRegion(force: "x", at: r),
            .forceColumnNotNames(column: "x", at: r),
            .noRowsForArea(name: "x", column: "x", candidates: ["a", "b"], at: r),
            .noSuchFile(file: "x", at: r),
            .isDirectory(file: "x", writing: true, at: r),
            .tableNameIsCommand(name: "x", file: "x", at: r),
            .bundledTableName(name: "x", file: "x", at: r),
            .unreadable(file: "x", why: "x", at: r),
            .notRegularFile(file: "x", what: "x", at: r),
            .changedWhileReading(file: "x", at: r),
            .nothingToExport(at: r),
            .appendHeaderMismatch(file: "x", theirs: "x", ours: "x", at: r),
            .noHelp(topic: "x", commands: ["a", "b"], at: nil),
            .nothingToContinue(at: r),
            .previousNotTable(previous: "x", at: r),
            .unknownFormatSetting(value: "x", at: r),
            .widthOutOfRange(at: r),
            .flagNotBinary(name: "x", at: r),
        ]
        let parse: [ParseError] = [
            .unexpected(r, expected: "x", found: .comma, help: "y"),
            .emptyName(r),
            .extraAfterStep(r, found: .comma, verb: "x", usage: "y"),
            .nestedTooDeep(r, limit: 3),
            .tooManyOperators(r, limit: 3),
            .pipelineStartsWithPipe(r),
            .stageNeedsTable(r, command: "x", usage: "x"),
            .sourceAfterPipe(r, command: "x", stages: ["a", "b"]),
            .unknownVerb(r, word: "x", otherTool: "y", suggestion: "y", stages: ["a", "b"]),
            .unexpectedInStep(r, found: .comma, verb: "x", usage: "x"),
            .unknownFormat(r, name: "x", formats: ["a", "b"], suggest: true),
            .rowCountNotWhole(r, verb: "x", text: "x"),
            .needsOrderColumn(r, verb: "x"),
            .delimiterNotOneCharacter(r),
            .unknownAggregate(r, name: "x", aggregates: ["a", "b"]),
            .quotedColumnName(r, text: "x"),
            .emptyColumnName(r, example: "x"),
            .columnNameSpaces(r, name: "x"),
            .columnSelectedTwice(r, column: "x"),
            .columnNameClash(r, name: "x", position: 3, existing: "x"),
            .exportNoExtension(r, path: "x", stem: "x", extensions: ["a", "b"]),
            .exportUnknownExtension(r, path: "x", ext: "x", stem: "x", extensions: ["a", "b"]),
        ]
        let all: [DiagnosticConvertible] = eval + command + parse
        for e in all {
            let d = e.diagnostic
            XCTAssertFalse(d.message.trimmingCharacters(in: .whitespaces).isEmpty, "\(e)")
            XCTAssertNotEqual(d.help?.trimmingCharacters(in: .whitespaces), "", "\(e)")
            XCTAssertEqual(d.range, (e as? EvalError)?.range ?? (e as? CommandError)?.range ?? (e as? ParseError)?.range, "\(e)")
        }
    }
}
