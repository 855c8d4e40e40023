import PeelSupport

/// Why a running step stopped: an expression that cannot be evaluated, or a table, column or
/// variable that is not there. Each case holds its place and the facts; `diagnostic` has the words.
package enum EvalError: DiagnosticConvertible {
    // Names that are not there.
    /// No table `name`; `known` are the tables and the commands that start a pipeline.
    case unknownTable(name: String, known: [String], at: SourceRange)
    /// `_N` past the results so far (`count` of them).
    case noSuchResult(name: String, count: Int, at: SourceRange)
    /// `_N` names a result that is text (a chart, help), not a table.
    case resultNotTable(name: String, cell: Int, at: SourceRange)
    /// No column `name` in `table`, whose columns are `columns`.
    case unknownColumn(name: String, table: String, columns: [String], at: SourceRange)
    /// No variable `$name`; `known` are the variables that are set.
    case unknownVariable(name: String, known: [String], at: SourceRange)
    /// A call of a function peel does not have.
    case unknownFunction(name: String, at: SourceRange)

    // Steps and their arguments.
    /// A verb that works on a table given the text of the step before; the place is the step's,
    /// filled in by the session when the step is known (see `at(_:)`).
    case needsTable(verb: String, at: SourceRange?)
    /// A step after one (`verb`) that produces text.
    case textCannotContinue(verb: String, at: SourceRange)
    /// An argument that should be a number.
    case expectedNumber(at: SourceRange)
    /// A list given where `what` must be one value.
    case notOneValue(what: String, at: SourceRange)
    /// A `$name` holding a list used as a single value.
    case variableIsList(name: String, at: SourceRange)

    // Expressions.
    /// A function called with a number of arguments outside `arity`.
    case wrongArgumentCount(function: String, arity: ClosedRange<Int>, usage: String, at: SourceRange)
    /// A function given `found` where it takes numbers.
    case functionNeedsNumbers(function: String, found: ExprType, at: SourceRange)
    /// A function given `found` where it takes a condition first.
    case functionNeedsCondition(function: String, found: ExprType, at: SourceRange)
    /// The places of `round`, not a whole number from 0 to 10.
    case badDecimals(at: SourceRange)
    /// `if` choosing between a number and text.
    case ifMixesTypes(at: SourceRange)
    /// A total past the largest number.
    case totalTooLarge(at: SourceRange)
    /// An item of `in (…)` of type `found` among values described as `among`.
    case inListMismatch(found: ExprType, among: String, at: SourceRange)
    /// An operand (`what`, e.g. "not") given `found` where it needs `wanted`.
    case operandType(what: String, wanted: ExprType, found: ExprType, at: SourceRange)
    /// `~` or `!~` (`op`) applied to `operand`, which holds `found`, not text.
    case matchNeedsText(op: String, operand: String, found: ExprType, at: SourceRange)
    /// `~` or `!~` (`op`) with something other than text to look for.
    case matchPatternNotText(op: String, at: SourceRange)
    /// `<`, `>` and the like with `missing`.
    case missingCannotBeOrdered(at: SourceRange)
    /// `operand` (of type `left`) compared with a value of type `right`.
    case cannotCompare(operand: String, left: ExprType, right: ExprType, at: SourceRange)
    /// `<`, `>` and the like between conditions.
    case conditionsCannotBeOrdered(at: SourceRange)

    /// Where in the command the error is, when it is known.
    package var range: SourceRange? {
        switch self {
        case .needsTable(_, let r): return r
        case .unknownTable(_, _, let r), .noSuchResult(_, _, let r), .resultNotTable(_, _, let r), .unknownColumn(_, _, _, let r), .unknownVariable(_, _, let r),
             .unknownFunction(_, let r), .textCannotContinue(_, let r), .expectedNumber(let r), .notOneValue(_, let r),
             .variableIsList(_, let r), .wrongArgumentCount(_, _, _, let r), .functionNeedsNumbers(_, _, let r),
             .functionNeedsCondition(_, _, let r), .badDecimals(let r), .ifMixesTypes(let r), .totalTooLarge(let r),
             .inListMismatch(_, _, let r), .operandType(_, _, _, let r), .matchNeedsText(_, _, _, let r),
             .matchPatternNotText(_, let r), .missingCannotBeOrdered(let r), .cannotCompare(_, _, _, let r),
             .conditionsCannotBeOrdered(let r):
            return r
        }
    }

    /// The same error, placed at `range` (the step's) when it does not know its own place.
    package func at(_ range: SourceRange) -> EvalError {
        if case .needsTable(let verb, nil) = self { return .needsTable(verb: verb, at: range) }
        return self
    }

    package var diagnostic: Diagnostic {
        let range = self.range
        switch self {
        case .unknownTable(let name, let known, _):
            return Diagnostic("unknown table '\(name)'", at: range, help: Suggest.hint(for: name, in: known) ?? "type 'tables' to list the tables")
        case .noSuchResult(let name, let count, _):
            return Diagnostic(count == 0 ? "no result yet for '\(name)' to stand for" : "no result \(name): there \(count == 1 ? "is 1 result" : "are \(count) results") so far", at: range,
                              help: "_ is the last result and _1 … _\(max(count, 1)) the numbered ones; name one to keep with: let NAME = …")
        case .resultNotTable(let name, let cell, _):
            return Diagnostic("\(name) is result \(cell), which is text (a chart or a message), not a table", at: range,
                              help: "use a result that is a table, e.g. the command that the chart was drawn from")
        case .unknownColumn(let name, let table, let columns, _):
            return Diagnostic("unknown column '\(name)' in \(table)", at: range,
                              help: Suggest.hint(for: name, in: columns) ?? "columns: " + columns.joined(separator: ", "))
        case .unknownVariable(let name, let known, _):
            return Diagnostic("no variable '$\(name)'", at: range,
                              help: Suggest.closest(to: name, in: known).map { "did you mean '$\($0)'?" } ?? "define it first: set \(name) = \"…\"")
        case .unknownFunction(let name, _):
            let names = FunctionTable.names
            return Diagnostic("unknown function '\(name)'", at: range,
                              help: Suggest.closest(to: name, in: names).map { "did you mean '\($0)'?" } ?? "functions: " + names.joined(separator: ", "))
        case .needsTable(let verb, _):
            return Diagnostic("'\(verb)' works on a table, but the previous step produced text", at: range)
        case .textCannotContinue(let verb, _):
            return Diagnostic("'\(verb)' produces text, so nothing can follow it", at: range, help: "put '\(verb)' last")
        case .expectedNumber:
            return Diagnostic("expected a number", at: range)
        case .notOneValue(let what, _):
            return Diagnostic("\(what) must be one value, not a list", at: range)
        case .variableIsList(let name, _):
            return Diagnostic("$\(name) is a list; use it after 'in', e.g. force in $\(name)", at: range)
        case .wrongArgumentCount(let function, let arity, let usage, _):
            let count = arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound) or \(arity.upperBound)"
            return Diagnostic("\(function) takes \(count) argument\(arity.upperBound == 1 ? "" : "s")", at: range, help: "usage: \(usage)")
        case .functionNeedsNumbers(let function, let found, _):
            return Diagnostic("\(function) needs numbers, not \(found.word)", at: range)
        case .functionNeedsCondition(let function, let found, _):
            return Diagnostic("\(function) needs a condition first, not \(found.word)", at: range)
        case .badDecimals:
            return Diagnostic("the number of decimals must be a whole number from 0 to 10", at: range)
        case .ifMixesTypes:
            return Diagnostic("if gives a number one way and text the other", at: range)
        case .totalTooLarge:
            return Diagnostic("the total of this column is too large for a number (past 1.8 × 10^308)", at: range)
        case .inListMismatch(let found, let among, _):
            return Diagnostic("cannot look for \(found.word) among \(among) values", at: range, help: found == .number ? "put text in quotes" : nil)
        case .operandType(let what, let wanted, let found, _):
            return Diagnostic("\(what) needs \(wanted.word), not \(found.word)", at: range)
        case .matchNeedsText(let op, let operand, let found, _):
            return Diagnostic("'\(op)' matches text, but \(operand) is \(found.word)", at: range)
        case .matchPatternNotText(let op, _):
            return Diagnostic("'\(op)' needs text to look for", at: range, help: "put the text in quotes, e.g. ~ \"caution\"")
        case .missingCannotBeOrdered:
            return Diagnostic("missing values cannot be ordered", at: range, help: "use = missing or != missing")
        case .cannotCompare(let operand, let left, let right, _):
            let help = right == .number && left == .text ? "put the number in quotes to compare it as text"
                : (right == .text && left == .number ? "remove the quotes to compare a number" : nil)
            return Diagnostic("cannot compare \(operand) (\(left.word)) with \(right.word)", at: range, help: help)
        case .conditionsCannotBeOrdered:
            return Diagnostic("conditions cannot be ordered", at: range)
        }
    }
}
