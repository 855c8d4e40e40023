import OrderedCollections

/// Builds typed columns from values appended row by row (for small derived tables).
public struct ColumnBuilder {
    public let name: String
    public var unit: String?
    public var description: String?
    private var numbers: [Double] = []
    /// An integer column's values, exact (a whole number past 2^53 does not fit a double).
    private var ints: [Int64] = []
    /// Set when a number appended to an integer column is not a whole number that fits in 64
    /// bits: the column is then built as decimals rather than trap or round.
    private var notWhole = false
    private var texts: [String] = []
    private var missing: [Bool] = []
    private var rowScales: [UInt8] = []
    private let numeric: Bool
    private var scale: Int
    private let integer: Bool

    public static func text(_ name: String, unit: String? = nil) -> ColumnBuilder {
        ColumnBuilder(name: name, unit: unit, numeric: false, scale: 0, integer: false)
    }
    public static func decimal(_ name: String, scale: Int, unit: String? = nil) -> ColumnBuilder {
        ColumnBuilder(name: name, unit: unit, numeric: true, scale: scale, integer: false)
    }
    public static func integer(_ name: String, unit: String? = nil) -> ColumnBuilder {
        ColumnBuilder(name: name, unit: unit, numeric: true, scale: 0, integer: true)
    }

    private init(name: String, unit: String?, numeric: Bool, scale: Int, integer: Bool) {
        self.name = name
        self.unit = unit
        self.numeric = numeric
        self.scale = scale
        self.integer = integer
    }

    public mutating func append(_ text: String?) {
        if numeric {
            // A bare `nil` lands here; for a numeric column it is a missing number.
            precondition(text == nil, "text appended to numeric column \(name)")
            append(nil as Double?)
            return
        }
        texts.append(text ?? "")
        missing.append(text == nil)
    }

    public mutating func append(_ number: Double?, scale rowScale: Int? = nil) {
        if integer {
            if let n = number, let i = Int64(exactly: n) { ints.append(i) } else {
                ints.append(0)
                if number != nil { notWhole = true }
            }
        }
        numbers.append(number ?? 0)
        missing.append(number == nil)
        rowScales.append(UInt8(clamping: rowScale ?? scale))
    }

    /// An exact whole number (integer columns; for a decimal column, as a double).
    public mutating func append(int value: Int64?) {
        if integer { ints.append(value ?? 0) }
        numbers.append(value.map(Double.init) ?? 0)
        missing.append(value == nil)
        rowScales.append(UInt8(clamping: scale))
    }

    public func build() -> Column {
        let data: ColumnData
        if !numeric {
            // Each distinct text once, in first-seen order; a row's code is its text's position.
            var distinct = OrderedSet<String>()
            var codes: [Int32] = []
            codes.reserveCapacity(texts.count)
            var previous = -1  // the last row with a value: runs of one text are common
            for (i, t) in texts.enumerated() {
                if missing[i] { codes.append(0); continue }
                if previous >= 0, texts[previous] == t { codes.append(codes[previous]) } else {
                    codes.append(Int32(distinct.append(t).index))
                }
                previous = i
            }
            data = .text(codes: codes, dictionary: distinct.isEmpty ? [""] : Array(distinct))
        } else if integer && !notWhole {
            data = .integer(ints)
        } else {
            data = .decimal(numbers, scale: scale)
        }
        let uniform = zip(rowScales, missing).allSatisfy { $1 || Int($0) == scale }
        return Column(name: name, unit: unit, description: description, data: data, missing: MissingMask(missing),
                      rowScales: numeric && (!integer || notWhole) && !uniform ? rowScales : nil)
    }
}
