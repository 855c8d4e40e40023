/// The cells of a block of rows, made a column at a time (one pass over each column's storage,
/// with no per-cell unpacking of the table) and then laid out row by row.
package struct WorkbookWriterCells {
    /// Every cell's XML, column after column; an empty cell is no bytes.
    package var xml = WorkbookWriterXML()
    /// Cell k (column k / rows, row k % rows) is `xml.bytes[starts[k]..<starts[k + 1]]`.
    package var starts: [Int] = []
    package let rows: Int
    package let columns: Int

    package init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        starts.reserveCapacity(rows * columns + 1)
    }

    /// Called before each cell's bytes (or before nothing, for an empty cell), in column order.
    @inline(__always)
    package mutating func next() { starts.append(xml.bytes.count) }

    /// Lays the cells out a row at a time: `row(i, out)` opens row i, `cell(out)` is called just
    /// before a cell that has bytes is added, `empty(j, out)` is told of one that has none, and
    /// `end(i, out)` closes the row.
    package func layOut(into out: inout [UInt8], row: (Int, inout [UInt8]) -> Void, empty: (Int, inout [UInt8]) -> Void = { _, _ in },
                        cell: (inout [UInt8]) -> Void = { _ in }, end: (Int, inout [UInt8]) -> Void) {
        starts.withUnsafeBufferPointer { s in
            xml.bytes.withUnsafeBufferPointer { b in
                precondition(s.count == rows * columns + 1, "a block of cells was made with a cell too many or too few")
                for i in 0..<rows {
                    row(i, &out)
                    for j in 0..<columns {
                        let k = j * rows + i
                        let a = s[k], z = s[k + 1]
                        if a < z {
                            cell(&out)
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[a..<z]))
                        } else {
                            empty(j, &out)
                        }
                    }
                    end(i, &out)
                }
            }
        }
    }
}
