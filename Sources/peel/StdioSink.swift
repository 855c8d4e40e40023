#if canImport(Glibc)
import Glibc
#endif
import PeelCore

/// Writes results to stdout and diagnostics to stderr, keeping the two in order.
final class StdioSink: OutputSink {
    func out(_ text: String) {
        fputs(text, stdout)
    }
    func err(_ text: String) {
        fflush(stdout)
        fputs(text, stderr)
        fflush(stderr)
    }
}
