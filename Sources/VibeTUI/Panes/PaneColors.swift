import TerminalEmulator

/// The colours a program changed in one pane (OSC 4 palette entries, OSC 10/11 default colours): applied to that
/// pane's cells only, as truecolor, on top of the theme every pane shares.
struct PaneColors: Equatable {
    private var palette: [UInt8: RGBColor] = [:]
    private var foreground: RGBColor?
    private var background: RGBColor?

    /// True when the program changed nothing.
    var isEmpty: Bool { palette.isEmpty && foreground == nil && background == nil }

    /// The overrides the emulator holds now.
    init(of emulator: Terminal) {
        for index in 0...255 {
            if let color = emulator.colorOverride(.palette(UInt8(index))) { palette[UInt8(index)] = color }
        }
        foreground = emulator.colorOverride(.dynamic(.foreground))
        background = emulator.colorOverride(.dynamic(.background))
    }

    init() {}

    /// `style` with the pane's overrides applied.
    func apply(_ style: CellStyle) -> CellStyle {
        guard !isEmpty else { return style }
        var out = style
        out.fg = map(style.fg, fallback: foreground)
        out.bg = map(style.bg, fallback: background)
        return out
    }

    private func map(_ color: TerminalColor, fallback: RGBColor?) -> TerminalColor {
        switch color {
        case .palette(let i): return palette[i].map { .rgb($0.red, $0.green, $0.blue) } ?? color
        case .default: return fallback.map { .rgb($0.red, $0.green, $0.blue) } ?? color
        case .rgb: return color
        }
    }
}

extension TerminalColorScheme {
    /// The scheme of a theme: its 16 ANSI colours over xterm's 256, its foreground, background and cursor (what
    /// colour queries are answered with).
    init(theme: Theme) {
        var palette = TerminalColorScheme.xtermPalette
        for (index, color) in theme.palette.prefix(16).enumerated() { palette[index] = RGBColor(color.r, color.g, color.b) }
        self.init(
            palette: palette, foreground: RGBColor(theme.foreground.r, theme.foreground.g, theme.foreground.b),
            background: RGBColor(theme.background.r, theme.background.g, theme.background.b),
            cursor: RGBColor(theme.cursor.r, theme.cursor.g, theme.cursor.b))
    }
}
