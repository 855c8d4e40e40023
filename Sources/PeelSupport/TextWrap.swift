/// Greedy word wrapping for prose in help and descriptions.
package enum TextWrap {
    package static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> String {
        var lines: [String] = []
        var line = first
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let w = String(word)
            if lineHasWord, DisplayWidth.of(line) + 1 + DisplayWidth.of(w) > width {
                lines.append(line)
                line = rest + w
            } else {
                line += (lineHasWord ? " " : "") + w
            }
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
