/// The server's connection edge, seen from raw loopback sockets (docs/protocol.md "The edge", docs/operations.md
/// "Connections: timeouts and caps"): a half-sent head gets a JSON 408, an idle keep-alive connection is closed,
/// the per-peer and total connection caps answer JSON 429/503 and serve again once connections close, and a
/// terminal WebSocket message over 1 MiB closes with 1009 and a JSON reason.
///
/// Every wait is bounded (a socket receive timeout, or polling with ``eventually``); no test asserts on timing.
/// Blocking socket calls run on their own threads, never on the cooperative pool.
import Foundation
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import Testing
import VibeClient
import VibeProtocol
import WSClient
@testable import VibeServer

#if canImport(Glibc)
import Glibc
#endif

@Suite("Edge limits")
struct EdgeLimitsTests {
    @Test func halfSentHeadGetsJSON408AndIsClosed() async throws {
        var limits = ConnectionLimits()
        limits.headerTimeout = .seconds(1)
        limits.keepAliveTimeout = .seconds(30)  // longer, so only the header timer can end the connection
        try await withEdgeServer(limits) { server in
            let conn = try RawConnection(port: server.embedded.port)
            defer { conn.close() }
            try conn.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-ID: half-head\r\n")
            let answer = try await conn.readToEOF()
            try expectEdgeAnswer(answer, status: 408, code: .requestTimeout)
        }
    }

    @Test func idleKeepAliveConnectionIsClosed() async throws {
        var limits = ConnectionLimits()
        limits.keepAliveTimeout = .seconds(1)
        limits.headerTimeout = .seconds(30)  // a 408 would also end it: keep it out of the way
        try await withEdgeServer(limits) { server in
            let conn = try RawConnection(port: server.embedded.port)
            defer { conn.close() }
            // Two requests on one connection: it really is kept alive after a response.
            for _ in 0..<2 {
                try conn.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                let r = try await conn.readResponse()
                #expect(r.status == 200)
                #expect(r.headers["connection"]?.lowercased() != "close")
            }
            // Then nothing: the server ends it, without a word.
            let rest = try await conn.readToEOF()
            #expect(rest.isEmpty, "bytes after the idle close: \(String(decoding: rest, as: UTF8.self))")
        }
    }

    @Test func perPeerCapAnswers429AndOtherAddressesAreServed() async throws {
        var limits = ConnectionLimits()
        limits.perPeer = 4
        try await withEdgeServer(limits) { server in
            let port = server.embedded.port
            let held = try await holdServedConnections(4, port: port, from: "127.0.0.2")
            defer { held.forEach { $0.close() } }

            let over = try RawConnection(port: port, from: "127.0.0.2")
            defer { over.close() }
            try over.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            let answer = try expectEdgeAnswer(try await over.readToEOF(), status: 429, code: .tooManyConnections)
            #expect(answer.headers["retry-after"] == "1")

            // Another address is not held back by the full one.
            let other = try await healthz(port: port, from: "127.0.0.1")
            #expect(other.status == 200)
            #expect(other.headers["content-type"]?.hasPrefix("application/json") == true)
            #expect((try? JSONSerialization.jsonObject(with: Data(other.body))) != nil, "healthz body is not JSON")

            held.forEach { $0.close() }
            let servedAgain = await eventually { (try? await healthz(port: port, from: "127.0.0.2"))?.status == 200 }
            #expect(servedAgain, "127.0.0.2 never served again after its connections closed")
        }
    }

    @Test func totalCapAnswers503ThenServesAgain() async throws {
        var limits = ConnectionLimits()
        limits.total = 8
        try await withEdgeServer(limits) { server in
            let port = server.embedded.port
            let held = try await holdServedConnections(8, port: port, from: nil)
            defer { held.forEach { $0.close() } }

            let over = try RawConnection(port: port)
            defer { over.close() }
            try over.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            let answer = try expectEdgeAnswer(try await over.readToEOF(), status: 503, code: .overloaded)
            #expect(answer.headers["retry-after"] == "1")

            held.forEach { $0.close() }
            let servedAgain = await eventually { (try? await healthz(port: port, from: nil))?.status == 200 }
            #expect(servedAgain, "never served again after the held connections closed")
        }
    }

    @Test(arguments: [false, true])
    func terminalMessageOver1MiBClosesWith1009AndJSONReason(fragmented: Bool) async throws {
        try await withEdgeServer(ConnectionLimits()) { server in
            let id = try await server.readySession()
            let url = server.embedded.baseURL.replacingOccurrences(of: "http://", with: "ws://") + Routes.terminal(id)
            var quiet = Logger(label: "edge-ws")
            quiet.logLevel = .critical
            var settings = WebSocketClientConfiguration()
            settings.maxFrameSize = 1 << 20
            let (logger, config) = (quiet, settings)
            let close = try await withDeadline(.seconds(20)) {
                try await WebSocketClient.connect(url: url, configuration: config, logger: logger) {
                    inbound, outbound, _ in
                    try await outbound.write(.text(ClientFrame.hello.encoded()))
                    if fragmented {
                        // Two frames, each under the frame limit, together over the message limit.
                        let half = ByteBuffer(repeating: UInt8(ascii: "a"), count: (1 << 19) + 1)
                        try await outbound.write(.custom(WebSocketFrame(fin: false, opcode: .binary, data: half)))
                        try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .continuation, data: half)))
                    } else {
                        try await outbound.write(.binary(ByteBuffer(repeating: UInt8(ascii: "a"), count: (1 << 20) + 1)))
                    }
                    for try await _ in inbound {}
                }
            }
            let frame = try #require(close, "the server ended the socket without a close frame")
            #expect(frame.closeCode.numeric == 1009)
            let reasonText = try #require(frame.reason, "close 1009 without a reason")
            let reason = try JSONDecoder().decode(CloseReason.self, from: Data(reasonText.utf8))
            #expect(reason.ok == false)
            #expect(reason.error == .frameTooLarge)
            #expect(reason.message.contains("1 MiB"), "reason does not name the limit: \(reason.message)")
        }
    }
}

// MARK: - Helpers

/// Runs `body` against a fresh server with the edge `limits` (and a quiet bash), and always stops it.
private func withEdgeServer(_ limits: ConnectionLimits, _ body: (TestServer) async throws -> Void) async throws {
    let dir = NSTemporaryDirectory() + "vibe-edge-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var config = ServerConfiguration(
        host: "127.0.0.1", port: 0, dataDir: dir, shell: ["/bin/bash", "--norc", "--noprofile"])
    config.connections = limits
    let driver = CountingDriver(LocalDriver(dataDir: dir, shell: config.shell))
    var logger = Logger(label: "edge-test")
    logger.logLevel = .critical
    let embedded = try await EmbeddedServer.start(configuration: config, driver: driver, logger: logger)
    let client = VibeClient(baseURL: embedded.baseURL, registry: ChannelRegistry(), readyWaiter: ReadyWaiter())
    let server = TestServer(embedded: embedded, dataDir: dir, client: client, driver: driver)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

/// Opens `count` keep-alive connections from `source` and has each one served a request, so the server has
/// counted every one of them before the caller goes on.
private func holdServedConnections(_ count: Int, port: Int, from source: String?) async throws -> [RawConnection] {
    var held: [RawConnection] = []
    do {
        for _ in 0..<count {
            let conn = try RawConnection(port: port, from: source)
            held.append(conn)
            try conn.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let r = try await conn.readResponse()
            try #require(r.status == 200, "held connection \(held.count) was not served")
        }
    } catch {
        held.forEach { $0.close() }
        throw error
    }
    return held
}

/// `GET /healthz` on a fresh connection from `source`.
private func healthz(port: Int, from source: String?) async throws -> RawResponse {
    let conn = try RawConnection(port: port, from: source)
    defer { conn.close() }
    try conn.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    return try await conn.readResponse()
}

/// Checks an edge answer read to the end of the connection: `status`, a JSON error body with `code` and the
/// request id of its `X-Request-ID`, `Connection: close`, and nothing after the body.
@discardableResult
private func expectEdgeAnswer(_ bytes: [UInt8], status: Int, code: ErrorCode) throws -> RawResponse {
    let r = try #require(RawResponse(parsing: bytes), "not an HTTP response: \(String(decoding: bytes, as: UTF8.self))")
    #expect(r.status == status)
    #expect(r.headers["content-type"]?.hasPrefix("application/json") == true)
    #expect(r.headers["connection"]?.lowercased() == "close")
    #expect(r.headers["content-length"] == String(r.body.count), "bytes after the answer, or a short body")
    let body = try JSONDecoder().decode(ErrorBody.self, from: Data(r.body))
    #expect(body.ok == false)
    #expect(body.error == code)
    let rid = try #require(r.headers["x-request-id"])
    #expect(!rid.isEmpty && body.requestId == rid)
    return r
}

/// A parsed HTTP/1.1 response.
struct RawResponse: Sendable {
    let status: Int
    /// Lowercased names, first value.
    let headers: [String: String]
    let body: [UInt8]

    /// Parses `bytes` as one response whose body is everything after the head; nil when there is no full head.
    init?(parsing bytes: [UInt8]) {
        guard let (head, rest) = Self.splitHead(bytes) else { return nil }
        self.init(head: head, body: rest)
    }

    init?(head: String, body: [UInt8]) {
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            return nil
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            if headers[name] == nil { headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The head (without its blank line) and the bytes after it.
    static func splitHead(_ bytes: [UInt8]) -> (String, [UInt8])? {
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        guard bytes.count >= end.count else { return nil }
        for i in 0...(bytes.count - end.count) where bytes[i..<(i + end.count)].elementsEqual(end) {
            return (String(decoding: bytes[..<i], as: UTF8.self), Array(bytes[(i + end.count)...]))
        }
        return nil
    }
}

/// A blocking TCP socket to the server on 127.0.0.1, optionally bound to another loopback source address.
/// Every receive gives up after `receiveTimeout` (a bound, not a synchronisation).
final class RawConnection: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let fd: Mutex<Int32>
    static let receiveTimeout = 20

    init(port: Int, from source: String? = nil) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var tv = timeval(tv_sec: Self.receiveTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        do {
            if let source { try Self.call("bind \(source)", fd) { Self.withAddress(source, 0) { bind(fd, $0, $1) } } }
            try Self.call("connect", fd) { Self.withAddress("127.0.0.1", port) { Glibc.connect(fd, $0, $1) } }
        } catch {
            Glibc.close(fd)
            throw error
        }
        self.fd = Mutex(fd)
    }

    deinit { close() }

    /// Closes the socket (once; later calls do nothing).
    func close() {
        let old = fd.withLock { fd -> Int32 in
            defer { fd = -1 }
            return fd
        }
        if old >= 0 { Glibc.close(old) }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let fd = fd.withLock { $0 }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += n
        }
    }

    /// Everything the server sends until it closes its side; throws when the receive timeout runs out first.
    func readToEOF() async throws -> [UInt8] {
        let fd = fd.withLock { $0 }
        return try await onThread {
            var all: [UInt8] = []
            while let chunk = try Self.receive(fd) { all += chunk }
            return all
        }
    }

    /// One response with a `Content-Length` body (the connection stays open).
    func readResponse() async throws -> RawResponse {
        let fd = fd.withLock { $0 }
        return try await onThread {
            var all: [UInt8] = []
            while true {
                if let (head, rest) = RawResponse.splitHead(all), let parsed = RawResponse(head: head, body: []) {
                    let length = parsed.headers["content-length"].flatMap { Int($0) } ?? 0
                    var body = rest
                    while body.count < length {
                        guard let chunk = try Self.receive(fd) else { throw Failure(description: "EOF in a body") }
                        body += chunk
                    }
                    guard let response = RawResponse(head: head, body: Array(body.prefix(length))) else {
                        throw Failure(description: "bad response head")
                    }
                    return response
                }
                guard let chunk = try Self.receive(fd) else { throw Failure(description: "EOF before a response") }
                all += chunk
            }
        }
    }

    /// The next bytes, nil at EOF.
    private static func receive(_ fd: Int32) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { return nil }
        guard n > 0 else {
            let err = errno
            let what = err == EAGAIN || err == EWOULDBLOCK ? "nothing within \(receiveTimeout) s" : "errno \(err)"
            throw Failure(description: "recv: \(what)")
        }
        return Array(buffer[..<n])
    }

    private static func call(_ what: String, _ fd: Int32, _ body: () -> Int32) throws {
        guard body() == 0 else { throw Failure(description: "\(what): errno \(errno)") }
    }

    private static func withAddress(
        _ ip: String, _ port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) -> Int32 {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, ip, &addr.sin_addr) == 1 else { return -1 }
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}

/// Runs `body`, or throws when it has not finished within `limit` (a bound, so a missing close cannot hang the run).
private func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T)
    async throws -> T
{
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw RawConnection.Failure(description: "no result within \(limit)")
        }
        return value
    }
}

/// Runs blocking `body` on a thread of its own, so a socket wait never holds a cooperative-pool thread.
private func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
