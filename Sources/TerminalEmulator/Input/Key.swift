/// A key the user pressed, independent of the bytes it produces.
public enum Key: Sendable, Equatable, Hashable {
    /// Text input (a printable character).
    case character(Unicode.Scalar)
    /// Return / Enter.
    case enter
    /// Tab.
    case tab
    /// Backspace.
    case backspace
    /// Escape.
    case escape
    /// Cursor up.
    case up
    /// Cursor down.
    case down
    /// Cursor left.
    case left
    /// Cursor right.
    case right
    /// Home.
    case home
    /// End.
    case end
    /// Page Up.
    case pageUp
    /// Page Down.
    case pageDown
    /// Insert.
    case insert
    /// Delete (forward).
    case delete
    /// Function key F1...F20.
    case function(Int)
    /// A key on the numeric keypad.
    case keypad(KeypadKey)
}

/// Numeric keypad keys (distinct from the main keyboard in application keypad mode).
public enum KeypadKey: Sendable, Equatable, Hashable {
    /// Digit 0...9.
    case digit(Int)
    /// Keypad Enter.
    case enter
    /// `+`.
    case plus
    /// `-`.
    case minus
    /// `*`.
    case multiply
    /// `/`.
    case divide
    /// `.`.
    case decimal
}

/// Modifier keys held during a key or mouse event.
public struct KeyModifiers: OptionSet, Sendable, Hashable {
    /// Raw bits.
    public var rawValue: UInt8
    /// Creates modifiers from raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Shift.
    public static let shift = KeyModifiers(rawValue: 1)
    /// Alt / Option (sent as an ESC prefix for text keys).
    public static let alt = KeyModifiers(rawValue: 2)
    /// Control.
    public static let control = KeyModifiers(rawValue: 4)
    /// Meta / Super.
    public static let meta = KeyModifiers(rawValue: 8)

    /// xterm's modifier parameter: 1 + shift·1 + alt·2 + control·4 + meta·8.
    var xtermParameter: Int { 1 + Int(rawValue & 0x0F) }
}
