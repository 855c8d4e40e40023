// swift-tools-version:6.0
import Foundation
import PackageDescription

let package = Package(
    name: "peel",
    products: [
        .executable(name: "peel", targets: ["peel"]),
        .library(name: "PeelCore", targets: ["PeelCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // All logic: lexer, parser, evaluator, tables, renderers, charts, datasets, commands.
        .target(name: "PeelCore", dependencies: ["CZlib", "CPeelSys"]),
        // Read-only file mappings that survive the file being truncated underneath them.
        .target(name: "CPeelSys"),
        // zlib, for reading .gz files.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // libedit's native (histedit) API, through small non-variadic wrappers.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The thin executable: arguments, terminal, line editor.
        .executableTarget(
            name: "peel",
            dependencies: [
                "PeelCore", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The terminal code touches C globals (stdin, stdout, signal flags): Swift 5 mode.
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .testTarget(
            name: "PeelCoreTests",
            dependencies: ["PeelCore"]
        ),
        .testTarget(
            name: "GoldenTests",
            dependencies: ["PeelCore"],
            exclude: ["Cases", "Fixtures"]
        ),
    ]
)

// Fuzz targets (libFuzzer), built only by scripts/fuzz, which sets PEEL_FUZZ=1 and builds them with
// -sanitize=fuzzer,address in their own build folder; the normal build never sees them.
if ProcessInfo.processInfo.environment["PEEL_FUZZ"] == "1" {
    package.targets += [
        .target(name: "FuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["PeelCore", "FuzzDriver"], swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "FuzzCommands", dependencies: ["PeelCore", "FuzzDriver", "FuzzSupport"],
                          swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "FuzzCSV", dependencies: ["PeelCore", "FuzzDriver"],
                          swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "FuzzValues", dependencies: ["PeelCore", "FuzzDriver", "FuzzSupport"],
                          swiftSettings: [.swiftLanguageMode(.v5)]),
    ]
}
