import Logging
import NIOCore
import NIOWebSocket
import VibeProtocol

/// Reports WebSocket protocol errors (a frame over the size limit, a malformed frame) with a close code *and*
/// the protocol's JSON reason, then closes the connection. Sits right behind NIO's frame decoder, ahead of
/// NIO's own error handler, which would close with the code alone.
final class WebSocketErrorReporter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let logger: Logger
    private var closing = false

    init(logger: Logger) { self.logger = logger }

    /// Puts a reporter in front of NIO's `WebSocketProtocolErrorHandler` in an upgraded pipeline; false when that
    /// handler is not there (yet).
    static func install(in pipeline: ChannelPipeline.SynchronousOperations, logger: Logger) -> Bool {
        guard let nioHandler = try? pipeline.handler(type: WebSocketProtocolErrorHandler.self) else { return false }
        return (try? pipeline.addHandler(WebSocketErrorReporter(logger: logger), position: .before(nioHandler))) != nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let wsError = error as? NIOWebSocketError else {
            context.fireErrorCaught(error)
            return
        }
        guard !closing else { return }
        closing = true
        let (code, api): (WebSocketErrorCode, APIError) =
            switch wsError {
            case .invalidFrameLength:
                (.messageTooLarge, APIError(.frameTooLarge, "frame over the 1 MiB limit"))
            default:
                (.protocolError, APIError(.invalidRequest, "malformed WebSocket frame"))
            }
        logger.warning(
            "closing a socket: \(api.message)",
            metadata: ["event": "socket.protocol_error", "peer": "\(context.channel.remoteAddress?.ipAddress ?? "?")"])
        var payload = context.channel.allocator.buffer(capacity: 128)
        payload.write(webSocketErrorCode: code)
        payload.writeString(CloseReason(error: api.code, message: api.message).encoded())
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
    }
}
