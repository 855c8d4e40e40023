package func quoteForDump(_ s: String) -> String {
    "\"" + s.replacingAll("\"", with: "\\\"") + "\""
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation needed).
    package func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        // Most text holds no such character: one look at the bytes decides that.
        if target.utf8.count == 1, let b = target.utf8.first, !utf8.contains(b) { return self }
        return self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
