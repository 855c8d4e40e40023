@testable import PeelSupport
@testable import PeelRender
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
}
