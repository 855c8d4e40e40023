import Foundation

/// File names as commands take them: one reading of `~`, shared by Tab completion and by the
/// commands that open or write files (the parser expands the file argument of each command
/// whose spec says it takes one), so that a path
/// Tab offers is a path the command can open.
public enum Paths {
    /// `~` or `~/…`: the home folder ($HOME, else the account's); `~name/…`: that user's home
    /// folder. Any other path, or `~name` for no such user, is returned as it is. (Paths are always
    /// in quotes in peel, so the quotes do not stop the expansion as they would in a shell.)
    public static func expandingTilde(_ path: String, home: String? = ProcessInfo.processInfo.environment["HOME"]) -> String {
        guard path.hasPrefix("~") else { return path }
        let slash = path.firstIndex(of: "/") ?? path.endIndex
        let user = path[path.index(after: path.startIndex)..<slash]
        let dir: String?
        if user.isEmpty {
            dir = home.flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.homeDirectory(forUser: NSUserName())?.path
        } else {
            dir = FileManager.default.homeDirectory(forUser: String(user))?.path
        }
        guard var base = dir else { return path }
        let rest = path[slash...]
        if base.hasSuffix("/") && rest.hasPrefix("/") { base.removeLast() }
        return base + rest
    }
}
