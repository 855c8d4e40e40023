// libFuzzer target: random tables of extreme values through every verb and chart kind.
//
// The input bytes are read as a stream of choices: a table (force names, 1 to 4 more columns,
// up to 12 rows) whose cells come from a list of awkward values (±2^63, ±2^53 ± 1, 1e308 and
// past it, subnormals, -0.0, 300-digit decimals, NaN and inf spellings, missing markers, control
// bytes, bidi overrides, huge and empty strings), read by the CSV reader as a user's file would
// be; then one to three commands from templates that cover every verb, function, chart kind and
// output format, with the table's columns and more awkward values filled in. Besides traps,
// leaks and hangs, it checks that a failed run reports a located error and a successful one none.
import FuzzDriver
import FuzzSupport
import Foundation
import PeelSupport
import PeelIO
import PeelSession

let excluded: Set<String> = ["outcomes_detail"]
let base = FuzzSupport.bundledTables(excluding: excluded)

let extremes: [String] = [
    "9223372036854775807", "-9223372036854775808", "9223372036854775808", "9007199254740993", "-9007199254740993",
    "9007199254740991", "9007199254740992", "1" + String(repeating: "0", count: 308), "17" + String(repeating: "0", count: 307),
    "-17" + String(repeating: "0", count: 307), "0." + String(repeating: "0", count: 307) + "1", "0." + String(repeating: "0", count: 320) + "5",
    "-0.0", "-0", "0", "0.0", "0." + String(repeating: "1", count: 300), String(repeating: "9", count: 400),
    String(repeating: "9", count: 400) + ".5", "NaN", "nan", "inf", "-inf", "Infinity", "1e308", "1e-400", "", "..", "[c]", "n/a",
    "\u{1B}]0;title\u{07}", "\u{1B}[31mred", "a\u{08}b", "\u{202E}abc", String(repeating: "x", count: 5000), "1,234", "12%", "-00",
    "2018-06-30", "9999-12-31", "0001-01-01", "1.005", "0.285", "2.675", "-1.5", "3", "4", "0.5", "100", "\"quoted, comma\"",
]
let numbers: [String] = ["9223372036854775807", "9007199254740993", "1" + String(repeating: "0", count: 308), "0", "-1", "1.5", "0.5",
                         "100", "3", "-0.0", "2.675", String(repeating: "9", count: 30)]
let forces = ["Kent", "Essex", "Surrey", "Sussex", "Leicestershire", "England and Wales", "Metropolitan Police", "Met", "Dorset", "x\u{1B}[2J", ""]
let templates: [String] = [
    "t | summarise sum({n}), mean({n}), min({n}), max({n}), median({n}), q1({n}), q3({n}), count, share({n})",
    "t | summarise count by {c}", "t | summarise sum({n}), mean({m}) by {c}", "t | summarise sum({n}) as a, count as b by {c}, {m}",
    "t | add y = {n} + {m}", "t | add y = {n} * {m}", "t | add y = {n} / {m}", "t | add y = {n} - {lit}", "t | add y = -{n}",
    "t | add y = round({n}, 2)", "t | add y = round({n})", "t | add y = abs({n})", "t | add y = pct({n}, {m})",
    "t | add y = per_1000({n}, {m})", "t | add y = per_100000({n}, {lit})", "t | add y = total({n})", "t | add y = percent_of_total({n})",
    "t | add y = if({n} > {m}, {n}, {m})", "t | add y = if({n} = missing or {c} in (\"Kent\", \"\"), 1, 0)",
    "t | where {n} > {lit}", "t | where {n} = missing", "t | where {c} ~ \"a\"", "t | where not ({n} <= {m})", "t | where {c} in (\"Kent\", \"Met\")",
    "t | sort {n} desc", "t | sort {c}, {n}", "t | top 3 by {n}", "t | bottom 2 by {n} per {c}", "t | top 1",
    "t | rank {n}", "t | rank {n} asc per {c}", "t | rank {n} | top 2",
    "t | compare \"Kent\" on {n}", "t | compare \"Kent\" to mean on {n}", "t | compare \"Essex\" to \"Kent\" on {n}",
    "t | compare each to mean on {n}", "t | compare \"Kent\" to region on {n}", "t | compare \"Kent\" to (\"Essex\", \"Surrey\") on {n} by {c}",
    "t | compare \"Kent\" on {n} | chart", "t | compare \"Kent\" to mean on {n} | chart diverging",
    "t | pivot {c} values {n}", "t | unpivot {n}, {m}", "t | unpivot {n}, {m} into k, v | pivot k values v", "t | join forces", "t | join t on {c}",
    "t | change {n} over {c} from \"Kent\" to \"Essex\"", "t | change {n} over {c} from \"Kent\" to \"Essex\" recorded {lit}",
    "t | proportion {n} of {m}", "t | select {c}, {n} as z", "t | select {n}",
    "t | chart bar {n}", "t | chart grouped {n}, {m}", "t | chart diverging {n}", "t | chart interval {n} ci {m}",
    "t | chart strip {n} highlight \"Kent\" mark {lit}", "t | chart line {n} over {c}", "t | chart bar {n} mark {m} width 20 ascii",
    "t | format csv", "t | format markdown", "t | format json", "t | format html", "t | format latex", "t | format box", "t | format tsv",
    "describe t", "test {lit} ci {lit} vs {lit}", "test {lit} of {lit} vs {lit} of {lit}", "interval {lit} of {lit}",
    "t | export \"out.csv\"", "t | export \"out.md\" append", "t | export \"out.json\"",
]

/// The input as a stream of small choices (zero once it runs out).
struct Choices {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0
    mutating func next(_ n: Int) -> Int {
        guard n > 1 else { return 0 }
        guard at < bytes.count else { return 0 }
        defer { at += 1 }
        return Int(bytes[at]) % n
    }
}

func quoted(_ s: String) -> String {
    s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var c = Choices(bytes: UnsafeBufferPointer(start: data, count: size))
    // The table: force, then columns x1…xk, each mostly of one kind of awkward value.
    let width = 1 + c.next(4), height = 1 + c.next(12)
    let names = ["force"] + (1...width).map { "x\($0)" }
    var csv = names.joined(separator: ",") + "\n"
    for _ in 0..<height {
        var row = [quoted(forces[c.next(forces.count)])]
        for _ in 0..<width { row.append(quoted(c.next(3) == 0 ? extremes[c.next(extremes.count)] : numbers[c.next(numbers.count)])) }
        csv += row.joined(separator: ",") + "\n"
    }
    let catalog = base.fork(excluding: excluded)
    let sink = CaptureSink()
    let session = Session(catalog: catalog, sink: sink)
    do {
        var result = try CSVReader.read(Array(csv.utf8), name: "t", fileName: "values.csv")
        result.table.name = "t"
        catalog.add(result.table)
    } catch {
        return 0  // an unreadable table is the CSV target's business
    }
    // One to three commands.
    var script = ""
    for _ in 0..<(1 + c.next(3)) {
        var line = templates[c.next(templates.count)]
        for (key, pick) in [("{n}", { names[c.next(names.count)] }), ("{m}", { names[c.next(names.count)] }),
                            ("{c}", { names[c.next(names.count)] }), ("{lit}", { numbers[c.next(numbers.count)] })] as [(String, () -> String)] {
            while let r = line.range(of: key) { line.replaceSubrange(r, with: pick()) }
        }
        script += line + "\n"
    }
    let ok = session.run(SourceText(name: "fuzz.peel", text: script))
    FuzzSupport.checkDiagnostics(succeeded: ok, stderr: sink.stderr, script: script)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0!, $1) })
