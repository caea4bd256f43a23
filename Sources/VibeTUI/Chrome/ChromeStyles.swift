import TerminalEmulator

/// The chrome's cell styles, taken from the theme's `[vibe]` colours (mapped to what the outer
/// terminal supports when drawn).
struct ChromeStyles {
    var status: CellStyle
    var border: CellStyle
    var borderActive: CellStyle
    var banner: CellStyle
    var treeDirectory: CellStyle
    var treeChanged: CellStyle
    var accent: CellStyle

    /// Styles for `theme`.
    init(theme: Theme) {
        let c = theme.chrome
        status = CellStyle(fg: Self.color(c.statusForeground), bg: Self.color(c.statusBackground))
        border = CellStyle(fg: Self.color(c.border))
        borderActive = CellStyle(fg: Self.color(c.borderActive))
        banner = CellStyle(fg: Self.color(c.bannerForeground), bg: Self.color(c.bannerBackground), flags: .bold)
        treeDirectory = CellStyle(fg: Self.color(c.treeDirectory), flags: .bold)
        treeChanged = CellStyle(fg: Self.color(c.treeChanged), flags: .bold)
        accent = CellStyle(fg: Self.color(c.accent), flags: .bold)
    }

    /// A theme colour as an emulator colour.
    static func color(_ rgb: RGB) -> TerminalColor { .rgb(rgb.r, rgb.g, rgb.b) }
}
