/// One screen cell: 16 bytes, no references.
///
/// `content` is 0 for an empty cell, a Unicode scalar value, or — with the top bit set —
/// an index into the terminal's grapheme side table (a base character plus combining marks,
/// see `Terminal.string(for:)`). Colours are packed `TerminalColor`s; `extra` indexes the
/// side table of rare attributes (underline colour, hyperlink), 0 meaning none.
public struct Cell: Equatable, Hashable, Sendable {
    /// Marks `content` as a grapheme side-table index.
    static let clusterBit: UInt32 = 0x8000_0000

    /// Scalar value, 0 for empty, or side-table index with `clusterBit`.
    public internal(set) var content: UInt32
    /// Packed foreground colour.
    var fgPacked: UInt32
    /// Packed background colour.
    var bgPacked: UInt32
    /// Attribute and width bits.
    public internal(set) var flags: CellFlags
    /// Index of rare attributes in the side table (0 = none).
    var extra: UInt16

    /// An empty cell with default attributes.
    public static let blank = Cell(content: 0, fgPacked: 0, bgPacked: 0, flags: [], extra: 0)

    /// An empty cell carrying only a background colour (used by erase with bce).
    static func blank(bg: UInt32) -> Cell {
        Cell(content: 0, fgPacked: 0, bgPacked: bg, flags: [], extra: 0)
    }

    /// Foreground colour.
    public var foreground: TerminalColor { TerminalColor(packed: fgPacked) }
    /// Background colour.
    public var background: TerminalColor { TerminalColor(packed: bgPacked) }
    /// True for the left half of a double-width character.
    public var isWide: Bool { flags.contains(.wide) }
    /// True for the right half of a double-width character.
    public var isWideTail: Bool { flags.contains(.wideTail) }
    /// True when nothing was written to the cell (it renders as a space).
    public var isEmpty: Bool { content == 0 }
    /// True when `content` refers to a grapheme in the side table.
    public var hasCombiningMarks: Bool { content & Cell.clusterBit != 0 }

    /// The base scalar for plain cells (nil for empty, wide tails and side-table graphemes).
    public var scalar: Unicode.Scalar? {
        guard content != 0, content & Cell.clusterBit == 0 else { return nil }
        return Unicode.Scalar(content)
    }
}

/// The attributes applied to newly written cells (the SGR "pen").
struct Pen: Equatable, Sendable {
    var fg: UInt32 = 0
    var bg: UInt32 = 0
    var flags: CellFlags = []
    var extra: UInt16 = 0

    func cell(_ content: UInt32) -> Cell {
        Cell(content: content, fgPacked: fg, bgPacked: bg, flags: flags, extra: extra)
    }
}
