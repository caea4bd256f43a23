import NIOCore
import NIOWebSocket
import Synchronization

/// Lets a terminal socket's connection hand a key (a binary message) straight to the terminal on its event loop,
/// where the frame was read, instead of passing it through the socket's tasks: two thread wake-ups less per
/// keystroke. It does so only while the socket's handler has opened the lane and every message before the key has
/// been handled, so input keeps its order with everything else the client sent (resizes, envelopes, earlier keys).
final class InputFastLane: Sendable {
    private struct State {
        var take: (@Sendable (ByteBuffer) -> Void)?
        /// Messages passed on to the socket's tasks and not yet handled.
        var queued = 0
    }
    private let state = Mutex(State())

    init() {}

    /// Called for every complete message (`binary` nil for a text one): true when the lane took it, false when it
    /// must be passed on (it is then counted until ``handled()``).
    func offer(binary: ByteBuffer?) -> Bool {
        state.withLock { s in
            if let binary, let take = s.take, s.queued == 0 {
                take(binary)
                return true
            }
            s.queued += 1
            return false
        }
    }

    /// Called by the handler after it handled a message that was passed on.
    func handled() { state.withLock { $0.queued = max(0, $0.queued - 1) } }

    /// Opens the lane: binary messages go to `take` (it must not block) once the messages before them are handled.
    func open(_ take: @escaping @Sendable (ByteBuffer) -> Void) { state.withLock { $0.take = take } }

    /// Closes the lane: everything is passed on again.
    func close() { state.withLock { $0.take = nil } }
}

/// Watches a WebSocket connection's inbound frames between the frame decoder and the application, and offers
/// every complete message to the connection's ``InputFastLane``: a key the lane takes goes no further; everything
/// else (text, fragmented messages, control frames, keys while earlier messages wait) passes on unchanged. It
/// counts messages exactly as the socket's reader assembles them (``InboundQueue/pump(_:maxSize:outbound:)``), so
/// the lane's count of waiting messages matches what the handler will take.
///
/// The edge installs one on every WebSocket connection the moment the upgrade completes, before the first frame;
/// a socket that never opens the lane (fs-events, status, logs) only pays the count.
final class TerminalInputTap: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    let lane = InputFastLane()
    /// A fragmented data message has begun and not yet ended.
    private var inMessage = false

    init() {}

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary where frame.fin && !frame.rsv1 && !frame.rsv2 && !frame.rsv3:
            inMessage = false
            if lane.offer(binary: frame.unmaskedData) { return }
        case .binary, .text:
            inMessage = !frame.fin
            if frame.fin { _ = lane.offer(binary: nil) }
        case .continuation where inMessage && frame.fin:
            inMessage = false
            _ = lane.offer(binary: nil)
        default:
            break
        }
        context.fireChannelRead(data)
    }
}
