import Logging
import NIOCore
import NIOWebSocket
import VibeProtocol

/// Closes a WebSocket whose client stopped taking output, with 1013 `CLIENT_TOO_SLOW` and a JSON reason.
///
/// The channel turns unwritable when the kernel's buffers and NIO's queue are full, and the socket's writer
/// then waits. Once it has stayed unwritable for the timeout, this handler logs it and writes the close frame
/// past the waiting writer (behind only what NIO already holds, at most its high-water mark), drops every later
/// frame, and half-closes once the frame is out; the connection ends when the client answers, or after one
/// more timeout. A close the application asks for meanwhile waits for the frame, so the frame is never
/// thrown away with NIO's queue. A client that reads again gets everything up to the close, then resumes by
/// offset on a new socket.
final class SlowClientGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let timeout: Duration
    private let logger: Logger
    private let path: String
    private var stallTimer: Scheduled<Void>?
    private var graceTimer: Scheduled<Void>?
    private var phase = Phase.open
    /// Closes the application asked for while the close frame was still queued.
    private var heldCloses: [EventLoopPromise<Void>] = []

    private enum Phase {
        case open
        /// The close frame is queued; nothing else goes out.
        case closing
        /// The close frame is out (the output side is shut).
        case closeSent
    }

    init(timeout: Duration, path: String, logger: Logger) {
        self.timeout = timeout
        self.path = path
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if !context.channel.isWritable { startTimer(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stallTimer?.cancel()
        stallTimer = nil
        graceTimer?.cancel()
        graceTimer = nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stallTimer?.cancel()
            stallTimer = nil
        } else if stallTimer == nil, case .open = phase {
            startTimer(context)
        }
        context.fireChannelWritabilityChanged()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .open = phase else {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        context.write(data, promise: promise)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard case .closing = phase else { return context.close(mode: mode, promise: promise) }
        if let promise { heldCloses.append(promise) }
    }

    private func startTimer(_ context: ChannelHandlerContext) {
        let ctx = context
        stallTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .init(timeout)) { [self] in
            stallTimer = nil
            closeTooSlow(ctx)
        }
    }

    private func closeTooSlow(_ context: ChannelHandlerContext) {
        phase = .closing
        logger.warning(
            "closing a socket whose client took no output for \(timeout)",
            metadata: [
                "event": "socket.slow_client", "path": "\(path)",
                "peer": "\(context.channel.remoteAddress?.ipAddress ?? "?")",
            ])
        let api = APIError(.clientTooSlow, "you took no output for \(timeout); reconnect and resume by offset")
        var payload = context.channel.allocator.buffer(capacity: 160)
        payload.write(webSocketErrorCode: .unknown(CloseCode.tryAgainLater))
        payload.writeString(CloseReason(error: api.code, message: api.message).encoded())
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)
        let ctx = context
        let loop = context.eventLoop.assumeIsolated()
        context.writeAndFlush(wrapOutboundOut(frame)).assumeIsolated().whenComplete { [self] result in
            phase = .closeSent
            let held = heldCloses
            heldCloses = []
            if held.isEmpty, case .success = result {
                ctx.close(mode: .output, promise: nil)
            } else {
                ctx.close(mode: .all, promise: nil)
            }
            for promise in held { promise.succeed() }
        }
        // A client that never reads again never takes the frame either: the connection goes after one more timeout.
        graceTimer = loop.scheduleTask(in: .init(timeout)) { [self] in
            graceTimer = nil
            phase = .closeSent
            let held = heldCloses
            heldCloses = []
            ctx.close(mode: .all, promise: nil)
            for promise in held { promise.succeed() }
        }
    }
}
