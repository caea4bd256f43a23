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
    /// The file tree has the focus (keys go to it in `.normal` mode).
    var treeFocused = false
    var pendingFSEvents: [FSEvent] = []
    var fsConnected = false
    var fsReconnects = 0
    /// Where the next key goes.
    var mode = InputMode.normal
    var showHUD = false
    /// Remote terminal names of panes restored from the session's stored layout.
    var restoredTerminals: [PaneID: String] = [:]
    /// Files of viewer panes restored from the stored layout (opened with the panes).
    var restoredViewers: [PaneID: String] = [:]
    /// True once the "shells ended while you were away" notice was shown.
    var restartNoticeShown = false
    /// The layout document last sent to the server.
    var lastSavedLayout: SavedLayout?
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
    /// The workspace's latest CPU and memory (status socket).
    var env: EnvStatus?
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
        case .shellReplaced(let id, let dropped):
            let notice = TerminalChannelEvent.shellReplacedNotice(droppedInputBytes: dropped)
            if case .terminal(let t)? = panes[id] {
                t.reset()
                t.receive(Array("\u{1b}[7m[vibe] \(notice)\u{1b}[0m\r\n".utf8))
            }
            show(notice)
        case .attached(let id, let created):
            if created, restoredTerminals[id] != nil, !restartNoticeShown {
                restartNoticeShown = true
                show("shells had ended while you were away (e.g. the server restarted): new ones started, files kept")
            }
        case .layoutRestored(let saved):
            restore(saved)
        case .sessions(let result):
            if case .chooser(var chooser) = mode {
                chooser.load(result)
                mode = .chooser(chooser)
                fullRedraw = true
            }
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
        case .env(let env):
            self.env = env
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
            if let cell = screen.cellPixelSize {
                for case .terminal(let t) in panes.values { t.emulator.cellPixelSize = cell }
            }
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

    /// The session is ready: open its panes (those of the stored layout, else one) and follow the files.
    private func startPanes() {
        guard !isRunning, let session else { return }
        phase = .running
        relayout()
        for id in layout.allPanes where panes[id] == nil {
            if let path = restoredViewers[id] { attachViewer(id, path: path) } else { openTerminal(id) }
        }
        connector.followFiles(session: session)
        connector.followUsage(session: session)
        relayout()
    }

    /// Takes the session's stored layout before the panes open (a document that cannot be restored as it
    /// is, or comes after the panes opened, is ignored).
    private func restore(_ saved: SavedLayout?) {
        guard !isRunning, panes.isEmpty, let saved, saved.isRestorable else { return }
        layout = saved.layout
        for id in layout.allPanes {
            if let term = saved.terminal(of: id) { restoredTerminals[id] = term }
            if let path = saved.viewer(of: id) { restoredViewers[id] = path }
        }
        lastSavedLayout = saved
    }

    /// The layout document for the panes as they are now.
    func currentSavedLayout() -> SavedLayout {
        var terminals: [PaneID: String] = [:]
        var viewers: [PaneID: String] = [:]
        for (id, content) in panes {
            switch content {
            case .terminal(let t): terminals[id] = t.link.term
            case .viewer(let v): viewers[id] = v.path
            }
        }
        return SavedLayout(layout: layout, terminals: terminals, viewers: viewers)
    }

    /// Sends the layout to the server when it changed since the last save (called once per frame).
    func persistLayoutIfChanged() {
        guard isRunning, let session, layout.allPanes.allSatisfy({ panes[$0] != nil }) else { return }
        let current = currentSavedLayout()
        guard current != lastSavedLayout else { return }
        lastSavedLayout = current
        connector.saveLayout(current, session: session)
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
        let term = restoredTerminals[id] ?? "w\(window)p\(id.value)"
        let link = PaneLink(
            client: connector.client, session: session, term: term, pane: id, cols: frame.cols, rows: frame.rows,
            queue: queue)
        let pane = TerminalPane(
            id: id, link: link, cols: frame.cols, rows: frame.rows, scrollback: settings.scrollback, theme: settings.theme)
        // XTWINOPS pixel reports (`CSI 14 t`, `CSI 16 t`) answer with the outer terminal's real cell size.
        if let cell = screen.cellPixelSize { pane.emulator.cellPixelSize = cell }
        panes[id] = .terminal(pane)
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
            mode = .confirmKill(id)
        case .viewer?, nil:
            panes[id] = nil
            if layout.closePane(id) == .lastPane { show("the last pane cannot be closed; q quits") }
            relayout()
        }
        chromeDirty = true
    }

    /// Answers the kill prompt for `id`: `y` ends the remote shell (the pane closes on its exit), anything
    /// else keeps it.
    func answerKill(_ id: PaneID, yes: Bool) {
        mode = .normal
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
        if mode == .confirmKill(id) { mode = .normal }
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
    /// something changed on screen. Feeding stops early when `interrupt` says something cannot wait (a key
    /// typed, an echo arrived): what is left is fed in the frames after.
    func pump(interrupt: () -> Bool = { false }) -> Bool {
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
            for event in t.pump(deadline: deadline, interrupt: interrupt) { handleEmulatorEvent(event, from: t) }
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

    /// True while a pane holds its drawing back for a synchronized update (frames keep coming, so it is drawn
    /// as soon as the update ends or times out).
    var holdsSynchronizedPane: Bool {
        let now = ContinuousClock.now
        for case .terminal(let t) in panes.values where t.holdsFrame(now: now) { return true }
        return false
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
        case .colorsChanged: pane.refreshColors()
        // A program reading the clipboard (OSC 52 `?`) gets no answer: the clipboard is the user's, and a
        // program on a remote host has no business reading it (xterm's own default, allowWindowOps off).
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
