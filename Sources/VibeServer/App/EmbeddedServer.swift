import Foundation
import Logging
import ServiceLifecycle

/// A server running inside this process on an ephemeral loopback port (the CLI's default, and tests').
public final class EmbeddedServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String
    public let port: Int
    public let server: VibeServer
    private let group: ServiceGroup
    private let runTask: Task<Void, any Error>

    /// Starts a server with `configuration` (its port is replaced by 0) and waits until it listens.
    public static func start(
        configuration: ServerConfiguration, driver: (any SessionDriver)? = nil, logger: Logger
    ) async throws -> EmbeddedServer {
        var config = configuration
        config.port = 0
        let server = try await VibeServer(configuration: config, driver: driver, logger: logger)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let app = server.application { port in portSink.yield(port) }
        let group = ServiceGroup(
            configuration: .init(services: [app, server.sessionsService], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw APIError(.internalError, "embedded server did not start")
        }
        return EmbeddedServer(server: server, group: group, task: task, port: port, host: config.host)
    }

    private init(server: VibeServer, group: ServiceGroup, task: Task<Void, any Error>, port: Int, host: String) {
        self.server = server
        self.group = group
        self.runTask = task
        self.port = port
        self.baseURL = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// Shuts down gracefully: sockets closed with 1001, shells reaped.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await runTask.value
    }
}
