import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import Synchronization
import VibeClient
import VibeProtocol
import WSClient
import NIOWebSocket
@testable import VibeServer

/// A real server on an ephemeral loopback port, with its own data dir and a quiet bash.
struct TestServer {
    let embedded: EmbeddedServer
    let dataDir: String
    let client: VibeClient
    let driver: CountingDriver

    static func start(
        secret: String? = nil, owner: String? = nil, createBurst: Int = 60, allowHostFolders: Bool = false,
        corsOrigins: [String] = []
    ) async throws -> TestServer {
        let dir = NSTemporaryDirectory() + "vibe-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var config = ServerConfiguration(
            host: "127.0.0.1", port: 0, dataDir: dir, authSecret: secret,
            shell: ["/bin/bash", "--norc", "--noprofile"], createBurst: createBurst, createPerSecond: 0.01,
            allowHostFolders: allowHostFolders)
        config.owner = owner
        config.corsOrigins = corsOrigins
        let driver = CountingDriver(LocalDriver(dataDir: dir, shell: config.shell))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let embedded = try await EmbeddedServer.start(configuration: config, driver: driver, logger: logger)
        // A private registry so channels of different tests never dedupe into each other.
        let client = VibeClient(baseURL: embedded.baseURL, registry: ChannelRegistry(), readyWaiter: ReadyWaiter())
        return TestServer(embedded: embedded, dataDir: dir, client: client, driver: driver)
    }

    func stop() async {
        await embedded.stop()
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    /// A client with a token.
    func client(token: String?) -> VibeClient {
        VibeClient(baseURL: embedded.baseURL, token: token, registry: ChannelRegistry(), readyWaiter: ReadyWaiter())
    }

    /// Creates a session and waits until it is ready.
    func readySession(_ id: String = "s-" + UUID().uuidString.prefix(8).lowercased()) async throws -> String {
        _ = try await client.api.create(id: id)
        _ = try await client.waitReady(id, timeout: .seconds(20))
        return id
    }

    /// A raw HTTP request, to see exactly what the server answers.
    func raw(
        _ method: String, _ path: String, body: String? = nil, bodyBytes: Int? = nil,
        headers: [(String, String)] = []
    ) async throws -> (status: Int, headers: [String: String], body: String) {
        var request = HTTPClientRequest(url: embedded.baseURL + path)
        request.method = .init(rawValue: method)
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        if let bodyBytes { request.body = .bytes(ByteBuffer(repeating: UInt8(ascii: "a"), count: bodyBytes)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 16 << 20)
        var fields: [String: String] = [:]
        for (name, value) in response.headers where fields[name.lowercased()] == nil { fields[name.lowercased()] = value }
        return (Int(response.status.code), fields, String(buffer: collected))
    }
}

extension TestServer {
    /// Connects a bare WebSocket to `path` and returns how the server closed it.
    func rawSocketClose(_ path: String) async throws -> (code: UInt16?, reason: String?) {
        let url = embedded.baseURL.replacingOccurrences(of: "http://", with: "ws://") + path
        var logger = Logger(label: "raw-ws")
        logger.logLevel = .critical
        let quiet = logger
        // swift-websocket's client, on a loaded machine, now and then never sees a close the server sent (its
        // socket sits in CLOSE-WAIT): vibe's own client has a first-frame watchdog for it; here a connection that
        // has not ended in 10 s is tried again, at most 3 times. The server's answer is asserted as it arrives.
        var attempt = 1
        let frame: WebSocketCloseFrame?
        while true {
            do {
                frame = try await bounded("a socket to \(path)", limit: .seconds(10)) {
                    try await WebSocketClient.connect(url: url, logger: quiet) { inbound, outbound, _ in
                        // Speak first, as vibe's client does: the server's first frame (here its close) waits for it.
                        // A server that refuses at once may have closed before the hello goes out: the write then
                        // fails ("inappropriate operation for state") and the close frame is still what is asserted.
                        try? await outbound.write(.text(ClientFrame.hello.encoded()))
                        for try await _ in inbound {}
                    }
                }
                break
            } catch is BoundExceeded where attempt < 3 {
                attempt += 1
            }
        }
        guard let frame else { return (nil, nil) }
        return (frame.closeCode.numeric, frame.reason)
    }
}

extension WebSocketErrorCode {
    /// The numeric close code.
    var numeric: UInt16 {
        switch self {
        case .normalClosure: return 1000
        case .goingAway: return 1001
        case .protocolError: return 1002
        case .unacceptableData: return 1003
        case .dataInconsistentWithMessage: return 1007
        case .policyViolation: return 1008
        case .messageTooLarge: return 1009
        case .missingExtension: return 1010
        case .unexpectedServerError: return 1011
        case .unknown(let code): return code
        }
    }
}

/// The real local driver, counting how often each session's workspace was started.
final class CountingDriver: SessionDriver {
    let base: LocalDriver
    private let counts = Mutex<[String: Int]>([:])
    var name: String { base.name }

    init(_ base: LocalDriver) { self.base = base }

    func starts(_ id: String) -> Int { counts.withLock { $0[id] ?? 0 } }

    func start(_ record: SessionRecord, steps: StepTimer) async throws -> any Workspace {
        counts.withLock { $0[record.id, default: 0] += 1 }
        return try await base.start(record, steps: steps)
    }
    func remove(_ record: SessionRecord) async throws { try await base.remove(record) }
    func persistedSessions() -> [SessionRecord] { base.persistedSessions() }
    func workspaceExists(_ record: SessionRecord) -> Bool { base.workspaceExists(record) }
    func workspaceLocation(_ record: SessionRecord) -> String? { base.workspaceLocation(record) }
}

/// Polls `condition` until it holds or `attempts` run out (no timing assertions, only a bound).
func eventually(attempts: Int = 200, every: Duration = .milliseconds(50), _ condition: () async throws -> Bool)
    async rethrows -> Bool
{
    for _ in 0..<attempts {
        if try await condition() { return true }
        try? await Task.sleep(for: every)
    }
    return false
}

/// Collects a terminal channel's output until `predicate` holds on the text so far.
actor OutputCollector {
    private(set) var bytes: [UInt8] = []
    private(set) var resets = 0
    /// The dropped input of each ``TerminalChannelEvent/shellReplaced(droppedInputBytes:)``.
    private(set) var replaced: [Int] = []
    private(set) var exitCode: Int32?
    private var task: Task<Void, Never>?

    func start(_ channel: TerminalChannel) {
        let events = channel.events()
        task = Task {
            for await event in events {
                self.handle(event)
            }
        }
    }

    private func handle(_ event: TerminalChannelEvent) {
        switch event {
        case .output(let b): bytes += b
        case .reset:
            resets += 1
            bytes.removeAll()
        case .shellReplaced(let dropped):
            replaced.append(dropped)
            bytes.removeAll()
        case .exit(let code): exitCode = code
        case .error, .attached: break
        }
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    func stop() { task?.cancel() }
}

/// Runs `body` against a fresh server and always stops it.
func withServer(
    secret: String? = nil, owner: String? = nil, createBurst: Int = 60, allowHostFolders: Bool = false,
    corsOrigins: [String] = [], _ body: (TestServer) async throws -> Void
) async throws {
    let server = try await TestServer.start(
        secret: secret, owner: owner, createBurst: createBurst, allowHostFolders: allowHostFolders,
        corsOrigins: corsOrigins)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

/// Runs `body`, giving up after `limit`: a client whose connection never ends must fail the test, not hang the
/// suite. On timeout the work is cancelled and left behind, and ``BoundExceeded`` is thrown.
func bounded<T: Sendable>(
    _ what: String, limit: Duration = .seconds(30), _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let once = ResumeOnce(continuation)
        let work = Task { once.resume(with: await Result(catching: body)) }
        Task {
            try? await Task.sleep(for: limit)
            work.cancel()
            once.resume(with: .failure(BoundExceeded(what: what, limit: limit)))
        }
    }
}

/// Resumes a continuation with the first result only.
final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = Mutex(continuation) }

    func resume(with result: Result<T, any Error>) {
        continuation.withLock { c in
            c?.resume(with: result)
            c = nil
        }
    }
}

/// ``bounded(_:limit:_:)`` ran out of time.
struct BoundExceeded: Error, CustomStringConvertible {
    let what: String
    let limit: Duration
    var description: String { "\(what) did not finish within \(limit)" }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
