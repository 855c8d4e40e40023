/// A span of time as publishers label it: a financial year (`2017/18`), a quarter (`2017/18 Q1`),
/// a month (`2019-01`), a calendar year, or a rolling year ("12 months to 30 June 2016"). Months
/// are counted from year 0 (`year * 12 + month - 1`); `first` and `last` are inclusive.
/// Periods sort by their last month, then their first, so a series is in time order.
///
/// The label a file wrote stays in its column's dictionary as written; a `Period` holds only the
/// months it covers and the kind of label it came from. `Period.parse` reads the labels (see its
/// comment for the forms); `Column.detectingPeriods()` marks a column whose every value is one.
public struct Period: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
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

    /// The years peel reads in a period: four digits, so every month index fits easily.
    public static let years: ClosedRange<Int> = 1000...9999

    /// The index of a month (1–12) of a year, or nil outside `years`.
    public static func monthIndex(year: Int, month: Int) -> Int32? {
        guard years.contains(year), (1...12).contains(month) else { return nil }
        return Int32(year * 12 + month - 1)
    }

    /// The year and month (1–12) of a month index.
    public static func yearMonth(_ index: Int32) -> (year: Int, month: Int) {
        // Floor division, so a period built by hand before year 0 still has a month of 1–12.
        let i = Int(index)
        let y = i >= 0 ? i / 12 : (i - 11) / 12
        return (y, i - y * 12 + 1)
    }

    /// The financial year from April of `startYear` to March of the next.
    public static func financialYear(_ startYear: Int) -> Period? {
        guard let a = monthIndex(year: startYear, month: 4), let b = monthIndex(year: startYear + 1, month: 3) else { return nil }
        return Period(kind: .financialYear, first: a, last: b)
    }

    /// A calendar year, January to December.
    public static func calendarYear(_ year: Int) -> Period? {
        guard let a = monthIndex(year: year, month: 1), let b = monthIndex(year: year, month: 12) else { return nil }
        return Period(kind: .calendarYear, first: a, last: b)
    }

    /// One month.
    public static func month(year: Int, month: Int) -> Period? {
        monthIndex(year: year, month: month).map { Period(kind: .month, first: $0, last: $0) }
    }

    /// A calendar quarter: Q1 is January to March.
    public static func quarter(year: Int, quarter q: Int) -> Period? {
        guard (1...4).contains(q), let a = monthIndex(year: year, month: 3 * q - 2) else { return nil }
        return Period(kind: .quarter, first: a, last: a + 2)
    }

    /// A quarter of a financial year: Q1 is April to June, Q4 January to March of the next year.
    public static func quarter(financialYear fy: Period, quarter q: Int) -> Period? {
        guard fy.kind == .financialYear, fy.last - fy.first == 11, (1...4).contains(q) else { return nil }
        let a = fy.first + Int32(3 * (q - 1))
        return Period(kind: .quarter, first: a, last: a + 2)
    }

    /// A quarter from a financial year's label and a quarter's (`"2017/18"` and `"Q1"`, `"1"` or
    /// `"Quarter 1"`), as a file with a year column and a quarter column writes them.
    public static func quarter(financialYear: String, quarter: String) -> Period? {
        guard let fy = parse(financialYear), fy.kind == .financialYear, let q = quarterNumber(quarter) else { return nil }
        return Self.quarter(financialYear: fy, quarter: q)
    }

    /// `Q1`, `1`, `Quarter 1` (any case) as 1; nil for anything else or a number outside 1–4.
    public static func quarterNumber(_ text: String) -> Int? {
        let t = PeriodTokens(text).tokens
        var i = 0
        if i < t.count, case .word(let w) = t[i], w == "q" || w == "quarter" { i += 1 }
        guard i == t.count - 1, case .number(let d) = t[i], d.count == 1, let q = Int(d), (1...4).contains(q) else { return nil }
        return q
    }

    /// Months covered.
    public var months: Int { Int(last) - Int(first) + 1 }

    /// Whether the two cover the same months (whatever their labels' kinds).
    public func sameSpan(_ other: Period) -> Bool { first == other.first && last == other.last }

    /// A plain label for the period (not necessarily the one the file wrote): `2017/18`,
    /// `Apr to Jun 2017` (a quarter), `Jan 2019`, `2019`, `year ending Mar 2018`.
    public var description: String {
        let (fy, fm) = Self.yearMonth(first)
        let (ly, lm) = Self.yearMonth(last)
        func two(_ y: Int) -> String { let r = y % 100; return r < 10 ? "0\(r)" : "\(r)" }
        func short(_ m: Int) -> String { Self.monthNames[m - 1].prefix(3).capitalized }
        switch kind {
        case .financialYear: return "\(fy)/\(two(ly))"
        case .quarter:
            // By its months: April to June is both 2017 Q2 and 2017/18 Q1.
            return "\(short(fm)) to \(short(lm)) \(ly)"
        case .month: return "\(short(fm)) \(fy)"
        case .calendarYear: return "\(fy)"
        case .rollingYear:
            return months == 12 ? "year ending \(short(lm)) \(ly)" : "\(short(fm)) \(fy) to \(short(lm)) \(ly)"
        }
    }

    /// The forms peel reads, for help and error messages.
    public static let examples = "2015/16, 2015/16 Q1, 2019 Q1, 2019-01, Jan 2019, year ending Mar 2018"

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december"]
}

// MARK: - Reading labels

extension Period {
    /// The period a label names, or nil when it names none. Case, spacing and dashes (`-`, `–`,
    /// `—`) do not matter. The forms:
    ///
    /// - financial years (April to March): `2017/18`, `2017-18`, `2017/2018`, `2017-2018`,
    ///   `FY 2017/18`, `FY2017-18`, `financial year 2017/18`, `financial year ending March 2018`,
    ///   `FYE 2018`. The second year must follow the first (`2017/19` is no period).
    /// - quarters: financial `2017/18 Q1` or `Q1 2017/18` (Q1 = April to June); calendar
    ///   `2018 Q1`, `2018Q1`, `Q1 2018` (Q1 = January to March); `Quarter 1` for `Q1`; and a
    ///   calendar quarter's months, `Jan to Mar 2018`, `January–March 2018`.
    /// - months: `2019-01`, `01/2019`, `Jan 2019`, `January 2019`, `Sept 2019`, `2019 Jan`, and with
    ///   a two-digit year `Jan-19` or `Jan '19` (never `Jan 19`, which may be a day).
    /// - rolling years, the 12 months ending in a month: `12 months to 30 June 2016` (a day must be
    ///   the month's last), `12 months ending June 2016`, `year ending March 2018`,
    ///   `year to Mar 2018`, `YE Mar 18`, `Apr '17 to Mar '18`, `April 2017 to March 2018`,
    ///   `Apr 2017 - Mar 2018`, `1 April 2017 to 31 March 2018`.
    ///
    /// A bare year (`2019`) is not a period: a column of years stays a column of numbers. A
    /// two-digit year is 20YY below 70, else 19YY. `2011-12` could be a financial year or
    /// December 2011: alone it is read as the financial year; see `parse(_:amongst:)` and
    /// `detect(_:)` for a column of months.
    public static func parse(_ text: String) -> Period? {
        reading(text)?.period
    }

    /// `parse`, reading a label that could be a month or a financial year (`2011-12`) the way
    /// `others` (a column's periods) do: as a month when they hold months and no financial years.
    public static func parse(_ text: String, amongst others: [Period]) -> Period? {
        guard let r = reading(text) else { return nil }
        if let m = r.month, others.contains(where: { $0.kind == .month }), !others.contains(where: { $0.kind == .financialYear }) { return m }
        return r.period
    }

    /// The periods of a column's values, when every one is a period; nil otherwise (or for none).
    /// Values written `YYYY-NN` that could be months or financial years (`2011-12`) are read as
    /// months when another value is a month that cannot be a financial year (`2011-11`) and none
    /// is a financial year that cannot be a month (`2013-14`); as financial years when no value
    /// is such a month; and make the column no periods when both kinds are there.
    public static func detect(_ texts: [String]) -> [Period]? {
        var readings: [Reading] = []
        readings.reserveCapacity(texts.count)
        for t in texts {
            guard let r = reading(t) else { return nil }
            readings.append(r)
        }
        return resolve(readings)
    }

    /// The periods of readings taken together (see `detect`).
    static func resolve(_ readings: [Reading]) -> [Period]? {
        guard !readings.isEmpty else { return nil }
        guard readings.contains(where: { $0.month != nil }) else { return readings.map(\.period) }
        var months = false, years = false
        for r in readings where r.month == nil {
            if r.period.kind == .month { months = true }
            if r.period.kind == .financialYear { years = true }
        }
        if months && years { return nil }
        return readings.map { months ? ($0.month ?? $0.period) : $0.period }
    }

    /// A label's period, and the month it could be instead (for `YYYY-NN` that is both).
    struct Reading {
        var period: Period
        var month: Period?
    }

    static func reading(_ text: String) -> Reading? {
        // Labels are short; anything long is prose, not a period (and costs nothing to refuse).
        guard !text.isEmpty, text.utf8.count <= 60 else { return nil }
        let toks = PeriodTokens(text).tokens
        guard !toks.isEmpty else { return nil }
        var p = PeriodParser(toks)
        guard let r = p.label(), p.atEnd else { return nil }
        return r
    }
}

/// A label cut into words (lower-cased letters), numbers (digits as written) and marks.
enum PeriodToken: Equatable {
    case word(String)
    case number(String)
    /// `/`, `-` (any dash), `'` (any apostrophe), `,`, `.`, `(`, `)`.
    case mark(Character)
}

struct PeriodTokens {
    var tokens: [PeriodToken] = []

    init(_ text: String) {
        var word = "", digits = ""
        func flush() {
            if !word.isEmpty { tokens.append(.word(word)); word = "" }
            if !digits.isEmpty { tokens.append(.number(digits)); digits = "" }
        }
        for ch in text.lowercased() {
            if ch.isASCII, ch.isLetter {
                if !digits.isEmpty { flush() }
                word.append(ch)
            } else if ch.isASCII, ch.isNumber {
                if !word.isEmpty { flush() }
                digits.append(ch)
            } else {
                flush()
                switch ch {
                case " ", "\t", "\u{00A0}": break
                case "-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}": tokens.append(.mark("-"))
                case "'", "\u{2018}", "\u{2019}", "`": tokens.append(.mark("'"))
                case "/", ",", ".", "(", ")": tokens.append(.mark(ch))
                default: tokens.append(.mark("?"))  // any other character: no form has it
                }
            }
        }
        flush()
    }
}

/// Reads one label from its tokens, by trying each form in turn from the start.
struct PeriodParser {
    let t: [PeriodToken]
    var i = 0

    init(_ tokens: [PeriodToken]) { t = tokens }

    var atEnd: Bool { i == t.count }

    // MARK: Tokens

    func peek(_ k: Int = 0) -> PeriodToken? { i + k < t.count ? t[i + k] : nil }

    mutating func word(_ words: String...) -> Bool {
        if case .word(let w)? = peek(), words.contains(w) { i += 1; return true }
        return false
    }

    mutating func mark(_ c: Character) -> Bool {
        if case .mark(c)? = peek() { i += 1; return true }
        return false
    }

    /// A number of exactly `digits` digits (any length when nil).
    mutating func number(digits: Int? = nil) -> (Int, Int)? {
        guard case .number(let d)? = peek(), digits == nil || d.count == digits, d.count <= 4, let v = Int(d) else { return nil }
        i += 1
        return (v, d.count)
    }

    /// A four-digit year.
    mutating func year4() -> Int? {
        let save = i
        guard let (y, _) = number(digits: 4), Period.years.contains(y) else { i = save; return nil }
        return y
    }

    /// A year written with four digits, or two after an apostrophe (`'17`), or two when `bare`.
    mutating func year(bareTwoDigits: Bool) -> Int? {
        let save = i
        if let y = year4() { return y }
        if mark("'"), let (y, _) = number(digits: 2) { return Self.century(y) }
        i = save
        if bareTwoDigits, let (y, _) = number(digits: 2) { return Self.century(y) }
        i = save
        return nil
    }

    static func century(_ yy: Int) -> Int { yy < 70 ? 2000 + yy : 1900 + yy }

    /// A month's name, full or short (`sept` too), as 1–12.
    mutating func monthName() -> Int? {
        guard case .word(let w)? = peek() else { return nil }
        let names = Period.monthNames
        var m: Int?
        if let k = names.firstIndex(of: w) { m = k + 1 }
        else if w.count == 3, let k = names.firstIndex(where: { $0.hasPrefix(w) }) { m = k + 1 }
        else if w == "sept" { m = 9 }
        guard let m else { return nil }
        i += 1
        _ = mark(".")  // `Jan.`
        return m
    }

    /// A day of the month, with an ordinal ending (`30th`) if any.
    mutating func day() -> Int? {
        let save = i
        guard let (d, n) = number(), n <= 2, (1...31).contains(d) else { i = save; return nil }
        _ = word("st", "nd", "rd", "th")
        // A day is followed by a month's name; otherwise this number was something else.
        guard case .word? = peek() else { i = save; return nil }
        return d
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: Forms

    mutating func attempt(_ form: (inout PeriodParser) -> Period.Reading?) -> Period.Reading? {
        let save = i
        if let r = form(&self), atEnd { return r }
        i = save
        return nil
    }

    mutating func label() -> Period.Reading? {
        let forms: [(inout PeriodParser) -> Period.Reading?] = [
            { $0.financialYearOrMonth() },
            { $0.quarterFirst() },
            { $0.monthYearForms() },
            { $0.rollingYear() },
            { $0.prefixedFinancialYear() },
            { $0.numericMonth() },
        ]
        for f in forms { if let r = attempt(f) { return r } }
        return nil
    }

    /// `2017/18`, `2017-18`, `2017/2018`, then an optional quarter (`Q1`); or the year alone then
    /// a quarter (`2018 Q1`) or a month's name (`2019 Jan`); or `2019-01`.
    mutating func financialYearOrMonth() -> Period.Reading? {
        guard let y = year4() else { return nil }
        if mark("/") || mark("-") {
            let sep = t[i - 1]
            // `2018-Q1`
            if let q = quarterSuffix() {
                guard sep == .mark("-") else { return nil }
                return Period.quarter(year: y, quarter: q).map { Period.Reading(period: $0) }
            }
            guard let (n, digits) = number(), digits == 2 || digits == 4 else { return nil }
            let next = digits == 2 ? (y + 1) % 100 : y + 1
            var month: Period?
            if digits == 2, sep == .mark("-"), (1...12).contains(n) { month = Period.month(year: y, month: n) }
            if n == next, let fy = Period.financialYear(y) {
                if let q = quarterSuffix() {
                    return Period.quarter(financialYear: fy, quarter: q).map { Period.Reading(period: $0) }
                }
                return Period.Reading(period: fy, month: month)
            }
            // `2019-01`: a month that cannot be a financial year.
            return month.map { Period.Reading(period: $0) }
        }
        if let q = quarterSuffix() { return Period.quarter(year: y, quarter: q).map { Period.Reading(period: $0) } }
        if let m = monthName() { return Period.month(year: y, month: m).map { Period.Reading(period: $0) } }
        return nil
    }

    /// `Q1`, `Q 1`, `Quarter 1` as 1.
    mutating func quarterSuffix() -> Int? {
        let save = i
        guard word("q", "quarter"), let (q, n) = number(), n == 1, (1...4).contains(q) else { i = save; return nil }
        return q
    }

    /// `Q1 2018` (calendar) or `Q1 2017/18` (financial).
    mutating func quarterFirst() -> Period.Reading? {
        guard let q = quarterSuffix() else { return nil }
        _ = mark("-") || mark(",")
        guard let y = year4() else { return nil }
        if atEnd { return Period.quarter(year: y, quarter: q).map { Period.Reading(period: $0) } }
        guard let fy = financialYearTail(y) else { return nil }
        return Period.quarter(financialYear: fy, quarter: q).map { Period.Reading(period: $0) }
    }

    /// After a first year `y`: `/18`, `-18`, `/2018` naming the next year.
    mutating func financialYearTail(_ y: Int) -> Period? {
        let save = i
        guard mark("/") || mark("-"), let (n, digits) = number(), digits == 2 || digits == 4,
              n == (digits == 2 ? (y + 1) % 100 : y + 1) else { i = save; return nil }
        return Period.financialYear(y)
    }

    /// `FY 2017/18`, `financial year 2017-18`, `financial year ending March 2018`, `FYE 2018`.
    mutating func prefixedFinancialYear() -> Period.Reading? {
        if word("fye") { return finishFinancialYearEnding() }
        if word("fy") || (word("financial") && word("year")) {
            if word("ending", "end", "to") {
                return finishFinancialYearEnding()
            }
            guard let y = year4(), let fy = financialYearTail(y) else { return nil }
            if let q = quarterSuffix() { return Period.quarter(financialYear: fy, quarter: q).map { Period.Reading(period: $0) } }
            return Period.Reading(period: fy)
        }
        return nil
    }

    /// `[March] 2018` after "financial year ending": the year from April 2017 to March 2018.
    mutating func finishFinancialYearEnding() -> Period.Reading? {
        _ = day()
        if let m = monthName(), m != 3 { return nil }
        guard let y = year(bareTwoDigits: true) else { return nil }
        return Period.financialYear(y - 1).map { Period.Reading(period: $0) }
    }

    /// `01/2019`.
    mutating func numericMonth() -> Period.Reading? {
        guard let (m, n) = number(), n == 2, (1...12).contains(m), mark("/"), let y = year4() else { return nil }
        return Period.month(year: y, month: m).map { Period.Reading(period: $0) }
    }

    /// An end of a span: `[day] month year`, the year as `2017`, `'17`, `-17` or (in a span) `17`;
    /// the year may be left out of the first end (`Jan to Mar 2018`). `day` is the day written.
    mutating func spanEnd(yearOptional: Bool) -> (day: Int?, month: Int, year: Int?)? {
        let save = i
        let d = day()
        guard let m = monthName() else { i = save; return nil }
        if let y = year(bareTwoDigits: true) { return (d, m, y) }
        let mark = i
        if self.mark("-"), let (yy, _) = number(digits: 2) {
            // `Apr-17`: Excel's month and year; a dash then anything else ends this end.
            if peek() == nil || peek() == .word("to") || peek() == .mark("-") { return (d, m, Self.century(yy)) }
        }
        i = mark
        return yearOptional ? (d, m, nil) : { i = save; return nil }()
    }

    /// `Jan 2019`, `January 2019`, `Jan-19`, `Jan '19`; and spans `Jan to Mar 2018`,
    /// `April 2017 to March 2018`.
    mutating func monthYearForms() -> Period.Reading? {
        let save = i
        let d0 = day()
        guard let m = monthName() else { i = save; return nil }
        // One month.
        if d0 == nil {
            let afterMonth = i
            if let y = year4(), atEnd { return Period.month(year: y, month: m).map { Period.Reading(period: $0) } }
            i = afterMonth
            if mark("'") || mark("-"), let (yy, _) = number(digits: 2), atEnd {
                return Period.month(year: Self.century(yy), month: m).map { Period.Reading(period: $0) }
            }
        }
        i = save
        return span()
    }

    /// `START to END` or `START - END`: 12 months is a rolling year, the three months of a
    /// calendar quarter a quarter; anything else is no period.
    mutating func span() -> Period.Reading? {
        guard let a = spanEnd(yearOptional: true) else { return nil }
        guard word("to", "until") || mark("-") else { return nil }
        guard let b = spanEnd(yearOptional: false), let by = b.year else { return nil }
        let ay = a.year ?? (a.month <= b.month ? by : by - 1)
        if let d = a.day, d != 1 { return nil }
        if let d = b.day, d != Self.daysIn(year: by, month: b.month) { return nil }
        guard let first = Period.monthIndex(year: ay, month: a.month), let last = Period.monthIndex(year: by, month: b.month) else { return nil }
        switch last - first + 1 {
        case 12: return Period.Reading(period: Period(kind: .rollingYear, first: first, last: last))
        case 3 where a.month % 3 == 1: return Period.Reading(period: Period(kind: .quarter, first: first, last: last))
        default: return nil
        }
    }

    /// `12 months to 30 June 2016`, `year ending March 2018`, `YE Mar 18`, `year to Mar 2018`.
    mutating func rollingYear() -> Period.Reading? {
        if let (n, _) = number() {
            guard n == 12, word("months", "month") else { return nil }
        } else if word("twelve") {
            guard word("months", "month") else { return nil }
        } else if word("ye") {
            return rollingEnd()
        } else if word("rolling") {
            guard word("year") else { return nil }
        } else {
            guard word("year") else { return nil }
        }
        guard word("ending", "ended", "to", "end") else { return nil }
        _ = word("end") && word("of")
        return rollingEnd()
    }

    /// `[30] June 2016` ending a rolling year: the day, when written, is the month's last.
    mutating func rollingEnd() -> Period.Reading? {
        let d = day()
        guard let m = monthName(), let y = year(bareTwoDigits: true) else { return nil }
        if let d, d != Self.daysIn(year: y, month: m) { return nil }
        guard let last = Period.monthIndex(year: y, month: m) else { return nil }
        return Period.Reading(period: Period(kind: .rollingYear, first: last - 11, last: last))
    }
}
