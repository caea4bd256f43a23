import TerminalEmulator

/// tmux `send-keys` syntax: each word is a key name (`Enter`, `C-c`, `M-x`, `F5`, `Up`, `BSpace`, …) or, when it
/// is not one, text typed as it is. Keys become the bytes the terminal's current modes require (cursor keys in
/// application mode send `ESC O A`, as a real terminal would).
public enum KeyNames {
    /// The bytes for `words`; with `literal`, every word is text.
    public static func bytes(_ words: [String], literal: Bool, modes: TerminalModes) -> [UInt8] {
        var out: [UInt8] = []
        for word in words {
            if literal {
                out += Array(word.utf8)
            } else if let (key, modifiers) = parse(word) {
                out += KeyEncoder.encode(key, modifiers: modifiers, modes: modes)
            } else {
                out += Array(word.utf8)
            }
        }
        return out
    }

    /// The key a word names, nil when the word is text (as in tmux, a word that names no key, `C-foo` included,
    /// is typed as it is). Modifier prefixes: `C-` (control), `M-` (alt), `S-` (shift).
    static func parse(_ word: String) -> (Key, KeyModifiers)? {
        var rest = Substring(word)
        var modifiers: KeyModifiers = []
        while rest.count > 2, let prefix = modifierPrefixes.first(where: { rest.hasPrefix($0.0) }) {
            modifiers.insert(prefix.1)
            rest = rest.dropFirst(2)
        }
        if let key = named[rest.lowercased()] { return (key, modifiers) }
        if let n = functionNumber(rest) { return (.function(n), modifiers) }
        if !modifiers.isEmpty {
            guard rest.unicodeScalars.count == 1, let scalar = rest.unicodeScalars.first else { return nil }
            return (.character(modifiers.contains(.control) ? lowercased(scalar) : scalar), modifiers)
        }
        return nil
    }

    private static let modifierPrefixes: [(String, KeyModifiers)] = [
        ("C-", .control), ("M-", .alt), ("S-", .shift),
    ]

    /// Key names as tmux spells them (compared case-insensitively), with a few common aliases.
    private static let named: [String: Key] = [
        "enter": .enter, "tab": .tab, "escape": .escape, "esc": .escape, "bspace": .backspace, "backspace": .backspace,
        "space": .character(" "), "up": .up, "down": .down, "left": .left, "right": .right, "home": .home, "end": .end,
        "pageup": .pageUp, "pgup": .pageUp, "ppage": .pageUp, "pagedown": .pageDown, "pgdn": .pageDown,
        "npage": .pageDown, "ic": .insert, "insert": .insert, "dc": .delete, "delete": .delete,
    ]

    /// `F1`…`F20`.
    private static func functionNumber(_ word: Substring) -> Int? {
        guard word.count >= 2, word.first == "F" || word.first == "f", let n = Int(word.dropFirst()), (1...20).contains(n)
        else { return nil }
        return n
    }

    private static func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (65...90).contains(scalar.value) ? Unicode.Scalar(scalar.value + 32) ?? scalar : scalar
    }
}
