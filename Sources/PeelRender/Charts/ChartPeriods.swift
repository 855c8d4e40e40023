import PeelData

extension ChartSpec {
    /// The chart with its categories in time order when they are periods (`Period.detect`): a
    /// line chart's periods, and a bar, grouped or diverging chart's rows when every label is one
    /// (rows of one period keep their order). `chart` lays rows out in the table's order, so
    /// without this a table whose years came out of order would draw them out of order too.
    /// Interval and strip charts are unchanged (they sort by value, or have no order).
    public func inTimeOrder() -> ChartSpec {
        switch kind {
        case .line, .spark: return periodsInTimeOrder()
        case .bar, .grouped, .diverging: return rowsInTimeOrder()
        // An XmR chart's points are put in time order before its limits are computed.
        case .interval, .strip, .funnel, .xmr: return self
        }
    }

    /// Positions of `labels` in time order, or nil when they are not all periods or are already in
    /// order. `n/a` (a missing period) goes last.
    package static func timeOrder(_ labels: [String]) -> [Int]? {
        let present = labels.indices.filter { labels[$0] != "n/a" }
        guard let periods = Period.detect(present.map { labels[$0] }) else { return nil }
        var key = [(Int32, Int32)](repeating: (Int32.max, Int32.max), count: labels.count)
        for (k, i) in present.enumerated() { key[i] = (periods[k].last, periods[k].first) }
        let order = labels.indices.sorted { key[$0] != key[$1] ? key[$0] < key[$1] : $0 < $1 }
        return order == Array(labels.indices) ? nil : order
    }

    private func periodsInTimeOrder() -> ChartSpec {
        guard let order = Self.timeOrder(periods), grid.allSatisfy({ $0.count == periods.count }),
              gridScales.allSatisfy({ $0.count == periods.count }) else { return self }
        var out = self
        out.periods = order.map { periods[$0] }
        out.grid = grid.map { row in order.map { row[$0] } }
        out.gridScales = gridScales.map { row in order.map { row[$0] } }
        // The one series holds the grid's cells, series after series.
        if out.series.count == 1, out.series[0].values.count == grid.count * periods.count {
            out.series[0].values = out.grid.flatMap { $0 }
            out.series[0].scales = out.gridScales.flatMap { $0 }
        }
        return out
    }

    private func rowsInTimeOrder() -> ChartSpec {
        let n = labels.count
        guard let order = Self.timeOrder(labels), !labels.contains("n/a"),
              series.allSatisfy({ $0.values.count == n && $0.scales.count == n }) else { return self }
        func permute<T>(_ a: [T]?) -> [T]? { a.map { a in a.count == n ? order.map { a[$0] } : a } }
        var out = self
        out.labels = order.map { labels[$0] }
        for s in out.series.indices {
            let old = series[s]
            out.series[s].values = order.map { old.values[$0] }
            out.series[s].scales = order.map { old.scales[$0] }
            out.series[s].intervals = permute(old.intervals)
            out.series[s].intervalScales = permute(old.intervalScales)
        }
        out.marks = permute(marks)
        out.markScales = permute(markScales)
        var position = [Int](repeating: 0, count: n)
        for (new, old) in order.enumerated() { position[old] = new }
        out.highlight = Set(highlight.compactMap { $0 >= 0 && $0 < n ? position[$0] : nil })
        return out
    }
}
