import Logging
import NIOCore
import Synchronization
import VibeProtocol
import WSClient

/// Writes to the live connection; a value per connection, dead once that connection ends.
struct SocketWriter: Sendable {
    enum Command: Sendable {
        case frame(WebSocketOutboundWriter.OutboundFrame)
        case close
        case abort
    }
    let continuation: AsyncStream<Command>.Continuation

    /// Queues a frame in order; false when the connection is gone.
    @discardableResult
    func send(_ frame: WebSocketOutboundWriter.OutboundFrame) -> Bool {
        if case .enqueued = continuation.yield(.frame(frame)) { return true }
        return false
    }

    @discardableResult
    func sendText(_ text: String) -> Bool { send(.text(text)) }

    @discardableResult
    func sendBinary(_ bytes: [UInt8]) -> Bool { send(.binary(ByteBuffer(bytes: bytes))) }

    /// Starts the close handshake (code 1000).
    func close() { continuation.yield(.close) }
}

/// What a concrete channel plugs into ``ReconnectingSocket``.
struct SocketHooks: Sendable {
    /// The URL of the next attempt (terminal: carries the current offset and size).
    var makeURL: @Sendable () async -> String
    /// Every message of the live connection, in order; the first one marks the connection as up.
    var onMessage: @Sendable (WebSocketMessage) async -> Void
    /// Called once per connection right after its first message; the writer is valid until `onDisconnect`.
    var onConnected: @Sendable (SocketWriter) async -> Void
    /// The connection ended (any reason).
    var onDisconnect: @Sendable () async -> Void
    /// For 4409: waits until the session is ready; throws when it never will be.
    var waitReady: @Sendable () async throws -> Void
    /// Called once when the channel is closed for good.
    var onFinalClose: @Sendable (DisconnectReason) async -> Void
}

/// The reconnect loop shared by the terminal and fs-events channels.
///
/// Connects with WSClient, reports states through a ``ChannelStateTracker``, retries with exponential backoff
/// and full jitter (reset when a connection stayed up ``BackoffPolicy/healthyAfter``), never retries after a
/// final close code, and waits for ready after 4409.
actor ReconnectingSocket {
    nonisolated let tracker: ChannelStateTracker
    private var backoff: Backoff
    private var closing = false
    private var writer: SocketWriter?
    private var task: Task<Void, Never>?
    private let hooks: SocketHooks
    private let logger: Logger
    private let maxMessage: Int
    private let firstFrameTimeout: Duration
    private let reconnectFor: Duration?

    init(
        tracker: ChannelStateTracker, backoff: Backoff, hooks: SocketHooks, logger: Logger,
        firstFrameTimeout: Duration = .seconds(5), reconnectFor: Duration? = nil, maxMessage: Int = 1 << 24
    ) {
        self.tracker = tracker
        self.firstFrameTimeout = firstFrameTimeout
        self.reconnectFor = reconnectFor
        self.backoff = backoff
        self.hooks = hooks
        self.logger = logger
        self.maxMessage = maxMessage
    }

    /// Starts the loop (once).
    func start() {
        guard task == nil, !closing else { return }
        task = Task { await self.run() }
    }

    /// Closes for good: a normal close on a live connection, cancellation otherwise.
    func close() async {
        guard !closing else { return }
        closing = true
        if let writer {
            writer.close()
        } else {
            task?.cancel()
        }
        await task?.value
    }

    private func run() async {
        var attempt = 0
        var finalReason: DisconnectReason = .closedByClient
        // Until the first connection is up, the whole wait counts as an outage for the reconnect budget.
        var outageSince = ContinuousClock.now
        while !closing {
            tracker.set(attempt == 0 ? .connecting : .reconnecting(attempt: attempt))
            let url = await hooks.makeURL()
            let up = UpFlag()
            let reason = await connectOnce(url: url, up: up)
            writer = nil
            await hooks.onDisconnect()
            if closing || Task.isCancelled { break }
            if reason.isFinal {
                finalReason = reason
                break
            }
            if up.since != nil { outageSince = .now }
            if let budget = reconnectFor, ContinuousClock.now - outageSince >= budget {
                finalReason = .gaveUp(after: ContinuousClock.now - outageSince, last: reason)
                break
            }
            if let since = up.since, ContinuousClock.now - since >= backoff.policy.healthyAfter {
                backoff.reset()
            }
            let delay = backoff.next()
            tracker.set(.disconnected(reason: reason, retryIn: delay))
            if case .closed(let code, _, _) = reason, code == CloseCode.notReady {
                tracker.set(.waitingForReady)
                do {
                    try await hooks.waitReady()
                } catch let error as VibeClientError {
                    if case .sessionFailed(let code, _) = error {
                        finalReason = .sessionFailed(code)
                        break
                    }
                    // timed out or transport trouble: keep going with the backoff delay
                } catch {
                    if closing || Task.isCancelled { break }
                }
            }
            // Within a budget, the last retry happens when it runs out.
            let left = reconnectFor.map { $0 - (ContinuousClock.now - outageSince) }
            try? await Task.sleep(for: left.map { min(delay, max($0, .zero)) } ?? delay)
            attempt += 1
        }
        closing = true
        tracker.set(.closed(finalReason))
        await hooks.onFinalClose(finalReason)
    }

    /// One connection, guarded by a watchdog: the server always sends a first frame (or closes) right after the
    /// upgrade; when none arrives within `firstFrameTimeout` the attempt is cancelled, and if even that does not
    /// end it within 2 s it is abandoned, so the loop always makes progress.
    private func connectOnce(url: String, up: UpFlag) async -> DisconnectReason {
        let tasks = Mutex<(connect: Task<Void, Never>?, watchdog: Task<Void, Never>?)>((nil, nil))
        let firstFrameTimeout = self.firstFrameTimeout
        let reason = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<DisconnectReason, Never>) in
                let once = ResumeOnce(continuation)
                let connect = Task { once.resume(await self.connectBody(url: url, up: up)) }
                let watchdog = Task {
                    try? await Task.sleep(for: firstFrameTimeout)
                    guard !Task.isCancelled, up.since == nil else { return }
                    self.logger.warning(
                        "no first frame in \(firstFrameTimeout); retrying",
                        metadata: ["path": "\(url.split(separator: "?").first ?? "")"])
                    up.abort()
                    connect.cancel()
                    try? await Task.sleep(for: .seconds(2))
                    if !Task.isCancelled { once.resume(.connectionLost) }
                }
                tasks.withLock { $0 = (connect, watchdog) }
            }
        } onCancel: {
            tasks.withLock { $0.connect?.cancel() }
        }
        tasks.withLock { $0.watchdog?.cancel() }
        return reason
    }

    private func connectBody(url: String, up: UpFlag) async -> DisconnectReason {
        var configuration = WebSocketClientConfiguration(maxFrameSize: maxMessage)
        configuration.closeTimeout = .seconds(5)
        do {
            let frame = try await WebSocketClient.connect(
                url: url, configuration: configuration, tlsConfiguration: ClientTLS.configuration, logger: logger
            ) {
                inbound, outbound, _ in
                try await self.drive(inbound: inbound, outbound: outbound, up: up)
            }
            guard let frame, !up.aborted else { return .connectionLost }
            return .fromClose(code: UInt16(webSocketErrorCode: frame.closeCode), reason: frame.reason)
        } catch {
            return up.since == nil && !up.aborted ? .transport("\(error)") : .connectionLost
        }
    }

    private func setWriter(_ w: SocketWriter) -> Bool {
        if closing {
            w.close()
            return false
        }
        writer = w
        return true
    }

    private nonisolated func drive(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, up: UpFlag
    ) async throws {
        // Speak first: the server holds its first frame until it hears from this side, which proves the
        // connection is past the switch from HTTP, where a frame could be lost (docs/protocol.md).
        try await outbound.write(.text(ClientFrame.hello.encoded()))
        let (commands, continuation) = AsyncStream<SocketWriter.Command>.makeStream()
        let writer = SocketWriter(continuation: continuation)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await command in commands {
                    switch command {
                    case .frame(let frame): try await outbound.write(frame)
                    case .close:
                        try await outbound.close(.normalClosure, reason: nil)
                        return
                    case .abort:
                        try await outbound.close(.goingAway, reason: "no first frame")
                        return
                    }
                }
            }
            var first = true
            for try await message in inbound.messages(maxSize: maxMessage) {
                if up.aborted { break }  // the watchdog gave up on this connection
                await hooks.onMessage(message)
                if first {
                    first = false
                    up.mark()
                    if await setWriter(writer) {
                        tracker.set(.connected)
                        await hooks.onConnected(writer)
                    }
                }
            }
            continuation.finish()
            group.cancelAll()
        }
    }
}

/// When a connection got its first frame.
final class UpFlag: Sendable {
    private let value = Mutex<(since: ContinuousClock.Instant?, aborted: Bool)>((nil, false))
    func mark() { value.withLock { $0.since = .now } }
    func abort() { value.withLock { $0.aborted = true } }
    var since: ContinuousClock.Instant? { value.withLock { $0.since } }
    var aborted: Bool { value.withLock { $0.aborted } }
}

/// Resumes a continuation exactly once, whoever comes first.
final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Never>?>
    init(_ continuation: CheckedContinuation<T, Never>) { self.continuation = Mutex(continuation) }
    func resume(_ value: T) {
        let c = continuation.withLock { c -> CheckedContinuation<T, Never>? in
            defer { c = nil }
            return c
        }
        c?.resume(returning: value)
    }
}
