import Foundation
import TerminalEmulator
import VibeClient
import VibeProtocol

/// What a pane shows.
enum PaneContent {
    case terminal(TerminalPane)
    case viewer(ViewerPane)
}

/// The TUI's state, owned by the UI thread: layout, panes, tree, overlays; applies queued events,
/// input and frames. Rendering lives in `AppController+Render`, input in `AppController+Input`.
final class AppController {
    enum Phase {
        /// Waiting for the session (ready gate), or showing why it failed.
        case gate(progress: ReadyProgress?, failure: OpenFailure?)
        /// Panes are live.
        case running
    }

    let screen: CursesScreen
    let connector: SessionConnector
    let queue: EventQueue
    let settings: TUISettings
    let styles: ChromeStyles
    var phase: Phase = .gate(progress: nil, failure: nil)
    var session: String?
    var sessionState = "opening"
    var readyMs: Int?
    var layout = SessionLayout()
    var panes: [PaneID: PaneContent] = [:]
    var tree = FileTreeModel()
    var treeLoaded = false
    var treeVisible: Bool
    var treeWidth: Int
    var treeFocused = false
    var pendingFSEvents: [FSEvent] = []
    var fsConnected = false
    var fsReconnects = 0
    var prefixPending = false
    var showHelp = false
    /// First help entry shown when the help overlay does not fit the screen.
    var helpScroll = 0
    var showHUD = false
    var renamePrompt: String?
    /// The pane `x` asked about (`kill-pane wNpM? (y/n)` in the status line), until y or n.
    var killPrompt: PaneID?
    /// Panes whose shell was asked to end, and when; each closes on its exit (or after `killGrace`).
    var killing: [PaneID: ContinuousClock.Instant] = [:]
    var notice: (text: String, until: ContinuousClock.Instant)?
    var clipboard: [UInt8] = []
    /// Inputs that only went to a pane's program (nothing on screen changes until its output comes
    /// back); the UI loop skips the frame for those so the echo is not held for the next frame slot.
    var passThroughInputs = 0
    /// Keys went to the focused pane since the last frame: its next output (the echo) is drawn at once,
    /// without waiting for the frame pacer (at most one such frame per batch of keys).
    var typedSinceFrame = false
    /// Set when output answers typing; the UI loop draws without waiting for the pacer.
    var urgentFrame = false
    /// Set when everything must be repainted (layout, overlays, resize).
    var fullRedraw = true
    /// Set when the status bar must be redrawn.
    var chromeDirty = true
    var lastStatus: StatusInfo?
    /// Set when the loop should end, with the reason.
    var exit: TUIExit?
    /// Where panes are drawn, computed by `relayout()`.
    var paneArea = Rect(row: 0, col: 0, rows: 0, cols: 0)
    var treeRect = Rect(row: 0, col: 0, rows: 0, cols: 0)
    /// Mouse drag start in a pane (for selections), screen coordinates.
    var dragStart: (pane: PaneID, row: Int, col: Int)?

    /// How long a killed pane waits for its shell's exit before it is closed anyway.
    static let killGrace: Duration = .seconds(5)

    /// Time spent feeding output to emulators per frame.
    static let feedTime: Duration = .milliseconds(12)

    /// Most fs events applied to the tree per frame.
    static let fsBatch = 2000

    init(screen: CursesScreen, connector: SessionConnector, queue: EventQueue, settings: TUISettings) {
        self.screen = screen
        self.connector = connector
        self.queue = queue
        self.settings = settings
        self.styles = ChromeStyles(theme: settings.theme)
        self.treeVisible = settings.treeVisible
        self.treeWidth = max(8, settings.treeWidth)
    }

    var isRunning: Bool {
        if case .running = phase { return true }
        return false
    }

    /// The focused pane's terminal, if it is one.
    var focusedTerminal: TerminalPane? {
        guard case .terminal(let t)? = panes[layout.focusedPane] else { return nil }
        return t
    }

    // MARK: queued events

    /// Applies one event from the async side.
    func apply(_ event: UIEvent) {
        let now = ContinuousClock.now
        switch event {
        case .sessionOpened(let id):
            session = id
            chromeDirty = true
            fullRedraw = true
        case .readyProgress(let progress):
            applyReady(progress)
        case .openFailed(let failure):
            phase = .gate(progress: nil, failure: failure)
            fullRedraw = true
        case .output(let id, let bytes):
            if case .terminal(let t)? = panes[id] { t.receive(bytes) }
            if typedSinceFrame, id == layout.focusedPane { urgentFrame = true }
        case .reset(let id):
            if case .terminal(let t)? = panes[id] { t.reset() }
        case .exited(let id, let code):
            guard panes[id] != nil else { return }
            if killing.removeValue(forKey: id) != nil {
                show("pane \(terminalName(id)) killed")
                closePane(id, exitCode: 0)
            } else {
                show("pane \(terminalName(id)) exited with \(code)")
                closePane(id, exitCode: code)
            }
        case .paneError(_, let text):
            show("server: \(text)")
        case .connection(let id, let ev):
            if case .terminal(let t)? = panes[id] {
                t.apply(ev, now: now)
                t.needsFullRedraw = true
            }
            chromeDirty = true
        case .tree(let snapshot):
            tree.apply(snapshot: snapshot, at: nil)
            treeLoaded = true
            chromeDirty = true
        case .fs(.snapshot(let snapshot)):
            pendingFSEvents.removeAll()
            tree.apply(snapshot: snapshot, at: now)
            treeLoaded = true
            chromeDirty = true
        case .fs(.event(let e)):
            pendingFSEvents.append(e)
        case .fsConnection(let ev):
            switch ev {
            case .state(let s): fsConnected = s == .connected
            case .outageStarted: fsReconnects += 1
            case .outageEnded: break
            }
            chromeDirty = true
        case .fileLoaded(let path, let result):
            for case .viewer(let v) in panes.values where v.path == path {
                switch result {
                case .success(let text): v.load(text)
                case .failure(let f): v.load("\(f.code): \(f.message)")
                }
            }
        case .windowResized:
            screen.refreshSize()
            relayout()
        }
    }

    private func applyReady(_ progress: ReadyProgress) {
        switch progress.state {
        case .ready:
            sessionState = "ready"
            readyMs = progress.lastStatus?.readyMs ?? progress.elapsedMs
            startPanes()
        case .failed(let code):
            let message = progress.lastStatus?.message ?? progress.lastError ?? "the session failed to start"
            phase = .gate(progress: progress, failure: OpenFailure(code: code.rawValue, message: message))
        case .timedOut:
            phase = .gate(
                progress: progress,
                failure: OpenFailure(code: "READY_TIMEOUT", message: "not ready after \(progress.elapsedMs) ms"))
        case .idle, .polling:
            sessionState = progress.lastStatus?.state.rawValue ?? sessionState
            phase = .gate(progress: progress, failure: nil)
        }
        fullRedraw = true
    }

    /// The session is ready: open the first pane and follow the files.
    private func startPanes() {
        guard !isRunning, let session else { return }
        phase = .running
        relayout()
        for id in layout.allPanes where panes[id] == nil { openTerminal(id) }
        connector.followFiles(session: session)
        relayout()
    }

    /// Retries opening after a failure (`r` on the gate).
    func retryOpen() {
        guard case .gate(_, let failure) = phase, failure != nil else { return }
        phase = .gate(progress: nil, failure: nil)
        fullRedraw = true
        connector.open()
    }

    // MARK: panes

    /// Opens the remote terminal of `id` sized to its current frame.
    func openTerminal(_ id: PaneID) {
        guard let session else { return }
        let window = layout.windowIndex(containing: id) ?? 0
        let frame = frames().first { $0.0 == id }?.1 ?? paneArea
        let term = "w\(window)p\(id.value)"
        let link = PaneLink(
            client: connector.client, session: session, term: term, pane: id, cols: frame.cols, rows: frame.rows,
            queue: queue)
        panes[id] = .terminal(
            TerminalPane(
                id: id, link: link, cols: frame.cols, rows: frame.rows, scrollback: settings.scrollback,
                theme: settings.theme))
    }

    /// The remote terminal's name of a pane (`w0p1`), or its number for viewers.
    func terminalName(_ id: PaneID) -> String {
        if case .terminal(let t)? = panes[id] { return t.link.term }
        return "\(id.value)"
    }

    /// `x`: a viewer closes at once; a terminal asks `kill-pane wNpM? (y/n)` first.
    func requestClose() {
        let id = layout.focusedPane
        switch panes[id] {
        case .terminal?:
            killPrompt = id
        case .viewer?, nil:
            panes[id] = nil
            if layout.closePane(id) == .lastPane { show("the last pane cannot be closed; q quits") }
            relayout()
        }
        chromeDirty = true
    }

    /// Answers the kill prompt: `y` ends the remote shell (the pane closes on its exit), anything else keeps it.
    func answerKill(_ yes: Bool) {
        guard let id = killPrompt else { return }
        killPrompt = nil
        chromeDirty = true
        guard yes, case .terminal(let t)? = panes[id] else { return }
        killing[id] = .now
        t.link.kill()
        show("killing pane \(t.link.term)…")
    }

    /// Closes killed panes whose exit never came (e.g. the kill is still waiting for a reconnect).
    func expireKills(now: ContinuousClock.Instant) {
        for (id, since) in killing where now - since > Self.killGrace {
            killing[id] = nil
            if panes[id] != nil { closePane(id, exitCode: 0) }
        }
    }

    /// Closes a pane: its channel is closed (the remote shell keeps running unless it exited or was killed).
    func closePane(_ id: PaneID, exitCode: Int32? = nil) {
        if killPrompt == id { killPrompt = nil }
        let result = layout.closePane(id)
        if result == .lastPane {
            if let exitCode { exit = .shellExited(exitCode) } else { show("the last pane cannot be closed; q quits") }
            return
        }
        if case .terminal(let t)? = panes.removeValue(forKey: id) { t.link.close() }
        relayout()
    }

    /// The visible panes of the active window and their rectangles.
    func frames() -> [(PaneID, Rect)] {
        layout.activeWindow.frames(in: paneArea)
    }

    /// Recomputes the areas after a layout or size change and resizes every visible pane.
    func relayout() {
        let contentRows = max(0, screen.rows - 1)
        let showTree = treeVisible && isRunning && screen.cols >= treeWidth + 12
        if showTree {
            treeRect = Rect(row: 0, col: 0, rows: contentRows, cols: treeWidth)
            paneArea = Rect(row: 0, col: treeWidth + 1, rows: contentRows, cols: screen.cols - treeWidth - 1)
        } else {
            treeRect = Rect(row: 0, col: 0, rows: 0, cols: 0)
            paneArea = Rect(row: 0, col: 0, rows: contentRows, cols: screen.cols)
            treeFocused = false
        }
        for (id, rect) in frames() {
            if case .terminal(let t)? = panes[id], !rect.isEmpty { t.resize(cols: rect.cols, rows: rect.rows) }
        }
        fullRedraw = true
    }

    /// Shows a short notice in the status bar for a few seconds.
    func show(_ text: String) {
        notice = (text, .now + .seconds(4))
        chromeDirty = true
    }

    // MARK: per frame

    /// Feeds pending output (bounded per pane) and fs events (bounded per frame). Returns true when
    /// something changed on screen.
    func pump() -> Bool {
        var changed = false
        if !killing.isEmpty { expireKills(now: .now) }
        // Small backlogs first (a pane echoing keys is never stuck behind a flooding one); the time
        // budget keeps at least ~40 frames per second however much output waits.
        let waiting = panes.values.compactMap { p -> TerminalPane? in
            if case .terminal(let t) = p, t.hasBacklog { return t }
            return nil
        }.sorted { $0.backlogBytes < $1.backlogBytes }
        let deadline = ContinuousClock.now + Self.feedTime
        for t in waiting {
            for event in t.pump(deadline: deadline) { handleEmulatorEvent(event, from: t) }
            changed = true
        }
        if !pendingFSEvents.isEmpty {
            let batch = pendingFSEvents.prefix(Self.fsBatch)
            tree.apply(batch, at: .now)
            pendingFSEvents.removeFirst(batch.count)
            changed = true
            chromeDirty = true
        }
        return changed
    }

    /// True when output or fs events are waiting to be applied.
    var hasBacklog: Bool {
        if !pendingFSEvents.isEmpty { return true }
        for case .terminal(let t) in panes.values where t.hasBacklog { return true }
        return false
    }

    private func handleEmulatorEvent(_ event: TerminalEmulator.TerminalEvent, from pane: TerminalPane) {
        switch event {
        case .bell: screen.bell()
        case .clipboardSet(_, let data): Clipboard.copy(data, file: nil, screen: screen)
        default: break
        }
    }

    /// Ends every pane's channel and the connector's tasks.
    func shutdown() async {
        for case .terminal(let t) in panes.values { t.link.close() }
        for case .terminal(let t) in panes.values { await t.link.closed() }
        await connector.stop()
    }
}
