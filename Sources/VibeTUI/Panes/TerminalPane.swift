import TerminalEmulator
import VibeClient

/// One terminal pane on the UI thread: the emulator fed by the remote terminal, the link that carries
/// keys back, and what the chrome shows about its connection.
final class TerminalPane {
    /// Most output bytes fed to one emulator per frame; the rest waits for the next frame.
    static let feedBudget = 256 * 1024

    let id: PaneID
    let link: PaneLink
    let emulator: Terminal
    private var backlog = OutputBacklog()
    /// The outage being shown as a banner, if any.
    var outage: OutageBanner?
    /// Outages seen so far (the status bar's reconnect count).
    private(set) var reconnects = 0
    /// True when the socket is connected (status bar ●).
    private(set) var connected = false
    /// Set when the shell exited.
    var exitCode: Int32?
    /// Copy mode / scrollback view, when active.
    var copyMode: CopyMode?
    /// Set when the whole pane must be repainted on the next frame.
    var needsFullRedraw = true
    /// The colours the pane's program changed (drawn in this pane only).
    private(set) var colors = PaneColors()

    /// Takes the program's colour changes (after `.colorsChanged`) and repaints the pane.
    func refreshColors() {
        colors = PaneColors(of: emulator)
        needsFullRedraw = true
    }
    /// The size last sent to the server.
    private var sentSize: (cols: Int, rows: Int)?

    /// A pane whose emulator is `cols`×`rows` with `scrollback` lines of history.
    /// Colour queries (OSC 4, 10-12) are answered from `theme`.
    init(id: PaneID, link: PaneLink, cols: Int, rows: Int, scrollback: Int, theme: Theme = .builtinDefault) {
        self.id = id
        self.link = link
        self.emulator = Terminal(cols: max(1, cols), rows: max(1, rows), scrollbackLimit: scrollback)
        emulator.colorScheme = TerminalColorScheme(theme: theme)
        sentSize = (max(1, cols), max(1, rows))
    }

    /// True when output waits to be fed.
    var hasBacklog: Bool { !backlog.isEmpty }
    /// Bytes waiting to be fed.
    var backlogBytes: Int { backlog.count }

    /// Queues received output.
    func receive(_ bytes: [UInt8]) {
        backlog.append(bytes)
    }

    /// The server lost our offset: clear the screen model; the replay that follows redraws it.
    func reset() {
        backlog.removeAll()
        emulator.feed(Array("\u{1b}c\u{1b}[3J".utf8))
        copyMode = nil
        needsFullRedraw = true
    }

    /// Bytes fed between two looks at the clock.
    static let feedSlice = 16 * 1024

    /// Feeds waiting bytes — at most `feedBudget`, and no more slices once `deadline` has passed or `interrupt`
    /// says so (the first slice always goes in) — sends the emulator's replies back and returns its events.
    /// The deadline keeps frames coming when parsing is slow (a flood, a debug build); the interrupt lets a key
    /// or an echo through without waiting for the rest of the slice budget.
    func pump(
        deadline: ContinuousClock.Instant? = nil, interrupt: () -> Bool = { false }
    ) -> [TerminalEmulator.TerminalEvent] {
        guard !backlog.isEmpty else { return [] }
        let emulator = self.emulator
        var fed = 0
        while !backlog.isEmpty, fed < Self.feedBudget {
            if fed > 0, interrupt() || deadline.map({ ContinuousClock.now >= $0 }) == true { break }
            backlog.take(upTo: Self.feedSlice) { slice in
                fed += slice.count
                slice.withUnsafeBytes { emulator.feed($0) }
            }
        }
        link.send(emulator.takeReplies())
        synchronized.observe(emulator.modes.synchronizedOutput, at: .now)
        return emulator.takeEvents()
    }

    /// The program's synchronized update (mode 2026), if it is in one.
    private var synchronized = SynchronizedUpdate()

    /// True while the pane holds its drawing back for a synchronized update (see ``SynchronizedUpdate``).
    func holdsFrame(now: ContinuousClock.Instant) -> Bool { synchronized.holds(at: now) }

    /// Resizes the emulator to the pane's new rectangle and tells the server (only when it changed).
    func resize(cols: Int, rows: Int) {
        let c = max(1, cols)
        let r = max(1, rows)
        if emulator.cols != c || emulator.rows != r {
            emulator.resize(cols: c, rows: r)
            copyMode = nil
        }
        if sentSize?.cols != c || sentSize?.rows != r {
            sentSize = (c, r)
            link.resize(cols: c, rows: r)
        }
        needsFullRedraw = true
    }

    /// Applies a connection event: banner on outage start, countdown updates, banner cleared on the end.
    func apply(_ event: ChannelEvent, now: ContinuousClock.Instant) {
        switch event {
        case .outageStarted(let reason):
            reconnects += 1
            outage = OutageBanner(reason: "\(reason)", since: now)
            connected = false
        case .outageEnded:
            outage = nil
            needsFullRedraw = true
        case .state(let state):
            switch state {
            case .connected: connected = true
            case .disconnected(_, let retryIn):
                connected = false
                outage?.retryAt = retryIn.map { now + $0 }
                outage?.attempt = nil
            case .reconnecting(let attempt): outage?.attempt = attempt
            case .waitingForReady: outage?.waitingForReady = true
            case .connecting, .closed: connected = false
            }
        }
    }
}

/// What the outage banner shows.
struct OutageBanner {
    /// Why the connection dropped.
    var reason: String
    /// When the outage started.
    var since: ContinuousClock.Instant
    /// When the next reconnect attempt starts, if known.
    var retryAt: ContinuousClock.Instant?
    /// The reconnect attempt under way, if any.
    var attempt: Int?
    /// True while the server says the session is not ready.
    var waitingForReady = false

    /// The banner's text at `now`: how long the outage has lasted, why, and what happens next.
    func text(now: ContinuousClock.Instant) -> String {
        var s = "connection lost \(Self.elapsed(now - since)) ago (\(reason)) — "
        if let attempt {
            s += "reconnecting (attempt \(attempt))…"
        } else if waitingForReady {
            s += "waiting for the session to be ready…"
        } else if let retryAt {
            let left = max(0, (retryAt - now).components.seconds) + ((retryAt - now) > .zero ? 1 : 0)
            s += "reconnecting in \(left) s"
        } else {
            s += "reconnecting…"
        }
        return s + "; typing is kept"
    }

    /// `7 s`, `2 min 05 s`, `1 h 02 min`.
    static func elapsed(_ d: Duration) -> String {
        let total = max(0, Int(d.components.seconds))
        if total < 60 { return "\(total) s" }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if total < 3600 { return "\(total / 60) min \(two(total % 60)) s" }
        return "\(total / 3600) h \(two(total % 3600 / 60)) min"
    }
}
