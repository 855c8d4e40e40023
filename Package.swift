// swift-tools-version:6.0
import Foundation
import PackageDescription

/// Every layer, lowest first: what the tests and the fuzz targets may use.
let layers: [Target.Dependency] = [
    "PeelSupport", "PeelData", "PeelStats", "PeelIO", "PeelRender", "PeelLanguage", "PeelEvaluation",
    "PeelCommands", "PeelSession",
]

let package = Package(
    name: "peel",
    products: [
        .executable(name: "peel", targets: ["peel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Ordered sets where code needs first-seen order and fast membership together.
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // Zip archives: .xlsx and .ods workbooks are zip files, and data.police.uk ships monthly zips.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // The layers, lowest first. A layer depends only on layers listed before it, so the
        // compiler refuses a back-edge. docs/architecture.md is the map (ArchitectureTests keeps
        // it and this list in step).
        //
        // Support: source text and ranges, diagnostics and their renderer, display width, text
        // wrapping, suggestions, number formatting, interruption, limits, SHA-256.
        .target(name: "PeelSupport"),
        // Data: typed columns, tables, grouping, row identity, dates and value kinds.
        .target(name: "PeelData", dependencies: [
            "PeelSupport", .product(name: "OrderedCollections", package: "swift-collections"),
        ]),
        // Statistics: the normal distribution, intervals, significance, means, ranking and banding
        // (plain numbers: it needs no other layer).
        .target(name: "PeelStats"),
        // I/O: CSV readers, gzip, zip archives, workbooks (.xlsx, .ods, .xls), Parquet files, mapped
        // files, the bundled catalogue, force names, atomic files.
        .target(name: "PeelIO", dependencies: [
            "PeelSupport", "PeelData", "CPeelZlib", "CPeelZstd", "CPeelSys",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // Rendering: output formats, the sources line, citations, charts.
        .target(name: "PeelRender", dependencies: ["PeelSupport", "PeelData", "PeelStats"]),
        // Language: tokens, lexer, the parser's vocabulary and expressions, the AST as plain data.
        .target(name: "PeelLanguage", dependencies: ["PeelSupport", "PeelData"]),
        // Evaluation: steps and their context, the session interface, results, the expression
        // engine and its function table.
        .target(name: "PeelEvaluation", dependencies: [
            "PeelSupport", "PeelData", "PeelIO", "PeelRender", "PeelLanguage",
            .product(name: "OrderedCollections", package: "swift-collections"),
        ]),
        // Commands: one file per command, the registry, the pipeline grammar that dispatches to them.
        .target(name: "PeelCommands", dependencies: [
            "PeelSupport", "PeelData", "PeelStats", "PeelIO", "PeelRender", "PeelLanguage", "PeelEvaluation",
            .product(name: "OrderedCollections", package: "swift-collections"),
        ]),
        // Session: running commands and scripts, the output sink, reports, Tab completion.
        .target(name: "PeelSession", dependencies: [
            "PeelSupport", "PeelData", "PeelIO", "PeelRender", "PeelLanguage", "PeelEvaluation", "PeelCommands",
        ]),
        // Read-only file mappings that survive the file being truncated underneath them.
        .target(name: "CPeelSys"),
        // zlib, for reading .gz files.
        .systemLibrary(
            name: "CPeelZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // zstd, for Parquet files compressed with ZSTD (read and written).
        .systemLibrary(
            name: "CPeelZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
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
                "PeelSupport", "PeelIO", "PeelRender", "PeelLanguage", "PeelEvaluation", "PeelSession", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The terminal code touches C globals (stdin, stdout, signal flags): Swift 5 mode.
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .testTarget(name: "UnitTests", dependencies: layers + [.product(name: "ZIPFoundation", package: "ZIPFoundation")], exclude: ["Fixtures"]),
        .testTarget(name: "GoldenTests", dependencies: layers, exclude: ["Cases", "Fixtures"]),
    ]
)

// Fuzz targets (libFuzzer), built only by scripts/fuzz, which sets PEEL_FUZZ=1 and builds them with
// -sanitize=fuzzer,address in their own build folder; the normal build never sees them.
if ProcessInfo.processInfo.environment["PEEL_FUZZ"] == "1" {
    let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]
    package.targets += [
        .target(name: "FuzzDriver"),
        .target(name: "FuzzSupport", dependencies: layers + ["FuzzDriver"], swiftSettings: v5),
        .executableTarget(name: "FuzzCommands", dependencies: layers + ["FuzzDriver", "FuzzSupport"], swiftSettings: v5),
        .executableTarget(name: "FuzzCSV", dependencies: layers + ["FuzzDriver"], swiftSettings: v5),
        .executableTarget(name: "FuzzValues", dependencies: layers + ["FuzzDriver", "FuzzSupport"], swiftSettings: v5),
    ]
}
