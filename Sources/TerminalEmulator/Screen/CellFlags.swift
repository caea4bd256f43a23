/// Packed per-cell attribute bits (16 bits). The underline style lives in bits 3-5.
public struct CellFlags: OptionSet, Hashable, Sendable {
    /// Raw bit pattern.
    public var rawValue: UInt16
    /// Creates flags from raw bits.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// SGR 1.
    public static let bold = CellFlags(rawValue: 1 << 0)
    /// SGR 2.
    public static let dim = CellFlags(rawValue: 1 << 1)
    /// SGR 3.
    public static let italic = CellFlags(rawValue: 1 << 2)
    /// Mask of the three underline-style bits.
    public static let underlineMask = CellFlags(rawValue: 7 << 3)
    /// SGR 5 / 6.
    public static let blink = CellFlags(rawValue: 1 << 6)
    /// SGR 7.
    public static let inverse = CellFlags(rawValue: 1 << 7)
    /// SGR 8.
    public static let hidden = CellFlags(rawValue: 1 << 8)
    /// SGR 9.
    public static let strike = CellFlags(rawValue: 1 << 9)
    /// SGR 53.
    public static let overline = CellFlags(rawValue: 1 << 10)
    /// Left half of a double-width character.
    public static let wide = CellFlags(rawValue: 1 << 11)
    /// Right half of a double-width character (holds no text of its own).
    public static let wideTail = CellFlags(rawValue: 1 << 12)
    /// Protected from selective erase (DECSCA 1; DECSED, DECSEL and DECSERA skip the cell).
    /// Not a visual attribute: SGR leaves it alone.
    public static let protected = CellFlags(rawValue: 1 << 13)

    /// The attribute bits that SGR controls (everything except the width bits).
    public static let sgrMask = CellFlags(rawValue: (1 << 11) - 1)

    /// The underline style encoded in the flags.
    public var underline: UnderlineStyle {
        get { UnderlineStyle(rawValue: UInt8((rawValue >> 3) & 7)) ?? .single }
        set { rawValue = (rawValue & ~CellFlags.underlineMask.rawValue) | UInt16(newValue.rawValue) << 3 }
    }
}
