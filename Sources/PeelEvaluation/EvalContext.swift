import PeelSupport
import PeelData
import PeelIO

/// What a running step can see: the session's tables, commands and settings.
public struct EvalContext {
    public let catalog: Catalog
    /// The commands, as far as a running step needs to know them (the registry lives above).
    public let commands: any CommandDirectory
    /// What a command may read and change of the session (settings, variables, output, warnings).
    public let session: SessionControl
    public var settings: Settings { session.settings }
    /// The variables, for expressions to read (`$force`); commands set them through `session`.
    public let variables: VariableView

    public init(catalog: Catalog, commands: any CommandDirectory, state: SessionState) {
        self.catalog = catalog
        self.commands = commands
        self.session = SessionControl(state: state)
        self.variables = VariableView(state.variables)
    }

    /// Notes a problem that does not stop the command (shown under the command with a caret).
    public func warn(_ d: Diagnostic) { session.warn(d) }

    /// The table `name`, or a diagnostic at `range` suggesting the nearest table name.
    public func table(_ name: String, at range: SourceRange) throws -> Table {
        if name.hasPrefix("_"), let cell = Self.cellNumber(name, last: session.cells.count) {
            let cells = session.cells
            guard cell >= 1, cell <= cells.count else {
                throw EvalError.noSuchResult(name: name, count: cells.count, at: range)
            }
            guard case .table(var t, _) = cells[cell - 1] else {
                throw EvalError.resultNotTable(name: name, cell: cell, at: range)
            }
            t.name = name
            return t
        }
        if let t = try catalog.table(name) { return t }
        throw EvalError.unknownTable(name: name, known: catalog.names + commands.sourceNames, at: range)
    }
}

extension EvalContext {
    /// `_` is the last result, `_3` result 3; nil for any other name. `last` is how many there are.
    public static func cellNumber(_ name: String, last: Int) -> Int? {
        guard name.first == "_" else { return nil }
        let digits = name.dropFirst()
        if digits.isEmpty { return last }
        guard digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}

/// A table that must come from the previous step, or a diagnostic at the verb.
package func requireTable(_ input: Output?, verb: String) throws -> Table {
    guard case .table(let t, _)? = input else {
        throw EvalError.needsTable(verb: verb, at: nil)
    }
    return t
}

/// A column of `table`, or a diagnostic at `range` suggesting the nearest column name.
package func requireColumn(_ name: String, in table: Table, at range: SourceRange) throws -> Int {
    if let i = table.columnIndex(name) { return i }
    throw EvalError.unknownColumn(name: name, table: table.name, columns: table.columns.map(\.name), at: range)
}

/// What evaluation may know of the commands: their names. The registry itself lives in the
/// commands layer, above evaluation, and conforms to this.
public protocol CommandDirectory: Sendable {
    /// Names of the commands that start a pipeline (`tables`, `describe`, …).
    var sourceNames: [String] { get }
    /// True when `name` (any case) names a command or one of its aliases.
    func isCommand(_ name: String) -> Bool
}
