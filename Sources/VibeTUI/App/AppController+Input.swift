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

    private func handleKey(_ key: Key, _ mods: KeyModifiers) {
        guard isRunning else {
            handleGateKey(key)
            return
        }
        let spec = KeySpec(key: key, modifiers: mods)
        if renamePrompt != nil {
            handleRenameKey(key)
            return
        }
        if killPrompt != nil {
            answerKill(key == .character("y") || key == .character("Y"))
            return
        }
        if showHelp {
            handleHelpKey(key)
            return
        }
        if prefixPending {
            prefixPending = false
            chromeDirty = true
            if let spec, let action = settings.bindings.action(for: spec) { perform(action) }
            return
        }
        if spec == settings.bindings.prefix {
            prefixPending = true
            chromeDirty = true
            return
        }
        if treeFocused {
            handleTreeKey(key)
            return
        }
        switch panes[layout.focusedPane] {
        case .viewer(let v)?:
            handleViewerKey(key, v)
        case .terminal(let t)?:
            if t.copyMode != nil {
                handleCopyKey(key, mods, t)
            } else {
                t.link.send(KeyEncoder.encode(key, modifiers: mods, modes: t.emulator.modes))
                passThroughInputs += 1
                typedSinceFrame = true
            }
        case nil:
            break
        }
    }

    /// In the help overlay: arrows, `j k`, PgUp/PgDn, Space, `g G` scroll when it does not fit; other keys close it.
    private func handleHelpKey(_ key: Key) {
        let page = helpPage()
        switch key {
        case .up, .character("k"): helpScroll = max(0, helpScroll - 1)
        case .down, .character("j"): helpScroll = min(page.maxScroll, helpScroll + 1)
        case .pageUp: helpScroll = max(0, helpScroll - page.visible)
        case .pageDown, .character(" "): helpScroll = min(page.maxScroll, helpScroll + page.visible)
        case .home, .character("g"): helpScroll = 0
        case .end, .character("G"): helpScroll = page.maxScroll
        default: showHelp = false
        }
        fullRedraw = true
    }

    private func handleGateKey(_ key: Key) {
        guard case .gate(_, let failure) = phase else { return }
        switch key {
        case .character("q"), .escape: exit = .quit
        case .character("r") where failure != nil: retryOpen()
        default: break
        }
    }

    private func handleRenameKey(_ key: Key) {
        switch key {
        case .enter:
            if let name = renamePrompt, !name.isEmpty { layout.rename(to: name) }
            renamePrompt = nil
        case .escape: renamePrompt = nil
        case .backspace: if renamePrompt?.isEmpty == false { renamePrompt?.removeLast() }
        case .character(let c): renamePrompt?.unicodeScalars.append(c)
        default: break
        }
        chromeDirty = true
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
        case .renameWindow: renamePrompt = layout.activeWindow.name
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
        case .help: showHelp = true; helpScroll = 0; fullRedraw = true
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
        guard let session else { return }
        let id = layout.splitFocused(axis: .horizontal)
        panes[id] = .viewer(ViewerPane(path: path))
        treeFocused = false
        connector.readFile(session: session, path: path)
        relayout()
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
