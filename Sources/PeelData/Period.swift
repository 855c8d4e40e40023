/// A span of time as publishers label it: a financial year (`2017/18`), a quarter (`2017/18 Q1`),
/// a month (`2019-01`), a calendar year, or a rolling year ("12 months to 30 June 2016"). Months
/// are counted from year 0 (`year * 12 + month - 1`); `first` and `last` are inclusive.
/// Periods sort by their last month, then their first, so a series is in time order.
public struct Period: Sendable, Hashable, Comparable {
    public enum Kind: String, Sendable, Hashable {
        case financialYear = "financial year"
        case quarter
        case month
        case calendarYear = "calendar year"
        case rollingYear = "rolling year"
    }

    public var kind: Kind
    public var first: Int32
    public var last: Int32

    public init(kind: Kind, first: Int32, last: Int32) {
        self.kind = kind
        self.first = first
        self.last = last
    }

    public static func < (a: Period, b: Period) -> Bool {
        (a.last, a.first) < (b.last, b.first)
    }
}
