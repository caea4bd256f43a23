import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A server running inside this process on an ephemeral loopback port (the CLI's default, and tests').
public final class EmbeddedServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String
    public let port: Int
    public let server: VibeServer
    private let group: ServiceGroup
    private let runTask: Task<Void, any Error>

    /// Starts a server with `configuration` and waits until it listens (on `configuration.port`; 0 picks a free one).
    public static func start(
        configuration: ServerConfiguration, driver: (any SessionDriver)? = nil, logger: Logger
    ) async throws -> EmbeddedServer {
        let config = configuration
        let server = try await VibeServer(configuration: config, driver: driver, logger: logger)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let app = server.application { port in portSink.yield(port) }
        var groupConfig = ServiceGroupConfiguration(
            services: [app, server.sessionsService], gracefulShutdownSignals: [], logger: logger)
        // A socket that never finishes its close must not hold the process: after the grace period the
        // remaining services are cancelled.
        groupConfig.maximumGracefulShutdownDuration = .seconds(3)
        let group = ServiceGroup(configuration: groupConfig)
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

    /// Shuts down gracefully: sockets closed with 1001, shells reaped. Returns after `timeout` at the
    /// latest; a service still winding down then finishes in the background.
    public func stop(timeout: Duration = .seconds(8)) async {
        await group.triggerGracefulShutdown()
        let task = runTask
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = ResumeOnce(continuation)
            Task {
                _ = try? await task.value
                once.resume()
            }
            Task {
                try? await Task.sleep(for: timeout)
                once.resume()
            }
        }
    }
}

/// Resumes a continuation once, whichever caller comes first.
private final class ResumeOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<Void, Never>?>

    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = Mutex(continuation) }

    func resume() {
        let c = continuation.withLock { c -> CheckedContinuation<Void, Never>? in
            defer { c = nil }
            return c
        }
        c?.resume()
    }
}
