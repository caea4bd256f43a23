/// One key press — a character or a named key, with Ctrl and Alt (Meta) flags — written and read in
/// tmux notation: `C-b`, `M-x`, `C-M-a`, `F1`, `Up`, `C-Left`, `PPage`, `%`.
public struct KeySpec: Hashable, Sendable, CustomStringConvertible {
    /// Keys that are not characters.
    public enum Named: String, Hashable, Sendable, CaseIterable {
        case up, down, left, right, enter, tab, backTab, backspace, escape, space
        case insert, delete, home, end, pageUp, pageDown
        case f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12

        /// The tmux name, used by `description`.
        public var tmuxName: String {
            switch self {
            case .up: "Up"
            case .down: "Down"
            case .left: "Left"
            case .right: "Right"
            case .enter: "Enter"
            case .tab: "Tab"
            case .backTab: "BTab"
            case .backspace: "BSpace"
            case .escape: "Escape"
            case .space: "Space"
            case .insert: "IC"
            case .delete: "DC"
            case .home: "Home"
            case .end: "End"
            case .pageUp: "PPage"
            case .pageDown: "NPage"
            default: rawValue.uppercased()
            }
        }

        /// Lower-cased spellings accepted by `KeySpec.parse`, tmux's and common ones.
        static let byName: [String: Named] = {
            var table: [String: Named] = [:]
            for key in allCases {
                table[key.rawValue.lowercased()] = key
                table[key.tmuxName.lowercased()] = key
            }
            let aliases: [String: Named] = [
                "return": .enter, "cr": .enter, "esc": .escape, "bs": .backspace, "del": .delete,
                "ins": .insert, "pgup": .pageUp, "pgdn": .pageDown, "ppage": .pageUp, "npage": .pageDown,
                "pageup": .pageUp, "pagedown": .pageDown, "btab": .backTab,
            ]
            table.merge(aliases) { _, new in new }
            return table
        }()
    }

    /// What was pressed.
    public enum Base: Hashable, Sendable {
        /// A printable character (`%`, `a`, `A`). Shift is implied by the character itself.
        case character(Unicode.Scalar)
        /// A key without a character.
        case named(Named)
    }

    /// What was pressed.
    public var base: Base
    /// Control held. A control letter is stored lower-case: `C-B` and `C-b` are the same key.
    public var ctrl: Bool
    /// Alt / Meta held (`M-`).
    public var alt: Bool

    /// A key. Control letters are folded to lower case.
    public init(_ base: Base, ctrl: Bool = false, alt: Bool = false) {
        if ctrl, case .character(let c) = base, c.properties.isUppercase, c.isASCII {
            self.base = .character(Unicode.Scalar(UInt8(c.value) + 32))
        } else {
            self.base = base
        }
        self.ctrl = ctrl
        self.alt = alt
    }

    /// A plain character key.
    public init(character: Unicode.Scalar, ctrl: Bool = false, alt: Bool = false) {
        self.init(.character(character), ctrl: ctrl, alt: alt)
    }

    /// A named key.
    public init(named: Named, ctrl: Bool = false, alt: Bool = false) {
        self.init(.named(named), ctrl: ctrl, alt: alt)
    }

    /// The key a terminal sends as a single byte: 0x01…0x1a are `C-a`…`C-z` (except Tab, Enter and
    /// Backspace), 0x00 is `C-Space`, 0x1b is Escape, 0x7f is Backspace, printable ASCII is itself.
    /// Returns nil for bytes 0x80 and above (decode UTF-8 first) and the unused controls 0x1c…0x1f.
    public init?(terminalByte byte: UInt8) {
        switch byte {
        case 0x00: self.init(named: .space, ctrl: true)
        case 0x09: self.init(named: .tab)
        case 0x0d, 0x0a: self.init(named: .enter)
        case 0x08, 0x7f: self.init(named: .backspace)
        case 0x1b: self.init(named: .escape)
        case 0x01...0x1a: self.init(character: Unicode.Scalar(byte + 0x60), ctrl: true)
        case 0x20: self.init(named: .space)
        case 0x21...0x7e: self.init(character: Unicode.Scalar(byte))
        default: return nil
        }
    }

    /// Parses tmux notation: modifiers `C-`, `M-` (or `A-`), `S-` (accepted, ignored for characters),
    /// `^x` for `C-x`, then one character or a key name (`Up`, `Enter`, `F5`, `PPage`/`PageUp`,
    /// `BSpace`, `Space`, …, case-insensitive). Returns nil for anything else.
    public static func parse(_ text: String) -> KeySpec? {
        var rest = Substring(text)
        var ctrl = false
        var alt = false
        if rest.count == 2, rest.first == "^" {
            ctrl = true
            rest = rest.dropFirst()
        }
        while rest.count > 2, rest.dropFirst().first == "-" {
            switch rest.first {
            case "C", "c": ctrl = true
            case "M", "m", "A", "a": alt = true
            case "S", "s": break
            default: return nil
            }
            rest = rest.dropFirst(2)
        }
        guard !rest.isEmpty else { return nil }
        let scalars = rest.unicodeScalars
        if scalars.count == 1, let scalar = scalars.first {
            if scalar == " " { return KeySpec(named: .space, ctrl: ctrl, alt: alt) }
            guard scalar.value >= 0x20, scalar.value != 0x7f else { return nil }
            return KeySpec(character: scalar, ctrl: ctrl, alt: alt)
        }
        guard let named = Named.byName[rest.lowercased()] else { return nil }
        return KeySpec(named: named, ctrl: ctrl, alt: alt)
    }

    /// The key in tmux notation (`C-b`, `M-x`, `C-Left`, `F1`, `%`); `parse` reads it back.
    public var description: String {
        var out = ""
        if ctrl { out += "C-" }
        if alt { out += "M-" }
        switch base {
        case .character(let c): out.unicodeScalars.append(c)
        case .named(let n): out += n.tmuxName
        }
        return out
    }
}
