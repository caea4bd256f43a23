// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "vibe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vibe", targets: ["vibe"]),
        .library(name: "VibeClient", targets: ["VibeClient"]),
        .library(name: "TerminalEmulator", targets: ["TerminalEmulator"]),
        .library(name: "VibeScript", targets: ["VibeScript"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Wire types shared by client and server. No I/O.
        .target(name: "VibeProtocol"),
        // xterm-compatible parser and screen model. Pure: depends on nothing of ours.
        .target(name: "TerminalEmulator"),
        // forkpty / inotify shim: the forked child runs C only.
        .target(name: "CPTY", linkerSettings: [.linkedLibrary("util", .when(platforms: [.linux]))]),
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        .target(
            name: "VibeClient",
            dependencies: [
                "VibeProtocol",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(
            name: "VibeServer",
            dependencies: [
                "VibeProtocol", "CPTY",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(name: "VibeScript", dependencies: ["VibeClient", "VibeProtocol", "TerminalEmulator"]),
        // MCP tools for coding agents, above the client (the official MCP Swift SDK).
        .target(
            name: "VibeMCP",
            dependencies: ["VibeClient", "VibeProtocol", .product(name: "MCP", package: "swift-sdk")]),
        .target(
            name: "VibeTUI",
            dependencies: ["VibeClient", "TerminalEmulator", "CNCursesW", "CPTY"]
        ),
        .executableTarget(
            name: "vibe",
            dependencies: [
                "VibeProtocol", "VibeClient", "VibeServer", "VibeTUI", "VibeScript", "VibeMCP", "TerminalEmulator", "CPTY",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TerminalEmulatorTests", dependencies: ["TerminalEmulator"], exclude: ["Tools"],
            resources: [.copy("Goldens")]),
        .testTarget(name: "VibeTUITests", dependencies: ["VibeTUI", "VibeProtocol", "TerminalEmulator"]),
        .testTarget(
            name: "VibeClientTests",
            dependencies: [
                "VibeClient", "VibeProtocol", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ]
        ),
        .testTarget(
            name: "VibeScriptTests",
            dependencies: [
                "VibeScript", "VibeServer", "VibeClient", "VibeProtocol", "TerminalEmulator",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "VibeMCPTests",
            dependencies: [
                "VibeMCP", "VibeServer", "VibeClient", "VibeProtocol", .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "VibeServerTests",
            dependencies: [
                "VibeServer", "VibeClient", "VibeProtocol",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
