// swift-tools-version:6.0
import Foundation
import PackageDescription

let package = Package(
    name: "peel",
    products: [
        .executable(name: "peel", targets: ["peel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Ordered sets where code needs first-seen order and fast membership together.
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // The layers, lowest first. Each target depends only on targets above it in this list, so
        // the compiler refuses a back-edge (docs/architecture.md is the map).
        // Support: source text and ranges, diagnostics and their renderer, display width, text
        // wrapping, suggestions, number formatting, interruption, limits.
        .target(name: "PeelSupport"),
        // Data: typed columns, tables, grouping, row identity, dates and value kinds.
        .target(name: "PeelData", dependencies: [
            "PeelSupport", .product(name: "OrderedCollections", package: "swift-collections"),
        ]),
        // Statistics: intervals, significance, summaries, ranking and banding.
        .target(name: "PeelStats", dependencies: ["PeelSupport", "PeelData"]),
        // I/O: CSV readers, gzip, mapped files, the bundled catalogue, force names, atomic files.
        .target(name: "PeelIO", dependencies: ["PeelSupport", "PeelData", "CZlib", "CPeelSys"]),
        // Rendering: output formats, the sources line, citations, charts.
        .target(name: "PeelRender", dependencies: ["PeelSupport", "PeelData", "PeelStats"]),
        // Language: tokens, lexer, parser vocabulary and expressions, the AST as plain data.
        .target(name: "PeelLanguage", dependencies: ["PeelSupport", "PeelData"]),
        // Evaluation: steps and their context, session state, variables, expressions and functions.
        .target(name: "PeelEvaluation", dependencies: [
            "PeelSupport", "PeelData", "PeelStats", "PeelIO", "PeelRender", "PeelLanguage",
        ]),
        // Commands: one file per command, the registry, the pipeline grammar that dispatches to them.
        .target(name: "PeelCommands", dependencies: [
            "PeelSupport", "PeelData", "PeelStats", "PeelIO", "PeelRender", "PeelLanguage", "PeelEvaluation",
        ]),
        // Session: running commands and scripts, the output sink, reports, Tab completion.
        .target(name: "PeelSession", dependencies: [
            "PeelSupport", "PeelData", "PeelStats", "PeelIO", "PeelRender", "PeelLanguage", "PeelEvaluation",
            "PeelCommands",
        ]),
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
                "PeelSupport", "PeelData", "PeelStats", "PeelIO", "PeelRender", "PeelLanguage", "PeelEvaluation", "PeelCommands", "PeelSession", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The terminal code touches C globals (stdin, stdout, signal flags): Swift 5 mode.
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .testTarget(
            name: "PeelCoreTests",
            dependencies: ["PeelSupport", "PeelData", "PeelStats", "PeelIO", "PeelRender", "PeelLanguage", "PeelEvaluation", "PeelCommands", "PeelSession"]
        ),
        .testTarget(
            name: "GoldenTests",
            dependencies: ["PeelSupport", "PeelData", "PeelStats", "PeelIO", "PeelRender", "PeelLanguage", "PeelEvaluation", "PeelCommands", "PeelSession"],
            exclude: ["Cases", "Fixtures"]
        ),
    ]
)

// Fuzz targets (libFuzzer), built only by scripts/fuzz, which sets PEEL_FUZZ=1 and builds them with
// -sanitize=fuzzer,address in their own build folder; the normal build never sees them.
if ProcessInfo.processInfo.environment["PEEL_FUZZ"] == "1" {
    package.targets += [
        .target(name: "FuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["PeelSupport", "PeelData", "PeelStats", "PeelIO", "PeelRender", "PeelLanguage", "PeelEvaluation", "PeelCommands", "PeelSession", "FuzzDriver"], swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "FuzzCommands", dependencies: ["PeelSupport", "PeelData", "PeelStats", "PeelIO", "PeelRender", "PeelLanguage", "PeelEvaluation", "PeelCommands", "PeelSession", "FuzzDriver", "FuzzSupport"],
                          swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "FuzzCSV", dependencies: ["PeelSupport", "PeelData", "PeelStats", "PeelIO", "PeelRender", "PeelLanguage", "PeelEvaluation", "PeelCommands", "PeelSession", "FuzzDriver"],
                          swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "FuzzValues", dependencies: ["PeelSupport", "PeelData", "PeelStats", "PeelIO", "PeelRender", "PeelLanguage", "PeelEvaluation", "PeelCommands", "PeelSession", "FuzzDriver", "FuzzSupport"],
                          swiftSettings: [.swiftLanguageMode(.v5)]),
    ]
}
