import PeelSupport
import PeelData
import PeelRender

/// What a session remembers between commands: its settings and variables.
public final class SessionState {
    public var settings: Settings
    public let variables = Variables()
    /// The settings before the first command, so a saved session can restore them.
    public var initialSettings: Settings?
    /// Every command run, in order, and whether it succeeded (for `save`).
    public var journal: [JournalEntry] = []
    /// Where results go after `output "FILE"`. The first result replaces the file whole (or, with
    /// `append`, adds to what it held); later ones are appended, each whole or not at all.
    public var outputFile: String?
    public var outputAppend = false
    public var outputStarted = false
    /// The lines typed in the shell, oldest first (loaded from the history file, then this session's).
    public var history: [String] = []
    /// Warnings raised by the running command, shown after it.
    public var warnings: [Diagnostic] = []
    /// Whether a result has gone to the current destination (results are separated by a blank line).
    public var printedAny = false
    /// The last command that succeeded, and its table if it produced one: what a shell line
    /// starting with `|` continues.
    public var lastResult: KeptResult?

    /// Every result so far, numbered from 1 like a notebook's cells: `_N` is result N, `_` the
    /// last. Text results (charts, help) keep their place, but only tables can be used again.
    public var cells: [Output] = []
    /// The text of the command running now, as typed (what `let` records as its pipeline).
    public var runningText: String?

    public struct KeptResult: Sendable {
        /// The command as a script would replay it (a continuation spelled out in full).
        public var text: String
        public var table: Table?
    }

    /// Keeps a successful command's result for a following `| …` line; returns the command as a
    /// script would replay it (`| top 5` after `outcomes` is `outcomes | top 5`), for `save`.
    package func keep(_ output: Output?, text: String, continues: Bool) -> String {
        let full = continues ? (lastResult.map { $0.text + " " } ?? "") + text : text
        if case .table(let t, _)? = output { lastResult = KeptResult(text: full, table: t) } else { lastResult = KeptResult(text: full, table: nil) }
        return full
    }

    public struct JournalEntry: Sendable {
        public var text: String
        public var succeeded: Bool
        /// The number of the result it gave (`_N`), when it gave one.
        public var cell: Int?

        public init(text: String, succeeded: Bool, cell: Int? = nil) {
            self.text = text
            self.succeeded = succeeded
            self.cell = cell
        }
    }

    public init(settings: Settings = Settings()) { self.settings = settings }
}

/// Session settings that change how results are shown.
public struct Settings: Sendable {
    public var format: OutputFormat = .text
    /// Width of charts in columns (fixed unless the user sets it, so scripts replay identically).
    public var width: Int = 80
    public var ascii = false
    /// Write each command before its result (a log of the session).
    public var echo = false
    /// Add a sources line under each table.
    public var sources = false
    /// Number each result (`[3]`) as the shell does; scripts and pipes print no numbers.
    public var cellNumbers = false
    /// The terminal window's size, set by the interactive shell before each command when stdout is
    /// a terminal (nil in scripts, pipes, `-c` and files, whose output is never fitted).
    public var fitWidth: Int?
    public var fitHeight: Int?
    /// Fit tables on the screen to the window (`set fit on|off`).
    public var fit = true
    /// Page a result taller than the window (`set pager on|off`).
    public var pager = true
    /// Show how long each command took (`set timer on|off`).
    public var timer = false
    /// How a table on the screen is fitted: nil unless fitting is on and the shell knows the window.
    public var screenFit: TableFit? { fit ? fitWidth.map { TableFit(width: $0) } : nil }
    /// The rows a result may take before it is paged: nil unless paging is on and the window is known.
    public var pagerRows: Int? { pager ? fitHeight : nil }
    public init() {}
}

