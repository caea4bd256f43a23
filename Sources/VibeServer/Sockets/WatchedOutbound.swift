import Dispatch
import HummingbirdWebSocket
import Logging
import Synchronization
import VibeProtocol

/// A socket's writer that notices a client which stopped reading.
///
/// A write that has not completed after `timeout` means the client has taken nothing for that long (the kernel's
/// and NIO's buffers are full). ``watch(logger:metadata:)`` then logs it, closes the socket with 1013
/// `CLIENT_TOO_SLOW` and a JSON reason (queued behind the output the client has not read), and returns, so the
/// handler ends: the connection goes instead of pinning its buffers. The client reconnects and resumes by offset.
struct WatchedOutbound: Sendable {
    let outbound: WebSocketOutboundWriter
    let timeout: Duration
    private let box: Box

    /// Holds the uptime in nanoseconds when the pending write started (0 when none is pending), shared by copies.
    private final class Box: Sendable {
        let pendingSince = Atomic<UInt64>(0)
    }

    init(_ outbound: WebSocketOutboundWriter, timeout: Duration) {
        self.outbound = outbound
        self.timeout = timeout
        self.box = Box()
    }

    /// Writes `frame`, marking the write as pending while it waits for the client.
    func write(_ frame: WebSocketOutboundWriter.OutboundFrame) async throws {
        box.pendingSince.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
        defer { box.pendingSince.store(0, ordering: .relaxed) }
        try await outbound.write(frame)
    }

    /// Returns when a write has been pending for longer than `timeout`, after logging and closing the socket
    /// (the close is given 2 s to be queued); runs until cancelled otherwise.
    func watch(logger: Logger, metadata: Logger.Metadata) async throws {
        let limit = UInt64(timeout.components.seconds) * 1_000_000_000 + UInt64(timeout.components.attoseconds / 1_000_000_000)
        let step = max(timeout / 4, .milliseconds(50))
        while true {
            try await Task.sleep(for: step)
            let since = box.pendingSince.load(ordering: .relaxed)
            guard since != 0, DispatchTime.now().uptimeNanoseconds - since > limit else { continue }
            var meta = metadata
            meta["event"] = "socket.slow_client"
            logger.warning("closing a socket whose client took no output for \(timeout)", metadata: meta)
            let api = APIError(.clientTooSlow, "you took no output for \(timeout); reconnect and resume by offset")
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await SocketGate.close(outbound, api) }
                group.addTask { try? await Task.sleep(for: .seconds(2)) }
                await group.next()
                group.cancelAll()
            }
            return
        }
    }
}
