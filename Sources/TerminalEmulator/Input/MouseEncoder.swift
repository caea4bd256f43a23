/// Mouse buttons as reported to applications.
public enum MouseButton: Sendable, Equatable {
    /// Primary button.
    case left
    /// Middle button.
    case middle
    /// Secondary button.
    case right
    /// Motion with no button held (mode 1003 only).
    case none
    /// Wheel up.
    case wheelUp
    /// Wheel down.
    case wheelDown
    /// Wheel left.
    case wheelLeft
    /// Wheel right.
    case wheelRight

    var code: Int {
        switch self {
        case .left: return 0
        case .middle: return 1
        case .right: return 2
        case .none: return 3
        case .wheelUp: return 64
        case .wheelDown: return 65
        case .wheelLeft: return 66
        case .wheelRight: return 67
        }
    }

    var isWheel: Bool { code >= 64 }
}

/// What happened to the button.
public enum MouseAction: Sendable, Equatable {
    /// Button pressed (or wheel turned).
    case press
    /// Button released.
    case release
    /// Pointer moved (with `button` held, or `.none`).
    case motion
}

/// A mouse event at a 0-based cell position.
public struct MouseEvent: Sendable, Equatable {
    /// Button involved.
    public var button: MouseButton
    /// Press, release or motion.
    public var action: MouseAction
    /// 0-based row.
    public var row: Int
    /// 0-based column.
    public var col: Int
    /// Modifiers held.
    public var modifiers: KeyModifiers

    /// Creates a mouse event.
    public init(button: MouseButton, action: MouseAction, row: Int, col: Int, modifiers: KeyModifiers = []) {
        self.button = button
        self.action = action
        self.row = row
        self.col = col
        self.modifiers = modifiers
    }
}

/// Encodes mouse events for modes 9/1000/1002/1003 in X10, UTF-8 (1005), SGR (1006)
/// or urxvt (1015) form. Events the current mode does not report produce no bytes.
public enum MouseEncoder {
    /// Bytes to send for `event`, or an empty array.
    public static func encode(_ event: MouseEvent, modes: TerminalModes) -> [UInt8] {
        guard wants(event, modes.mouseTracking) else { return [] }
        var cb = event.button.code
        if modes.mouseTracking != .x10 {
            if event.modifiers.contains(.shift) { cb += 4 }
            if event.modifiers.contains(.alt) || event.modifiers.contains(.meta) { cb += 8 }
            if event.modifiers.contains(.control) { cb += 16 }
        }
        if event.action == .motion { cb += 32 }
        let x = max(0, event.col) + 1, y = max(0, event.row) + 1
        switch modes.mouseEncoding {
        case .sgr:
            let final = event.action == .release ? "m" : "M"
            return Array("\u{1B}[<\(cb);\(x);\(y)\(final)".utf8)
        case .urxvt:
            let code = event.action == .release ? 3 + (cb & ~3) : cb
            return Array("\u{1B}[\(code + 32);\(x);\(y)M".utf8)
        case .x10, .utf8:
            let code = event.action == .release ? 3 | (cb & ~3) : cb
            var out: [UInt8] = [0x1B, UInt8(ascii: "["), UInt8(ascii: "M"), UInt8(code + 32)]
            for v in [x + 32, y + 32] {
                if modes.mouseEncoding == .x10 {
                    guard v <= 255 else { return [] }
                    out.append(UInt8(v))
                } else {
                    guard v <= 2047, let scalar = Unicode.Scalar(v) else { return [] }
                    out.append(contentsOf: Array(String(scalar).utf8))
                }
            }
            return out
        }
    }

    private static func wants(_ event: MouseEvent, _ tracking: MouseTracking) -> Bool {
        switch tracking {
        case .none:
            return false
        case .x10:
            return event.action == .press
        case .normal:
            return event.action != .motion && !(event.action == .release && event.button.isWheel)
        case .buttonEvent:
            if event.action == .motion { return event.button != .none }
            return !(event.action == .release && event.button.isWheel)
        case .anyEvent:
            return !(event.action == .release && event.button.isWheel)
        }
    }
}
