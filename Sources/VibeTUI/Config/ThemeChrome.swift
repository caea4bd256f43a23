/// Colours of vibe's own chrome (status bar, borders, banners, file tree) — the optional `[vibe]`
/// table of a theme file. Absent entries are derived from the palette.
public struct ThemeChrome: Equatable, Sendable {
    /// Status bar background (`status_bg`; default: normal blue).
    public var statusBackground: RGB
    /// Status bar text (`status_fg`; default: the background colour).
    public var statusForeground: RGB
    /// Inactive pane borders (`border`; default: bright black).
    public var border: RGB
    /// Borders touching the focused pane (`border_active`; default: normal green).
    public var borderActive: RGB
    /// Highlights: the active window in the status bar, the tree cursor (`accent`; default: normal magenta).
    public var accent: RGB
    /// Notice banners, e.g. "reconnecting…" (`banner_bg`; default: normal yellow).
    public var bannerBackground: RGB
    /// Banner text (`banner_fg`; default: the background colour).
    public var bannerForeground: RGB
    /// Folder names in the tree (`tree_dir`; default: normal blue).
    public var treeDirectory: RGB
    /// Recently changed tree entries (`tree_changed`; default: bright yellow).
    public var treeChanged: RGB

    /// The `[vibe]` keys, in the order of the properties above.
    public static let keys = [
        "status_bg", "status_fg", "border", "border_active", "accent", "banner_bg", "banner_fg", "tree_dir",
        "tree_changed",
    ]

    /// Chrome colours derived from a palette: `normal` and `bright` are the 8 ANSI colours each
    /// (black red green yellow blue magenta cyan white).
    public init(derivedFrom normal: [RGB], bright: [RGB], background: RGB) {
        func pick(_ list: [RGB], _ i: Int) -> RGB { i < list.count ? list[i] : background }
        statusBackground = pick(normal, 4)
        statusForeground = background
        border = pick(bright, 0)
        borderActive = pick(normal, 2)
        accent = pick(normal, 5)
        bannerBackground = pick(normal, 3)
        bannerForeground = background
        treeDirectory = pick(normal, 4)
        treeChanged = pick(bright, 3)
    }

    /// Reads or writes a colour by its `[vibe]` key; unknown keys read nil and write nothing.
    public subscript(key: String) -> RGB? {
        get {
            switch key {
            case "status_bg": statusBackground
            case "status_fg": statusForeground
            case "border": border
            case "border_active": borderActive
            case "accent": accent
            case "banner_bg": bannerBackground
            case "banner_fg": bannerForeground
            case "tree_dir": treeDirectory
            case "tree_changed": treeChanged
            default: nil
            }
        }
        set {
            guard let newValue else { return }
            switch key {
            case "status_bg": statusBackground = newValue
            case "status_fg": statusForeground = newValue
            case "border": border = newValue
            case "border_active": borderActive = newValue
            case "accent": accent = newValue
            case "banner_bg": bannerBackground = newValue
            case "banner_fg": bannerForeground = newValue
            case "tree_dir": treeDirectory = newValue
            case "tree_changed": treeChanged = newValue
            default: break
            }
        }
    }
}
