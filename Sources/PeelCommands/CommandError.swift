import PeelSupport
import PeelData
import PeelIO
import PeelRender
import PeelEvaluation

/// Why a command stopped while it ran, in its own terms (forces, periods, charts, files): each
/// case holds its place and the facts; `diagnostic` has the words. (Unknown tables, columns and
/// variables, and expression errors, are `EvalError`s, shared by every command.)
package enum CommandError: DiagnosticConvertible {
    /// A `name = value` pair identifying a row, as a message shows it.
    package typealias Key = (name: String, value: String)

    // Columns of the wrong kind, and which column to use.
    /// `column` holds `holds` (a type name), but `command` (rank, change) needs numbers.
    case notNumeric(column: String, holds: String, command: String, at: SourceRange)
    /// A chart given `column`, which holds `holds`.
    case chartNotNumeric(column: String, holds: String, at: SourceRange)
    /// compare … on `column`, which holds `holds`.
    case compareNotNumeric(column: String, holds: String, at: SourceRange)
    /// The aggregate `function` given `column`, which holds `holds`.
    case aggregateNotNumeric(function: String, column: String, holds: String, at: SourceRange)
    /// A chart of `kind` with several candidate columns; `example` is a numeric one, for the help.
    case chartWhichColumn(kind: String, example: String?, at: SourceRange)
    /// compare (of `force`, as written) with several candidate columns; `example` as for charts.
    case compareWhichColumn(force: String, example: String?, at: SourceRange)
    /// Two result columns of summarise called `name`; the aggregate is `function` of `column`.
    case resultNameClash(name: String, function: String, column: String?, at: SourceRange)

    // Numbers too large, counts and proportions.
    /// `sum(column)` past the largest whole number (`whole`) or number, in the group `group`.
    case sumTooLarge(column: String, whole: Bool, group: [Key], at: SourceRange)
    /// The total of `share(column)` past the largest number.
    case shareTotalTooLarge(column: String, at: SourceRange)
    /// `add NAME = …` giving a number past the largest in row `row` (0-based), of `force`.
    case addOverflow(name: String, row: Int, force: String?, at: SourceRange)
    /// A count that is not a whole number from 0 to 2^53; `example` is the command's usage.
    case countNotWhole(value: Double, example: String, at: SourceRange)
    /// A negative or infinite ± half-width given to test.
    case negativeHalfWidth(value: Double, at: SourceRange)
    /// test with two rates and no interval on either.
    case testNeedsInterval(at: SourceRange)
    /// test with counts where x > n or n = 0.
    case countsOutOfRange(at: SourceRange)
    /// test with two proportions both 0% or both 100%.
    case proportionsUntestable(at: SourceRange)
    /// test with a rate on one side and counts on the other.
    case unlikeValues(at: SourceRange)
    /// interval with X > N or N = 0.
    case proportionOutOfRange(at: SourceRange)

    // Charts.
    /// A grouped chart with fewer than two value columns.
    case groupedNeedsColumns(at: SourceRange)
    /// Rows of a chart in more than one unit (`units`, sorted).
    case mixedUnits(units: [String], at: SourceRange)
    /// `column` holding `value` (not finite) for the row labelled `label`.
    case cannotDraw(column: String, value: String, label: String, at: SourceRange)
    /// An interval chart without a column of half-widths.
    case intervalNeedsColumn(at: SourceRange)
    /// A half-width column holding a negative `value` for the row labelled `label`.
    case negativeIntervalWidth(column: String, value: String, label: String, at: SourceRange)
    /// `mark` given a list.
    case markOneValue(at: SourceRange)
    /// `highlight name` matching no row; `labels` are the chart's, sorted.
    case noRowToHighlight(name: String, labels: [String], at: SourceRange)
    /// A line chart without `over COLUMN`.
    case lineNeedsPeriods(at: SourceRange)

    // Rows that are missing or not one of a kind.
    /// No row where `column` is `period`; `periods` are the values it has, sorted.
    case noPeriodRows(column: String, period: String, periods: [String], at: SourceRange)
    /// `recorded` not a whole number of crimes from 1 to 10^12.
    case recordedNotWhole(at: SourceRange)
    /// change finding two rows for `over` = `period` (and `key`).
    case changeDuplicate(over: String, period: String, key: [Key], at: SourceRange)
    /// join's tables `left` and `right` sharing no column.
    case noSharedColumn(left: String, right: String, at: SourceRange)
    /// The joined table `table` with two rows for `key`.
    case joinDuplicate(table: String, key: [Key], at: SourceRange)
    /// where given `found`, not a condition.
    case whereNeedsCondition(found: ExprType, at: SourceRange)
    /// pivot spreading `column` into `count` columns, past the table limit.
    case pivotTooManyColumns(column: String, count: Int, at: SourceRange)
    /// pivot making `rows` × `columns` cells, past peel's limit.
    case pivotTooManyCells(rows: Int, columns: Int, at: SourceRange)
    /// pivot finding two values for `column` = `value` in one output row.
    case pivotDuplicate(column: String, value: String, at: SourceRange)
    /// unpivot given numeric and text columns together.
    case unpivotMixedTypes(at: SourceRange)

    // compare.
    /// A table (`table`) without a force column.
    case noForceColumn(table: String, at: SourceRange)
    /// A `by` column (`column`) that is the force column (`isForce`) or the value column.
    case byIsForceOrValue(column: String, isForce: Bool, at: SourceRange)
    /// Two rows of `force` that `key` (possibly empty) cannot tell apart.
    case compareDuplicate(force: String, key: [Key], at: SourceRange)
    /// No force rows left in `table`.
    case noForcesToCompare(table: String, at: SourceRange)
    /// The comparator `area` with no row like `force`'s; `identity` says how rows are identified,
    /// `key` is the first row's key (when rows have one), `forceColumn` the force column's name.
    case noMatchingRow(area: String, force: String, identity: String, key: String?, forceColumn: String, at: SourceRange)
    /// `table` without its `national` row; `allForces` when every force is still there.
    case noNationalRow(table: String, national: String, forceColumn: String, allForces: Bool, at: SourceRange)
    /// England and Wales made from the forces' rows, but `absent` forces have no row (`present` do).
    case nationalNeedsEveryForce(table: String, absent: [String], present: Int, at: SourceRange)
    /// `let NAME` where NAME is a bundled table.
    case letNameBundled(name: String, at: SourceRange)
    /// `let NAME = …` whose pipeline gives text, not a table.
    case letNeedsTable(name: String, at: SourceRange)
    /// A peer group list holding something other than names.
    case peerGroupNotNames(at: SourceRange)
    /// `to mean` without the forces table.
    case noForcesToAverage(at: SourceRange)
    /// `to region` without the forces table or its region column.
    case noRegionTable(at: SourceRange)
    /// `to region` for a force (`force`) the forces table gives no region.
    case noRegion(force: String, at: SourceRange)
    /// A force column (`column`) that does not hold text.
    case forceColumnNotNames(column: String, at: SourceRange)
    /// No rows for the area `name` in `column`; `candidates` are the names there, sorted.
    case noRowsForArea(name: String, column: String, candidates: [String], at: SourceRange)

    // Files.
    /// load of a file that is not there.
    case noSuchFile(file: String, at: SourceRange)
    /// load (or output, `writing`) of a directory.
    case isDirectory(file: String, writing: Bool, at: SourceRange)
    /// load under a name (`name`) that is a command's.
    case tableNameIsCommand(name: String, file: String, at: SourceRange)
    /// load under the name of a bundled table (`name`).
    case bundledTableName(name: String, file: String, at: SourceRange)
    /// A file that cannot be read; `why` is the system's reason.
    case unreadable(file: String, why: String, at: SourceRange)
    /// A path that is `what` (a device, a socket…), not a file.
    case notRegularFile(file: String, what: String, at: SourceRange)
    /// A file that changed while it was read.
    case changedWhileReading(file: String, at: SourceRange)
    /// export with no result before it.
    case nothingToExport(at: SourceRange)
    /// export … append to a file whose header line (`theirs`) is not the table's (`ours`).
    case appendHeaderMismatch(file: String, theirs: String, ours: String, at: SourceRange)

    // The session.
    /// help for a `topic` that is no command; `commands` are the names there are. (Without a
    /// place, the session puts it at the step.)
    case noHelp(topic: String, commands: [String], at: SourceRange?)
    /// A line starting with `|` before any table was shown.
    case nothingToContinue(at: SourceRange)
    /// A line starting with `|` after a command that showed text (`previous`).
    case previousNotTable(previous: String, at: SourceRange)
    /// `set format` to something that is not a format (`value`, as shown).
    case unknownFormatSetting(value: String, at: SourceRange)
    /// `set width` outside 20…1000 or not whole.
    case widthOutOfRange(at: SourceRange)
    /// A flag setting (`name`) given something other than 0 or 1.
    case flagNotBinary(name: String, at: SourceRange)

    // rate (issue 17).
    /// rate on a table that already has columns (`names`, in table order) called rate, lower or upper.
    case rateColumnsExist(names: [String], at: SourceRange)
    // Funnel plots (issue 17).
    /// chart funnel at a `width` below the `minimum` a funnel needs.
    case funnelTooNarrow(width: Int, minimum: Int, at: SourceRange)
    /// chart funnel with a count (`count` = `countValue`) over its denominator for the row `label`.
    case funnelCountOverDenominator(count: String, countValue: String, denominator: String, denominatorValue: String, label: String, at: SourceRange)
    /// chart funnel: a count that is negative or not whole, or a negative denominator (or a
    /// proportion's that is not whole), `value` in `column` for the row `label`.
    case funnelBadNumber(column: String, value: String, label: String, denominator: Bool, at: SourceRange)
    /// chart funnel: the force `label` has more than one row in `column`.
    case funnelDuplicateUnit(label: String, column: String, at: SourceRange)
    /// chart funnel: the pooled total of `column` is too large to hold.
    case funnelTotalTooLarge(column: String, at: SourceRange)
    // change over time (issue 19)
    /// change … per POPULATION on a value that is not counts.
    case changePerNeedsCounts(column: String, at: SourceRange)
    /// change without from/to over a column that is not periods.
    case changeStepsNeedPeriods(column: String, at: SourceRange)
    /// change without from/to where no measure has two periods.
    case changeNoSteps(column: String, at: SourceRange)
    /// trend/rolling: two rows of one series (`group`, nil for the whole table) for `period`.
    case seriesDuplicatePeriod(over: String, period: String, group: String?, at: SourceRange)
    /// rolling: a window outside 1 to the number of periods.
    case rollingWindow(window: String, periods: Int, at: SourceRange)
    /// rolling over periods that are rolling years already.
    case rollingOverRolling(over: String, at: SourceRange)
    // chart line / spark / xmr (issue 19).
    /// chart line, xmr: narrower than `minimum` columns.
    case chartTooNarrow(kind: String, width: Int, minimum: Int, at: SourceRange)
    /// chart line: more series than markers.
    case chartTooManySeries(count: Int, maximum: Int, column: String, at: SourceRange)
    /// chart xmr: `column` (by) gives `count` series; `first` is one of them.
    case xmrOneSeries(count: Int, column: String, first: String, at: SourceRange)
    /// chart xmr: fewer than two values.
    case xmrTooFewPoints(count: Int, column: String, at: SourceRange)
    /// chart xmr: the limits overflow.
    case xmrTooLarge(column: String, at: SourceRange)
    /// chart line, spark, xmr: a series with two rows for one period.
    case chartDuplicatePeriod(series: String, period: String, column: String, at: SourceRange)
    /// chart … mark national: the table has `count` rows (0, or more than one) for the national
    /// figure `national` in its force column, or that row has no value.
    case markNationalRow(national: String, forceColumn: String?, count: Int, value: String, at: SourceRange)

    /// Where in the command the error is, when it is known.
    package var range: SourceRange? {
        switch self {
        case .noHelp(_, _, let r): return r
        case .notNumeric(_, _, _, let r), .chartNotNumeric(_, _, let r), .compareNotNumeric(_, _, let r),
             .aggregateNotNumeric(_, _, _, let r), .chartWhichColumn(_, _, let r), .compareWhichColumn(_, _, let r),
             .resultNameClash(_, _, _, let r), .sumTooLarge(_, _, _, let r), .shareTotalTooLarge(_, let r),
             .addOverflow(_, _, _, let r), .countNotWhole(_, _, let r), .negativeHalfWidth(_, let r),
             .testNeedsInterval(let r), .countsOutOfRange(let r), .proportionsUntestable(let r), .unlikeValues(let r),
             .proportionOutOfRange(let r), .groupedNeedsColumns(let r), .mixedUnits(_, let r), .cannotDraw(_, _, _, let r),
             .intervalNeedsColumn(let r), .negativeIntervalWidth(_, _, _, let r), .markOneValue(let r),
             .noRowToHighlight(_, _, let r), .lineNeedsPeriods(let r), .noPeriodRows(_, _, _, let r),
             .recordedNotWhole(let r), .changeDuplicate(_, _, _, let r), .noSharedColumn(_, _, let r),
             .joinDuplicate(_, _, let r), .whereNeedsCondition(_, let r), .pivotTooManyColumns(_, _, let r),
             .pivotTooManyCells(_, _, let r), .pivotDuplicate(_, _, let r), .unpivotMixedTypes(let r),
             .noForceColumn(_, let r), .byIsForceOrValue(_, _, let r), .compareDuplicate(_, _, let r),
             .noForcesToCompare(_, let r), .noMatchingRow(_, _, _, _, _, let r), .noNationalRow(_, _, _, _, let r), .nationalNeedsEveryForce(_, _, _, let r), .letNameBundled(_, let r), .letNeedsTable(_, let r),
             .peerGroupNotNames(let r), .noForcesToAverage(let r), .noRegionTable(let r), .noRegion(_, let r),
             .forceColumnNotNames(_, let r), .noRowsForArea(_, _, _, let r), .noSuchFile(_, let r),
             .isDirectory(_, _, let r), .tableNameIsCommand(_, _, let r), .bundledTableName(_, _, let r),
             .unreadable(_, _, let r), .notRegularFile(_, _, let r), .changedWhileReading(_, let r),
             .nothingToExport(let r), .appendHeaderMismatch(_, _, _, let r),
             .nothingToContinue(let r), .previousNotTable(_, let r), .unknownFormatSetting(_, let r),
             .widthOutOfRange(let r), .flagNotBinary(_, let r),
             .funnelTooNarrow(_, _, let r), .funnelCountOverDenominator(_, _, _, _, _, let r), .funnelBadNumber(_, _, _, _, let r),
             .funnelDuplicateUnit(_, _, let r), .funnelTotalTooLarge(_, let r),
             .changePerNeedsCounts(_, let r), .changeStepsNeedPeriods(_, let r), .changeNoSteps(_, let r),
             .seriesDuplicatePeriod(_, _, _, let r), .rollingWindow(_, _, let r), .rollingOverRolling(_, let r):
            return r
        case .rateColumnsExist(_, let r):
            return r
        case .chartTooNarrow(_, _, _, let r), .chartTooManySeries(_, _, _, let r), .xmrOneSeries(_, _, _, let r),
             .xmrTooFewPoints(_, _, let r), .xmrTooLarge(_, let r), .chartDuplicatePeriod(_, _, _, let r),
             .markNationalRow(_, _, _, _, let r):
            return r
        }
    }

    package var diagnostic: Diagnostic {
        let range = self.range
        func pairs(_ key: [Key]) -> String { key.map { "\($0.name) = \($0.value)" }.joined(separator: ", ") }
        switch self {
        case .notNumeric(let column, let holds, let command, _):
            return Diagnostic("'\(column)' holds \(holds); \(command) needs numbers", at: range)
        case .chartNotNumeric(let column, let holds, _):
            return Diagnostic("'\(column)' holds \(holds); a chart needs numbers", at: range)
        case .compareNotNumeric(let column, let holds, _):
            return Diagnostic("'\(column)' holds \(holds); compare needs a numeric column", at: range)
        case .aggregateNotNumeric(let function, let column, let holds, _):
            return Diagnostic("\(function) needs a numeric column; '\(column)' holds \(holds)", at: range)
        case .chartWhichColumn(let kind, let example, _):
            return Diagnostic("chart cannot tell which column to draw", at: range, help: "name it, e.g. chart \(kind) " + (example ?? "VALUE"))
        case .compareWhichColumn(let force, let example, _):
            return Diagnostic("compare cannot tell which column to compare", at: range,
                              help: "name it with 'on', e.g. compare \(force) on " + (example ?? "value"))
        case .resultNameClash(let name, let function, let column, _):
            return Diagnostic("two result columns would be called '\(name)'", at: range,
                              help: "name this one with 'as', e.g. \(column.map { "\(function)(\($0))" } ?? function) as another_name")
        case .sumTooLarge(let column, let whole, let group, _):
            let limit = whole ? "a whole number (more than 9,223,372,036,854,775,807)" : "a number (past 1.8 × 10^308)"
            return Diagnostic("sum(\(column)) is too large for \(limit)" + (group.isEmpty ? "" : " in the group " + pairs(group)), at: range,
                              help: "check the column for a value that should not be there")
        case .shareTotalTooLarge(let column, _):
            return Diagnostic("share(\(column)): the total is too large for a number (past 1.8 × 10^308)", at: range)
        case .addOverflow(let name, let row, let force, _):
            return Diagnostic("\(name) is too large for a number (past 1.8 × 10^308) in row \(row + 1)" + (force.map { " (\($0))" } ?? ""), at: range,
                              help: "check the values this adds or multiplies; a division by zero gives a missing value, not this")
        case .countNotWhole(let value, let example, _):
            return Diagnostic("a count is a whole number from 0 to 2^53, not \(NumberFormat.shortest(value))", at: range, help: "e.g. \(example)")
        case .negativeHalfWidth(let value, _):
            return Diagnostic("a confidence interval's half-width is a number of 0 or more, not \(NumberFormat.shortest(value))", at: range,
                              help: "write the ± part of the interval, e.g. test 75.8 ci 1.94 vs 84.1")
        case .testNeedsInterval:
            return Diagnostic("a test needs a confidence interval on at least one value", at: range, help: "e.g. test 84.1 ci 1.71 vs 87.7")
        case .countsOutOfRange:
            return Diagnostic("counts must be 0 ≤ x ≤ n with n > 0", at: range)
        case .proportionsUntestable:
            return Diagnostic("the two proportions cannot be tested (both are 0% or both 100%)", at: range)
        case .unlikeValues:
            return Diagnostic("compare like with like: two rates, or two counts (x of n)", at: range)
        case .proportionOutOfRange:
            return Diagnostic("a proportion needs 0 ≤ X ≤ N and N > 0", at: range)
        case .groupedNeedsColumns:
            return Diagnostic("a grouped chart needs two or more columns", at: range, help: "e.g. chart grouped Leicestershire, `England and Wales`, or compare first")
        case .mixedUnits(let units, _):
            return Diagnostic("these rows are in different units (\(units.joined(separator: ", "))), so one chart would mislead",
                              at: range, help: "filter to one unit first, e.g. where unit = \"\(units.first ?? "")\"")
        case .cannotDraw(let column, let value, let label, _):
            return Diagnostic("\(column) holds \(value) for \(label), which no chart can draw", at: range)
        case .intervalNeedsColumn:
            return Diagnostic("an interval chart needs a column of interval half-widths", at: range, help: "name it: chart interval VALUE ci COLUMN")
        case .negativeIntervalWidth(let column, let value, let label, _):
            return Diagnostic("\(column) holds \(value) for \(label): an interval's half-width is 0 or more", at: range,
                              help: "name the column of ± half-widths (not the lower or upper limit), or filter out that row")
        case .markOneValue:
            return Diagnostic("mark one column or one number", at: range)
        case .noRowToHighlight(let name, let labels, _):
            return Diagnostic("no row for '\(name)' to highlight", at: range,
                              help: Suggest.hint(for: name, in: labels) ?? "highlight names a force or a label shown on the chart")
        case .lineNeedsPeriods:
            return Diagnostic("a line chart needs the column of periods", at: range, help: "e.g. chart line rate over inspection by force")
        case .noPeriodRows(let column, let period, let periods, _):
            return Diagnostic("no rows where \(column) is '\(period)'", at: range,
                              help: periods.isEmpty ? "the table has no rows here: an earlier step left none"
                                  : Suggest.hint(for: period, in: periods) ?? "\(column) holds: " + periods.prefix(6).joined(separator: ", "))
        case .recordedNotWhole:
            return Diagnostic("recorded needs a whole number of crimes a year, from 1 to 1,000,000,000,000", at: range, help: "e.g. recorded 83000")
        case .changeDuplicate(let over, let period, let key, _):
            return Diagnostic("more than one row for \(over) = '\(period)'" + (key.isEmpty ? "" : " and " + pairs(key)),
                              at: range, help: "filter to one row per measure and period first")
        case .noSharedColumn(let left, let right, _):
            return Diagnostic("\(left) and \(right) share no column to join on", at: range, help: "name them: join \(right) on COLUMN")
        case .joinDuplicate(let table, let key, _):
            return Diagnostic("\(table) has more than one row for " + pairs(key), at: range,
                              help: "join needs one row per key in the table joined: filter it first")
        case .whereNeedsCondition(let found, _):
            return Diagnostic("'where' needs a condition, but this is \(found.word)", at: range,
                              help: "compare it with something, e.g. where share > 5")
        case .pivotTooManyColumns(let column, let count, _):
            return Diagnostic("pivot would make \(NumberFormat.grouped(count)) columns, one for each value of \(column); a table may have at most \(NumberFormat.grouped(Table.maxColumns))", at: range,
                              help: "pivot a column with fewer distinct values, or filter the rows first with where")
        case .pivotTooManyCells(let rows, let columns, _):
            return Diagnostic("pivot would make \(NumberFormat.grouped(rows)) rows × \(NumberFormat.grouped(columns)) columns, more than \(NumberFormat.grouped(Limits.maxPivotCells)) cells, peel's limit for a pivot", at: range,
                              help: "pivot fewer rows or a column with fewer values (filter with where first), or select only the columns that identify a row")
        case .pivotDuplicate(let column, let value, _):
            return Diagnostic("two values for \(column) = \(value) in one row", at: range,
                              help: "select only the columns that identify a row before pivoting")
        case .unpivotMixedTypes:
            return Diagnostic("the columns mix numbers and text", at: range, help: "unpivot numeric columns and text columns separately")
        case .noForceColumn(let table, _):
            return Diagnostic("compare needs a column naming the force, and \(table) has none", at: range,
                              help: "compare works on tables with a 'force' column, such as outcomes or cdi_forces")
        case .byIsForceOrValue(let column, let isForce, _):
            return Diagnostic("'\(column)' is the \(isForce ? "force" : "value") column, so it cannot also identify a row", at: range,
                              help: "by names the columns that tell one force's rows apart, e.g. by measure")
        case .compareDuplicate(let force, let key, _):
            if key.isEmpty {
                return Diagnostic("more than one \(force) row, and no column to tell them apart", at: range,
                                  help: "keep one row per force first, e.g. top 1 by published_date per force, or name the columns that identify a row with 'by'")
            }
            return Diagnostic("more than one \(force) row for " + pairs(key), at: range,
                              help: "name the columns that identify a row with 'by', or filter first")
        case .noForcesToCompare(let table, _):
            return Diagnostic("no forces to compare in \(table)", at: range)
        case .noMatchingRow(let area, let force, let identity, let key, let forceColumn, _):
            return Diagnostic("\(area) has no row matching \(force)'s: rows are identified by \(identity)" + (key.map { ", and \(area) has none with \($0)" } ?? ""), at: range,
                              help: "list the comparator's rows (where \(forceColumn) = \"\(area)\") to see what it has, or compare with another area using 'to'")
        case .letNameBundled(let name, _):
            return Diagnostic("'\(name)' is a bundled table, so a result cannot take its name", at: range,
                              help: "choose another name, e.g. let my_\(name) = …")
        case .letNeedsTable(let name, _):
            return Diagnostic("let keeps a table, but this pipeline gives text", at: range,
                              help: "end the pipeline before the chart or message, e.g. let \(name) = outcomes | where kind = \"outcome\"")
        case .nationalNeedsEveryForce(let table, let absent, let present, _):
            let shown = absent.count <= 5 ? (absent.count == 1 ? absent[0] : absent.dropLast().joined(separator: ", ") + " and " + absent[absent.count - 1]) : absent.prefix(5).joined(separator: ", ") + " and \(absent.count - 5) more"
            return Diagnostic("\(table) has no England and Wales row, and it cannot be made from the forces: \(present) of the 43 territorial forces \(present == 1 ? "has" : "have") a row, \(shown) \(absent.count == 1 ? "has" : "have") none", at: range,
                              help: "compare with the mean of the forces present (to mean), a peer group (to (\"…\", \"…\")) or a force (to \"…\")")
        case .noNationalRow(let table, let national, let forceColumn, let allForces, _):
            return Diagnostic("\(table) has no \(national) row to compare with", at: range,
                              help: allForces ? "compare with the mean of all forces (to mean), the force's region (to region) or another force (to \"…\")"
                                  : "the national rows may have been filtered out: compare before filtering on \(forceColumn), or name another area with 'to'")
        case .peerGroupNotNames:
            return Diagnostic("a peer group is a list of force names", at: range)
        case .noForcesToAverage:
            return Diagnostic("no forces table to say which forces to average", at: range)
        case .noRegionTable:
            return Diagnostic("no forces table giving each force's region", at: range)
        case .noRegion(let force, _):
            return Diagnostic("'\(force)' has no region in the forces table", at: range)
        case .forceColumnNotNames(let column, _):
            return Diagnostic("the force column '\(column)' does not hold names", at: range)
        case .noRowsForArea(let name, let column, let candidates, _):
            return Diagnostic("no rows for '\(name)' in \(column)", at: range,
                              help: candidates.isEmpty ? "the table has no rows here: an earlier step left none"
                                  : Suggest.hint(for: name, in: candidates) ?? ("\(column) holds: " + candidates.prefix(8).joined(separator: ", ") + (candidates.count > 8 ? ", …" : "")))
        case .noSuchFile(let file, _):
            return Diagnostic("cannot read '\(file)': no such file", at: range, help: "paths are relative to the directory peel was started in")
        case .isDirectory(let file, let writing, _):
            return Diagnostic("cannot \(writing ? "write" : "read") '\(file)': it is a directory", at: range)
        case .tableNameIsCommand(let name, let file, _):
            return Diagnostic("'\(name)' is the name of a command, so a table called that could not be used", at: range,
                              help: "load it under another name: load \"\(file)\" as my_\(name)")
        case .bundledTableName(let name, let file, _):
            return Diagnostic("'\(name)' is a bundled table", at: range, help: "load it under another name: load \"\(file)\" as my_\(name)")
        case .unreadable(let file, let why, _):
            return Diagnostic("cannot read '\(file)': \(why.lowercased())", at: range,
                              help: why.contains("ermission") ? "ask the file's owner for read access, or copy it somewhere you can read" : nil)
        case .notRegularFile(let file, let what, _):
            return Diagnostic("cannot read '\(file)': it is \(what), not a file", at: range, help: "save the data to a file first, then load that")
        case .changedWhileReading(let file, _):
            return Diagnostic("'\(file)' changed while it was being read, so it was not loaded", at: range,
                              help: "wait until the program writing it has finished, then load it again")
        case .nothingToExport:
            return Diagnostic("nothing to export", at: range)
        case .appendHeaderMismatch(let file, let theirs, let ours, _):
            return Diagnostic("cannot append to '\(file)': its header is not this table's, so the rows would go under the wrong columns", at: range,
                              help: "the file's header:   \(theirs)\n      this table's header: \(ours)\n      select the file's columns in its order first, or export to a new file")
        case .noHelp(let topic, let commands, _):
            return Diagnostic("no help for '\(topic)': not a command", at: range,
                              help: Suggest.closest(to: topic, in: commands).map { "did you mean '\($0)'?" } ?? "type 'help' to list the commands")
        case .nothingToContinue:
            return Diagnostic("nothing to continue: no command has produced a table yet", at: range, help: Self.continueHelp)
        case .previousNotTable(let previous, _):
            var shown = previous.split(separator: "\n").first.map(String.init) ?? previous
            if shown.count > 40 { shown = String(shown.prefix(39)) + "…" }
            return Diagnostic("nothing to continue: the previous command (\(shown)) did not produce a table", at: range, help: Self.continueHelp)
        case .unknownFormatSetting(let value, _):
            return Diagnostic("unknown format \(value)", at: range, help: "formats: " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))
        case .widthOutOfRange:
            return Diagnostic("width must be a whole number of columns from 20 to 1000", at: range)
        case .flagNotBinary(let name, _):
            return Diagnostic("\(name) is 1 (on) or 0 (off)", at: range)
        case .rateColumnsExist(let names, _):
            let quoted = names.map { "'\($0)'" }, first = names.first ?? "lower"
            let list = quoted.count <= 1 ? quoted.joined() : quoted.dropLast().joined(separator: ", ") + " and " + (quoted.last ?? "")
            return Diagnostic("the table already has \(names.count == 1 ? "a column" : "columns") called \(list), which rate would add", at: range,
                              help: "rename \(names.count == 1 ? "it" : "them") first, e.g. select …, \(first) as old_\(first), or leave \(names.count == 1 ? "it" : "them") out with select")
        case .funnelTooNarrow(let width, let minimum, _):
            return Diagnostic("a funnel plot needs at least \(minimum) columns, not \(width)", at: range,
                              help: "give it room: add width \(minimum) (or more) to the chart, or set width = \(minimum)")
        case .funnelCountOverDenominator(let count, let countValue, let denominator, let denominatorValue, let label, _):
            return Diagnostic("\(count) is more than \(denominator) for \(label) (\(countValue) of \(denominatorValue)), so it is not a proportion", at: range,
                              help: "a proportion counts part of its denominator (charged of offences); for events per head of population give a rate: add per 1000 or per 100000")
        case .funnelBadNumber(let column, let value, let label, let denominator, _):
            return Diagnostic("\(column) holds \(value) for \(label); " + (denominator ? "a denominator is 0 or more (and whole, for a proportion)" : "a count is a whole number of 0 or more"), at: range,
                              help: "check the column is the one meant, or leave the row out first: where \(column) >= 0")
        case .funnelDuplicateUnit(let label, let column, _):
            return Diagnostic("\(label) has more than one row in \(column); a funnel plot draws one point per force", at: range,
                              help: "keep one row per force first, e.g. where outcome_type = 1")
        case .funnelTotalTooLarge(let column, _):
            return Diagnostic("the total of \(column) is too large to pool into a national value", at: range)
        case .changePerNeedsCounts(let column, _):
            return Diagnostic("per POPULATION needs counts, and \(column) is not whole numbers of 0 or more", at: range,
                              help: "give the column of counts (incidents, offences); a rate already made needs no population: change rate over year from A to B")
        case .changeStepsNeedPeriods(let column, _):
            return Diagnostic("\(column) does not hold periods, so peel cannot put its values in time order for every step", at: range,
                              help: "name the two to compare: change VALUE over \(column) from A to B")
        case .changeNoSteps(let column, _):
            return Diagnostic("no measure has more than one value of \(column), so there is no change to show", at: range,
                              help: "check the filter keeps at least two periods")
        case .seriesDuplicatePeriod(let over, let period, let group, _):
            return Diagnostic("\(group.map { "the series \($0)" } ?? "the table") has more than one row for \(over) = \(period)", at: range,
                              help: "a series has one value per period: keep one measure first, e.g. where offence_group = \"Robbery\", or add by COLUMN")
        case .rollingWindow(let window, let periods, _):
            return Diagnostic("the window must be a whole number of periods from 1 to \(periods) (the periods in the table), not \(window)", at: range)
        case .rollingOverRolling(let over, _):
            return Diagnostic("\(over) holds rolling years already; summing rolling totals would count each month several times", at: range,
                              help: "roll over quarters or months, or compare the rolling years directly (trend, change)")
        // chart line / spark / xmr (issue 19).
        case .chartTooNarrow(let kind, let width, let minimum, _):
            return Diagnostic("a \(kind) chart needs at least \(minimum) columns, not \(width)", at: range,
                              help: "give it room: add width \(minimum) (or more) to the chart, or set width = \(minimum)")
        case .chartTooManySeries(let count, let maximum, let column, _):
            return Diagnostic("a line chart tells apart at most \(maximum) series; \(column) has \(count)", at: range,
                              help: "keep fewer with where, e.g. where \(column) in (\"Kent\", \"England and Wales\")")
        case .xmrOneSeries(let count, let column, let first, _):
            return Diagnostic("an XmR chart draws one series; \(column) has \(count)", at: range,
                              help: "pick one first, e.g. where \(column) = \"\(first)\" | chart xmr …")
        case .xmrTooFewPoints(let count, let column, _):
            return Diagnostic("an XmR chart needs at least 2 values of \(column) (there is no moving range otherwise); there \(count == 1 ? "is" : "are") \(count)", at: range,
                              help: "chart over more periods, or check where left any rows with values")
        case .xmrTooLarge(let column, _):
            return Diagnostic("the values of \(column) are too large to compute XmR limits from", at: range)
        case .chartDuplicatePeriod(let series, let period, let column, _):
            return Diagnostic("\(series) has more than one row for \(column) \(period), so the chart cannot tell which to draw", at: range,
                              help: "keep one row per period, e.g. with top 1 by DATE per \(column), or aggregate first")
        case .markNationalRow(let national, let forceColumn, let count, let value, _):
            guard let forceColumn else {
                return Diagnostic("mark national needs a force column to find the \(national) row in", at: range,
                                  help: "mark a number or a column instead: mark 8.5, mark national_rate")
            }
            if count == 1 {
                return Diagnostic("the \(national) row has no value of \(value) to mark", at: range,
                                  help: "mark a number instead, or check the filter")
            }
            return Diagnostic(count == 0 ? "no row of \(forceColumn) is \(national), so there is no national figure to mark"
                                         : "\(count) rows of \(forceColumn) are \(national); mark national needs one", at: range,
                              help: count == 0 ? "keep the national row in: where area_kind = \"force\" or \(forceColumn) = \"\(national)\""
                                               : "keep one row per force first (one period, one measure)")
        }
    }

    private static let continueHelp = "a line that starts with '|' continues the table the previous command showed; start with a table instead, e.g. outcomes | top 5"
}

extension CommandError {
    /// A file that could not be read whole, as the command that read it says so.
    package static func reading(_ file: String, _ failure: FileBytes.Failure, at range: SourceRange) -> CommandError {
        switch failure {
        case .unreadable(let why): return .unreadable(file: file, why: why, at: range)
        case .notRegular(let what): return .notRegularFile(file: file, what: what, at: range)
        case .changed: return .changedWhileReading(file: file, at: range)
        }
    }
}
