import NIOCore
import Synchronization

/// Lets a socket's reader hand a binary message (terminal input) straight to the terminal, on the reader's own
/// task, instead of queueing it for the handler's task: one thread wake-up less per keystroke. It does so only
/// while the handler has opened the lane and nothing queued before the message is still unhandled, so input keeps
/// its order with everything else the client sent (resizes, envelopes, earlier keys).
final class InputFastLane: Sendable {
    private struct State {
        var take: (@Sendable (ByteBuffer) -> Void)?
        /// Messages queued for the handler and not yet handled.
        var queued = 0
    }
    private let state = Mutex(State())

    init() {}

    /// Called by the reader for every complete message (`binary` nil for a text one): true when the lane took it,
    /// false when the reader must queue it (it is then counted until ``handled()``).
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

    /// Called by the handler after it handled a queued message.
    func handled() { state.withLock { $0.queued = max(0, $0.queued - 1) } }

    /// Opens the lane: binary messages go to `take` (it must not block) once the queue is drained.
    func open(_ take: @escaping @Sendable (ByteBuffer) -> Void) { state.withLock { $0.take = take } }

    /// Closes the lane: everything is queued again.
    func close() { state.withLock { $0.take = nil } }
}
