import TerminalEmulator

extension AppController {
    /// Handles a mouse report: apps that asked for the mouse get it; otherwise clicks focus panes and
    /// select text, the wheel scrolls history (copy mode) and the tree.
    func handleMouse(_ m: MouseEvent) {
        switch mode {
        case .normal, .prefix, .confirmKill: break
        case .rename: return
        case .help(let scroll):
            let page = helpPage(scroll: scroll)
            if m.button == .wheelUp {
                mode = .help(scroll: max(0, scroll - 3))
            } else if m.button == .wheelDown {
                mode = .help(scroll: min(page.maxScroll, scroll + 3))
            } else if m.action == .press {
                mode = .normal
            }
            fullRedraw = true
            return
        case .chooser:
            if m.action == .press { mode = .normal }
            fullRedraw = true
            return
        }
        guard isRunning else { return }
        if treeRect.contains(row: m.row, col: m.col) {
            handleTreeMouse(m)
            return
        }
        guard let id = layout.activeWindow.pane(atRow: m.row, col: m.col, in: paneArea),
            let rect = frames().first(where: { $0.0 == id })?.1
        else { return }
        if m.action == .press, m.button == .left || m.button == .right || m.button == .middle {
            if layout.focusedPane != id || treeFocused {
                _ = layout.activeWindow.focus(id)
                treeFocused = false
                fullRedraw = true
            }
        }
        switch panes[id] {
        case .viewer(let v)?:
            if m.button == .wheelUp { v.scroll(by: -3, height: rect.rows) }
            if m.button == .wheelDown { v.scroll(by: 3, height: rect.rows) }
        case .terminal(let t)?:
            handleTerminalMouse(m, t, rect)
        case nil:
            break
        }
    }

    private func handleTerminalMouse(_ m: MouseEvent, _ t: TerminalPane, _ rect: Rect) {
        let row = m.row - rect.row
        let col = m.col - rect.col
        if t.copyMode == nil, t.emulator.modes.mouseTracking != .none {
            var local = m
            local.row = row
            local.col = col
            t.link.send(KeyEncoder.encodeMouse(local, modes: t.emulator.modes))
            return
        }
        let lines = EmulatorLines(terminal: t.emulator)
        switch (m.button, m.action) {
        case (.wheelUp, _):
            if t.copyMode == nil { enterCopyMode() }
            t.copyMode?.scroll(by: -3, lines)
            t.needsFullRedraw = true
        case (.wheelDown, _):
            t.copyMode?.scroll(by: 3, lines)
            if let copy = t.copyMode, copy.anchor == nil, copy.atBottom(lines) { t.copyMode = nil }
            t.needsFullRedraw = true
        case (.left, .press):
            dragStart = (t.id, row, col)
            if t.copyMode?.anchor != nil { t.copyMode = nil }
            t.needsFullRedraw = true
        case (.left, .motion):
            guard let start = dragStart, start.pane == t.id else { return }
            if t.copyMode == nil {
                enterCopyMode()
                t.copyMode?.moveCursor(toViewRow: start.row, col: start.col, lines)
                t.copyMode?.startSelection()
            }
            t.copyMode?.moveCursor(toViewRow: max(0, min(rect.rows - 1, row)), col: col, lines)
            t.needsFullRedraw = true
        case (.left, .release):
            defer { dragStart = nil }
            if let copy = t.copyMode, copy.anchor != nil, dragStart != nil {
                finishCopy(copy.selectedText(lines), t)
            }
        default:
            break
        }
    }

    private func handleTreeMouse(_ m: MouseEvent) {
        let height = max(1, treeRect.rows - 1)
        switch (m.button, m.action) {
        case (.wheelUp, _): tree.scroll(by: -3, height: height)
        case (.wheelDown, _): tree.scroll(by: 3, height: height)
        case (.left, .press):
            treeFocused = true
            let index = tree.scrollOffset + m.row - treeRect.row - 1
            guard index >= 0, let row = tree.visibleRows(from: index, count: 1, now: .now).first else { break }
            if tree.selectedPath == row.path, row.isDir {
                _ = tree.toggle(row.path)
            } else {
                _ = tree.select(path: row.path)
            }
        default: return
        }
        fullRedraw = true
    }
}
