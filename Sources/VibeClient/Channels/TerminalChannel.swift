import Foundation
import NIOCore
import VibeProtocol
import WSClient

/// What the terminal socket delivers to its consumer.
public enum TerminalEvent: Sendable, Equatable {
    /// The server's `attached` answer to each (re)connect: `created` is true when it started a new shell
    /// for this terminal name (the first attach, or after the old shell ended or the server restarted).
    case attached(TerminalAttached)
    /// PTY output bytes, in order, each exactly once across reconnects.
    case output([UInt8])
    /// The requested offset was gone: clear the screen model; the output that follows redraws from scratch.
    case reset
    /// The shell exited with this code; the channel then closes (1000, no reconnect).
    case exit(Int32)
    /// The server rejected an envelope (the socket stays open).
    case error(ErrorCode, String)
}

/// A reconnecting terminal socket (`/container/{id}/terminal`).
///
/// Obtain one from ``ChannelRegistry/terminal(api:session:term:cols:rows:options:)`` (or ``VibeClient``); every
/// request for the same server, session and terminal gets this same object. It tracks the output offset and
/// reconnects with `offset=N`, so output is delivered exactly once; input typed while disconnected is buffered
/// (bounded) and sent in order after the reconnect, after the last size.
public actor TerminalChannel: RegisteredChannel {
    /// The channel's identity.
    public nonisolated let key: ChannelKey
    /// Round trips of ``ping(timeout:)`` (µs).
    public nonisolated let pingLatency = LatencyRecorder()
    /// Keystroke-echo round trips: from sending a short input (1–8 bytes) to the next output bytes (µs).
    /// Only one probe is outstanding at a time.
    public nonisolated let echoLatency = LatencyRecorder()

    private let api: VibeAPI
    private let options: ChannelOptions
    private weak var registry: ChannelRegistry?
    private let tracker = ChannelStateTracker()
    private let output = Broadcast<TerminalEvent>(replayLast: false, backlogLimit: 4096)
    private var socket: ReconnectingSocket?
    private var size: TerminalSize
    private var offset: UInt64 = 0
    private var writer: SocketWriter?
    private var outbox: [WebSocketOutboundWriter.OutboundFrame] = []
    private var outboxBytes = 0
    private var finished = false
    private var echoProbeStart: ContinuousClock.Instant?
    private var pings: [Int: (start: ContinuousClock.Instant, continuation: CheckedContinuation<Duration, any Error>)] = [:]
    private var nextPingID = 1

    init(api: VibeAPI, key: ChannelKey, size: TerminalSize, options: ChannelOptions, registry: ChannelRegistry?) {
        self.api = api
        self.key = key
        self.size = size
        self.options = options
        self.registry = registry
    }

    // MARK: observing

    /// The terminal's output events. Events that arrived before the first subscriber are kept for it (up to
    /// 4096 events); later subscribers (joiners) see events from the moment they subscribe.
    public nonisolated func events() -> AsyncStream<TerminalEvent> { output.subscribe() }

    /// Connection states plus one `outageStarted`/`outageEnded` pair per outage. Events before the first subscriber
    /// are kept for it (up to 256). Drives the outage banner.
    public nonisolated func connectionEvents() -> AsyncStream<ChannelEvent> { tracker.events.subscribe() }

    /// Connection states only; starts with the current one.
    public nonisolated func states() -> AsyncStream<ChannelState> { tracker.states.subscribe() }

    /// The current connection state.
    public nonisolated var state: ChannelState { tracker.current }

    /// Output bytes consumed so far (the `offset=` of the next reconnect).
    public var outputOffset: UInt64 { offset }

    /// Bytes of input waiting for a connection.
    public var bufferedInputBytes: Int { outboxBytes }

    /// The last size set (sent as `cols`/`rows` on connect and as a resize after every reconnect).
    public var currentSize: TerminalSize { size }

    // MARK: input

    /// Sends raw input bytes (a binary frame); buffered while disconnected.
    /// - Throws: ``VibeClientError/inputBufferFull(capacity:buffered:attempted:)`` when buffering would exceed
    ///   the limit (nothing of this call is buffered; what was buffered before stays), or
    ///   ``VibeClientError/channelClosed(reason:)`` after a final close.
    public func send(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        try enqueue(.binary(ByteBuffer(bytes: bytes)), bytes: bytes.count, probe: (1...8).contains(bytes.count))
    }

    /// Sends text as a `terminal_input` envelope; buffered while disconnected.
    public func sendText(_ text: String) throws {
        guard !text.isEmpty else { return }
        guard let envelope = try? Envelope(type: EnvelopeType.terminalInput, payload: TerminalInput(data: text)) else {
            throw VibeClientError.invalidArgument("cannot encode input")
        }
        try enqueue(.text(envelope.encoded()), bytes: text.utf8.count, probe: (1...8).contains(text.utf8.count))
    }

    /// Ends the remote shell (a `terminal_kill` envelope: the server hangs up the PTY). The shell's exit
    /// then arrives as ``TerminalEvent/exit(_:)`` and the channel closes. Buffered while disconnected.
    public func kill() throws {
        let envelope = Envelope(type: EnvelopeType.terminalKill)
        try enqueue(.text(envelope.encoded()), bytes: 0, probe: false)
    }

    /// Resizes the PTY (1…1000 each way); remembered and re-sent after every reconnect.
    public func resize(cols: Int, rows: Int) throws {
        let new = TerminalSize(rows: rows, cols: cols)
        guard new.isValid else { throw VibeClientError.invalidArgument("size \(cols)x\(rows) outside 1…1000") }
        size = new
        if let writer { sendResize(writer) }
    }

    private func enqueue(_ frame: WebSocketOutboundWriter.OutboundFrame, bytes: Int, probe: Bool) throws {
        if finished { throw VibeClientError.channelClosed(reason: tracker.current.closedReasonText) }
        if let writer, outbox.isEmpty {
            if probe, echoProbeStart == nil { echoProbeStart = .now }
            if writer.send(frame) { return }
        }
        guard outboxBytes + bytes <= options.inputBufferLimit else {
            throw VibeClientError.inputBufferFull(
                capacity: options.inputBufferLimit, buffered: outboxBytes, attempted: bytes)
        }
        outbox.append(frame)
        outboxBytes += bytes
    }

    // MARK: latency

    /// Sends a `ping` envelope and waits for its `pong`; records the round trip in ``pingLatency``.
    /// - Throws: ``VibeClientError/notConnected`` when disconnected, ``VibeClientError/probeTimedOut``.
    public func ping(timeout: Duration = .seconds(5)) async throws -> Duration {
        guard let writer else { throw VibeClientError.notConnected }
        let id = nextPingID
        nextPingID += 1
        guard let envelope = try? Envelope(type: EnvelopeType.ping, payload: PingPayload(id: id)) else {
            throw VibeClientError.invalidArgument("cannot encode ping")
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.failPing(id, VibeClientError.probeTimedOut)
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            pings[id] = (.now, continuation)
            if !writer.sendText(envelope.encoded()) {
                failPing(id, VibeClientError.notConnected)
            }
        }
    }

    private func failPing(_ id: Int, _ error: any Error) {
        pings.removeValue(forKey: id)?.continuation.resume(throwing: error)
    }

    // MARK: lifecycle

    /// Detaches this holder; when the last holder closes, the socket is closed with 1000 and never reconnects.
    public func close() async {
        if let registry {
            await registry.release(key, self)
        } else {
            await shutdown()
        }
    }

    func shutdown() async {
        await socket?.close()
    }

    func start() {
        guard socket == nil else { return }
        let api = self.api
        let session = key.session
        let readyTimeout = options.readyTimeout
        let hooks = SocketHooks(
            makeURL: { [weak self] in await self?.url() ?? "" },
            onMessage: { [weak self] message in await self?.handle(message) },
            onConnected: { [weak self] writer in await self?.connected(writer) },
            onDisconnect: { [weak self] in await self?.disconnected() },
            waitReady: {
                _ = try await ReadyWaiter.shared.waitReady(api: api, session: session, timeout: readyTimeout)
            },
            onFinalClose: { [weak self] reason in await self?.finalClose(reason) })
        let socket = ReconnectingSocket(
            tracker: tracker, backoff: Backoff(policy: options.backoff, random: options.random), hooks: hooks,
            logger: options.logger, firstFrameTimeout: options.firstFrameTimeout)
        self.socket = socket
        Task { await socket.start() }
    }

    private func url() -> String {
        api.socketURL(
            path: Routes.terminal(VibeAPI.segment(key.session)),
            query: [
                ("term", key.term ?? Identifier.defaultTerminal), ("cols", String(size.cols)),
                ("rows", String(size.rows)), ("offset", String(offset)),
            ])
    }

    private func handle(_ message: WebSocketMessage) {
        switch message {
        case .binary(let buffer):
            let bytes = Array(buffer.readableBytesView)
            guard !bytes.isEmpty else { return }
            offset += UInt64(bytes.count)
            if let start = echoProbeStart {
                echoProbeStart = nil
                echoLatency.record(ContinuousClock.now - start)
            }
            output.yield(.output(bytes))
        case .text(let text):
            guard let envelope = try? Envelope.decode(text) else { return }
            switch envelope.type {
            case EnvelopeType.attached:
                if let attached = try? envelope.decodePayload(TerminalAttached.self) {
                    offset = attached.offset
                    output.yield(.attached(attached))
                }
            case EnvelopeType.reset:
                if let reset = try? envelope.decodePayload(TerminalReset.self) {
                    offset = reset.offset
                    output.yield(.reset)
                }
            case EnvelopeType.pong:
                if let pong = try? envelope.decodePayload(PingPayload.self), let entry = pings.removeValue(forKey: pong.id) {
                    let rtt = ContinuousClock.now - entry.start
                    pingLatency.record(rtt)
                    entry.continuation.resume(returning: rtt)
                }
            case EnvelopeType.error:
                if let e = try? envelope.decodePayload(EnvelopeErrorPayload.self) { output.yield(.error(e.code, e.message)) }
            case EnvelopeType.exit:
                if let e = try? envelope.decodePayload(TerminalExit.self) { output.yield(.exit(e.code)) }
            default: break
            }
        }
    }

    private func connected(_ writer: SocketWriter) {
        self.writer = writer
        sendResize(writer)
        for frame in outbox { writer.send(frame) }
        outbox = []
        outboxBytes = 0
    }

    private func sendResize(_ writer: SocketWriter) {
        if let envelope = try? Envelope(type: EnvelopeType.terminalResize, payload: size) {
            writer.sendText(envelope.encoded())
        }
    }

    private func disconnected() {
        writer = nil
        echoProbeStart = nil
        for (_, entry) in pings { entry.continuation.resume(throwing: VibeClientError.notConnected) }
        pings = [:]
    }

    private func finalClose(_ reason: DisconnectReason) async {
        finished = true
        output.finish()
        await registry?.forget(key, self)
    }
}

/// The payload of the client's `ping` envelopes, echoed in `pong`.
struct PingPayload: Codable, Sendable {
    var id: Int
}

extension ChannelState {
    var closedReasonText: String {
        if case .closed(let reason) = self { return reason.description }
        return "closed"
    }
}
