import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import VibeProtocol
import VibeServer

/// `vibe daemon`: the user's own background server. Clients start it on demand (``UserServer``);
/// it is not meant to be run by hand.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run the user's background server (started on demand by every client command).",
        shouldDisplay: false)

    func run() async throws {
        try await reporting { try await Self.serve(.local) }
    }

    /// Runs the user's server of `driver` until SIGTERM/SIGINT.
    static func serve(_ driverKind: UserServerDriver) async throws {
        signal(SIGHUP, SIG_IGN)
        let dir = try RuntimeDirectory.prepare().forDriver(driverKind)
        let lock = try FileLock(path: dir.serverLock)
        // A client checking whether a server runs holds this lock for an instant: try for a second before
        // concluding that another server holds it.
        var locked = lock.tryLock()
        for _ in 0..<100 where !locked {
            try await Task.sleep(for: .milliseconds(10))
            locked = lock.tryLock()
        }
        guard locked else {
            throw CLIError(message: "vibe: a vibe server already runs for this user", exitCode: VibeExit.failure)
        }
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: .info) }
        let logger = Logger(label: "vibe.daemon")
        let secret = Self.randomSecret()
        let token = try await Authenticator.sign(subject: NSUserName(), secret: secret)
        var config = ServerConfiguration(
            host: "127.0.0.1", port: 0, dataDir: DataDirectory.base, authSecret: secret,
            allowHostFolders: driverKind == .local)
        // The user's own server serves the user alone: the only token it hands out is for NSUserName().
        config.owner = NSUserName()
        let driver: any SessionDriver
        if driverKind == .docker {
            config.dataDir = DataDirectory.base + "/docker"
            config.idleSuspend = .seconds(30 * 60)
            let docker = DockerDriver(
                engine: try DockerEngine.fromEnvironment(),
                settings: DockerSettings(image: ProcessInfo.processInfo.environment["VIBE_IMAGE"] ?? DockerSettings.defaultImage),
                dataDir: config.dataDir, logger: logger)
            _ = try await docker.checkEngine()
            driver = docker
        } else {
            driver = Self.driver(config)
        }
        let server = try await VibeServer(configuration: config, driver: driver, logger: logger)
        let version = Self.advertisedVersion
        let pid = getpid()
        let app = server.application { port in
            let file = ServerFile(
                version: version, pid: pid, port: port, token: token, startedAt: ISO8601DateFormatter().string(from: Date()))
            do {
                try file.write(dir.serverFile)
                logger.info("user server listening", metadata: ["port": "\(port)", "pid": "\(pid)", "event": "daemon.start"])
            } catch {
                logger.error("cannot publish server.json: \(error)")
            }
        }
        var groupConfig = ServiceGroupConfiguration(
            services: [app, server.sessionsService], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfig.maximumGracefulShutdownDuration = .seconds(10)
        try await ServiceGroup(configuration: groupConfig).run()
        if ServerFile.read(dir.serverFile)?.pid == pid { unlink(dir.serverFile) }
        logger.info("user server stopped", metadata: ["event": "daemon.stop"])
        withExtendedLifetime(lock) {}
    }

    /// 32 random bytes, base64: the token's signing secret, kept in memory only.
    private static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
    }

    /// The local driver on the user's data folder (in debug builds, `VIBE_TEST_READY_DELAY_MS` delays every
    /// session start so the end-to-end tests can see the ready gate).
    private static func driver(_ config: ServerConfiguration) -> any SessionDriver {
        let local = LocalDriver(dataDir: config.dataDir, shell: config.shell, limits: config.shellLimits)
        #if DEBUG
            if let ms = ProcessInfo.processInfo.environment["VIBE_TEST_READY_DELAY_MS"].flatMap(Int.init), ms > 0 {
                return DelayedStartDriver(base: local, delay: .milliseconds(ms))
            }
        #endif
        return local
    }

    /// The version written to `server.json` (in debug builds `VIBE_TEST_SERVER_VERSION` overrides it, so
    /// the tests can see how a client meets a server of another version).
    private static var advertisedVersion: String {
        #if DEBUG
            if let v = ProcessInfo.processInfo.environment["VIBE_TEST_SERVER_VERSION"], !v.isEmpty { return v }
        #endif
        return VibeVersion.current
    }
}

/// `vibe daemon-docker`: the user's background server with the docker driver (`vibe --driver docker`).
struct DockerDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon-docker",
        abstract: "Run the user's background server with the docker driver (started on demand by `vibe --driver docker`).",
        shouldDisplay: false)

    func run() async throws {
        try await reporting { try await DaemonCommand.serve(.docker) }
    }
}

#if DEBUG
    /// Test-only: the local driver with every session start delayed (see `VIBE_TEST_READY_DELAY_MS`).
    struct DelayedStartDriver: SessionDriver {
        let base: LocalDriver
        let delay: Duration

        var name: String { base.name }

        func start(_ record: SessionRecord, steps: StepTimer) async throws -> any Workspace {
            try await Task.sleep(for: delay)
            return try await base.start(record, steps: steps)
        }

        func remove(_ record: SessionRecord) async throws { try await base.remove(record) }
        func persistedSessions() -> [SessionRecord] { base.persistedSessions() }
        func workspaceExists(_ record: SessionRecord) -> Bool { base.workspaceExists(record) }
        func workspaceLocation(_ record: SessionRecord) -> String? { base.workspaceLocation(record) }
    }
#endif
