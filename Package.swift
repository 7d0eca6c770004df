// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "grantledger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "grantledger", targets: ["grantledger"]),
        .library(name: "LedgerCore", targets: ["LedgerCore"]),
        .library(name: "LedgerStore", targets: ["LedgerStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Flags > environment > config file: its environment and JSON file providers.
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        // The login, consent, device and account pages' templates.
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // Test-only: property-based tests of the spend invariants.
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // sqlite3_db_config, which is variadic and so out of Swift's reach (LedgerStore's schema
        // edit in event_links_v1 needs SQLite's defensive mode off, and Apple's SQLite has it on).
        .target(name: "CSQLiteConfig", linkerSettings: [.linkedLibrary("sqlite3")]),
        // The server's malloc: Debian's mimalloc, linked into the executable ahead of the C
        // library's (and so into the test bundle, which builds the executable's module in), and a
        // check that it took. A keysend payment made about 340 allocations, and glibc's malloc
        // and free were 6.5 % of its instructions (README, performance).
        .target(name: "CMimalloc", linkerSettings: [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]),
        // Pure domain: value types and deciders, Foundation only.
        .target(name: "LedgerCore", swiftSettings: swiftSettings),
        // SQLite event log, projections, writer. May touch the disk, never the network.
        .target(
            name: "LedgerStore",
            dependencies: [
                "LedgerCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The C API, for the chain check that hashes columns where SQLite holds them.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                "CSQLiteConfig",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            // The SQL and the event codec's phrase table live in /schema (symlinked here) and are
            // compiled into the binary, so the executable needs no resource bundle beside it.
            resources: [
                .embedInCode("schema/event_log_v1.sql"), .embedInCode("schema/projections_v1.sql"),
                .embedInCode("schema/projections_v2.sql"), .embedInCode("schema/projections_v3.sql"),
                .embedInCode("schema/projections_v4.sql"), .embedInCode("schema/projections_v5.sql"),
                .embedInCode("schema/checkpoints_v1.sql"), .embedInCode("schema/projections_v6.sql"),
                .embedInCode("schema/projections_v7.sql"), .embedInCode("schema/event_phrases_v1.json"),
                .embedInCode("schema/projections_v8.sql"), .embedInCode("schema/projections_v9.sql"),
                .embedInCode("schema/event_keys_v1.sql"), .embedInCode("schema/event_links_v1.sql"),
                .embedInCode("schema/event_storage_v2.sql"), .embedInCode("schema/event_types_v1.json"),
                .embedInCode("schema/event_types_v1.sql"), .embedInCode("schema/event_stream_prefixes_v1.json"),
                .embedInCode("schema/event_stream_prefixes_v1.sql"), .embedInCode("schema/projections_v10.sql"),
                .embedInCode("schema/event_idempotency_v1.sql"), .embedInCode("schema/projections_v11.sql"), .embedInCode("schema/projections_v12.sql"),
                .embedInCode("schema/spends_codes_v1.sql"), .embedInCode("schema/event_insert_guards_v1.sql"),
            ],
            swiftSettings: swiftSettings
        ),
        // Keys, JWT verification and minting. The network only to fetch an external OpenID
        // provider's discovery document and JWKS (NUT-21).
        .target(
            name: "LedgerAuth",
            dependencies: [
                "LedgerCore",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Wallets behind the UMA Auth API: the built-in demo wallet and the HTTP upstream. Network
        // and in-memory state only; never the ledger (LedgerCore only for its pure helpers).
        .target(
            name: "LedgerWallet",
            dependencies: [
                "LedgerCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Use cases: the one payment saga, OAuth grant policies, gateway access, background services.
        // They take a request's meaning and answer enums; no HTTP types, no HTTP errors.
        .target(
            name: "LedgerApp",
            dependencies: [
                "LedgerCore", "LedgerStore", "LedgerAuth", "LedgerWallet",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP surfaces over Hummingbird: translation only.
        .target(
            name: "LedgerHTTP",
            dependencies: [
                "LedgerCore", "LedgerStore", "LedgerAuth", "LedgerWallet", "LedgerApp",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // The pages' templates, compiled in, so the binary needs no resource bundle beside it.
            // (The OpenAPI document is a Swift string: `embedInCode` of its 505 KB cost 94 s of
            // compiling; see Operations/OpenAPIDocument.swift.)
            resources: [
                .embedInCode("Pages/Templates/layout.mustache"),
                .embedInCode("Pages/Templates/consent.mustache"), .embedInCode("Pages/Templates/device.mustache"),
                .embedInCode("Pages/Templates/account.mustache"), .embedInCode("Pages/Templates/message.mustache"),
                .embedInCode("Pages/Templates/login.mustache"), .embedInCode("Pages/Templates/employeeid.mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        // The demo wallet and rates, BOLT11 encoding, the mock origin, demo clients and the dev
        // login: anything goes here, and only the executable links it.
        .target(
            name: "LedgerDemo",
            dependencies: [
                "LedgerCore", "LedgerStore", "LedgerAuth", "LedgerWallet", "LedgerApp",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "grantledger",
            dependencies: [
                "CMimalloc", "LedgerCore", "LedgerStore", "LedgerAuth", "LedgerHTTP", "LedgerWallet", "LedgerDemo",
                "LedgerApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // What every test target shares: the one test clock, temporary directories, tricky texts.
        .target(
            name: "LedgerTestSupport", dependencies: ["LedgerCore"], path: "Tests/LedgerTestSupport",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "LedgerAppTests",
            dependencies: [
                "LedgerApp", "LedgerCore", "LedgerStore", "LedgerWallet", "LedgerDemo", "LedgerAuth", "LedgerTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerCoreTests",
            dependencies: ["LedgerCore", "LedgerTestSupport", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerDemoTests",
            dependencies: [
                "LedgerDemo", "LedgerWallet", "LedgerCore", "LedgerTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerWalletTests",
            dependencies: [
                "LedgerDemo",
                "LedgerTestSupport",
                "LedgerWallet", "LedgerCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerStoreTests",
            dependencies: [
                "LedgerTestSupport",
                "LedgerCore", "LedgerStore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"), "CSQLiteConfig",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerAuthTests",
            dependencies: [
                "LedgerTestSupport",
                "LedgerAuth", "LedgerCore", .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerHTTPTests",
            dependencies: [
                "LedgerApp",
                "LedgerDemo",
                "LedgerTestSupport",
                "LedgerCore", "LedgerStore", "LedgerAuth", "LedgerHTTP", "LedgerWallet",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // Drives the real `grantledger` binary as a separate process.
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "LedgerTestSupport",
                "grantledger",
                "LedgerStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
