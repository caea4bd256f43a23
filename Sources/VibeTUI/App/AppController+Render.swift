import Foundation
import TerminalEmulator

extension AppController {
    /// Draws one frame: only what changed unless `fullRedraw` is set.
    func render(now: ContinuousClock.Instant) {
        if screen.takePairsReset() { fullRedraw = true }
        if fullRedraw || chromeDirty { persistLayoutIfChanged() }
        if fullRedraw {
            screen.eraseAll()
            chromeDirty = true
        }
        guard isRunning else {
            renderGate()
            finishFrame(cursor: nil)
            return
        }
        let frames = self.frames()
        if fullRedraw { drawBorders() }
        if treeRect.cols > 0, fullRedraw || chromeDirty {
            FileTreePane.draw(
                tree, in: treeRect, focused: treeFocused, loaded: treeLoaded, styles: styles, on: screen, now: now)
        }
        for (id, rect) in frames {
            switch panes[id] {
            case .terminal(let t)? where !fullRedraw && t.holdsFrame(now: now):
                continue  // inside a synchronized update: drawn when it ends (its dirty rows wait)
            case .terminal(let t)?:
                TerminalPaneRenderer.draw(t, in: rect, on: screen, full: fullRedraw || t.needsFullRedraw)
                t.needsFullRedraw = false
                if let banner = t.outage, rect.rows > 0 {
                    let text = " " + banner.text(now: now)
                    screen.fill(row: rect.row, col: rect.col, rows: 1, cols: rect.cols, style: styles.banner)
                    screen.text(row: rect.row, col: rect.col, text, style: styles.banner, width: rect.cols)
                }
            case .viewer(let v)?:
                if fullRedraw || v.needsFullRedraw { v.draw(in: rect, on: screen) }
            case nil:
                if fullRedraw { screen.fill(row: rect.row, col: rect.col, rows: rect.rows, cols: rect.cols, style: .plain) }
            }
        }
        if case .help(let scroll) = mode {
            let page = helpPage(scroll: scroll)
            mode = .help(scroll: page.scroll)
            Overlay.draw(page.lines, footer: page.footer, rows: screen.rows - 1, cols: screen.cols, on: screen)
        } else if case .chooser(let chooser) = mode {
            Overlay.draw(
                chooser.lines(), footer: "↑↓ choose · Enter switch · Esc close", rows: screen.rows - 1,
                cols: screen.cols, on: screen)
        } else if showHUD {
            var info = statusInfo()
            info.echoDistribution = focusedTerminal?.link.channel?.echoLatency.distribution(bucketsMicros: HUD.bucketsMicros)
            Overlay.draw(HUD.lines(info), footer: "prefix h closes", rows: screen.rows - 1, cols: screen.cols,
                         on: screen)
        }
        finishFrame(cursor: mode.showsOverlay || showHUD ? nil : cursorPosition(frames))
    }

    /// The help overlay's page for the current screen size at `scroll`.
    func helpPage(scroll: Int) -> HelpView.Page {
        HelpView.page(
            entries: settings.bindings.helpLines(), prefix: settings.bindings.prefix.description,
            rows: screen.rows - 1, cols: screen.cols, scroll: scroll)
    }

    private func renderGate() {
        guard case .gate(let progress, let failure) = phase else { return }
        let lines = ReadyGateView.lines(session: session, progress: progress, failure: failure)
        let content = max(0, screen.rows - 1)
        screen.fill(row: 0, col: 0, rows: content, cols: screen.cols, style: .plain)
        for (i, line) in lines.prefix(content).enumerated() {
            screen.text(row: i + 1, col: 2, line, style: i == 0 ? .bold : .plain, width: max(0, screen.cols - 2))
        }
    }

    private func drawBorders() {
        let active = styles.borderActive
        for b in layout.activeWindow.borders(in: paneArea) {
            let style = b.isActive ? active : styles.border
            for i in 0..<b.length {
                switch b.orientation {
                case .vertical: screen.put(row: b.row + i, col: b.col, scalar: "│", style: style)
                case .horizontal: screen.put(row: b.row, col: b.col + i, scalar: "─", style: style)
                }
            }
        }
        if treeRect.cols > 0 {
            let style = treeFocused ? active : styles.border
            for r in 0..<treeRect.rows { screen.put(row: r, col: treeRect.right, scalar: "│", style: style) }
        }
    }

    /// Where the hardware cursor goes: the focused pane's cursor (or copy cursor), nil to hide it.
    private func cursorPosition(_ frames: [(PaneID, Rect)]) -> (Int, Int)? {
        guard !treeFocused, mode.renameText == nil, let t = focusedTerminal,
            let rect = frames.first(where: { $0.0 == t.id })?.1, !rect.isEmpty
        else { return nil }
        if let copy = t.copyMode {
            return (rect.row + copy.cursor.line - copy.top, rect.col + copy.cursor.col)
        }
        let c = t.emulator.cursor
        guard c.visible, c.row < rect.rows, c.col < rect.cols else { return nil }
        return (rect.row + c.row, rect.col + c.col)
    }

    private func finishFrame(cursor: (Int, Int)?) {
        let info = statusInfo()
        let renaming = mode.renameText
        if chromeDirty || info != lastStatus || renaming != nil {
            if let prompt = renaming {
                screen.fill(row: screen.rows - 1, col: 0, rows: 1, cols: screen.cols, style: styles.status)
                screen.text(row: screen.rows - 1, col: 0, " rename window: \(prompt)", style: styles.status, width: screen.cols)
            } else {
                StatusBar.draw(info, row: screen.rows - 1, width: screen.cols, style: styles.status, on: screen)
            }
            lastStatus = info
        }
        if let prompt = renaming {
            screen.setCursor(row: screen.rows - 1, col: min(screen.cols - 1, 16 + prompt.displayWidth), visible: true)
        } else if let (r, c) = cursor {
            screen.setCursor(row: r, col: c, visible: true)
        } else {
            screen.setCursor(row: 0, col: 0, visible: false)
        }
        screen.update()
        fullRedraw = false
        chromeDirty = false
    }

    /// The status bar's data for this frame.
    func statusInfo() -> StatusInfo {
        let channel = focusedTerminal?.link.channel
        var reconnects = fsReconnects
        for case .terminal(let t) in panes.values { reconnects += t.reconnects }
        var message: String?
        if mode == .prefix { message = "[prefix]" }
        if let t = focusedTerminal, t.copyMode != nil { message = "[copy mode]" }
        if treeFocused { message = "[tree: ↑↓ move, Enter open/toggle, v view, Esc back]" }
        if let n = notice {
            if n.until > .now { message = n.text } else { notice = nil }
        }
        if case .confirmKill(let id) = mode { message = "kill-pane \(terminalName(id))? (y/n)" }
        return StatusInfo(
            session: session ?? "…", state: sessionState,
            windows: layout.windows.enumerated().map { ($0.offset, $0.element.name, $0.offset == layout.active) },
            terminalConnected: focusedTerminal?.connected ?? false, fsConnected: fsConnected,
            echo: channel?.echoLatency.snapshot() ?? .empty, ping: channel?.pingLatency.snapshot() ?? .empty,
            readyMs: readyMs, reconnects: reconnects, message: message, env: env)
    }
}
