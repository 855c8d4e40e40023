/// Where a session writes: results to `out`, diagnostics to `err`. The one place output goes.
public protocol OutputSink: AnyObject {
    func out(_ text: String)
    func err(_ text: String)
}

/// Collects output in memory, for tests and for capturing a command's result.
public final class CaptureSink: OutputSink {
    public private(set) var stdout = ""
    public private(set) var stderr = ""
    /// Both streams in the order written.
    public private(set) var combined = ""
    public init() {}
    public func out(_ text: String) { stdout += text; combined += text }
    public func err(_ text: String) { stderr += text; combined += text }
}
