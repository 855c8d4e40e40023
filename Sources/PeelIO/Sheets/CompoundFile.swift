import PeelSupport

/// An OLE2 compound file (MS-CFB, "Compound File Binary"), the container of Excel 97–2003 .xls
/// workbooks: a little FAT file system inside one file. It is read from bytes the caller holds for
/// the duration of the read; each stream is copied out whole.
///
/// Every sector number is checked against the file's size, every chain is walked at most once per
/// sector (a chain that comes back on itself is a cycle, not an endless loop) and every stream's
/// declared size is bounded by the bytes that could hold it, so a damaged or hostile file stops
/// with a `WorkbookError` and never traps or hangs.
package struct CompoundFile {
    /// A directory entry: a storage (folder), a stream (file) or the root.
    package struct Entry: Sendable, Equatable {
        package enum Kind: UInt8, Sendable {
            case unused = 0, storage = 1, stream = 2, root = 5
        }

        package var name: String
        package var kind: Kind
        package var left: UInt32
        package var right: UInt32
        package var child: UInt32
        package var start: UInt32
        package var size: UInt64
    }

    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    static let endOfChain: UInt32 = 0xFFFF_FFFE
    static let freeSector: UInt32 = 0xFFFF_FFFF
    static let noStream: UInt32 = 0xFFFF_FFFF
    /// Sector numbers above this are markers (FAT, DIFAT, end of chain, free), never sectors.
    static let maxRegularSector: UInt32 = 0xFFFF_FFFA

    package let fileName: String
    private let bytes: UnsafeBufferPointer<UInt8>
    private let sectorShift: Int
    private let sectorSize: Int
    private let miniSectorSize: Int
    private let miniCutoff: UInt64
    /// Sectors the file holds (the last may be short: some writers do not pad it).
    private let sectorCount: Int
    private var fat: [UInt32] = []
    private var miniFAT: [UInt32] = []
    private var miniStream: [UInt8] = []
    /// Every directory entry, in the directory's order (entry 0 is the root).
    package private(set) var entries: [Entry] = []

    /// Does `bytes` start with the compound-file signature?
    package static func hasSignature(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 8 && zip(bytes.prefix(8), signature).allSatisfy { $0 == $1 }
    }

    /// Reads the header, the FAT, the directory and the mini stream. `bytes` must stay valid for
    /// as long as this value is used.
    package init(_ bytes: UnsafeBufferPointer<UInt8>, fileName: String) throws {
        self.bytes = bytes
        self.fileName = fileName
        guard Self.hasSignature(bytes) else {
            throw WorkbookError(file: fileName, "is not an Excel 97–2003 workbook (it does not start with the compound-file signature)")
        }
        guard bytes.count >= 512 else {
            throw WorkbookError(file: fileName, "is truncated: it ends inside its 512-byte compound-file header",
                                help: "download the file again")
        }
        func header16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func header32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        let shift = header16(30), miniShift = header16(32)
        guard shift == 9 || shift == 12 else {
            throw WorkbookError(file: fileName, "is damaged: its compound-file header gives a sector size of 2^\(shift) bytes (only 512 and 4096 exist)")
        }
        guard miniShift == 6 else {
            throw WorkbookError(file: fileName, "is damaged: its compound-file header gives a mini-sector size of 2^\(miniShift) bytes (only 64 exists)")
        }
        sectorShift = shift
        sectorSize = 1 << shift
        miniSectorSize = 1 << miniShift
        let cutoff = header32(56)
        miniCutoff = cutoff == 0 ? 4096 : UInt64(cutoff)
        guard bytes.count > sectorSize else {
            throw WorkbookError(file: fileName, "is truncated: it holds its compound-file header and nothing else",
                                help: "download the file again")
        }
        sectorCount = (bytes.count - sectorSize + sectorSize - 1) / sectorSize

        // The FAT's own sectors: the header's 109 DIFAT entries, then the DIFAT chain.
        let fatSectorCount = Int(header32(44))
        var fatSectors: [UInt32] = []
        func addFATSector(_ s: UInt32) throws {
            guard s != Self.freeSector, fatSectors.count < fatSectorCount else { return }
            guard Int(s) < sectorCount, s <= Self.maxRegularSector else {
                throw damaged("its sector table (FAT) lists sector \(s), past the end of the file (\(sectorCount) sectors)")
            }
            fatSectors.append(s)
        }
        for i in 0..<109 { try addFATSector(header32(76 + 4 * i)) }
        var difat = header32(68)
        var difatSteps = 0
        let perDIFAT = sectorSize / 4 - 1
        while difat != Self.endOfChain, difat != Self.freeSector, fatSectors.count < fatSectorCount {
            guard Int(difat) < sectorCount, difat <= Self.maxRegularSector else {
                throw damaged("its sector-table index (DIFAT) continues at sector \(difat), past the end of the file (\(sectorCount) sectors)")
            }
            difatSteps += 1
            guard difatSteps <= sectorCount else { throw damaged("its sector-table index (DIFAT) is a chain that loops back on itself") }
            let sector = try self.sector(difat, what: "the sector-table index (DIFAT)")
            guard sector.count == sectorSize else {
                throw WorkbookError(file: fileName, "is truncated: its sector-table index (DIFAT) runs past the end of the file", help: "download the file again")
            }
            for i in 0..<perDIFAT { try addFATSector(Self.u32(sector, 4 * i)) }
            difat = Self.u32(sector, 4 * perDIFAT)
        }
        guard !fatSectors.isEmpty else { throw damaged("it has no sector table (FAT)") }
        var table: [UInt32] = []
        table.reserveCapacity(min(fatSectors.count, sectorCount) * (sectorSize / 4))
        for s in fatSectors {
            let sector = try self.sector(s, what: "the sector table (FAT)")
            var i = 0
            while i + 4 <= sector.count {
                table.append(Self.u32(sector, i))
                i += 4
            }
        }
        fat = table

        // The directory.
        let directory = try chain(from: header32(48), table: fat, limit: sectorCount, what: "the directory").flatMap { try self.sector($0, what: "the directory") }
        var list: [Entry] = []
        var at = 0
        while at + 128 <= directory.count {
            list.append(Self.entry(directory, at))
            at += 128
        }
        guard let root = list.first, root.kind == .root else { throw damaged("its directory has no root entry") }
        entries = list

        // The mini FAT and the mini stream (the root's stream), which hold the small streams.
        let firstMiniFAT = header32(60)
        if firstMiniFAT != Self.endOfChain && firstMiniFAT != Self.freeSector {
            var mini: [UInt32] = []
            for s in try chain(from: firstMiniFAT, table: fat, limit: sectorCount, what: "the mini sector table") {
                let sector = try self.sector(s, what: "the mini sector table")
                var i = 0
                while i + 4 <= sector.count {
                    mini.append(Self.u32(sector, i))
                    i += 4
                }
            }
            miniFAT = mini
        }
        let rootSize = shift == 9 ? root.size & 0xFFFF_FFFF : root.size
        if root.start != Self.endOfChain && root.start != Self.freeSector && rootSize > 0 {
            miniStream = try readFromFAT(start: root.start, size: rootSize, what: "the mini stream")
        }
    }

    private func damaged(_ what: String) -> WorkbookError {
        WorkbookError(file: fileName, "is damaged: \(what)", help: "download the file again; if it opens in Excel or LibreOffice, save it as .xlsx")
    }

    private static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    private static func entry(_ d: [UInt8], _ at: Int) -> Entry {
        let nameBytes = min(64, Int(d[at + 64]) | Int(d[at + 65]) << 8)
        var units: [UInt16] = []
        var i = 0
        while i + 1 < nameBytes {
            let u = UInt16(d[at + i]) | UInt16(d[at + i + 1]) << 8
            if u == 0 { break }
            units.append(u)
            i += 2
        }
        let size = UInt64(u32(d, at + 120)) | UInt64(u32(d, at + 124)) << 32
        return Entry(name: String(decoding: units, as: UTF16.self),
                     kind: Entry.Kind(rawValue: d[at + 66]) ?? .unused,
                     left: u32(d, at + 68), right: u32(d, at + 72), child: u32(d, at + 76),
                     start: u32(d, at + 116), size: size)
    }

    /// Sector `s` (the last sector of the file may be short).
    private func sector(_ s: UInt32, what: String) throws -> [UInt8] {
        guard Int(s) < sectorCount else {
            throw damaged("\(what) continues at sector \(s), past the end of the file (\(sectorCount) sectors)")
        }
        let start = (Int(s) + 1) << sectorShift
        let end = min(bytes.count, start + sectorSize)
        return Array(bytes[start..<end])
    }

    /// The sectors of the chain that starts at `start`, in order. `limit` is the number of sectors
    /// there are, so a longer chain must visit one twice: a cycle.
    private func chain(from start: UInt32, table: [UInt32], limit: Int, what: String, needed: Int? = nil, mini: Bool = false) throws -> [UInt32] {
        var out: [UInt32] = []
        var s = start
        var seen = [Bool](repeating: false, count: limit)
        while s != Self.endOfChain {
            if let needed, out.count >= needed { break }
            guard s <= Self.maxRegularSector, Int(s) < limit else {
                if s == Self.freeSector { throw damaged("\(what) runs into a free sector") }
                if s <= Self.maxRegularSector, Int(s) < table.count, !mini {
                    // The sector table knows the sector, but the file ends before it.
                    throw WorkbookError(file: fileName, "is truncated: \(what) continues at sector \(s), but the file ends after \(limit) sectors",
                                        help: "download the file again")
                }
                throw damaged("\(what) continues at sector \(s), past the end of the file (\(limit) sectors)")
            }
            guard !seen[Int(s)] else { throw damaged("\(what) is a chain of sectors that loops back on itself (at sector \(s))") }
            seen[Int(s)] = true
            out.append(s)
            guard Int(s) < table.count else { throw damaged("\(what) reaches sector \(s), which its sector table does not cover") }
            s = table[Int(s)]
        }
        return out
    }

    private func readFromFAT(start: UInt32, size: UInt64, what: String) throws -> [UInt8] {
        guard size <= UInt64(bytes.count) else {
            throw damaged("\(what) is said to hold \(size) bytes, more than the whole file (\(bytes.count) bytes)")
        }
        let n = Int(size)
        let sectors = try chain(from: start, table: fat, limit: sectorCount, what: what, needed: (n + sectorSize - 1) / sectorSize)
        var out: [UInt8] = []
        out.reserveCapacity(n)
        for s in sectors {
            let start = (Int(s) + 1) << sectorShift
            let take = min(sectorSize, n - out.count)
            guard start + take <= bytes.count else {
                throw WorkbookError(file: fileName, "is truncated: \(what) runs past the end of the file", help: "download the file again")
            }
            out.append(contentsOf: bytes[start..<start + take])
        }
        guard out.count == n else {
            throw damaged("\(what) is said to hold \(n) bytes but its chain of sectors holds only \(out.count)")
        }
        return out
    }

    private func readFromMiniStream(start: UInt32, size: UInt64, what: String) throws -> [UInt8] {
        let miniCount = (miniStream.count + miniSectorSize - 1) / miniSectorSize
        guard size <= UInt64(miniStream.count) else {
            throw damaged("\(what) is said to hold \(size) bytes, more than the mini stream that holds it (\(miniStream.count) bytes)")
        }
        let n = Int(size)
        let sectors = try chain(from: start, table: miniFAT, limit: miniCount, what: what, needed: (n + miniSectorSize - 1) / miniSectorSize, mini: true)
        var out: [UInt8] = []
        out.reserveCapacity(n)
        for s in sectors {
            let start = Int(s) * miniSectorSize
            let take = min(miniSectorSize, n - out.count)
            guard start + take <= miniStream.count else {
                throw damaged("\(what) runs past the end of the mini stream that holds it")
            }
            out.append(contentsOf: miniStream[start..<start + take])
        }
        guard out.count == n else {
            throw damaged("\(what) is said to hold \(n) bytes but its chain of mini sectors holds only \(out.count)")
        }
        return out
    }

    /// The entries directly inside the root storage (its child tree), in directory order.
    package var rootChildren: [Entry] {
        var out: [Int] = []
        var seen = [Bool](repeating: false, count: entries.count)
        var stack: [UInt32] = [entries.first?.child ?? Self.noStream]
        while let i = stack.popLast() {
            guard i != Self.noStream, Int(i) < entries.count, !seen[Int(i)] else { continue }
            seen[Int(i)] = true
            out.append(Int(i))
            stack.append(entries[Int(i)].left)
            stack.append(entries[Int(i)].right)
        }
        return out.sorted().map { entries[$0] }
    }

    /// The stream `name` directly inside the root (names compare ignoring case, as MS-CFB says), or nil.
    package func rootStream(named name: String) -> Entry? {
        let wanted = name.uppercased()
        return rootChildren.first { $0.kind == .stream && $0.name.uppercased() == wanted }
    }

    /// The bytes of stream `entry`, from the mini stream when it is smaller than the cutoff.
    package func read(_ entry: Entry) throws -> [UInt8] {
        // Version 3 files (512-byte sectors) may leave junk in the size's high half.
        let size = sectorShift == 9 ? entry.size & 0xFFFF_FFFF : entry.size
        if size == 0 { return [] }
        let what = "the '\(entry.name)' stream"
        if size < miniCutoff {
            return try readFromMiniStream(start: entry.start, size: size, what: what)
        }
        return try readFromFAT(start: entry.start, size: size, what: what)
    }
}
