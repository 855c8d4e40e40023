@testable import PeelSupport
@testable import PeelRender
@testable import PeelStats
import XCTest

/// Properties every chart must keep, whatever its width: true lengths, honest missing values, no escapes.
final class ChartTests: XCTestCase {
    func spec(_ kind: ChartKind, _ values: [Double?], width: Int = 60, ascii: Bool = false) -> ChartSpec {
        var s = ChartSpec(kind: kind, title: "t", labels: values.indices.map { "row \($0)" },
                          series: [ChartSeries(name: "v", values: values, scales: values.map { _ in 1 })])
        s.width = width
        s.ascii = ascii
        return s
    }

    /// The filled cells of each row, counting half and eighth blocks as part cells.
    func barLengths(_ out: String) -> [Double] {
        out.split(separator: "\n").filter { $0.hasPrefix("row ") }.map { line in
            line.reduce(0.0) { acc, ch in
                switch ch {
                case "█", "#": return acc + 1
                case "▐", "▌": return acc + 0.5
                case "▏", "▕": return acc + 0.125
                case "▎": return acc + 0.25
                case "▍": return acc + 0.375
                case "▋": return acc + 0.625
                case "▊": return acc + 0.75
                case "▉": return acc + 0.875
                default: return acc
                }
            }
        }
    }

    func testDivergingLengthsAreTrueToScale() {
        for ascii in [false, true] {
            for width in [40, 80, 120] {
                let l = barLengths(Charts.render(spec(.diverging, [-0.2, -1.5, 3.0], width: width, ascii: ascii)))
                XCTAssertLessThan(l[0], l[1], "-0.2 must be shorter than -1.5 (width \(width), ascii \(ascii))")
                XCTAssertLessThan(l[1], l[2])
                XCTAssertGreaterThan(l[0], 0, "a value that is not zero shows")
            }
        }
    }

    func testBarsFromZeroAndNegativeValues() {
        let l = barLengths(Charts.render(spec(.bar, [10, 20, -5])))
        XCTAssertEqual(l[1] / l[0], 2, accuracy: 0.15)
        XCTAssertEqual(l[2] / l[0], 0.5, accuracy: 0.15)
    }

    func testMissingIsNotAZeroBar() {
        for kind in [ChartKind.bar, .diverging, .interval] {
            let out = Charts.render(spec(kind, [5, nil, 7]))
            let row = out.split(separator: "\n").first { $0.hasPrefix("row 1") }!
            XCTAssertTrue(row.contains("n/a"), "\(kind): \(row)")
        }
    }

    func testNoEscapeCodesAndWidthsRespected() {
        for kind in ChartKind.allCases where kind != .line {
            for width in [40, 80, 120] {
                var s = spec(kind, [1, 2, 3], width: width)
                s.series[0].intervals = [0.5, 0.5, 0.5]
                let out = Charts.render(s)
                XCTAssertFalse(out.contains("\u{1B}"), "\(kind)")
                for line in out.split(separator: "\n") { XCTAssertLessThanOrEqual(DisplayWidth.of(String(line)), width + 12, "\(kind) \(width): \(line)") }
            }
        }
    }

    func testLongAndWideLabelsAlign() {
        var s = spec(.bar, [1, 2])
        s.labels = ["Ynys Môn and a very long name indeed", "日本"]
        let rows = Charts.render(s).split(separator: "\n").filter { $0.contains("█") || $0.contains("▏") }
        let starts = rows.map { row in DisplayWidth.of(String(row.prefix { $0 != "█" && !ChartKit.eighths.contains($0) })) }
        XCTAssertEqual(Set(starts).count, 1, "bars start in one column: \(rows)")
        XCTAssertTrue(rows[0].contains("…"), "a long label is cut with an ellipsis")
    }

    // MARK: line and XmR charts

    func lineSpec(_ grid: [[Double?]], width: Int = 80, ascii: Bool = false) -> ChartSpec {
        var s = ChartSpec(kind: .line, title: "t", labels: grid.indices.map { "s\($0)" }, series: [])
        s.periods = (0..<(grid.first?.count ?? 0)).map { "P\($0)" }
        s.grid = grid
        s.width = width
        s.ascii = ascii
        return s
    }

    func testTickTextOnlyTheDigitsTheStepNeeds() {
        XCTAssertEqual(PlotPanel.tickText(1.4999999999999996e308, scale: 0, step: 5e307), "1.5e+308")
        XCTAssertEqual(PlotPanel.tickText(-2e20, scale: 0, step: 1e20), "-2e+20")
        XCTAssertEqual(PlotPanel.tickText(9.99999999e17, scale: 0, step: 1e17), "1e+18")
        XCTAssertEqual(PlotPanel.tickText(12.5, scale: 1, step: 0.5), "12.5")
        XCTAssertEqual(PlotPanel.tickText(3e12, scale: 0, step: 1e12), "3000000000000")
    }

    func testTicksOfHugeValuesAreShort() {
        let panel = PlotPanel(values: [1.0e308, 1.5e308], count: 2, totalWidth: 80, height: 12, rightMargin: 0, periodWidth: 2, ascii: false)
        for t in panel.ticks {
            let text = PlotPanel.tickText(t, scale: panel.tickScale, step: panel.tickStep)
            XCTAssertLessThanOrEqual(text.count, 8, "\(text) for \(t)")
        }
    }

    /// Values from -1.7e308 to 1.7e308: the span overflows a double, yet the ticks are whole
    /// multiples of a 1-2-5 step, inside the range, one per row.
    func testTicksAcrossTheWholeDoubleRange() {
        let panel = PlotPanel(values: [-1.7e308, 1.7e308, 0], count: 3, totalWidth: 60, height: 12, rightMargin: 0, periodWidth: 7, ascii: false)
        XCTAssertEqual(panel.ticks.count, 3)
        for (t, e) in zip(panel.ticks, [-1e308, 0, 1e308]) { XCTAssertEqual(t, e, accuracy: 1e293) }
        XCTAssertEqual(panel.ticks.map { PlotPanel.tickText($0, scale: panel.tickScale, step: panel.tickStep) }, ["-1e+308", "0", "1e+308"])
        XCTAssertEqual(Set(panel.ticks.map(panel.row)).count, panel.ticks.count)
        let lines = panel.lines(periods: ["a", "b", "c"])
        XCTAssertEqual(lines.filter { $0.contains("┤") }.count, 3, lines.joined(separator: "\n"))
    }

    /// A rising series puts each marker no lower than the one before; every line fits the width.
    func testLineMarkersFollowTheValues() {
        for ascii in [false, true] {
            for width in [40, 80, 120] {
                let out = LineRenderer.render(lineSpec([[1, 2, 3, 5, 8, 13]], width: width, ascii: ascii))
                let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                for l in lines { XCTAssertLessThanOrEqual(DisplayWidth.of(l), width, l) }
                let marker: Character = ascii ? "o" : "●"
                var rows: [(row: Int, col: Int)] = []
                for (r, l) in lines.enumerated() where !l.hasPrefix(String(marker)) {
                    for (c, ch) in l.enumerated() where ch == marker { rows.append((r, c)) }
                }
                XCTAssertEqual(rows.count, 6, out)
                let byCol = rows.sorted { $0.col < $1.col }
                for (a, b) in zip(byCol, byCol.dropFirst()) { XCTAssertGreaterThanOrEqual(a.row, b.row, out) }
                XCTAssertFalse(out.contains("\u{1B}"))
            }
        }
    }

    func testLineGapIsNotedNotDrawnAsZero() {
        let out = LineRenderer.render(lineSpec([[10, nil, 12]]))
        XCTAssertTrue(out.contains("1 missing, left as gaps: s0 P1"), out)
        XCTAssertEqual(out.filter { $0 == "●" }.count, 2 + 1, "two points and the legend's marker: \(out)")
    }

    func testXmrLimitsAreDrawnAndFit() throws {
        let values: [Double] = [10, 12, 11, 13, 12, 30, 11, 12, 10, 11]
        var s = lineSpec([values.map { Optional($0) }], width: 80)
        s.kind = .xmr
        s.xmr = try ControlChart.xmr(values)
        let out = XmrRenderer.render(s)
        for l in out.split(separator: "\n") { XCTAssertLessThanOrEqual(DisplayWidth.of(String(l)), 80, String(l)) }
        XCTAssertTrue(out.contains("P5"), "the point beyond the limits is named: \(out)")
    }
}
