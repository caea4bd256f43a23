import TerminalEmulator

/// One thing the user did at the outer terminal, decoded from the bytes read on stdin.
public enum InputEvent: Equatable, Sendable {
    /// A key press (text keys are `.character`, control bytes are the letter with `.control`).
    case key(Key, KeyModifiers)
    /// A mouse report (SGR 1006 form), 0-based screen cell.
    case mouse(MouseEvent)
    /// Text pasted while the outer terminal's bracketed paste was on.
    case paste([UInt8])
    /// The outer terminal gained (true) or lost (false) focus.
    case focus(Bool)
}
