import Foundation
import TerminalEmulator

/// The key tables of the prompt and overlay modes (gate, rename, help, session chooser).
extension AppController {
    /// On the ready gate: `q`/Esc leaves (the session is left as it is), `r` retries after a failure.
    func handleGateKey(_ key: Key) {
        guard case .gate(_, let failure) = phase else { return }
        switch key {
        case .character("q"), .escape: exit = .detached
        case .character("r") where failure != nil: retryOpen()
        default: break
        }
    }

    /// Renaming the window: Enter keeps a non-empty name, Esc cancels, Backspace edits.
    func handleRenameKey(_ key: Key, _ text: String) {
        var text = text
        switch key {
        case .enter:
            if !text.isEmpty { layout.rename(to: text) }
            mode = .normal
        case .escape: mode = .normal
        case .backspace:
            if !text.isEmpty { text.removeLast() }
            mode = .rename(text)
        case .character(let c):
            text.unicodeScalars.append(c)
            mode = .rename(text)
        default: break
        }
        chromeDirty = true
    }

    /// In the help overlay: arrows, `j k`, PgUp/PgDn, Space, `g G` scroll when it does not fit; other keys close it.
    func handleHelpKey(_ key: Key, scroll: Int) {
        let page = helpPage(scroll: scroll)
        switch key {
        case .up, .character("k"): mode = .help(scroll: max(0, scroll - 1))
        case .down, .character("j"): mode = .help(scroll: min(page.maxScroll, scroll + 1))
        case .pageUp: mode = .help(scroll: max(0, scroll - page.visible))
        case .pageDown, .character(" "): mode = .help(scroll: min(page.maxScroll, scroll + page.visible))
        case .home, .character("g"): mode = .help(scroll: 0)
        case .end, .character("G"): mode = .help(scroll: page.maxScroll)
        default: mode = .normal
        }
        fullRedraw = true
    }

    /// In the session chooser: arrows or `j k` move, Enter switches to the selected session, Esc/`q` closes.
    func handleChooserKey(_ key: Key, _ chooser: SessionChooser) {
        var chooser = chooser
        switch key {
        case .up, .character("k"): chooser.move(by: -1)
        case .down, .character("j"): chooser.move(by: 1)
        case .enter:
            mode = .normal
            if let id = chooser.selectedID, id != session { exit = .switchSession(id) }
            fullRedraw = true
            return
        case .escape, .character("q"):
            mode = .normal
            fullRedraw = true
            return
        default: break
        }
        mode = .chooser(chooser)
        fullRedraw = true
    }
}
