import HummingbirdWebSocket
import NIOCore
import Synchronization
import VibeProtocol

/// Holds a socket's first server frame until the client has said something (or a short grace has passed).
///
/// A client finishes switching its connection from HTTP to WebSocket only after it reads the `101`; frames that
/// arrive inside that window can be lost by a client's library (swift-websocket's client over NIO's upgrade
/// handler does, for a few connections in a hundred under load: the server sent them, the client never saw
/// them). A client that speaks first (vibe's sends `hello` as soon as its socket is up) proves it is past
/// that window; one that never speaks gets the frame after ``grace``.
final class ClientSpeaksFirst: Sendable {
    /// How long the first frame waits for a client that says nothing.
    static let grace: Duration = .milliseconds(100)

    private struct State {
        var spoke = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    init() {}

    /// Called for every client message; the first one releases the waiting frame.
    func clientSpoke() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            guard !s.spoke else { return [] }
            s.spoke = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }

    /// Returns once the client spoke, or after ``grace``.
    func wait() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let resumeNow = self.state.withLock { s -> Bool in
                        if s.spoke { return true }
                        s.waiters.append(c)
                        return false
                    }
                    if resumeNow { c.resume() }
                }
            }
            group.addTask { try? await Task.sleep(for: Self.grace) }
            await group.next()
            // The continuation waiter cannot be cancelled: release it so the group can finish.
            self.clientSpoke()
            group.cancelAll()
        }
    }
}

/// The one reader of a socket's inbound messages, from the moment the handler starts: it hears the client's first
/// word at once (releasing ``ClientSpeaksFirst``) and queues the messages for the handler, which takes them once
/// its session is set up. A client that floods the queue before that ends the socket.
struct InboundQueue: Sendable {
    let firstWord = ClientSpeaksFirst()
    let messages: AsyncStream<WebSocketMessage>
    private let sink: AsyncStream<WebSocketMessage>.Continuation
    /// Most messages queued before the handler reads them.
    static let limit = 1024
    /// How long a handler that closed the socket waits for the client's answering close (its reader ends then).
    static let closeAnswerTimeout: Duration = .seconds(5)

    init() {
        (messages, sink) = AsyncStream<WebSocketMessage>.makeStream(bufferingPolicy: .bufferingOldest(Self.limit))
    }

    /// Reads `inbound` until it ends, assembling fragmented messages of at most `maxSize` bytes. A client that
    /// sends a larger message, or floods the queue before the handler takes it, gets a close with the protocol's
    /// JSON reason (1009 `FRAME_TOO_LARGE`, 1008 `INVALID_REQUEST`) and the reader ends.
    func pump(_ inbound: WebSocketInboundStream, maxSize: Int, outbound: WebSocketOutboundWriter) async throws {
        defer {
            sink.finish()
            firstWord.clientSpoke()
        }
        var message: (opcode: WebSocketDataFrame.Opcode, data: ByteBuffer)?
        for try await frame in inbound {
            firstWord.clientSpoke()
            if frame.opcode == .continuation {
                guard message != nil else { continue }
                var data = frame.data
                message?.data.writeBuffer(&data)
            } else {
                message = (frame.opcode, frame.data)
            }
            guard let whole = message else { continue }
            if whole.data.readableBytes > maxSize {
                let limit = maxSize >= 1 << 20 ? "\(maxSize >> 20) MiB" : "\(maxSize >> 10) KiB"
                try await SocketGate.close(outbound, APIError(.frameTooLarge, "message over the \(limit) limit"))
                return
            }
            guard frame.fin else { continue }
            message = nil
            let complete: WebSocketMessage =
                whole.opcode == .text ? .text(String(buffer: whole.data)) : .binary(whole.data)
            if case .dropped = sink.yield(complete) {
                try await SocketGate.close(
                    outbound, APIError(.invalidRequest, "more than \(Self.limit) messages before the session was ready"))
                return
            }
        }
    }
}


extension InboundQueue {
    /// Runs a socket whose client only listens (fs-events, status, logs): one reader queues its messages (so its
    /// first word is heard at once) while `serve` runs; after `serve` ends, the client gets
    /// ``closeAnswerTimeout`` to answer the close, then both end.
    static func serveListener(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        _ serve: @escaping @Sendable (InboundQueue) async throws -> Void
    ) async throws {
        let queue = InboundQueue()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await queue.pump(inbound, maxSize: 1 << 16, outbound: outbound) }
            group.addTask {
                try await serve(queue)
                try await Task.sleep(for: closeAnswerTimeout)
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// Answers the client's `ping` envelopes with `pong` (its payload unchanged) until the client leaves; other
    /// messages are ignored (for sockets whose clients only listen: fs-events, status, logs).
    func answerPings(outbound: WebSocketOutboundWriter) async {
        for await message in messages {
            guard case .text(let text) = message, case .ping(let payload)? = try? ClientFrame.decode(text) else { continue }
            try? await outbound.write(.text(ServerFrame.pong(payload).encoded()))
        }
    }
}
