import Foundation
import TerminalEmulator

extension AppController {
    /// Handles one decoded input event.
    func handle(_ input: InputEvent) {
        switch input {
        case .key(let key, let mods): handleKey(key, mods)
        case .mouse(let m): handleMouse(m)
        case .paste(let bytes):
            if let t = focusedTerminal, !treeFocused, t.copyMode == nil {
                t.link.send(KeyEncoder.encodePaste(bytes, modes: t.emulator.modes))
            }
        case .focus(let focused):
            if let t = focusedTerminal { t.link.send(KeyEncoder.encodeFocus(focused, modes: t.emulator.modes)) }
        }
    }

    /// What has the focus in `.normal` mode, and so which key table applies.
    enum FocusTarget {
        case tree
        case viewer(ViewerPane)
        /// A terminal in copy mode (the copy-mode table).
        case copyMode(TerminalPane)
        /// A terminal: keys are encoded for its program.
        case terminal(TerminalPane)
        case none
    }

    var focusTarget: FocusTarget {
        if treeFocused { return .tree }
        switch panes[layout.focusedPane] {
        case .viewer(let v)?: return .viewer(v)
        case .terminal(let t)?: return t.copyMode != nil ? .copyMode(t) : .terminal(t)
        case nil: return .none
        }
    }

    /// Dispatches a key to the handler of the current mode.
    private func handleKey(_ key: Key, _ mods: KeyModifiers) {
        guard isRunning else {
            handleGateKey(key)
            return
        }
        switch mode {
        case .normal: handleNormalKey(key, mods)
        case .prefix:
            mode = .normal
            chromeDirty = true
            if let spec = KeySpec(key: key, modifiers: mods), let action = settings.bindings.action(for: spec) {
                perform(action)
            }
        case .rename(let text): handleRenameKey(key, text)
        case .confirmKill(let pane): answerKill(pane, yes: key == .character("y") || key == .character("Y"))
        case .help(let scroll): handleHelpKey(key, scroll: scroll)
        case .chooser(let chooser): handleChooserKey(key, chooser)
        }
    }

    private func handleNormalKey(_ key: Key, _ mods: KeyModifiers) {
        if KeySpec(key: key, modifiers: mods) == settings.bindings.prefix {
            mode = .prefix
            chromeDirty = true
            return
        }
        switch focusTarget {
        case .tree: handleTreeKey(key)
        case .viewer(let v): handleViewerKey(key, v)
        case .copyMode(let t): handleCopyKey(key, mods, t)
        case .terminal(let t):
            t.link.send(KeyEncoder.encode(key, modifiers: mods, modes: t.emulator.modes))
            passThroughInputs += 1
            typedSinceFrame = true
            queue.awaitEcho(from: t.id)
        case .none: break
        }
    }

    // MARK: actions

    /// Performs a bound action.
    func perform(_ action: TUIAction) {
        if let index = action.windowIndex {
            if layout.select(index) { relayout() }
            return
        }
        switch action {
        case .splitHorizontal, .splitVertical:
            let id = layout.splitFocused(axis: action == .splitHorizontal ? .horizontal : .vertical)
            relayout()
            openTerminal(id)
            relayout()
        case .newWindow:
            let id = layout.newWindow()
            relayout()
            openTerminal(id)
            relayout()
        case .nextWindow: layout.nextWindow(); relayout()
        case .previousWindow: layout.previousWindow(); relayout()
        case .lastWindow: if layout.selectLast() { relayout() }
        case .renameWindow: mode = .rename(layout.activeWindow.name)
        case .nextPane: layout.activeWindow.focusNext(); treeFocused = false; fullRedraw = true
        case .focusLeft, .focusRight, .focusUp, .focusDown:
            if let d = action.direction {
                if d == .left, treeRect.cols > 0, !treeFocused,
                    !layout.activeWindow.focus(direction: .left, in: paneArea)
                {
                    treeFocused = true
                } else if treeFocused, d == .right {
                    treeFocused = false
                } else {
                    _ = layout.activeWindow.focus(direction: d, in: paneArea)
                }
                fullRedraw = true
            }
        case .resizeLeft, .resizeRight, .resizeUp, .resizeDown:
            guard let d = action.direction else { return }
            if treeFocused, d == .left || d == .right {
                treeWidth = max(8, min(screen.cols - 12, treeWidth + (d == .right ? 2 : -2)))
            } else {
                _ = layout.activeWindow.resize(layout.focusedPane, direction: d, cells: 2, in: paneArea)
            }
            relayout()
        case .zoomPane: layout.activeWindow.toggleZoom(); relayout()
        case .closePane: requestClose()
        case .copyMode: enterCopyMode()
        case .paste:
            if let t = focusedTerminal, !clipboard.isEmpty {
                t.link.send(KeyEncoder.encodePaste(clipboard, modes: t.emulator.modes))
            }
        case .toggleTree: treeVisible.toggle(); relayout()
        case .focusTree:
            if treeRect.cols > 0 { treeFocused.toggle() } else { show("the file tree is hidden (prefix t shows it)") }
            if treeFocused, tree.selectedPath == nil { tree.selectFirst() }
            fullRedraw = true
        case .toggleHUD: showHUD.toggle(); fullRedraw = true
        case .help: mode = .help(scroll: 0); fullRedraw = true
        case .chooseSession:
            mode = .chooser(SessionChooser(current: session))
            connector.listSessions()
            fullRedraw = true
        case .commandPrompt: show("no command prompt yet; prefix ? lists the keys")
        case .sendPrefix:
            if let t = focusedTerminal {
                let (k, m) = settings.bindings.prefix.keyPress
                t.link.send(KeyEncoder.encode(k, modifiers: m, modes: t.emulator.modes))
            }
        case .detach: exit = .detached
        case .quit: exit = .quit
        default: break
        }
        chromeDirty = true
    }

    // MARK: copy mode

    func enterCopyMode() {
        guard let t = focusedTerminal, t.copyMode == nil else { return }
        let e = t.emulator
        t.copyMode = CopyMode(
            source: EmulatorLines(terminal: e), rows: e.rows, cols: e.cols, cursorRow: e.cursor.row,
            cursorCol: e.cursor.col)
        t.needsFullRedraw = true
    }

    private func handleCopyKey(_ key: Key, _ mods: KeyModifiers, _ t: TerminalPane) {
        guard var copy = t.copyMode else { return }
        let outcome = copy.handle(key, mods, EmulatorLines(terminal: t.emulator))
        t.copyMode = copy
        switch outcome {
        case .stay: break
        case .exit: t.copyMode = nil
        case .copy(let text): finishCopy(text, t)
        }
        t.needsFullRedraw = true
    }

    /// Copies text to the outer terminal (OSC 52), the clipboard file and the paste buffer.
    func finishCopy(_ text: String, _ t: TerminalPane) {
        clipboard = Array(text.utf8)
        Clipboard.copy(clipboard, file: settings.clipboardFile, screen: screen)
        show("copied \(clipboard.count) bytes")
        t.copyMode = nil
        t.needsFullRedraw = true
    }

    // MARK: tree and viewer

    private func handleTreeKey(_ key: Key) {
        let height = max(1, treeRect.rows - 1)
        switch key {
        case .up, .character("k"): tree.moveSelection(by: -1)
        case .down, .character("j"): tree.moveSelection(by: 1)
        case .pageUp: tree.pageUp(height)
        case .pageDown: tree.pageDown(height)
        case .home, .character("g"): tree.selectFirst()
        case .end, .character("G"): tree.selectLast()
        case .right: if let p = tree.selectedPath, tree.isDirectory(p) == true { _ = tree.expand(p) }
        case .left:
            if let p = tree.selectedPath, tree.isDirectory(p) == true, tree.isExpanded(p) {
                _ = tree.collapse(p)
            } else {
                _ = tree.selectParent()
            }
        case .enter, .character(" "):
            guard let p = tree.selectedPath else { break }
            if tree.isDirectory(p) == true {
                _ = tree.toggle(p)
            } else if key == .enter {
                openInEditor(p)
            }
        case .character("v"): if let p = tree.selectedPath, tree.isDirectory(p) == false { openViewer(p) }
        case .escape, .tab: treeFocused = false
        default: break
        }
        tree.scroll(toKeepSelectionVisibleIn: height)
        fullRedraw = true
    }

    /// Types `editor 'path'` + Enter into the focused terminal and gives it the focus.
    func openInEditor(_ path: String) {
        treeFocused = false
        guard let t = focusedTerminal else {
            show("focus a terminal pane to open files")
            return
        }
        let quoted = "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
        t.link.send(Array("\(settings.editor) \(quoted)\r".utf8))
        fullRedraw = true
    }

    /// Opens a read-only viewer pane beside the focused pane.
    func openViewer(_ path: String) {
        let id = layout.splitFocused(axis: .horizontal)
        treeFocused = false
        attachViewer(id, path: path)
        relayout()
    }

    /// Shows `path` read-only in pane `id` (the file is read from the server).
    func attachViewer(_ id: PaneID, path: String) {
        guard let session else { return }
        panes[id] = .viewer(ViewerPane(path: path))
        connector.readFile(session: session, path: path)
    }

    private func handleViewerKey(_ key: Key, _ v: ViewerPane) {
        let height = frames().first { $0.0 == layout.focusedPane }?.1.rows ?? 1
        switch key {
        case .up, .character("k"): v.scroll(by: -1, height: height)
        case .down, .character("j"): v.scroll(by: 1, height: height)
        case .pageUp: v.scroll(by: -height, height: height)
        case .pageDown, .character(" "): v.scroll(by: height, height: height)
        case .character("q"), .escape:
            panes[layout.focusedPane] = nil
            _ = layout.closePane(layout.focusedPane)
            relayout()
        default: break
        }
    }
}
