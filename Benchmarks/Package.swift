// swift-tools-version:6.1
import PackageDescription

// Benchmarks for the ledger store, kept in their own package so the main package does not
// depend on the benchmark tooling. Run from this folder: `swift package --disable-sandbox benchmark`.
let package = Package(
    name: "grantledger-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "grantledger", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Profile",
            dependencies: [
                .product(name: "LedgerCore", package: "grantledger"),
                .product(name: "LedgerStore", package: "grantledger"),
            ],
            path: "Sources/Profile"
        ),
        .executableTarget(
            name: "LedgerStoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LedgerCore", package: "grantledger"),
                .product(name: "LedgerStore", package: "grantledger"),
            ],
            path: "Benchmarks/LedgerStoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
