/// A cell colour: the terminal default, one of the 256 palette entries, or 24-bit RGB.
public enum TerminalColor: Equatable, Hashable, Sendable {
    /// The default foreground or background.
    case `default`
    /// Palette entry 0...255 (0-7 normal, 8-15 bright, 16-231 cube, 232-255 greys).
    case palette(UInt8)
    /// Truecolor.
    case rgb(UInt8, UInt8, UInt8)

    /// Packs the colour into 32 bits: tag in the top byte, value below.
    var packed: UInt32 {
        switch self {
        case .default: return 0
        case .palette(let i): return 0x0100_0000 | UInt32(i)
        case .rgb(let r, let g, let b): return 0x0200_0000 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
        }
    }

    /// Unpacks a value produced by `packed`.
    init(packed: UInt32) {
        switch packed >> 24 {
        case 1: self = .palette(UInt8(truncatingIfNeeded: packed))
        case 2: self = .rgb(UInt8(truncatingIfNeeded: packed >> 16), UInt8(truncatingIfNeeded: packed >> 8),
                            UInt8(truncatingIfNeeded: packed))
        default: self = .default
        }
    }
}

/// Underline styles selectable with SGR 4 and `4:n`.
public enum UnderlineStyle: UInt8, Sendable {
    /// No underline.
    case none = 0
    /// SGR 4 / 4:1.
    case single = 1
    /// SGR 21 / 4:2.
    case double = 2
    /// 4:3.
    case curly = 3
    /// 4:4.
    case dotted = 4
    /// 4:5.
    case dashed = 5
}
