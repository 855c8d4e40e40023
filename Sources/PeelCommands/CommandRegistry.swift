import OrderedCollections
import PeelLanguage
import PeelEvaluation

/// What a position in a command accepts, for Tab completion.
public enum ArgumentKind: Sendable {
    case table, column, command, force
    case keywords([String])
    /// After a column, `as NAME` gives it a new name (nothing to complete after `as`).
    case rename
    /// A function of the expression language (from `FunctionTable`), where an expression goes.
    case function
}

/// A place in a command where Tab offers the values of the table's column.
public enum ValueSlot: Sendable {
    /// A force's name: as the first argument (`first`), or after the word `after`; with `after`,
    /// the `words` are offered too (`compare … to mean`).
    case force(first: Bool, after: String?, words: [String] = [])
    /// A value of the column named before `=`, `!=`, `in (` or a comma in the list.
    case columnValue
}

/// One command: its name and words for help, how to parse it, and what its arguments accept.
public struct CommandSpec: Sendable {
    public enum Kind: Sendable {
        /// Starts a command line (`tables`, `describe outcomes`).
        case source
        /// Follows `|` and works on a table (`where`, `sort`).
        case stage
    }

    public var name: String
    public var kind: Kind
    public var group: String
    public var usage: String
    public var summary: String
    public var details: String
    public var examples: [String]
    public var arguments: [ArgumentKind]
    /// Other names the command answers to (`summarize` for `summarise`).
    public var aliases: [String] = []
    /// What SQL, Miller or pandas call this verb (`filter` for `where`): typed after `|`, such a
    /// word is refused with peel's name for it, not run.
    public var otherToolsNames: [String] = []
    /// Its first argument is a file name in quotes: `~` in it is the home folder (`Paths`), and
    /// Tab completes file names there.
    public var takesFile = false
    /// Kept in the session's journal when it succeeds, for `save` to replay (not `save` itself).
    public var journalled = true
    /// Where Tab offers the values of a column (a force's name, a value after `=`), when it does.
    public var values: [ValueSlot] = []
    public var parse: @Sendable (inout Parser, Token) throws -> any Step
}

/// The one list of commands: dispatch, `help` and Tab completion all read it.
public struct CommandRegistry: CommandDirectory, Sendable {
    public let commands: [CommandSpec]

    public static let standard = CommandRegistry(commands: [
        TablesCommand.spec, DescribeCommand.spec, ShowCommand.spec, LoadCommand.spec, SheetsCommand.spec,
        WhereCommand.spec, SelectCommand.spec, SortCommand.spec, TopCommand.spec, BottomCommand.spec,
        AddCommand.spec, JoinCommand.spec, PivotCommand.spec, UnpivotCommand.spec,
        CompareCommand.spec, RankCommand.spec, ChangeCommand.spec, TestCommand.spec, IntervalCommand.spec, ProportionCommand.spec, RateCommand.spec, LetCommand.spec,
        SummariseCommand.spec, TrendCommand.spec, RollingCommand.spec,
        ChartCommand.spec, FormatCommand.spec, ExportCommand.spec, OutputCommand.spec, SaveCommand.spec,
        SetCommand.spec, ParamCommand.spec, HistoryCommand.spec, HelpCommand.spec,
    ])

    public func command(named name: String) -> CommandSpec? {
        let n = name.lowercased()
        return commands.first { $0.name == n } ?? commands.first { $0.aliases.contains(n) }
    }

    public func names(of kind: CommandSpec.Kind? = nil) -> [String] {
        commands.filter { kind == nil || $0.kind == kind }.map(\.name)
    }

    public var sourceNames: [String] { names(of: .source) }

    /// The command whose name in another tool (SQL, Miller, pandas) is `word`, any case.
    public func command(otherToolsName word: String) -> CommandSpec? {
        let w = word.lowercased()
        return commands.first { $0.otherToolsNames.contains(w) }
    }
    public func isCommand(_ name: String) -> Bool { command(named: name) != nil }

    /// Group names in the order their first command appears.
    public var groups: [String] {
        Array(OrderedSet(commands.map(\.group)))
    }
}
