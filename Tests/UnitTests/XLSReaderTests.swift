@testable import PeelIO
import PeelData
import Foundation
import XCTest

final class XLSReaderTests: XCTestCase {
    /// Not a test: with PEEL_XLS_DUMP=<folder>, writes every cell of every .xls under
    /// PEEL_XLS_FILES (a newline-separated list) as JSON, for a script to compare with another reader.
    func testDumpForComparison() throws {
        let env = ProcessInfo.processInfo.environment
        guard let folder = env["PEEL_XLS_DUMP"], let list = env["PEEL_XLS_FILES"] else { return }
        for path in list.split(separator: "\n").map(String.init) {
            let name = URL(fileURLWithPath: path).lastPathComponent
            var out: [String: Any] = ["file": path]
            do {
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                let wb = try XLSReader.read(bytes, fileName: name)
                out["sheets"] = wb.sheets.map { sheet -> [String: Any] in
                    ["name": sheet.name, "hidden": sheet.hidden, "chart": sheet.isChart,
                     "merges": sheet.merges.map { $0.text },
                     "rows": sheet.rows.map { row in row.map { cell -> Any in
                         switch cell {
                         case .empty: return NSNull()
                         case .number(let v, let d): return ["n": v, "dp": d as Any]
                         case .percent(let v, let d): return ["p": v, "dp": d as Any]
                         case .date(let d): return ["d": CivilDate.iso(d)]
                         case .text(let t): return ["t": t]
                         case .bool(let b): return ["b": b]
                         case .error(let e): return ["e": e]
                         }
                     } }]
                }
            } catch let e as WorkbookError {
                out["error"] = e.diagnostic.message
            }
            let data = try JSONSerialization.data(withJSONObject: out)
            try data.write(to: URL(fileURLWithPath: folder).appendingPathComponent(name + ".json"))
        }
    }
}
