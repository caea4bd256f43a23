import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The request context of the server's WebSocket routes: hummingbird-websocket's basic one plus the connection,
/// so a terminal socket can reach its fast paths (``TerminalInputTap``, ``DirectTerminalOutput``).
struct SocketRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    /// The connection the socket was upgraded on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }

    /// The connection's input tap, nil when it has none.
    func inputLane() async -> InputFastLane? {
        let channel = self.channel
        return try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: TerminalInputTap.self).lane
        }.get()
    }
}
