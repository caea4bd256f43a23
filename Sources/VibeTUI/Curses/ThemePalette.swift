import TerminalEmulator

/// How the theme's default colours and 16 ANSI colours reach the outer terminal (pure; no curses calls).
///
/// - `.terminal` (fewer than 256 colours): the outer terminal's own default and 16 colours are kept.
/// - `.nearest` (256 or more colours): the theme's foreground, background and 16 colours are drawn
///   with the nearest entries of xterm's 6×6×6 cube or grey ramp (16…255), whose values every
///   256-colour terminal agrees on.
/// - `.redefined` (the terminal can change colours and has room past the standard 256): the 18
///   theme colours are defined exactly in colour slots 256…273 (`init_extended_color`), leaving the
///   standard palette alone.
public struct ThemePalette: Equatable, Sendable {
    /// How the theme colours are shown.
    public enum Mode: Equatable, Sendable {
        /// The outer terminal's own colours (no theme palette).
        case terminal
        /// Nearest xterm-256 entries.
        case nearest
        /// Exact colours in redefined slots from `firstSlot`.
        case redefined(firstSlot: Int32)
    }

    /// The mode chosen for the terminal.
    public let mode: Mode
    /// Curses colour number of the default foreground (-1: the terminal's own).
    public let defaultForeground: Int32
    /// Curses colour number of the default background (-1: the terminal's own).
    public let defaultBackground: Int32
    /// Curses colour numbers of ANSI colours 0–15.
    public let ansi: [Int32]
    /// Colour slots to define (number, colour) before drawing; empty unless `.redefined`.
    public let definitions: [(slot: Int32, color: RGB)]
    /// Colours the outer terminal supports.
    public let colors: Int

    /// Slots needed to redefine: 16 ANSI colours, foreground, background.
    static let redefinedCount = 18

    /// The palette for `theme` on a terminal with `colors` colours that can (or cannot) redefine them.
    public init(theme: Theme, colors: Int, canChangeColor: Bool) {
        self.colors = colors
        let themeColors = theme.palette + [theme.foreground, theme.background]
        if colors >= 256 + Self.redefinedCount, canChangeColor {
            let first: Int32 = 256
            mode = .redefined(firstSlot: first)
            definitions = themeColors.enumerated().map { (first + Int32($0.offset), $0.element) }
            ansi = (0..<16).map { first + Int32($0) }
            defaultForeground = first + 16
            defaultBackground = first + 17
        } else if colors >= 256 {
            mode = .nearest
            definitions = []
            let mapped = themeColors.map { Int32(ColorMapper.nearest256($0.r, $0.g, $0.b)) }
            ansi = Array(mapped.prefix(16))
            defaultForeground = mapped[16]
            defaultBackground = mapped[17]
        } else {
            mode = .terminal
            definitions = []
            ansi = (0..<16).map { Int32($0) }
            defaultForeground = -1
            defaultBackground = -1
        }
    }

    /// The curses colour number of `color` as a foreground (or background when `foreground` is false).
    public func index(_ color: TerminalColor, foreground: Bool) -> Int32 {
        switch color {
        case .default:
            return foreground ? defaultForeground : defaultBackground
        case .palette(let i) where i < 16 && mode != .terminal:
            return ansi[Int(i)]
        default:
            return ColorMapper.index(color, colors: colors)
        }
    }

    /// `value` (0…255) scaled to curses' 0…1000 for `init_extended_color`.
    public static func cursesLevel(_ value: UInt8) -> Int32 {
        Int32((Int(value) * 1000 + 127) / 255)
    }

    public static func == (a: ThemePalette, b: ThemePalette) -> Bool {
        a.mode == b.mode && a.ansi == b.ansi && a.defaultForeground == b.defaultForeground
            && a.defaultBackground == b.defaultBackground && a.colors == b.colors
    }
}
