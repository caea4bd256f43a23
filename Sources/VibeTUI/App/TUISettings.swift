/// What the TUI needs from the configuration (`TUIConfig` maps onto this in the `vibe` command).
public struct TUISettings: Sendable {
    /// Prefix and key table.
    public var bindings: KeyBindings
    /// Command that opens a file in a terminal pane (`$EDITOR`).
    public var editor: String
    /// History lines kept per pane.
    public var scrollback: Int
    /// Width of the file tree panel in columns.
    public var treeWidth: Int
    /// Whether the file tree panel starts visible.
    public var treeVisible: Bool
    /// Where copied text is also written (`~/.local/share/vibe/clipboard.txt`).
    public var clipboardFile: String
    /// Colours of the chrome (status bar, borders, banner, tree).
    public var theme: Theme
    /// Where stdout/stderr of the process go while the TUI owns the screen (nil: /dev/null).
    public var logFile: String?
    /// When set (`VIBE_TUI_STATS`, for `vibe bench tui`), the UI thread rewrites this file about twice a
    /// second with `frames N` (frames drawn so far) and `elapsed_ms M` (since the TUI started).
    public var statsFile: String?

    /// Settings.
    public init(
        bindings: KeyBindings = .defaults, editor: String = "vi", scrollback: Int = 10_000, treeWidth: Int = 30,
        treeVisible: Bool = true, clipboardFile: String, logFile: String? = nil,
        theme: Theme = .builtinDefault, statsFile: String? = nil
    ) {
        self.statsFile = statsFile
        self.bindings = bindings
        self.editor = editor
        self.scrollback = scrollback
        self.treeWidth = treeWidth
        self.treeVisible = treeVisible
        self.clipboardFile = clipboardFile
        self.logFile = logFile
        self.theme = theme
    }
}

/// How the TUI ended.
public enum TUIExit: Sendable, Equatable {
    /// The user quit (`q`).
    case quit
    /// The user detached (`d`): the session keeps running on the server.
    case detached
    /// The last shell exited.
    case shellExited(Int32)
    /// The input (stdin) closed.
    case inputClosed
    /// The user chose another session in the chooser (`s`): reopen the TUI on it.
    case switchSession(String)
}
