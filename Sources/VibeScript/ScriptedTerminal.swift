import Foundation
import TerminalEmulator
import VibeClient
import VibeProtocol

/// A session terminal driven the way a person drives it: keys in, an emulated screen out.
///
/// It attaches through a ``TerminalChannel`` (so it reconnects and resumes by offset like every vibe socket)
/// and keeps our xterm-compatible emulator in step with the terminal, from the ring's replay on. By default
/// it is an observer: it never resizes the terminal, and renders at the size the server reports. `expect`
/// keeps waiting across reconnects; the channel's reconnect budget (``ChannelOptions/reconnectFor``) bounds
/// how long an outage may last before the wait fails with ``ScriptError/closed(reason:screen:)``.
public actor ScriptedTerminal {
    public nonisolated let session: String
    public nonisolated let term: String
    private let channel: TerminalChannel
    private let answersQueries: Bool
    private var screen = Terminal(cols: 80, rows: 24)
    private var tail = OutputTail(limit: 1 << 20)
    /// Where the next `stream` expect starts looking.
    private var streamMark: UInt64 = 0
    /// The output offset the latest attach reported as its end (nil before the first `attached`).
    private var catchUpOffset: UInt64?
    private var received: UInt64 = 0
    private var exitCode: Int32?
    private var closedReason: String?
    private var lastOutput = ContinuousClock.now
    private var waiters: [Int: (continuation: CheckedContinuation<Void, Never>, timer: Task<Void, Never>)] = [:]
    private var nextWaiter = 0
    private var pumps: [Task<Void, Never>] = []
    private var watchers: [AsyncStream<ScriptEvent>.Continuation] = []

    private init(session: String, term: String, channel: TerminalChannel, answersQueries: Bool) {
        self.session = session
        self.term = term
        self.channel = channel
        self.answersQueries = answersQueries
    }

    /// Attaches to terminal `term` of `session` (starting it if needed), on a connection of its own that
    /// replays the terminal's ring. With `size`, the terminal is resized
    /// to it like any client's window; without, this is an observer. With `answersQueries`, the emulator's
    /// answers to the program's queries (cursor position, device attributes) are sent back as a real terminal
    /// would; leave it off when a person's terminal is attached too, which answers them already.
    public static func attach(
        _ client: VibeClient, session: String, term: String = Identifier.defaultTerminal, size: TerminalSize? = nil,
        answersQueries: Bool = false
    ) async -> ScriptedTerminal {
        // A channel of its own (not the client's shared one): it must see the attach and the whole replay.
        let channel = await ChannelRegistry().terminal(
            api: client.api, session: session, term: term, size: size, options: client.channelOptions)
        let scripted = ScriptedTerminal(session: session, term: term, channel: channel, answersQueries: answersQueries)
        await scripted.start()
        return scripted
    }

    private func start() {
        let events = channel.events()
        let connection = channel.connectionEvents()
        pumps.append(Task { [weak self] in
            for await event in events { await self?.handle(event) }
        })
        pumps.append(Task { [weak self] in
            for await event in connection {
                if case .state(.closed(let reason)) = event {
                    await self?.connectionClosed("\(reason)")
                    return
                }
            }
        })
    }

    /// How long ``close()`` waits for keys still waiting for the connection.
    static let inputDrainLimit: Duration = .seconds(10)

    /// Detaches (the terminal and its shell keep running); keys not sent yet get ``inputDrainLimit`` to go.
    public func close() async {
        // Keys typed while the connection was down wait in the channel until it is back (`vibe send` right after
        // a reconnect): they get up to 10 s to go out before the channel closes, rather than being dropped.
        let deadline = ContinuousClock.now + Self.inputDrainLimit
        while await channel.bufferedInputBytes > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        for pump in pumps { pump.cancel() }
        await channel.close()
        wakeAll()
        for watcher in watchers { watcher.finish() }
        watchers = []
    }

    /// What happens on the terminal from now on: output, the rows it changed, (re)attaches, the shell's exit;
    /// ends when this terminal is closed. A subscriber that falls 4096 events behind loses the oldest.
    public func events() -> AsyncStream<ScriptEvent> {
        let (stream, continuation) = AsyncStream<ScriptEvent>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        watchers.append(continuation)
        return stream
    }

    /// The connection's states and outages (``TerminalChannel/connectionEvents()``).
    public nonisolated func connectionEvents() -> AsyncStream<ChannelEvent> { channel.connectionEvents() }

    // MARK: keys

    /// Types `text` as it is.
    public func send(text: String) async throws(ScriptError) {
        try await send(bytes: Array(text.utf8))
    }

    /// Types tmux `send-keys` words (``KeyNames``), in the terminal's current modes.
    public func send(keys: [String], literal: Bool = false) async throws(ScriptError) {
        try await send(bytes: KeyNames.bytes(keys, literal: literal, modes: screen.modes))
    }

    /// Sends raw bytes.
    public func send(bytes: [UInt8]) async throws(ScriptError) {
        do {
            try await channel.send(bytes)
        } catch {
            throw .sendFailed("\(error)")
        }
    }

    // MARK: the screen

    /// The screen rendered in `format`, with `scrollback` lines of history (``Terminal/render(_:scrollback:)``).
    public func capture(_ format: CaptureFormat = .text, scrollback: Int = 0) -> String {
        screen.render(format, scrollback: scrollback)
    }

    /// The screen with its attributes, as a value.
    public func snapshot(scrollback: Int = 0) -> ScreenCapture { ScreenCapture(screen, scrollback: scrollback) }

    /// The cursor (0-based).
    public var cursor: (row: Int, col: Int) { (screen.cursor.row, screen.cursor.col) }

    /// The screen's size (the terminal's, as the server reported it at the last attach).
    public var size: TerminalSize { TerminalSize(rows: screen.rows, cols: screen.cols) }

    /// The terminal's current modes (cursor-key mode and the rest), as its program set them.
    public var modes: TerminalModes { screen.modes }

    /// The shell's exit code once it exited.
    public var exited: Int32? { exitCode }

    /// The output offset received so far.
    public var outputOffset: UInt64 { received }

    // MARK: waiting

    /// Waits until the output produced before the attach (the ring's replay) has arrived, so the screen shows
    /// what a person attached all along would see.
    public func caughtUp(timeout: Duration) async throws(ScriptError) {
        try await wait(for: "the terminal's output so far", timeout: timeout) {
            guard let end = self.catchUpOffset else { return false }
            return self.received >= end
        }
    }

    /// Waits until `pattern` appears in `scope`, and returns where.
    @discardableResult
    public func expect(_ pattern: ScreenPattern, in scope: ExpectScope = .screen, timeout: Duration) async throws(ScriptError)
        -> ScreenMatch
    {
        var found: ScreenMatch?
        try await wait(for: pattern.description, timeout: timeout) {
            found = self.find(pattern, in: scope)
            return found != nil
        }
        guard let found else { throw .timedOut(waitingFor: pattern.description, screen: capture()) }
        if scope == .stream, let end = found.offset { streamMark = end }
        return found
    }

    /// Waits until no output has come for `quiet` (a program has finished drawing).
    public func waitForQuiet(_ quiet: Duration, timeout: Duration) async throws(ScriptError) {
        let deadline = ContinuousClock.now + timeout
        while true {
            let calm = lastOutput + quiet
            if ContinuousClock.now >= calm { return }
            if exitCode != nil || closedReason != nil { return }
            guard calm <= deadline else {
                throw .timedOut(waitingFor: "\(quiet) without output", screen: capture())
            }
            await changed(before: calm)
        }
    }

    /// Waits until the shell exits and returns its code.
    public func waitForExit(timeout: Duration) async throws(ScriptError) -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let exitCode { return exitCode }
            if let closedReason { throw .closed(reason: closedReason, screen: capture()) }
            guard ContinuousClock.now < deadline else { throw .timedOut(waitingFor: "the shell to exit", screen: capture()) }
            await changed(before: deadline)
        }
    }

    /// Waits until `condition` holds, failing on timeout, on the shell's exit, or when the connection closed.
    private func wait(
        for what: String, timeout: Duration, _ condition: () -> Bool
    ) async throws(ScriptError) {
        let deadline = ContinuousClock.now + timeout
        while true {
            if condition() { return }
            if let exitCode { throw .exited(code: exitCode, waitingFor: what, screen: capture()) }
            if let closedReason { throw .closed(reason: closedReason, screen: capture()) }
            guard ContinuousClock.now < deadline else { throw .timedOut(waitingFor: what, screen: capture()) }
            await changed(before: deadline)
        }
    }

    private func find(_ pattern: ScreenPattern, in scope: ExpectScope) -> ScreenMatch? {
        switch scope {
        case .screen:
            let text = (0..<screen.rows).map { screen.text(ofRow: $0) }.joined(separator: "\n")
            guard let range = pattern.firstMatch(in: text) else { return nil }
            let before = text[..<range.lowerBound]
            let row = before.count { $0 == "\n" }
            let col = before.distance(from: before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex, to: before.endIndex)
            return ScreenMatch(text: String(text[range]), row: row, col: col, offset: nil)
        case .line:
            let row = screen.cursor.row
            let text = screen.text(ofRow: row)
            guard let range = pattern.firstMatch(in: text) else { return nil }
            return ScreenMatch(
                text: String(text[range]), row: row, col: text.distance(from: text.startIndex, to: range.lowerBound), offset: nil)
        case .stream:
            let (start, bytes) = tail.since(streamMark)
            let text = String(decoding: bytes, as: UTF8.self)
            guard let range = pattern.firstMatch(in: text) else { return nil }
            let consumed = UInt64(text[..<range.upperBound].utf8.count)
            return ScreenMatch(text: String(text[range]), row: nil, col: nil, offset: start + consumed)
        }
    }

    // MARK: events

    private func handle(_ event: TerminalChannelEvent) {
        switch event {
        case .attached(let attached):
            if screen.cols != attached.cols || screen.rows != attached.rows {
                screen.resize(cols: attached.cols, rows: attached.rows)
            }
            received = attached.offset
            catchUpOffset = attached.end ?? attached.offset
            // Offsets going back mean a new shell: stream matching starts over with its output.
            streamMark = min(streamMark, attached.offset)
            publish(.attached(cols: attached.cols, rows: attached.rows, offset: attached.offset))
        case .output(let bytes):
            tail.append(bytes, at: received)
            received += UInt64(bytes.count)
            screen.feed(bytes)
            let replies = screen.takeReplies()
            _ = screen.takeEvents()
            // Queries in the replay were answered when they were live; only live ones get an answer now.
            let live = received >= (catchUpOffset ?? 0)
            if answersQueries, live, !replies.isEmpty { Task { [channel] in try? await channel.send(replies) } }
            lastOutput = .now
            publish(.output(bytes))
            let dirty = screen.takeDirtyRows()
            if !dirty.isEmpty { publish(.screen(rows: dirty)) }
        case .reset, .shellReplaced:
            screen = Terminal(cols: screen.cols, rows: screen.rows)
            publish(.screen(rows: Array(0..<screen.rows)))
        case .exit(let code):
            exitCode = code
            publish(.exit(code))
        case .error:
            return
        }
        wakeAll()
    }

    private func publish(_ event: ScriptEvent) {
        for watcher in watchers { watcher.yield(event) }
    }

    private func connectionClosed(_ reason: String) {
        if exitCode == nil { closedReason = reason }
        wakeAll()
    }

    /// Suspends until the next event, or until `deadline`.
    private func changed(before deadline: ContinuousClock.Instant) async {
        let id = nextWaiter
        nextWaiter += 1
        await withCheckedContinuation { continuation in
            let timer = Task { [weak self] in
                try? await Task.sleep(until: deadline)
                await self?.wake(id)
            }
            waiters[id] = (continuation, timer)
        }
    }

    private func wake(_ id: Int) {
        guard let waiter = waiters.removeValue(forKey: id) else { return }
        waiter.timer.cancel()
        waiter.continuation.resume()
    }

    private func wakeAll() {
        for id in Array(waiters.keys) { wake(id) }
    }
}

/// What a ``ScriptedTerminal`` reports as it happens.
public enum ScriptEvent: Sendable, Equatable {
    /// The socket attached (first time or after a reconnect): the terminal's size and the resume offset.
    case attached(cols: Int, rows: Int, offset: UInt64)
    /// Output bytes, in order, each once.
    case output([UInt8])
    /// The screen rows (0 at the top) the latest output changed.
    case screen(rows: [Int])
    /// The shell exited with this code.
    case exit(Int32)
}
