import Foundation
import Synchronization
import VibeProtocol

/// A byte stream to a workspace agent: an engine exec stream (``DockerExecTransport``) or, in tests and
/// anywhere both ends share a machine, a socket (``SocketTransport``).
public protocol AgentTransport: Sendable {
    /// Writes bytes in order.
    func send(_ bytes: [UInt8]) async throws
    /// What the agent sends, until the stream ends.
    var incoming: AsyncStream<[UInt8]> { get }
    /// Ends the stream.
    func close() async
}

/// The server side of a link to one agent: numbered calls and their replies, exec output, and the events
/// of subscriptions (terminal output, change signals). Everything is written through one ordered outbox,
/// so keys, resizes and calls reach the agent in the order they were made. When the stream ends, pending
/// calls fail and every subscription gets `closed` (1011), so clients reconnect and resume by offset
/// through the next link.
public final class AgentLink: Sendable {
    private let transport: any AgentTransport
    private let outbox: AsyncStream<[UInt8]>.Continuation
    private let state = Mutex(State())

    private struct State {
        var nextID = 1
        var nextSub = 1
        var open = true
        var pending: [Int: CheckedContinuation<AgentReply, any Error>] = [:]
        var execSinks: [Int: @Sendable (ExecChunk) -> Void] = [:]
        var subscribers: [Int: AsyncStream<AgentEvent>.Continuation] = [:]
    }

    /// Starts reading and writing `transport`.
    public init(transport: any AgentTransport) {
        self.transport = transport
        let (stream, outbox) = AsyncStream<[UInt8]>.makeStream()
        self.outbox = outbox
        Task {
            for await bytes in stream {
                do { try await transport.send(bytes) } catch { break }
            }
            await transport.close()
        }
        Task { [self] in
            var splitter = LineSplitter()
            for await chunk in transport.incoming {
                for line in splitter.feed(chunk) {
                    if let message = AgentLine.decode(AgentMessage.self, line) { receive(message) }
                }
            }
            lost()
        }
    }

    /// False once the stream ended.
    public var isOpen: Bool { state.withLock { $0.open } }

    /// Sends a call and waits for its reply, at most `timeout`; a failure reply throws its ``APIError``.
    func call(
        _ request: AgentRequest, timeout: Duration = .seconds(60), onOutput: (@Sendable (ExecChunk) -> Void)? = nil
    ) async throws -> AgentReply {
        try await withCheckedThrowingContinuation { continuation in
            let id: Int? = state.withLock { s in
                guard s.open else { return nil }
                let id = s.nextID
                s.nextID += 1
                s.pending[id] = continuation
                if let onOutput { s.execSinks[id] = onOutput }
                return id
            }
            guard let id else {
                continuation.resume(throwing: Self.lostError)
                return
            }
            outbox.yield(AgentLine.encode(AgentCall(id: id, request: request)))
            Task { [self] in
                try? await Task.sleep(for: timeout)
                expire(id, after: timeout)
            }
        }
    }

    /// Fails call `id` if it is still waiting: an agent that never answers must not hold a request forever.
    private func expire(_ id: Int, after timeout: Duration) {
        let continuation = state.withLock { s in
            s.execSinks.removeValue(forKey: id)
            return s.pending.removeValue(forKey: id)
        }
        continuation?.resume(throwing: APIError(.internalError, "the workspace agent did not answer within \(timeout)"))
    }

    /// Sends a call whose reply nobody waits for (keys, resizes), in order with every other call.
    func post(_ request: AgentRequest) {
        let id = state.withLock { s -> Int in
            defer { s.nextID += 1 }
            return s.nextID
        }
        outbox.yield(AgentLine.encode(AgentCall(id: id, request: request)))
    }

    /// A new subscription number and the stream of its events.
    func subscribe() -> (Int, AsyncStream<AgentEvent>) {
        let (stream, continuation) = AsyncStream<AgentEvent>.makeStream(bufferingPolicy: .bufferingOldest(4096))
        let sub = state.withLock { s -> Int in
            let sub = s.nextSub
            s.nextSub += 1
            if s.open { s.subscribers[sub] = continuation }
            return sub
        }
        if !isOpen {
            continuation.yield(.closed(sub: sub, code: CloseCode.internalError, reason: Self.lostError.message))
            continuation.finish()
        }
        return (sub, stream)
    }

    /// Ends a subscription here (the caller tells the agent).
    func unsubscribe(_ sub: Int) {
        state.withLock { $0.subscribers.removeValue(forKey: sub) }?.finish()
    }

    /// Ends the link; every open subscription is closed with `code` first (1000 when the session was
    /// deleted, 1001 on shutdown or suspend), so clients know whether to reconnect.
    public func close(code: UInt16 = CloseCode.goingAway, reason: String = "workspace link closed") {
        let subscribers = state.withLock { s in
            defer { s.subscribers.removeAll() }
            return Array(s.subscribers)
        }
        for (sub, continuation) in subscribers {
            continuation.yield(.closed(sub: sub, code: code, reason: reason))
            continuation.finish()
        }
        outbox.finish()
    }

    static let lostError = APIError(.notReady, "the link to the workspace agent was lost; it is re-established on the next use")

    private func receive(_ message: AgentMessage) {
        switch message {
        case .reply(let id, let reply):
            let continuation = state.withLock { s in
                s.execSinks.removeValue(forKey: id)
                return s.pending.removeValue(forKey: id)
            }
            continuation?.resume(returning: reply)
        case .failure(let id, let code, let text, let occurrences):
            let continuation = state.withLock { s in
                s.execSinks.removeValue(forKey: id)
                return s.pending.removeValue(forKey: id)
            }
            continuation?.resume(throwing: APIError(code, text, occurrences: occurrences))
        case .event(let event):
            switch event {
            case .execOutput(let id, let stderr, let data):
                let sink = state.withLock { $0.execSinks[id] }
                sink?(stderr ? .stderr(Array(data)) : .stdout(Array(data)))
            case .output(let sub, _), .exit(let sub, _), .closed(let sub, _, _), .signal(let sub, _):
                let subscriber = state.withLock { $0.subscribers[sub] }
                if case .dropped = subscriber?.yield(event) {
                    // The consumer fell behind: it is cut off and resumes by offset.
                    state.withLock { $0.subscribers.removeValue(forKey: sub) }?.finish()
                }
            }
        }
    }

    private func lost() {
        let (pending, subscribers) = state.withLock { s in
            s.open = false
            defer {
                s.pending.removeAll()
                s.execSinks.removeAll()
                s.subscribers.removeAll()
            }
            return (Array(s.pending.values), Array(s.subscribers))
        }
        outbox.finish()
        for continuation in pending { continuation.resume(throwing: Self.lostError) }
        for (sub, continuation) in subscribers {
            continuation.yield(.closed(sub: sub, code: CloseCode.internalError, reason: "workspace link lost"))
            continuation.finish()
        }
    }
}

/// A link over a socket (or pipe) file descriptor of this process.
public final class SocketTransport: AgentTransport {
    private let fd: Int32
    private let writer: LinkWriter
    public let incoming: AsyncStream<[UInt8]>

    /// Reads and writes `fd`, and closes it when the stream ends.
    public init(fd: Int32) {
        self.fd = fd
        writer = LinkWriter(fd: fd)
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        incoming = stream
        let writer = self.writer
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                continuation.yield(Array(buffer[0..<n]))
            }
            writer.shut()
            Glibc.close(fd)
            continuation.finish()
        }
        thread.name = "agent-socket"
        thread.start()
    }

    public func send(_ bytes: [UInt8]) async throws {
        guard writer.write(bytes) else { throw AgentLink.lostError }
    }

    public func close() async {
        writer.shut()
        shutdown(fd, Int32(SHUT_RDWR))
    }
}
