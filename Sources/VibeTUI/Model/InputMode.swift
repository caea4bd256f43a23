/// Where the next key goes: exactly one mode at a time, each with its own key table and handler
/// (tmux's `root`, `prefix` and prompt tables). A new mode is a new case: every `switch` over it has no
/// `default`, so the compiler lists each place that must handle it.
///
/// In `.normal`, keys go to what has the focus (see ``FocusTarget``): the file tree, a viewer, a
/// terminal in copy mode (its own table), or the terminal's program.
enum InputMode: Equatable {
    /// Keys go to the focused pane or the tree; the prefix key enters `.prefix`.
    case normal
    /// The prefix was pressed: the next key is looked up in the key bindings.
    case prefix
    /// Renaming the active window; the text typed so far.
    case rename(String)
    /// `kill-pane wNpM? (y/n)` is asked for this pane.
    case confirmKill(PaneID)
    /// The help overlay, scrolled to this entry.
    case help(scroll: Int)
    /// The session chooser.
    case chooser(SessionChooser)

    /// The rename prompt's text, when renaming.
    var renameText: String? {
        if case .rename(let text) = self { return text }
        return nil
    }

    /// True while an overlay (help, chooser) covers the panes.
    var showsOverlay: Bool {
        switch self {
        case .help, .chooser: return true
        case .normal, .prefix, .rename, .confirmKill: return false
        }
    }
}
