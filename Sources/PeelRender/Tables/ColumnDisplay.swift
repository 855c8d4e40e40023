import PeelSupport
import PeelData

extension Column {
    /// The value as shown in aligned text and Markdown (files get `formatted`, which keeps every digit).
    public func display(_ row: Int) -> String? {
        if isPValue, let v = number(row) { return v < 0.0001 ? "<0.0001" : NumberFormat.fixed(v, scale: 4) }
        return formatted(row)
    }
}
