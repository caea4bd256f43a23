import TerminalEmulator

/// How one screen cell looks: colours in emulator terms plus attributes.
public struct CellStyle: Hashable, Sendable {
    /// Foreground.
    public var fg: TerminalColor
    /// Background.
    public var bg: TerminalColor
    /// Attribute bits (the emulator's own flags: bold, dim, italic, underline, inverse, strike, hidden…).
    public var flags: CellFlags

    /// A style.
    public init(fg: TerminalColor = .default, bg: TerminalColor = .default, flags: CellFlags = []) {
        self.fg = fg
        self.bg = bg
        self.flags = flags
    }

    /// The terminal's default look.
    public static let plain = CellStyle()
    /// Reverse video (selection, status bar).
    public static let reverse = CellStyle(flags: .inverse)
    /// Bold.
    public static let bold = CellStyle(flags: .bold)

    /// The style of an emulator cell.
    public init(cell: Cell) {
        self.init(fg: cell.foreground, bg: cell.background, flags: cell.flags.intersection(.sgrMask))
    }

    /// This style with reverse video toggled (selection highlighting).
    public var toggledInverse: CellStyle {
        var s = self
        if s.flags.contains(.inverse) { s.flags.remove(.inverse) } else { s.flags.insert(.inverse) }
        return s
    }
}

extension String {
    /// Columns this text takes on a terminal (wide characters count 2, combining marks 0).
    var displayWidth: Int {
        unicodeScalars.reduce(0) { $0 + max(0, CharacterWidth.of($1.value)) }
    }

    /// The longest prefix that fits in `columns`.
    func truncated(toWidth columns: Int) -> String {
        var used = 0
        var out = String.UnicodeScalarView()
        for s in unicodeScalars {
            let w = max(0, CharacterWidth.of(s.value))
            if used + w > columns { break }
            used += w
            out.append(s)
        }
        return String(out)
    }
}
