@testable import PeelSupport
import XCTest

/// The report fingerprint's SHA-256 against published test vectors and an independent digest.
final class SHA256Tests: XCTestCase {
    func digest(_ bytes: [UInt8], chunk: Int? = nil) -> String {
        var h = SHA256()
        if let chunk {
            var i = 0
            while i < bytes.count {
                h.update(Array(bytes[i..<min(bytes.count, i + chunk)]))
                i += chunk
            }
        } else {
            h.update(bytes)
        }
        return h.finish()
    }

    /// The examples of FIPS 180-2 Appendix B and the NIST CAVS "short/long message" classics.
    func testNISTVectors() {
        let vectors: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
             "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        ]
        for (message, expected) in vectors {
            XCTAssertEqual(digest(Array(message.utf8)), expected, message)
        }
        XCTAssertEqual(digest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000), chunk: 4_096),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths either side of the padding boundaries (55/56 and 64 bytes), digested by Python's
    /// hashlib, and the same digest however the input is split into updates.
    func testPaddingBoundariesAndSplitUpdates() {
        let expected: [Int: String] = [
            55: "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b",
            56: "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27",
            63: "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055",
            64: "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241",
            65: "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e",
            119: "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e",
            120: "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5",
            128: "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6",
        ]
        for (n, hex) in expected {
            let bytes = (0..<n).map { UInt8(($0 * 7 + 3) % 256) }
            XCTAssertEqual(digest(bytes), hex, "\(n) bytes")
            for chunk in [1, 3, 55, 64] {
                XCTAssertEqual(digest(bytes, chunk: chunk), hex, "\(n) bytes in updates of \(chunk)")
            }
        }
    }
}
