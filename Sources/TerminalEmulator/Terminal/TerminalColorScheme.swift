/// A 24-bit colour.
public struct RGBColor: Sendable, Hashable {
    /// Red, 0...255.
    public var red: UInt8
    /// Green, 0...255.
    public var green: UInt8
    /// Blue, 0...255.
    public var blue: UInt8

    /// Creates a colour from its components.
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }
}

/// xterm's dynamic colours, numbered as their OSC (10...19).
public enum DynamicColor: Int, Sendable, Hashable, CaseIterable {
    /// OSC 10: default text colour.
    case foreground = 10
    /// OSC 11: default background.
    case background = 11
    /// OSC 12: text cursor.
    case cursor = 12
    /// OSC 13: mouse pointer foreground.
    case pointerForeground = 13
    /// OSC 14: mouse pointer background.
    case pointerBackground = 14
    /// OSC 15: Tektronix foreground.
    case tektronixForeground = 15
    /// OSC 16: Tektronix background.
    case tektronixBackground = 16
    /// OSC 17: selection background.
    case highlightBackground = 17
    /// OSC 18: Tektronix cursor.
    case tektronixCursor = 18
    /// OSC 19: selection foreground.
    case highlightForeground = 19
}

/// A colour a program can query and change: a palette entry (OSC 4), one of xterm's special
/// colours (OSC 5: 0 bold, 1 underline, 2 blink, 3 reverse, 4 italic) or a dynamic colour.
public enum ColorSlot: Sendable, Hashable {
    /// Palette entry 0...255.
    case palette(UInt8)
    /// Special colour 0...4 (OSC 5).
    case special(Int)
    /// OSC 10...19.
    case dynamic(DynamicColor)
}

/// The colours an embedder shows (its theme). Colour queries the program did not override
/// are answered from here; `Terminal.color(_:)` gives the effective colour of any slot.
public struct TerminalColorScheme: Sendable, Equatable {
    /// The 256-colour palette (xterm's defaults unless changed).
    public var palette: [RGBColor]
    /// Default text colour (OSC 10).
    public var foreground: RGBColor
    /// Default background (OSC 11).
    public var background: RGBColor
    /// Cursor colour (OSC 12); nil means the foreground.
    public var cursor: RGBColor?

    /// xterm's default palette, a light grey foreground on black.
    public init(palette: [RGBColor] = TerminalColorScheme.xtermPalette,
                foreground: RGBColor = RGBColor(0xE5, 0xE5, 0xE5),
                background: RGBColor = RGBColor(0, 0, 0),
                cursor: RGBColor? = nil) {
        self.palette = palette
        self.foreground = foreground
        self.background = background
        self.cursor = cursor
    }

    /// The scheme's colour for a slot. Slots a theme does not name follow xterm's defaults:
    /// pointer, Tektronix and selection colours derive from the foreground and background,
    /// special colours are the foreground, palette entries missing from a short palette
    /// come from xterm's palette.
    public func color(_ slot: ColorSlot) -> RGBColor {
        switch slot {
        case .palette(let i):
            let index = Int(i)
            return index < palette.count ? palette[index] : TerminalColorScheme.xtermPalette[index]
        case .special:
            return foreground
        case .dynamic(let d):
            switch d {
            case .foreground, .pointerForeground, .tektronixForeground, .tektronixCursor, .highlightBackground:
                return foreground
            case .background, .pointerBackground, .tektronixBackground, .highlightForeground:
                return background
            case .cursor:
                return cursor ?? foreground
            }
        }
    }

    /// xterm's 256 colours: 16 ANSI colours, the 6x6x6 cube (levels 0, 95, 135, ..., 255)
    /// and 24 greys (8, 18, ..., 238).
    public static let xtermPalette: [RGBColor] = {
        let ansi: [(UInt8, UInt8, UInt8)] = [
            (0x00, 0x00, 0x00), (0xCD, 0x00, 0x00), (0x00, 0xCD, 0x00), (0xCD, 0xCD, 0x00),
            (0x00, 0x00, 0xEE), (0xCD, 0x00, 0xCD), (0x00, 0xCD, 0xCD), (0xE5, 0xE5, 0xE5),
            (0x7F, 0x7F, 0x7F), (0xFF, 0x00, 0x00), (0x00, 0xFF, 0x00), (0xFF, 0xFF, 0x00),
            (0x5C, 0x5C, 0xFF), (0xFF, 0x00, 0xFF), (0x00, 0xFF, 0xFF), (0xFF, 0xFF, 0xFF),
        ]
        var colors = ansi.map { RGBColor($0.0, $0.1, $0.2) }
        let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
        for r in levels { for g in levels { for b in levels { colors.append(RGBColor(r, g, b)) } } }
        for i in 0..<24 {
            let v = UInt8(8 + 10 * i)
            colors.append(RGBColor(v, v, v))
        }
        return colors
    }()
}
