/// Builds typed columns from values appended row by row (for small derived tables).
public struct ColumnBuilder {
    public let name: String
    public var unit: String?
    public var description: String?
    private var numbers: [Double] = []
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
        numbers.append(number ?? 0)
        missing.append(number == nil)
        rowScales.append(UInt8(clamping: rowScale ?? scale))
    }

    public func build() -> Column {
        let data: ColumnData
        if !numeric {
            var dict: [String] = []
            var index: [String: Int32] = [:]
            var codes: [Int32] = []
            codes.reserveCapacity(texts.count)
            for (i, t) in texts.enumerated() {
                if missing[i] { codes.append(0); continue }
                if let c = index[t] { codes.append(c); continue }
                let c = Int32(dict.count)
                dict.append(t)
                index[t] = c
                codes.append(c)
            }
            if dict.isEmpty { dict = [""] }
            data = .text(codes: codes, dictionary: dict)
        } else if integer {
            data = .integer(numbers.map { Int64($0) })
        } else {
            data = .decimal(numbers, scale: scale)
        }
        let uniform = zip(rowScales, missing).allSatisfy { $1 || Int($0) == scale }
        return Column(name: name, unit: unit, description: description, data: data, missing: MissingMask(missing),
                      rowScales: numeric && !integer && !uniform ? rowScales : nil)
    }
}
