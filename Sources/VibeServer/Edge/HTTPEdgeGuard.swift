import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket
import VibeProtocol

/// Guards a connection's HTTP phase, between NIO's HTTP codec and its upgrade handler: answers every request
/// the application must not see with the protocol's JSON error, then ends the connection.
///
/// - a connection over a cap → `429 TOO_MANY_CONNECTIONS` / `503 OVERLOADED` (decided by ``ConnectionCounter``);
/// - a request head that is not complete within the header timeout → `408 REQUEST_TIMEOUT`;
/// - bytes the decoder cannot parse → `400 INVALID_REQUEST`, a head over the size limit → `431 HEADERS_TOO_LARGE`;
/// - a `Content-Length` over the body limit → `413 PAYLOAD_TOO_LARGE` before any body is read;
/// - a WebSocket upgrade on a path that is not a socket, or with a bad handshake → a JSON `404`/`400` (the
///   WebSocket layer would answer an empty `400`, or nothing).
///
/// Once a WebSocket upgrade is under way it passes everything through; when the upgrade is complete it hands
/// over to ``WebSocketErrorReporter`` and ``SlowClientGuard`` and leaves the pipeline.
final class HTTPEdgeGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// What the guard knows of the server's paths.
    struct Paths: Sendable {
        /// Paths that take a WebSocket upgrade.
        let sockets: RouteTable
        /// Paths of the HTTP routes.
        let routes: RouteTable
    }

    private let limits: ConnectionLimits
    private let paths: Paths
    private let logger: Logger
    private var headerTimer: Scheduled<Void>?
    /// True once the edge answered: the application's own writes are dropped and the connection closes.
    private var answered = false
    /// True once a WebSocket upgrade request went through: from then on, bytes pass through untouched.
    private var upgrading = false
    /// The path (without the query, which may hold a token) of the upgrade under way, for the socket's logs.
    private var upgradePath = ""

    /// The answer for a connection refused before it sent anything (a connection cap).
    private let refusal: EdgeAnswer?

    init(limits: ConnectionLimits, paths: Paths, refusal: EdgeAnswer?, logger: Logger) {
        self.limits = limits
        self.paths = paths
        self.refusal = refusal
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        if let refusal { answer(context: context, refusal, event: "edge.connection_refused") }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard refusal == nil else { return }
        let loop = context.eventLoop.assumeIsolated()
        let ctx = context
        headerTimer = loop.scheduleTask(in: .init(limits.headerTimeout)) { [self] in
            headerTimer = nil
            answer(
                context: ctx,
                EdgeAnswer(APIError(.requestTimeout, "no complete request head within \(limits.headerTimeout)")),
                event: "edge.header_timeout")
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        headerTimer?.cancel()
        headerTimer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Once an upgrade is under way, what arrives is WebSocket bytes (NIO forwards the bytes that came behind
        // the handshake as they are): never HTTP parts to look into.
        if upgrading { return context.fireChannelRead(data) }
        guard !answered else { return }
        guard case .head(let head) = unwrapInboundIn(data) else { return context.fireChannelRead(data) }
        headerTimer?.cancel()
        headerTimer = nil
        if let refusal = refusal(for: head) {
            answer(context: context, refusal, event: "edge.refused")
            return
        }
        // Only valid WebSocket upgrades get here with an Upgrade header (``refusal(for:)``).
        if head.headers.contains(name: "Upgrade") {
            upgrading = true
            upgradePath = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !upgrading, let parser = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        let api =
            parser == .headerOverflow
            ? APIError(.headersTooLarge, "request line or headers over \(Self.headLimitText)")
            : APIError(.invalidRequest, Self.describe(parser))
        answer(context: context, EdgeAnswer(api), event: "edge.malformed")
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !answered else {
            // The edge already answered this connection; nothing else goes out.
            promise?.succeed()
            return
        }
        context.write(data, promise: promise)
    }

    /// The upgrade is complete (``UpgradeListener`` heard it): the reporter, the slow-client guard and the input
    /// tap take over (before the first frame is read) and this guard leaves.
    func handOver(pipeline: ChannelPipeline.SynchronousOperations) {
        headerTimer?.cancel()
        headerTimer = nil
        if WebSocketErrorReporter.install(in: pipeline, logger: logger),
            let nioHandler = try? pipeline.handler(type: WebSocketProtocolErrorHandler.self)
        {
            // Between the frame codec and the application, so it sees every frame the application writes.
            let slow = SlowClientGuard(timeout: limits.slowClientTimeout, path: upgradePath, logger: logger)
            _ = try? pipeline.addHandler(slow, position: .before(nioHandler))
            // Last before the application, so protocol errors are handled before it looks at a frame.
            _ = try? pipeline.addHandler(TerminalInputTap(), position: .after(nioHandler))
        }
        pipeline.removeHandler(self, promise: nil)
    }

    /// The edge's answer to `head`, or nil when the application should have it.
    private func refusal(for head: HTTPRequestHead) -> EdgeAnswer? {
        let rid = EdgeAnswer.requestID(from: head.headers)
        let path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
        if let length = head.headers.first(name: "Content-Length").flatMap({ Int($0) }), length > limits.maxRequestBody {
            return EdgeAnswer(
                APIError(.payloadTooLarge, "request body of \(length) bytes is over the limit of \(limits.maxRequestBody)"),
                requestID: rid)
        }
        let upgrade = head.headers[canonicalForm: "Upgrade"]
        guard !upgrade.isEmpty else { return nil }
        guard upgrade.contains(where: { $0.lowercased() == "websocket" }) else {
            return EdgeAnswer(APIError(.invalidRequest, "only WebSocket upgrades are served"), requestID: rid)
        }
        guard paths.sockets.hasPath(path) else {
            if paths.routes.hasPath(path) {
                return EdgeAnswer(APIError(.invalidRequest, "\(path) is not a WebSocket route"), requestID: rid)
            }
            return EdgeAnswer(APIError(.notFound, "no WebSocket route \(path)"), requestID: rid)
        }
        if let problem = Self.handshakeProblem(head) {
            return EdgeAnswer(
                APIError(.invalidRequest, "bad WebSocket handshake: \(problem)"), requestID: rid,
                extraHeaders: [("Sec-WebSocket-Version", "13")])
        }
        return nil
    }

    /// What is wrong with a WebSocket handshake (RFC 6455 §4.2.1), nil when nothing is.
    static func handshakeProblem(_ head: HTTPRequestHead) -> String? {
        let version = head.headers.first(name: "Sec-WebSocket-Version")
        if version != "13" { return "Sec-WebSocket-Version must be 13 (got \(version ?? "none"))" }
        if head.method != .GET { return "the upgrade must be a GET" }
        let connection = head.headers[canonicalForm: "Connection"].map { $0.lowercased() }
        if !connection.contains("upgrade") { return "Connection must include Upgrade" }
        if (head.headers.first(name: "Sec-WebSocket-Key") ?? "").isEmpty { return "Sec-WebSocket-Key is missing" }
        return nil
    }

    /// Sends `answer`, logs it, and ends the connection: its output is shut once the answer is written, and the
    /// socket closes when the client closes its side or a second later. (Closing at once, with request bytes still
    /// unread, would reset the connection and could lose the answer.)
    private func answer(context: ChannelHandlerContext, _ answer: EdgeAnswer, event: String) {
        guard !answered else { return }
        answered = true
        headerTimer?.cancel()
        headerTimer = nil
        // Refusals under a flood are counted and logged once by the counter, not once per connection.
        if refusal == nil {
            logger.info(
                "\(answer.error.code.httpStatus) \(answer.error.code): \(answer.error.message)",
                metadata: ["event": "\(event)", "request_id": "\(answer.requestID)", "peer": "\(peer(context))"])
        }
        context.write(wrapOutboundOut(.head(answer.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            channel.close(mode: .output, promise: nil)
            channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
        }
    }

    private func peer(_ context: ChannelHandlerContext) -> String {
        context.channel.remoteAddress?.ipAddress ?? "?"
    }

    static let headLimitText = "80 KiB"

    /// A parser error in words; `paused` is what an HTTP/2 preface ends in.
    static func describe(_ error: HTTPParserError) -> String {
        error == .paused
            ? "malformed HTTP request (this server speaks HTTP/1.1 only)" : "malformed HTTP request (\(error))"
    }
}

/// Sits at the end of a connection's pipeline and hears NIO's "upgrade complete" event (which the guard, ahead of
/// the upgrade handler, never sees), then lets the guard hand over and leaves.
final class UpgradeListener: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Never
    private let guardHandler: HTTPEdgeGuard

    init(_ guardHandler: HTTPEdgeGuard) { self.guardHandler = guardHandler }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case HTTPServerUpgradeEvents.upgradeComplete = event {
            context.fireUserInboundEventTriggered(event)
            let ops = context.pipeline.syncOperations
            guardHandler.handOver(pipeline: ops)
            ops.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
