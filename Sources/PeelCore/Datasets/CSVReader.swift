/// An RFC 4180 CSV reader over bytes: quoted fields, doubled quotes, CRLF or LF line ends.
public struct CSVReader {
    public struct Record {
        public var fields: [String]
        /// The 1-based line on which the record starts.
        public var line: Int
    }

    /// Every record of `bytes`, or a diagnostic naming the line of the first malformed one.
    public static func records(_ bytes: [UInt8], name: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var i = 0
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        // Skip a UTF-8 byte order mark.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quotedField = false
        }
        while i < bytes.count {
            let c = bytes[i]
            if inQuotes {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(c)
                        i += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if c == UInt8(ascii: "\n") { line += 1 }
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\""):
                if field.isEmpty && !quotedField {
                    inQuotes = true
                    quotedField = true
                } else {
                    throw Diagnostic("\(name):\(line): a quote inside an unquoted field",
                                     help: "quote the whole field and double the inner quote (\"\")")
                }
            case UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "\n"):
                endField()
                if !(fields.count == 1 && fields[0].isEmpty && !quotedField) {
                    records.append(Record(fields: fields, line: recordLine))
                }
                fields.removeAll(keepingCapacity: true)
                line += 1
                recordLine = line
            default:
                field.append(c)
            }
            i += 1
        }
        if inQuotes {
            throw Diagnostic("\(name):\(recordLine): unterminated quoted field", help: "close the field with a double quote")
        }
        if !field.isEmpty || !fields.isEmpty || quotedField {
            endField()
            records.append(Record(fields: fields, line: recordLine))
        }
        return records
    }

    /// A typed table from CSV bytes: the first record names the columns; empty fields are missing.
    public static func table(_ bytes: [UInt8], name: String, fileName: String) throws -> Table {
        let records = try records(bytes, name: fileName)
        guard let header = records.first else {
            throw Diagnostic("\(fileName): the file is empty", help: "a CSV file needs a header row naming its columns")
        }
        let width = header.fields.count
        for r in records.dropFirst() where r.fields.count != width {
            throw Diagnostic("\(fileName):\(r.line): expected \(width) fields, found \(r.fields.count)")
        }
        var columns: [Column] = []
        for (j, colName) in header.fields.enumerated() {
            let cells = records.dropFirst().map { $0.fields[j] }
            columns.append(inferColumn(name: colName.trimmingSpaces(), cells: Array(cells)))
        }
        return Table(name: name, columns: columns)
    }

    /// Integer if every present cell is an integer, decimal if every one is a number, else text.
    static func inferColumn(name: String, cells: [String]) -> Column {
        var allInt = true
        var allNum = true
        var scale = 0
        var anyPresent = false
        for cell in cells where !cell.isEmpty {
            anyPresent = true
            guard let s = decimalScale(cell) else { allInt = false; allNum = false; break }
            if s > 0 { allInt = false }
            scale = max(scale, s)
            if s == 0, Int64(cell) == nil { allInt = false }
        }
        if !anyPresent { allInt = false; allNum = false }
        var b: ColumnBuilder
        if allInt { b = .integer(name) } else if allNum { b = .decimal(name, scale: scale) } else { b = .text(name) }
        for cell in cells {
            if allNum {
                b.append(cell.isEmpty ? nil : Double(cell), scale: cell.isEmpty ? 0 : decimalScale(cell))
            } else {
                b.append(cell.isEmpty ? nil : cell)
            }
        }
        return b.build()
    }

    /// Digits after the point when `s` is a plain decimal number (`-12`, `3.40`), else nil.
    static func decimalScale(_ s: String) -> Int? {
        var utf8 = Substring(s).utf8[...]
        if utf8.first == UInt8(ascii: "-") || utf8.first == UInt8(ascii: "+") { utf8 = utf8.dropFirst() }
        var digitsBefore = 0
        var digitsAfter = 0
        var sawDot = false
        for c in utf8 {
            if c >= 48 && c <= 57 {
                if sawDot { digitsAfter += 1 } else { digitsBefore += 1 }
            } else if c == UInt8(ascii: "."), !sawDot {
                sawDot = true
            } else {
                return nil
            }
        }
        if digitsBefore == 0 && digitsAfter == 0 { return nil }
        if digitsBefore > 1, utf8.first == UInt8(ascii: "0") { return nil }  // a code such as 0123
        return digitsAfter
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
