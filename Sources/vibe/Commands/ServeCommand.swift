import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import VibeServer

/// `vibe serve`: the standalone session server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the session server (JSON HTTP API, terminal and fs-events WebSockets).",
        discussion: """
            With no secret the server is open and listens on loopback only. With --auth-secret-file \
            (or VIBE_AUTH_SECRET, at least 32 bytes) every route but /healthz needs an HS256 bearer token \
            (see `vibe token`); the local driver then serves one subject, --owner. Logs are JSON lines on \
            stderr. SIGINT/SIGTERM shut down gracefully.
            """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8000
    @Option(help: "Session driver: local (folders and PTYs here) or docker (a container per session).") var driver = "local"
    @Option(help: "docker: the workspace image (env VIBE_IMAGE; build it with deploy/image/build.sh).") var image: String?
    @Option(help: "docker: network mode (default: an isolated bridge network the driver creates).") var network: String?
    @Option(help: "Suspend sessions idle this long: 90s, 30m, 2h, or 0 for never (default: 30m with docker, never with local).")
    var idleSuspend: String?
    @Flag(help: "Start with the kill switch on: no new sessions (env VIBE_DISABLE_CREATE=1; SIGUSR2 toggles it).")
    var noNewSessions = false
    @Option(help: "With auth on, the token subject allowed to use the admin routes (the kill switch).")
    var adminSubject: String?
    @Option(help: "Folder for sessions (default ~/.local/share/vibe/server).") var dataDir: String?
    @Option(help: "File holding the HS256 secret for bearer tokens (mode 600 or stricter; env VIBE_AUTH_SECRET).")
    var authSecretFile: String?
    @Option(help: "Deprecated (argv is public): the HS256 secret itself; use --auth-secret-file.") var authSecret: String?
    @Option(help: "With auth on, the one token subject served (required with the local driver).") var owner: String?
    @Option(help: "local: processes (and threads) of the server's user at which a shell's fork fails (RLIMIT_NPROC; 0: inherited).")
    var shellMaxProcesses = ShellLimits().maxProcesses
    @Option(help: "local: open files per shell or command process (RLIMIT_NOFILE; 0: inherited).")
    var shellMaxFiles = ShellLimits().maxFiles
    @Option(help: "Most open connections from one address (429 beyond it; 0: no cap, e.g. behind a reverse proxy).")
    var maxConnectionsPerPeer = ConnectionLimits().perPeer
    @Option(help: "Most open connections in all (503 beyond it; default: half the open-file limit).")
    var maxConnections: Int?
    @Option(help: "Sessions a client may create per second (token bucket; a burst of three seconds' worth).")
    var createRate = 20
    @Option(help: "Seconds a new connection has to send its request head (408 after).") var headerTimeout = 10
    @Option(help: "Seconds an idle keep-alive connection stays open.") var keepAliveTimeout = 60
    @Option(help: "Seconds a socket's client may take no output before it is closed (1013).") var slowClientTimeout = 20
    @Option(help: "Log level: trace, debug, info, warning, error.") var logLevel = "info"
    @Option(help: "A browser origin allowed to call the API with credentials (CORS), e.g. https://ide.example.com; repeatable.")
    var corsOrigin: [String] = []

    func run() async throws {
        try await reporting { try await serve() }
    }

    private func serve() async throws {
        guard ["local", "docker"].contains(driver) else {
            throw CLIError(message: "vibe: unknown driver '\(driver)' (available: local, docker)", exitCode: VibeExit.usage)
        }
        OpenFileLimit.raise()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        let logger = Logger(label: "vibe.serve")
        let secret = try resolveSecret(logger: logger)
        var config = ServerConfiguration(
            host: host, port: port, dataDir: dataDir ?? DataDirectory.server, authSecret: secret)
        config.acceptNewSessions = !(noNewSessions || ProcessInfo.processInfo.environment["VIBE_DISABLE_CREATE"] == "1")
        config.idleSuspend = try DurationText.parse(idleSuspend ?? (driver == "docker" ? "30m" : "0"))
        config.adminSubject = adminSubject
        config.owner = owner
        config.connections.perPeer = maxConnectionsPerPeer
        config.connections.total = maxConnections
        config.createPerSecond = Double(max(1, createRate))
        config.createBurst = 3 * max(1, createRate)
        config.connections.headerTimeout = .seconds(max(1, headerTimeout))
        config.connections.keepAliveTimeout = .seconds(max(1, keepAliveTimeout))
        config.connections.slowClientTimeout = .seconds(max(1, slowClientTimeout))
        config.shellLimits = ShellLimits(maxProcesses: shellMaxProcesses, maxFiles: shellMaxFiles)
        config.corsOrigins = try corsOrigin.map { given in
            guard let origin = ServerConfiguration.corsOrigin(given) else {
                throw CLIError(message: "vibe: --cors-origin takes scheme://host[:port], not \(given)", exitCode: VibeExit.usage)
            }
            return origin
        }
        let sessionDriver = try await makeDriver(config, logger: logger)
        let server: VibeServer
        do {
            server = try await VibeServer(configuration: config, driver: sessionDriver, logger: logger)
        } catch let error as APIError {
            throw CLIError(message: "vibe: \(error.message)", exitCode: VibeExit.usage)
        }
        announceTenancy(config, logger: logger)
        let app = server.application { port in
            print("vibe serve listening on http://\(host):\(port) (driver \(driver), auth \(secret == nil ? "off" : "on"))")
            fflush(nil)
        }
        let killSwitch = KillSwitchSignal.install(server.registry, logger: logger)
        defer { killSwitch.cancel() }
        var groupConfig = ServiceGroupConfiguration(
            services: [app, server.sessionsService], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfig.maximumGracefulShutdownDuration = .seconds(10)
        let group = ServiceGroup(configuration: groupConfig)
        try await group.run()
    }

    /// The local driver, or the docker driver once an engine answered (else the server refuses to start).
    private func makeDriver(_ config: ServerConfiguration, logger: Logger) async throws -> (any SessionDriver)? {
        guard driver == "docker" else { return nil }
        let settings = DockerSettings(
            image: image ?? ProcessInfo.processInfo.environment["VIBE_IMAGE"] ?? DockerSettings.defaultImage,
            network: network)
        do {
            let docker = DockerDriver(
                engine: try DockerEngine.fromEnvironment(), settings: settings, dataDir: config.dataDir, logger: logger)
            let engine = try await docker.checkEngine()
            logger.info("docker driver ready: \(engine), image \(settings.image)", metadata: ["event": "driver.docker"])
            return docker
        } catch {
            throw CLIError(message: "vibe: the docker driver cannot start: \(error)", exitCode: VibeExit.unreachable)
        }
    }
}

/// SIGUSR2 toggles the kill switch (new sessions refused / accepted again).
enum KillSwitchSignal {
    static func install(_ registry: SessionRegistry, logger: Logger) -> any DispatchSourceSignal {
        let source = DispatchSource.makeSignalSource(signal: SIGUSR2, queue: .global())
        signal(SIGUSR2, SIG_IGN)
        source.setEventHandler {
            Task { await registry.setAcceptsNewSessions(!(await registry.acceptsNewSessions)) }
        }
        source.resume()
        return source
    }
}

/// `90s`, `30m`, `2h`, `0` (never) as a duration.
enum DurationText {
    static func parse(_ text: String) throws -> Duration? {
        if text == "0" { return nil }
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600]
        guard let unit = text.last.flatMap({ units[$0] }), let value = Int64(text.dropLast()), value > 0 else {
            throw CLIError(message: "vibe: --idle-suspend takes 90s, 30m, 2h or 0, not \(text)", exitCode: VibeExit.usage)
        }
        return .seconds(value * unit)
    }
}
