import TerminalEmulator

/// Turns the raw bytes of the outer terminal (xterm conventions) into `InputEvent`s.
///
/// Bytes of an unfinished escape sequence are kept for the next `feed`; when nothing more
/// arrives in time the caller calls `flush()` and a lone ESC becomes the Escape key.
public struct InputDecoder {
    private var pending: [UInt8] = []
    private var pasting: [UInt8]?
    private static let esc: UInt8 = 0x1B
    private static let pasteEnd: [UInt8] = [0x1B] + Array("[201~".utf8)
    /// Longest escape sequence kept while waiting for its end (longer ones are dropped).
    static let maxSequence = 64

    /// A decoder with nothing pending.
    public init() {}

    /// True when bytes wait for the rest of a sequence (then call `flush()` after a short timeout).
    public var hasPending: Bool { !pending.isEmpty && pasting == nil }

    /// Decodes `bytes`, keeping an unfinished sequence at the end for later.
    public mutating func feed(_ bytes: [UInt8]) -> [InputEvent] {
        pending.append(contentsOf: bytes)
        return decode(final: false)
    }

    /// Decodes whatever is pending as if no more bytes will follow (a lone ESC is the Escape key).
    public mutating func flush() -> [InputEvent] {
        decode(final: true)
    }

    private mutating func decode(final: Bool) -> [InputEvent] {
        var out: [InputEvent] = []
        var i = 0
        let bytes = pending
        while i < bytes.count {
            if pasting != nil {
                if let end = Self.find(Self.pasteEnd, in: bytes, from: i) {
                    pasting?.append(contentsOf: bytes[i..<end])
                    out.append(.paste(pasting ?? []))
                    pasting = nil
                    i = end + Self.pasteEnd.count
                    continue
                }
                // Keep a possible partial end marker for the next read.
                let keep = min(Self.pasteEnd.count - 1, bytes.count - i)
                pasting?.append(contentsOf: bytes[i..<(bytes.count - keep)])
                i = bytes.count - keep
                break
            }
            switch Self.parseOne(bytes, i, final: final) {
            case .incomplete:
                pending = Array(bytes[i...])
                if pending.count > Self.maxSequence { pending = [] }
                return out
            case .event(let e, let length):
                if case .paste = e { pasting = [] } else { out.append(e) }
                i += length
            case .skip(let length):
                i += length
            }
        }
        pending = i < bytes.count ? Array(bytes[i...]) : []
        return out
    }

    private enum Step {
        case incomplete
        case event(InputEvent, Int)
        case skip(Int)
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard hay.count - from >= needle.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0], Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    private static func parseOne(_ b: [UInt8], _ i: Int, final: Bool) -> Step {
        let c = b[i]
        if c == esc {
            guard i + 1 < b.count else { return final ? .event(.key(.escape, []), 1) : .incomplete }
            let n = b[i + 1]
            if n == UInt8(ascii: "[") { return csi(b, i, final: final) }
            if n == UInt8(ascii: "O") { return ss3(b, i, final: final) }
            if n == esc { return .event(.key(.escape, []), 1) }
            switch parseOne(b, i + 1, final: final) {
            case .event(.key(let k, let m), let len): return .event(.key(k, m.union(.alt)), len + 1)
            case .incomplete: return .incomplete
            default: return .event(.key(.escape, []), 1)
            }
        }
        switch c {
        case 0x0D, 0x0A: return .event(.key(.enter, []), 1)
        case 0x09: return .event(.key(.tab, []), 1)
        case 0x7F, 0x08: return .event(.key(.backspace, []), 1)
        case 0x00: return .event(.key(.character(" "), .control), 1)
        case 0x01...0x1A: return .event(.key(.character(Unicode.Scalar(c + 0x60)), .control), 1)
        case 0x1C...0x1F: return .event(.key(.character(Unicode.Scalar(c + 0x40)), .control), 1)
        default: return utf8(b, i, final: final)
        }
    }

    private static func utf8(_ b: [UInt8], _ i: Int, final: Bool) -> Step {
        let lead = b[i]
        let length: Int
        switch lead {
        case 0x00..<0x80: length = 1
        case 0xC2..<0xE0: length = 2
        case 0xE0..<0xF0: length = 3
        case 0xF0..<0xF5: length = 4
        default: return .skip(1)
        }
        guard i + length <= b.count else { return final ? .skip(b.count - i) : .incomplete }
        var value = length == 1 ? UInt32(lead) : UInt32(lead) & (0xFF >> (length + 1))
        for k in 1..<length {
            let cont = b[i + k]
            guard cont & 0xC0 == 0x80 else { return .skip(k) }
            value = value << 6 | UInt32(cont & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return .skip(length) }
        return .event(.key(.character(scalar), []), length)
    }

    private static func ss3(_ b: [UInt8], _ i: Int, final: Bool) -> Step {
        guard i + 2 < b.count else { return final ? .event(.key(.character("O"), .alt), 2) : .incomplete }
        let key: Key? = b[i + 2] == UInt8(ascii: "M") ? .enter : cursorOrFunctionKey(b[i + 2])
        guard let key else { return .skip(3) }
        return .event(.key(key, []), 3)
    }

    private static func csi(_ b: [UInt8], _ i: Int, final: Bool) -> Step {
        var j = i + 2
        while j < b.count, !(0x40...0x7E).contains(b[j]) { j += 1 }
        guard j < b.count else {
            if final { return .event(.key(.character("["), .alt), 2) }
            return j - i > maxSequence ? .skip(j - i) : .incomplete
        }
        let length = j - i + 1
        let body = Array(b[(i + 2)..<j])
        let finalByte = b[j]
        if body.first == UInt8(ascii: "<"), finalByte == UInt8(ascii: "M") || finalByte == UInt8(ascii: "m") {
            guard let mouse = sgrMouse(Array(body.dropFirst()), release: finalByte == UInt8(ascii: "m")) else {
                return .skip(length)
            }
            return .event(.mouse(mouse), length)
        }
        let params = String(decoding: body, as: UTF8.self).split(separator: ";", omittingEmptySubsequences: false)
            .map { Int($0) ?? 0 }
        let mods = modifiers(params.count > 1 ? params[1] : 1)
        let key: Key?
        switch finalByte {
        case UInt8(ascii: "Z"): return .event(.key(.tab, .shift), length)
        case UInt8(ascii: "I"): return .event(.focus(true), length)
        case UInt8(ascii: "O"): return .event(.focus(false), length)
        case UInt8(ascii: "~"): return tilde(params.first ?? 0, mods, length)
        default: key = cursorOrFunctionKey(finalByte)
        }
        guard let key else { return .skip(length) }
        return .event(.key(key, mods), length)
    }

    /// The key of a CSI or SS3 final byte shared by both forms: arrows, Home/End, F1–F4.
    private static func cursorOrFunctionKey(_ byte: UInt8) -> Key? {
        switch byte {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return .right
        case UInt8(ascii: "D"): return .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "P"): return .function(1)
        case UInt8(ascii: "Q"): return .function(2)
        case UInt8(ascii: "R"): return .function(3)
        case UInt8(ascii: "S"): return .function(4)
        default: return nil
        }
    }

    private static func tilde(_ code: Int, _ mods: KeyModifiers, _ length: Int) -> Step {
        let fkeys: [Int: Int] = [11: 1, 12: 2, 13: 3, 14: 4, 15: 5, 17: 6, 18: 7, 19: 8, 20: 9, 21: 10, 23: 11, 24: 12]
        let key: Key
        switch code {
        case 200: return .event(.paste([]), length)
        case 1, 7: key = .home
        case 2: key = .insert
        case 3: key = .delete
        case 4, 8: key = .end
        case 5: key = .pageUp
        case 6: key = .pageDown
        default:
            guard let n = fkeys[code] else { return .skip(length) }
            key = .function(n)
        }
        return .event(.key(key, mods), length)
    }

    private static func modifiers(_ param: Int) -> KeyModifiers {
        guard param > 1 else { return [] }
        return KeyModifiers(rawValue: UInt8(truncatingIfNeeded: (param - 1) & 0x0F))
    }

    private static func sgrMouse(_ body: [UInt8], release: Bool) -> MouseEvent? {
        let parts = String(decoding: body, as: UTF8.self).split(separator: ";").compactMap { Int($0) }
        guard parts.count == 3, parts[1] >= 1, parts[2] >= 1 else { return nil }
        let code = parts[0]
        var mods: KeyModifiers = []
        if code & 4 != 0 { mods.insert(.shift) }
        if code & 8 != 0 { mods.insert(.alt) }
        if code & 16 != 0 { mods.insert(.control) }
        let motion = code & 32 != 0
        let button: MouseButton
        switch code & 0xC3 {
        case 0: button = .left
        case 1: button = .middle
        case 2: button = .right
        case 3: button = .none
        case 64: button = .wheelUp
        case 65: button = .wheelDown
        case 66: button = .wheelLeft
        case 67: button = .wheelRight
        default: return nil
        }
        let action: MouseAction = release ? .release : (motion ? .motion : .press)
        return MouseEvent(button: button, action: action, row: parts[2] - 1, col: parts[1] - 1, modifiers: mods)
    }
}
