@testable import PeelSupport
@testable import PeelStats
@testable import PeelRender
import XCTest

/// The funnel plot drawn from specs built by hand, with the limits passed in (a normal-approximation
/// band written here, so the tests do not depend on how FunnelLimits computes them).
final class FunnelRendererTests: XCTestCase {
    /// p ± z·√(p(1−p)/n), z = 1.959964 (95%) or 3.090232 (99.8%; scipy.stats.norm.ppf(0.999)).
    static func band(_ p: Double) -> @Sendable (Double, Double) -> (lower: Double, upper: Double)? {
        { n, level in
            guard n > 0 else { return nil }
            let z = level == 0.95 ? 1.959964 : 3.090232
            let h = z * (p * (1 - p) / n).squareRoot()
            return (max(0, p - h), min(1, p + h))
        }
    }

    func spec(_ points: [(String, Double, Double)], target: Double, width: Int = 80, ascii: Bool = false,
              scale: FunnelScale = .proportion, per: Double = 100,
              limits: (@Sendable (Double, Double) -> (lower: Double, upper: Double)?)? = nil) -> ChartSpec {
        var s = ChartSpec(kind: .funnel, title: "Funnel plot: resolved of reports", labels: points.map(\.0), series: [])
        s.funnel = FunnelChart(scale: scale, points: points.map { FunnelPoint(count: $0.1, denominator: $0.2) }, target: target,
                               targetName: "pooled", per: per, countName: "resolved", denominatorName: "reports",
                               method: "limits: test band", limits: limits ?? Self.band(target))
        s.unit = scale == .proportion ? "%" : "per 1,000"
        s.width = width
        s.ascii = ascii
        return s
    }

    /// Ten units exactly at 10% and one far above (300 of 1,000 is 30%; the 99.8% limit there is
    /// 10% + 3.09 × √(0.09/1000) = 12.9%).
    var tenAndOne: [(String, Double, Double)] {
        var units: [(String, Double, Double)] = []
        for k in 1...10 { units.append(("Unit \(k)", Double(100 * k), Double(1000 * k))) }
        units.append(("Outlier", 300, 1000))
        return units
    }

    func lines(_ s: String) -> [String] { s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    func testPointAboveTheUpperLimitIsLabelledAndListed() {
        let out = Charts.render(spec(tenAndOne, target: 0.1))
        if ProcessInfo.processInfo.environment["FUNNEL_SHOW"] == "1" { print(out) }
        let plotLine = lines(out).first { $0.contains("Outlier") && $0.contains("●") }
        XCTAssertNotNil(plotLine, "the outlier is named beside its point:\n\(out)")
        XCTAssertTrue(out.contains("above the 99.8% limit: Outlier 30.0%"), out)
        XCTAssertFalse(out.contains("below the 99.8% limit"), out)
        XCTAssertTrue(out.contains("within the 95% limits: 10 of 11 units"), out)
        // The outlier is the highest point: on the top row of the plot, at 30%.
        XCTAssertTrue(plotLine?.hasPrefix("30% ┤") == true, plotLine ?? "")
    }

    func testAPointOnTheTargetIsDrawnOnTheRule() {
        let out = Charts.render(spec(tenAndOne, target: 0.1))
        let ruleLines = lines(out).filter { $0.filter { $0 == "─" }.count > 20 && !$0.contains("└") }
        XCTAssertEqual(ruleLines.count, 1, out)
        XCTAssertTrue(ruleLines.first?.contains("●") == true, "points at exactly 10% sit on the rule:\n\(out)")
        XCTAssertTrue(ruleLines.first?.hasPrefix("10% ┤") == true, ruleLines.first ?? "")
    }

    func testEveryLineFitsTheWidthAndTheAxisFillsIt() {
        for width in [40, 80, 120] {
            for ascii in [false, true] {
                var pts = tenAndOne
                pts.append(("A unit with a very long name indeed, longer than a third of the chart", 5, 900))
                let out = Charts.render(spec(pts, target: 0.1, width: width, ascii: ascii))
                for line in lines(out) { XCTAssertLessThanOrEqual(DisplayWidth.of(line), width, "\(width) \(ascii): \(line)") }
                let axis = lines(out).first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(ascii ? "++" : "└") }
                XCTAssertEqual(axis.map(DisplayWidth.of), width, "\(width) \(ascii): the x axis spans the width\n\(out)")
            }
        }
    }

    func testASCIIHasOnlyASCII() {
        var s = spec(tenAndOne, target: 0.1, ascii: true)
        s.highlight = [3]
        s.source = "made up"
        let out = Charts.render(s)
        XCTAssertTrue(out.unicodeScalars.allSatisfy { $0.value < 128 }, out)
        XCTAssertTrue(out.contains("* Unit 4"), "the highlighted unit is a star in the legend:\n\(out)")
        XCTAssertTrue(out.contains("Source: made up"), out)
    }

    func testEmptyAndSinglePointDoNotCrash() {
        let empty = Charts.render(spec([], target: 0.1))
        XCTAssertTrue(empty.contains("no units to draw"), empty)
        let one = Charts.render(spec([("Only", 5, 50)], target: 0.1))
        XCTAssertTrue(one.contains("●"), one)
        XCTAssertTrue(one.contains("within the 95% limits: 1 of 1 units"), one)
        var none = spec([("Only", 5, 50)], target: 0.1)
        none.funnel = nil
        XCTAssertEqual(Charts.render(none), "(no funnel to draw)\n")
    }

    func testTooNarrowSaysSoInsteadOfDrawing() {
        let out = Charts.render(spec(tenAndOne, target: 0.1, width: 30))
        XCTAssertEqual(out, "(a funnel plot needs at least 40 columns, not 30: use width 40 or more)\n")
    }

    func testExtremeValuesDoNotTrap() {
        let huge: [(String, Double, Double)] = [("a", 1e308, 1), ("b", 0, 1e308), ("c", 1e308, 1e308), ("d", 5, 0), ("e", .nan, 10),
                                                 ("f", -1, 10), ("g", .infinity, 10), ("h", 1, 1e-300)]
        for width in [40, 120] {
            for (scale, per) in [(FunnelScale.rate, 100000.0), (.proportion, 100)] {
                for target in [0.0, 0.5, 1, 1e308, .nan] {
                    let out = Charts.render(spec(huge, target: target, width: width, scale: scale, per: per,
                                                 limits: { n, _ in (0, n > 0 ? 1e308 : .infinity) }))
                    for line in lines(out) { XCTAssertLessThanOrEqual(DisplayWidth.of(line), width, line) }
                    // And with the library's own limits.
                    _ = Charts.render(spec(huge, target: target, width: width, scale: scale, per: per,
                                           limits: { n, level in FunnelLimits.limits(target: target, denominator: n, scale: scale, level: level, overdispersion: .none) }))
                }
            }
        }
    }

    func testALogScaleIsStatedWhenTheDenominatorsSpreadWide() {
        let wide = Charts.render(spec([("small", 1, 10), ("big", 1000, 10000)], target: 0.1))
        XCTAssertTrue(wide.contains("reports (log scale)"), wide)
        let narrow = Charts.render(spec([("small", 10, 100), ("big", 100, 1000)], target: 0.1))
        XCTAssertFalse(narrow.contains("log scale"), narrow)
        XCTAssertTrue(narrow.contains("1,000"), "thousands separators on the x axis:\n\(narrow)")
    }

    func testLimitsWords() {
        // 100 of 1,000 is exactly the target; 300 of 1,000 is far above any 99.8% limit there
        // (normal: 12.9%; scipy.stats.binom.ppf(0.999, 1000, 0.1)/1000 = 0.130); 0 of 1,000 far below.
        XCTAssertEqual(FunnelRenderer.limitsWords(count: 100, denominator: 1000, target: 0.1, scale: .proportion, overdispersion: .none), "within the limits")
        XCTAssertEqual(FunnelRenderer.limitsWords(count: 300, denominator: 1000, target: 0.1, scale: .proportion, overdispersion: .none), "above the 99.8% limit")
        XCTAssertEqual(FunnelRenderer.limitsWords(count: 0, denominator: 1000, target: 0.1, scale: .proportion, overdispersion: .none), "below the 99.8% limit")
        // A rate: 200 events per 1,000 people against 0.1 per person (scipy.stats.poisson.ppf(0.999, 100) = 132).
        XCTAssertEqual(FunnelRenderer.limitsWords(count: 200, denominator: 1000, target: 0.1, scale: .rate, overdispersion: .none), "above the 99.8% limit")
        XCTAssertNil(FunnelRenderer.limitsWords(count: 1, denominator: 0, target: 0.1, scale: .proportion, overdispersion: .none))
        XCTAssertNil(FunnelRenderer.limitsWords(count: 5, denominator: 4, target: 0.1, scale: .proportion, overdispersion: .none))
        XCTAssertNil(FunnelRenderer.limitsWords(count: -1, denominator: 4, target: 0.1, scale: .rate, overdispersion: .none))
        XCTAssertNil(FunnelRenderer.limitsWords(count: .nan, denominator: 4, target: 0.1, scale: .rate, overdispersion: .none))
    }

    func testBands() {
        let l95 = (lower: 0.08, upper: 0.12), l998 = (lower: 0.06, upper: 0.14)
        XCTAssertEqual(FunnelBand.of(0.12, l95: l95, l998: l998), .within, "on the limit is within it")
        XCTAssertEqual(FunnelBand.of(0.13, l95: l95, l998: l998), .above95)
        XCTAssertEqual(FunnelBand.of(0.15, l95: l95, l998: l998), .above998)
        XCTAssertEqual(FunnelBand.of(0.07, l95: l95, l998: l998), .below95)
        XCTAssertEqual(FunnelBand.of(0.01, l95: l95, l998: l998), .below998)
    }
}
