/// Turns key, paste and focus events into the bytes the current terminal modes require
/// (xterm conventions: DECCKM, DECKPAM, modifyOtherKeys off, bracketed paste).
public struct KeyEncoder {
    private static let esc: UInt8 = 0x1B

    /// Bytes for a key press.
    public static func encode(_ key: Key, modifiers: KeyModifiers, modes: TerminalModes) -> [UInt8] {
        switch key {
        case .character(let scalar):
            return character(scalar, modifiers)
        case .enter:
            return withAlt(modes.newlineMode ? [0x0D, 0x0A] : [0x0D], modifiers)
        case .tab:
            return modifiers.contains(.shift) ? csi("Z") : withAlt([0x09], modifiers)
        case .backspace:
            return withAlt([modifiers.contains(.control) ? 0x08 : 0x7F], modifiers)
        case .escape:
            return withAlt([esc], modifiers)
        case .up: return cursorKey("A", modifiers, modes)
        case .down: return cursorKey("B", modifiers, modes)
        case .right: return cursorKey("C", modifiers, modes)
        case .left: return cursorKey("D", modifiers, modes)
        case .home: return cursorKey("H", modifiers, modes)
        case .end: return cursorKey("F", modifiers, modes)
        case .insert: return tilde(2, modifiers)
        case .delete: return tilde(3, modifiers)
        case .pageUp: return tilde(5, modifiers)
        case .pageDown: return tilde(6, modifiers)
        case .function(let n): return function(n, modifiers)
        case .keypad(let k): return keypad(k, modifiers, modes)
        }
    }

    /// Bytes for pasted text: wrapped in `CSI 200~` / `CSI 201~` in bracketed-paste mode
    /// (with any embedded end marker removed), newlines sent as CR.
    public static func encodePaste(_ text: [UInt8], modes: TerminalModes) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            let b = text[i]
            if b == 0x0D && i + 1 < text.count && text[i + 1] == 0x0A {
                body.append(0x0D)
                i += 2
                continue
            }
            body.append(b == 0x0A ? 0x0D : b)
            i += 1
        }
        guard modes.bracketedPaste else { return body }
        let endMarker: [UInt8] = [esc] + Array("[201~".utf8)
        body = removing(endMarker, from: body)
        return [esc] + Array("[200~".utf8) + body + endMarker
    }

    /// Bytes for a focus change: `CSI I` / `CSI O` when mode 1004 is on, otherwise nothing.
    public static func encodeFocus(_ focused: Bool, modes: TerminalModes) -> [UInt8] {
        guard modes.focusEvents else { return [] }
        return csi(focused ? "I" : "O")
    }

    /// Bytes for a mouse event (see `MouseEncoder`).
    public static func encodeMouse(_ event: MouseEvent, modes: TerminalModes) -> [UInt8] {
        MouseEncoder.encode(event, modes: modes)
    }

    // MARK: Helpers

    private static func character(_ scalar: Unicode.Scalar, _ modifiers: KeyModifiers) -> [UInt8] {
        var bytes: [UInt8]
        if modifiers.contains(.control), let c = controlByte(scalar) {
            bytes = [c]
        } else {
            bytes = Array(String(scalar).utf8)
        }
        return withAlt(bytes, modifiers)
    }

    /// The C0 byte xterm sends for Control plus a key, if any.
    static func controlByte(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x61...0x7A: return UInt8(scalar.value - 0x60)  // a-z
        case 0x40...0x5F: return UInt8(scalar.value - 0x40)  // @ A-Z [ \ ] ^ _
        case 0x20, 0x32: return 0x00  // space, 2
        case 0x33...0x37: return UInt8(scalar.value - 0x33 + 0x1B)  // 3-7 -> ESC ... US
        case 0x38, 0x3F: return 0x7F  // 8, ?
        case 0x2F: return 0x1F  // /
        default: return nil
        }
    }

    private static func withAlt(_ bytes: [UInt8], _ modifiers: KeyModifiers) -> [UInt8] {
        modifiers.contains(.alt) ? [esc] + bytes : bytes
    }

    private static func csi(_ s: String) -> [UInt8] {
        [esc, UInt8(ascii: "[")] + Array(s.utf8)
    }

    private static func ss3(_ s: String) -> [UInt8] {
        [esc, UInt8(ascii: "O")] + Array(s.utf8)
    }

    private static func cursorKey(_ final: String, _ modifiers: KeyModifiers, _ modes: TerminalModes) -> [UInt8] {
        if !modifiers.isEmpty { return csi("1;\(modifiers.xtermParameter)" + final) }
        return modes.applicationCursorKeys ? ss3(final) : csi(final)
    }

    private static func tilde(_ code: Int, _ modifiers: KeyModifiers) -> [UInt8] {
        modifiers.isEmpty ? csi("\(code)~") : csi("\(code);\(modifiers.xtermParameter)~")
    }

    private static func function(_ n: Int, _ modifiers: KeyModifiers) -> [UInt8] {
        let ss3Finals = ["P", "Q", "R", "S"]
        if n >= 1 && n <= 4 {
            let final = ss3Finals[n - 1]
            return modifiers.isEmpty ? ss3(final) : csi("1;\(modifiers.xtermParameter)" + final)
        }
        let codes = [5: 15, 6: 17, 7: 18, 8: 19, 9: 20, 10: 21, 11: 23, 12: 24,
                     13: 25, 14: 26, 15: 28, 16: 29, 17: 31, 18: 32, 19: 33, 20: 34]
        guard let code = codes[n] else { return [] }
        return tilde(code, modifiers)
    }

    private static func keypad(_ key: KeypadKey, _ modifiers: KeyModifiers, _ modes: TerminalModes) -> [UInt8] {
        let (plain, app): (String, String)
        switch key {
        case .digit(let d):
            guard (0...9).contains(d) else { return [] }
            plain = String(d)
            app = String(UnicodeScalar(UInt8(ascii: "p") + UInt8(d)))
        case .enter: (plain, app) = ("\r", "M")
        case .plus: (plain, app) = ("+", "k")
        case .minus: (plain, app) = ("-", "m")
        case .multiply: (plain, app) = ("*", "j")
        case .divide: (plain, app) = ("/", "o")
        case .decimal: (plain, app) = (".", "n")
        }
        if modes.applicationKeypad { return ss3(app) }
        return withAlt(Array(plain.utf8), modifiers)
    }

    private static func removing(_ marker: [UInt8], from bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == marker[0] && i + marker.count <= bytes.count
                && Array(bytes[i..<(i + marker.count)]) == marker {
                i += marker.count
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }
}
