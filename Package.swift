// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Comptoir",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "comptoir", targets: ["ComptoirCLI"]),
        .executable(name: "comptoir-bench", targets: ["ComptoirBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        // Only its HummingbirdBcrypt module: a small C bcrypt, the password hash the contract asks for.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        // Already under Hummingbird; named so that the command line can tell a port in use (IOError).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
        // Already under Hummingbird; named to bound the graceful stop on SIGTERM.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
        // Already under async-http-client; HTTPS served directly (`--certificat`, `--cle`).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.0.0"),
        // Already under HummingbirdTesting; the benchmark's HTTP client (keep-alive, concurrency).
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.0.0"),
        // Already under Hummingbird; the API the store, the service and the web service count and
        // time through (`/metrics`), with no tie to where the figures go.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.0.0"),
        // The backend of swift-metrics that keeps the figures and writes them in Prometheus's
        // text format, for `/metrics`: the format operators already scrape.
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        // The PostgreSQL driver: sociétés that several servers share live in PostgreSQL.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
    ],
    targets: [
        // Pure rules: request decoding, line splitting, value parsing, validation, import rules. No I/O.
        .target(name: "ComptoirCore"),
        // Process-wide SQLite settings that only C can make (`sqlite3_config` is variadic).
        .target(name: "CSQLiteSettings", linkerSettings: [.linkedLibrary("sqlite3")]),
        // The société database: files, schema, users, and the writes of an import.
        .target(
            name: "ComptoirStore",
            dependencies: [
                "ComptoirCore",
                "CSQLiteSettings",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The import use case, shared by the web service and the command line: request,
        // société, user, session, rules, journal and answer.
        .target(
            name: "ComptoirService",
            dependencies: ["ComptoirCore", "ComptoirStore", .product(name: "Metrics", package: "swift-metrics")]
        ),
        // The command-line tâches: `.ini` files run through the import service, their journal,
        // statistics and exports written as Gestimum writes them.
        .target(name: "ComptoirTaches", dependencies: ["ComptoirCore", "ComptoirService", "ComptoirStore"]),
        // The web service: routes, bodies, answers, statuses.
        .target(
            name: "ComptoirHTTP",
            dependencies: [
                "ComptoirCore",
                "ComptoirService",
                "ComptoirStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The command line: `comptoir societe creer`, `comptoir demarrer`.
        .executableTarget(
            name: "ComptoirCLI",
            dependencies: [
                "ComptoirCore",
                "ComptoirStore",
                "ComptoirHTTP",
                "ComptoirTaches",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Blocking sockets and raw HTTP on 127.0.0.1: how the benchmark and the tests of the
        // executable talk to a live server from outside. Never part of the server.
        .target(name: "Loopback"),
        // `comptoir-bench`: speed and memory figures, run by hand on a release build, never a test.
        .executableTarget(
            name: "ComptoirBench",
            dependencies: [
                "ComptoirCore",
                "ComptoirHTTP",
                "ComptoirStore",
                "Loopback",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // What the test targets share: import fixtures, the memory store, temporary folders, patient connections.
        .target(
            name: "ComptoirTestSupport",
            dependencies: [
                "ComptoirCore", "ComptoirStore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ComptoirTestSupport"
        ),
        .testTarget(name: "ComptoirCoreTests", dependencies: ["ComptoirCore", "ComptoirTestSupport"]),
        .testTarget(
            name: "ComptoirStoreTests",
            dependencies: [
                "ComptoirStore", "ComptoirTestSupport", "Loopback", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "ComptoirHTTPTests",
            dependencies: [
                "ComptoirHTTP",
                "ComptoirStore",
                "ComptoirTestSupport",
                "Loopback",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "ComptoirCLITests",
            dependencies: [
                "ComptoirCLI", "ComptoirCore", "ComptoirStore", "ComptoirTestSupport", "Loopback",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)
