#if canImport(Glibc)
import Glibc
#endif

/// Sizes no real analysis reaches, so that a hostile or mistaken file stops with a clear error
/// (naming the limit) as soon as it crosses one, instead of taking the machine's memory. The
/// largest real table peel meets, the Home Office offence-level outcomes, has 450,912 rows; the
/// benchmarks go to 20 million.
public enum Limits {
    /// Rows in one table read from a file.
    public static let maxRows = 50_000_000
    /// Cells a pivot may make (rows × new columns): a pivot is read by people.
    public static let maxPivotCells = 1 << 26

    /// The most bytes a compressed file may expand to: a quarter of this machine's memory, and
    /// never more than 16 GiB.
    public static let maxDecompressedBytes: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        let memory = pages > 0 && size > 0 ? Int(pages) * Int(size) : 8 << 30
        return min(16 << 30, max(256 << 20, memory / 4))
    }()

    /// "4.0 GiB", "256 MiB".
    public static func bytes(_ n: Int) -> String {
        n >= 1 << 30 ? NumberFormat.fixed(Double(n) / Double(1 << 30), scale: 1) + " GiB" : "\(n >> 20) MiB"
    }
}
