import Foundation
import NIOCore
import VibeProtocol
import WSClient

/// What the terminal socket delivers to its consumer.
public enum TerminalChannelEvent: Sendable, Equatable {
    /// The server's `attached` answer to each (re)connect: `created` is true when it started a new shell
    /// for this terminal name (the first attach, or after the old shell ended or the server restarted).
    case attached(TerminalAttached)
    /// A reconnect found a new shell where the old one was (the server restarted, or the session was
    /// suspended and opened again): the input typed during the outage, `droppedInputBytes` of it, was meant
    /// for the old shell and was dropped, never sent to the new one. Comes right after its ``attached(_:)``;
    /// clear the screen model as for ``reset`` (a `reset` the server sends with it is folded into this event).
    case shellReplaced(droppedInputBytes: Int)
    /// PTY output bytes, in order, each exactly once across reconnects.
    case output([UInt8])
    /// The requested offset was gone: clear the screen model; the output that follows redraws from scratch.
    case reset
    /// The shell exited with this code; the channel then closes (1000, no reconnect).
    case exit(Int32)
    /// The server rejected an envelope (the socket stays open).
    case error(ErrorCode, String)
}

extension TerminalChannelEvent {
    /// The one line a UI shows for ``shellReplaced(droppedInputBytes:)``.
    public static func shellReplacedNotice(droppedInputBytes: Int) -> String {
        let what = "the shell was restarted while you were away (server restart or session resumed; files kept)"
        guard droppedInputBytes > 0 else { return what }
        return what + "; \(droppedInputBytes) bytes typed meanwhile were dropped, not sent to the new shell"
    }
}

/// A reconnecting terminal socket (`/container/{id}/terminal`).
///
/// Obtain one from ``ChannelRegistry/terminal(api:session:term:cols:rows:options:)`` (or ``VibeClient``); every
/// request for the same server, session and terminal gets this same object. It tracks the output offset and
/// reconnects with `offset=N`, so output is delivered exactly once; input typed while disconnected is buffered
/// (bounded) and sent in order after the reconnect, after the last size — unless the reconnect finds a new shell,
/// in which case it is dropped (``TerminalChannelEvent/shellReplaced(droppedInputBytes:)``): keystrokes never
/// reach a process they were not typed for. A session found `suspended` while reconnecting is opened again.
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
    private let output = Broadcast<TerminalChannelEvent>(replayLast: false, backlogLimit: 4096)
    private var socket: ReconnectingSocket?
    /// The size this client asks for; nil for an observer, which never resizes the terminal.
    private var size: TerminalSize?
    private var offset: UInt64 = 0
    private var writer: SocketWriter?
    private var outbox: [(frame: WebSocketOutboundWriter.OutboundFrame, bytes: Int)] = []
    private var outboxBytes = 0
    /// Input handed to connections, resent after a reconnect when the server's count shows it did not arrive.
    private var inputLog: InputLog
    /// Frames to send again on the connection that is coming up (set by its `attached`).
    private var resend: [InputLog.Entry] = []
    /// Names this channel to the server (`client=`), which counts the input it took from it.
    private let clientID = UUID().uuidString.lowercased()
    private var finished = false
    /// Set once the first `attached` arrived: a later `created` one means the shell was replaced.
    private var hadShell = false
    /// The offset of a `reset` that only repeats what a ``TerminalChannelEvent/shellReplaced(droppedInputBytes:)``
    /// already said.
    private var foldedReset: UInt64?
    private var echoProbeStart: ContinuousClock.Instant?
    private var pings: [Int: (start: ContinuousClock.Instant, continuation: CheckedContinuation<Duration, any Error>)] = [:]
    private var nextPingID = 1

    init(api: VibeAPI, key: ChannelKey, size: TerminalSize?, options: ChannelOptions, registry: ChannelRegistry?) {
        self.api = api
        self.key = key
        self.size = size
        self.options = options
        self.registry = registry
        self.inputLog = InputLog(limit: options.inputBufferLimit)
    }

    // MARK: observing

    /// The terminal's output events. Events that arrived before the first subscriber are kept for it (up to
    /// 4096 events); later subscribers (joiners) see events from the moment they subscribe.
    public nonisolated func events() -> AsyncStream<TerminalChannelEvent> { output.subscribe() }

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

    /// The last size set (sent as `cols`/`rows` on connect and as a resize after every reconnect); nil for an
    /// observer that has not set one.
    public var currentSize: TerminalSize? { size }

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
        let frame = ClientFrame.terminalInput(TerminalInput(data: text))
        try enqueue(.text(frame.encoded()), bytes: text.utf8.count, probe: (1...8).contains(text.utf8.count))
    }

    /// Ends the remote shell (a `terminal_kill` envelope: the server hangs up the PTY). The shell's exit
    /// then arrives as ``TerminalChannelEvent/exit(_:)`` and the channel closes. Buffered while disconnected.
    public func kill() throws {
        try enqueue(.text(ClientFrame.terminalKill.encoded()), bytes: 0, probe: false)
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
            if writer.send(frame) {
                inputLog.record(frame, bytes: bytes)
                return
            }
        }
        guard outboxBytes + bytes <= options.inputBufferLimit else {
            throw VibeClientError.inputBufferFull(
                capacity: options.inputBufferLimit, buffered: outboxBytes, attempted: bytes)
        }
        outbox.append((frame, bytes))
        outboxBytes += bytes
    }

    // MARK: latency

    /// Sends a `ping` envelope and waits for its `pong`; records the round trip in ``pingLatency``.
    /// - Throws: ``VibeClientError/notConnected`` when disconnected, ``VibeClientError/probeTimedOut``.
    public func ping(timeout: Duration = .seconds(5)) async throws -> Duration {
        guard let writer else { throw VibeClientError.notConnected }
        let id = nextPingID
        nextPingID += 1
        let ping = ClientFrame.ping(.object(["id": .number(Double(id))]))
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.failPing(id, VibeClientError.probeTimedOut)
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            pings[id] = (.now, continuation)
            if !writer.sendText(ping.encoded()) {
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
            waitReady: { try await SessionResumer.waitReady(api: api, session: session, timeout: readyTimeout) },
            onFinalClose: { [weak self] reason in await self?.finalClose(reason) })
        let socket = ReconnectingSocket(
            tracker: tracker, backoff: Backoff(policy: options.backoff, random: options.random), hooks: hooks,
            logger: options.logger, firstFrameTimeout: options.firstFrameTimeout, reconnectFor: options.reconnectFor)
        self.socket = socket
        Task { await socket.start() }
    }

    private func url() -> String {
        var query = [("term", key.term ?? Identifier.defaultTerminal)]
        if let size { query += [("cols", String(size.cols)), ("rows", String(size.rows))] }
        query += [("offset", String(offset)), ("client", clientID)]
        return api.socketURL(path: Routes.terminal(VibeAPI.segment(key.session)), query: query)
    }

    private func handle(_ message: WebSocketMessage) {
        switch message {
        case .binary(let buffer):
            let bytes = Array(buffer.readableBytesView)
            guard !bytes.isEmpty else { return }
            offset += UInt64(bytes.count)
            foldedReset = nil
            if let start = echoProbeStart {
                echoProbeStart = nil
                echoLatency.record(ContinuousClock.now - start)
            }
            output.yield(.output(bytes))
        case .text(let text):
            // A frame this build cannot read is skipped, like one of a type it does not know.
            guard let frame = try? ServerFrame.decode(text) else { return }
            switch frame {
            case .attached(let attached):
                offset = attached.offset
                output.yield(.attached(attached))
                if hadShell, attached.created {
                    let dropped = outboxBytes
                    outbox = []
                    outboxBytes = 0
                    inputLog.forget()
                    resend = []
                    output.yield(.shellReplaced(droppedInputBytes: dropped))
                    foldedReset = attached.offset
                } else {
                    resend = inputLog.resume(received: attached.input)
                }
                hadShell = true
            case .reset(let reset):
                offset = reset.offset
                if foldedReset != reset.offset { output.yield(.reset) }
                foldedReset = nil
            case .pong(let payload):
                if case .object(let fields) = payload, case .number(let n) = fields["id"],
                    let entry = pings.removeValue(forKey: Int(n))
                {
                    let rtt = ContinuousClock.now - entry.start
                    pingLatency.record(rtt)
                    entry.continuation.resume(returning: rtt)
                }
            case .error(let e):
                output.yield(.error(e.code, e.message))
            case .exit(let e):
                output.yield(.exit(e.code))
            case .terminalOutput, .fsSnapshot, .fsEvent, .sessionStatus, .envStatus, .log, .unknown:  // binary output only
                break
            }
        }
    }

    private func connected(_ writer: SocketWriter) {
        self.writer = writer
        sendResize(writer)
        // First what the server's count shows never arrived (already in the log), then what was typed offline.
        for entry in resend { writer.send(entry.frame) }
        resend = []
        for (frame, bytes) in outbox where writer.send(frame) { inputLog.record(frame, bytes: bytes) }
        outbox = []
        outboxBytes = 0
    }

    private func sendResize(_ writer: SocketWriter) {
        guard let size else { return }
        writer.sendText(ClientFrame.terminalResize(size).encoded())
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

extension ChannelState {
    var closedReasonText: String {
        if case .closed(let reason) = self { return reason.description }
        return "closed"
    }
}
