import Foundation
import Synchronization
import VibeProtocol

/// What a terminal socket receives from its terminal.
public enum TerminalHubEvent: Sendable {
    case output([UInt8])
    case exit(Int32)
    /// The server is shutting down (close 1001) or the subscriber lagged too far (close 1011).
    case closed(code: UInt16, reason: String)
}

/// The result of attaching a client: what to send first, then the live stream.
public struct TerminalAttachment: Sendable {
    public let id: UUID
    public let attached: TerminalAttached
    /// True when the requested offset was gone: send a `reset` envelope before `replay`.
    public let reset: Bool
    public let replay: [UInt8]
    public let events: AsyncStream<TerminalHubEvent>

    public init(id: UUID, attached: TerminalAttached, reset: Bool, replay: [UInt8], events: AsyncStream<TerminalHubEvent>) {
        self.id = id
        self.attached = attached
        self.reset = reset
        self.replay = replay
        self.events = events
    }
}

/// One named terminal: a PTY, its output ring, and the clients attached to it.
///
/// The PTY outlives every socket. A reader thread moves output into the ring and out to subscribers
/// under one lock, so an attach sees every byte exactly once: either in its replay or in its stream.
/// Nothing a socket calls blocks: input goes straight to the PTY when it has room and nothing is queued, else
/// through a serial queue of the hub's own, as resizes do.
public final class TerminalHub: TerminalEndpoint {
    let name: String
    private let process: PTYProcess
    private let state: Mutex<State>
    private let onExit: @Sendable (TerminalHub) -> Void
    /// Writes and resizes that must wait (the PTY had no room, or earlier ones are queued) and the final close of
    /// the master, in order and off the caller's thread: a write waits while the shell does not read its input,
    /// and must never hold a thread of the cooperative pool.
    private let io: DispatchQueue
    /// The master's writers: input and resizes happen at once on the caller's thread when nothing is queued on
    /// `io` before them, else in order on `io`; the master is closed under the same lock, so no write reaches a
    /// closed (or reused) descriptor.
    private let writers = Mutex(Writers())

    private struct Writers {
        /// Jobs queued on `io` and not yet done: while there are any, new ones queue behind them.
        var queued = 0
        var closed = false
    }
    /// Milliseconds since the epoch of the last input or output.
    private let lastActivityMs = Atomic<Int64>(0)
    /// Most chunks a subscriber may have queued before it is cut off to resume by offset.
    static let subscriberQueueLimit = 512

    private struct State {
        var ring: OutputRing
        var subscribers: [UUID: Subscriber] = [:]
        var exitCode: Int32?
        var cols: Int
        var rows: Int
        /// Bytes of input taken so far (what a workspace agent's server resumes from after a lost link).
        var inputTaken: UInt64 = 0
    }

    /// Starts `argv` on a PTY, and a reader thread for it, off the cooperative pool (see ``BlockingCalls``).
    static func start(
        name: String, argv: [String], environment: [String: String], cwd: String, rows: Int, cols: Int,
        limits: ShellLimits, onExit: @escaping @Sendable (TerminalHub) -> Void
    ) async throws -> TerminalHub {
        try await BlockingCalls.run {
            let process = try PTYProcess(
                argv: argv, environment: environment, cwd: cwd, rows: rows, cols: cols, limits: limits)
            return TerminalHub(name: name, process: process, rows: rows, cols: cols, onExit: onExit)
        }
    }

    private init(
        name: String, process: PTYProcess, rows: Int, cols: Int, onExit: @escaping @Sendable (TerminalHub) -> Void
    ) {
        self.name = name
        self.process = process
        self.state = Mutex(State(ring: OutputRing(capacity: Self.ringCapacity), cols: cols, rows: rows))
        self.onExit = onExit
        self.io = DispatchQueue(label: "vibe.pty-io.\(name)")
        let thread = Thread { [self] in self.readLoop() }
        thread.name = "pty-\(name)"
        thread.stackSize = 256 << 10
        thread.start()
    }

    /// Bytes of output kept for replay (the ring grows to this as output arrives).
    static let ringCapacity = 1 << 20

    /// True once the shell has exited and been reaped.
    var hasExited: Bool { state.withLock { $0.exitCode != nil } }

    /// The process id of the shell (for tests and logs).
    var pid: pid_t { process.pid }

    /// A socket attached to the terminal: its end events, and where its output goes when not into them.
    private struct Subscriber {
        let events: AsyncStream<TerminalHubEvent>.Continuation
        let sink: (any TerminalOutputSink)?

        /// Hands `chunk` on; false when the subscriber is too far behind.
        func take(_ chunk: [UInt8]) -> Bool {
            if let sink { return sink.take(chunk) }
            if case .dropped = events.yield(.output(chunk)) { return false }
            return true
        }
    }

    /// Registers a subscriber and returns what it must send first. `created` is echoed in `attached`. With a
    /// `sink`, output goes to it on the reader thread, under the lock that keeps the ring (see the type's note).
    public func attach(offset: UInt64, created: Bool, sink: (any TerminalOutputSink)?) -> TerminalAttachment {
        let id = UUID()
        let (stream, continuation) = AsyncStream<TerminalHubEvent>.makeStream(
            bufferingPolicy: .bufferingOldest(Self.subscriberQueueLimit))
        return state.withLock { s in
            let replay: [UInt8]
            let start: UInt64
            let reset: Bool
            if let bytes = s.ring.bytes(from: offset) {
                (replay, start, reset) = (bytes, offset, false)
            } else {
                (replay, start, reset) = (s.ring.bytes(from: s.ring.startOffset) ?? [], s.ring.startOffset, true)
            }
            if let code = s.exitCode {
                continuation.yield(.exit(code))
                continuation.finish()
            } else {
                s.subscribers[id] = Subscriber(events: continuation, sink: sink)
            }
            let attached = TerminalAttached(term: name, offset: start, created: created, cols: s.cols, rows: s.rows)
            return TerminalAttachment(id: id, attached: attached, reset: reset, replay: replay, events: stream)
        }
    }

    /// Removes a subscriber (its socket closed).
    public func detach(_ id: UUID) {
        let c = state.withLock { $0.subscribers.removeValue(forKey: id) }
        c?.events.finish()
    }

    /// Sends input to the shell (queued; never blocks the caller).
    public func write(_ bytes: [UInt8]) { write(bytes, from: nil) }

    /// Sends input that starts at byte `offset` of everything sent to this terminal: bytes before
    /// ``inputTaken`` were taken already (a resend after a lost link) and are skipped, so each byte
    /// reaches the shell once. A nil offset takes every byte.
    func write(_ bytes: [UInt8], from offset: UInt64?) {
        let fresh: ArraySlice<UInt8> = state.withLock { s in
            let count = UInt64(bytes.count)
            guard let offset, offset < s.inputTaken else {
                // In order, unnumbered, or after a gap (bytes lost beyond what the server keeps): take all.
                s.inputTaken = max(s.inputTaken, offset ?? 0) + count
                return bytes[...]
            }
            let skip = min(s.inputTaken - offset, count)
            s.inputTaken += count - skip
            return bytes[Int(skip)...]
        }
        guard !fresh.isEmpty else { return }
        touch()
        writeInOrder(fresh)
    }

    /// Writes `bytes` to the shell at once when nothing is queued before them and the PTY has room (the usual case
    /// for a keystroke: no thread hop); else queues what is left behind the earlier writes.
    private func writeInOrder(_ bytes: ArraySlice<UInt8>) {
        let rest: ArraySlice<UInt8>? = writers.withLock { w in
            guard !w.closed else { return nil }
            if w.queued == 0 {
                guard let written = process.writeNow(bytes), written < bytes.count else { return nil }
                w.queued += 1
                return bytes.dropFirst(written)
            }
            w.queued += 1
            return bytes
        }
        guard let rest else { return }
        let chunk = Array(rest)
        io.async { [self] in
            // Only `io` closes the master, so it is still open here unless an earlier job closed it.
            if !writers.withLock({ $0.closed }) { process.write(chunk[...]) }
            writers.withLock { $0.queued -= 1 }
        }
    }

    /// Runs `job` (a resize: it never blocks) at once when nothing is queued before it, else in order on `io`.
    private func inOrder(_ job: @escaping @Sendable () -> Void) {
        let now = writers.withLock { w -> Bool in
            guard !w.closed else { return true }
            if w.queued == 0 {
                job()
                return true
            }
            w.queued += 1
            return false
        }
        guard !now else { return }
        io.async { [self] in
            if !writers.withLock({ $0.closed }) { job() }
            writers.withLock { $0.queued -= 1 }
        }
    }

    /// Bytes of input taken so far.
    var inputTaken: UInt64 { state.withLock { $0.inputTaken } }

    /// The last input or output, nil before any.
    var lastActivity: Date? {
        let ms = lastActivityMs.load(ordering: .relaxed)
        return ms == 0 ? nil : Date(timeIntervalSince1970: Double(ms) / 1000)
    }

    private func touch() {
        lastActivityMs.store(Int64(Date().timeIntervalSince1970 * 1000), ordering: .relaxed)
    }

    /// Resizes the PTY; the most recent resize from any client wins.
    public func resize(rows: Int, cols: Int) {
        state.withLock { s in
            s.rows = rows
            s.cols = cols
        }
        inOrder { [process] in process.resize(rows: rows, cols: cols) }
    }

    /// Current size.
    public var size: TerminalSize { state.withLock { TerminalSize(rows: $0.rows, cols: $0.cols) } }

    /// Number of attached clients.
    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Closes every attached socket with `code` while the shell keeps running (clients resume by offset).
    func disconnectSubscribers(code: UInt16, reason: String) {
        let subs = state.withLock { s -> [AsyncStream<TerminalHubEvent>.Continuation] in
            defer { s.subscribers.removeAll() }
            return s.subscribers.values.map(\.events)
        }
        for c in subs {
            c.yield(.closed(code: code, reason: reason))
            c.finish()
        }
    }

    /// Hangs up the PTY (SIGHUP to the shell, as closing a terminal window does); the shell's exit then
    /// reaches every client as an `exit` envelope and a 1000 close.
    public func hangUp() {
        signalShell(SIGHUP, SIGCONT)
        // A program that ignores the hang-up is killed after a grace period.
        DispatchQueue.global().asyncAfter(deadline: .now() + 3) { [self] in signalShell(SIGKILL) }
    }

    /// Signals the shell unless it has been reaped (its pid may then be another process's): the reap
    /// happens under the same lock.
    private func signalShell(_ signals: Int32...) {
        state.withLock { s in
            guard s.exitCode == nil else { return }
            for sig in signals { process.signal(sig) }
        }
    }

    /// Ends the shell (SIGHUP, then SIGKILL if needed) and tells every subscriber with `code`.
    func terminate(closeCode: UInt16, reason: String) {
        let subs = state.withLock { s -> [AsyncStream<TerminalHubEvent>.Continuation] in
            let all = s.subscribers.values.map(\.events)
            s.subscribers.removeAll()
            return all
        }
        for c in subs {
            c.yield(.closed(code: closeCode, reason: reason))
            c.finish()
        }
        signalShell(SIGHUP, SIGCONT)
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) { [self] in signalShell(SIGKILL) }
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while let bytes = process.read(into: &buffer) {
            let chunk = Array(bytes)
            touch()
            state.withLock { s in
                s.ring.append(chunk)
                var lagging: [UUID] = []
                for (id, subscriber) in s.subscribers where !subscriber.take(chunk) { lagging.append(id) }
                for id in lagging {
                    // The queue is full: the client must resume by offset from the ring.
                    s.subscribers.removeValue(forKey: id)?.events.finish()
                }
            }
        }
        process.waitForExit()
        let (code, subs) = state.withLock { s -> (Int32, [AsyncStream<TerminalHubEvent>.Continuation]) in
            let code = process.reap()
            s.exitCode = code
            let all = s.subscribers.values.map(\.events)
            s.subscribers.removeAll()
            return (code, all)
        }
        io.async { [self] in
            writers.withLock { w in
                w.closed = true
                process.closeMaster()
            }
        }
        for c in subs {
            c.yield(.exit(code))
            c.finish()
        }
        onExit(self)
    }
}
