import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import VibeProtocol

/// Runs a tiny Hummingbird app on 127.0.0.1 port 0 for the duration of `body`.
func withApp<App: ApplicationProtocol>(
    _ makeApp: (_ onPort: @escaping @Sendable (Int) -> Void) -> App,
    _ body: (_ baseURL: String) async throws -> Void
) async throws {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let app = makeApp { continuation.yield($0) }
    let logger = Logger(label: "test-server")
    let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("server did not start") }
        do {
            try await body("http://127.0.0.1:\(port)")
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

/// An HTTP-only test server.
func withHTTPServer(
    _ configure: (Router<BasicRequestContext>) -> Void, _ body: (_ baseURL: String) async throws -> Void
) async throws {
    let router = Router()
    configure(router)
    try await withApp(
        { onPort in
            Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in if let port = channel.localAddress?.port { onPort(port) } },
                logger: Logger(label: "test-http"))
        }, body)
}

/// An HTTP + WebSocket test server.
func withWSServer(
    _ configure: (Router<BasicWebSocketRequestContext>) -> Void, _ body: (_ baseURL: String) async throws -> Void
) async throws {
    let router = Router(context: BasicWebSocketRequestContext.self)
    configure(router)
    try await withApp(
        { onPort in
            Application(
                router: router, server: .http1WebSocketUpgrade(webSocketRouter: router),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in if let port = channel.localAddress?.port { onPort(port) } },
                logger: Logger(label: "test-ws"))
        }, body)
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A counter shared with route handlers.
actor Counter {
    private(set) var value = 0
    private(set) var log: [String] = []
    @discardableResult func next() -> Int {
        value += 1
        return value
    }
    func record(_ s: String) { log.append(s) }
}

/// A JSON response with the given status.
func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
    let data = (try? JSONEncoder().encode(value)) ?? Data()
    var fields = headers
    fields[.contentType] = "application/json; charset=utf-8"
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: Array(data))))
}

func status(_ id: String, _ state: SessionState, error: ErrorCode? = nil) -> SessionStatus {
    SessionStatus(
        id: id, state: state, error: error, message: error.map { "failed: \($0)" }, template: "default",
        createdAt: "2026-01-01T00:00:00Z", steps: [StepTiming(name: "workspace", ms: 1)])
}

/// Waits (bounded) for the first element of `stream` matching `predicate`.
func first<S: AsyncSequence & Sendable>(
    _ stream: S, within: Duration = .seconds(10), where predicate: @escaping @Sendable (S.Element) -> Bool
) async throws -> S.Element where S.Element: Sendable {
    try await withThrowingTaskGroup(of: S.Element?.self) { group in
        group.addTask {
            for try await e in stream where predicate(e) { return e }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: within)
            return nil
        }
        defer { group.cancelAll() }
        guard let result = try await group.next(), let element = result else {
            throw TestFailure("no matching element in time")
        }
        return element
    }
}
