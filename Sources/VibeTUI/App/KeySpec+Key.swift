import TerminalEmulator

extension KeySpec {
    /// The binding key for a decoded key press (nil for keys bindings cannot name, such as F13).
    init?(key: Key, modifiers: KeyModifiers) {
        let ctrl = modifiers.contains(.control)
        let alt = modifiers.contains(.alt)
        let named: Named
        switch key {
        case .character(" "): named = .space
        case .character(let c):
            self.init(character: c, ctrl: ctrl, alt: alt)
            return
        case .enter: named = .enter
        case .tab: named = modifiers.contains(.shift) ? .backTab : .tab
        case .backspace: named = .backspace
        case .escape: named = .escape
        case .up: named = .up
        case .down: named = .down
        case .left: named = .left
        case .right: named = .right
        case .home: named = .home
        case .end: named = .end
        case .pageUp: named = .pageUp
        case .pageDown: named = .pageDown
        case .insert: named = .insert
        case .delete: named = .delete
        case .function(let n):
            let keys: [Named] = [.f1, .f2, .f3, .f4, .f5, .f6, .f7, .f8, .f9, .f10, .f11, .f12]
            guard n >= 1, n <= keys.count else { return nil }
            named = keys[n - 1]
        case .keypad: return nil
        }
        self.init(named: named, ctrl: ctrl, alt: alt)
    }

    /// The key press that sends this key to a pane (the prefix pressed twice).
    var keyPress: (Key, KeyModifiers) {
        var mods: KeyModifiers = []
        if ctrl { mods.insert(.control) }
        if alt { mods.insert(.alt) }
        switch base {
        case .character(let c): return (.character(c), mods)
        case .named(let n):
            let key: Key
            switch n {
            case .up: key = .up
            case .down: key = .down
            case .left: key = .left
            case .right: key = .right
            case .enter: key = .enter
            case .tab: key = .tab
            case .backTab:
                key = .tab
                mods.insert(.shift)
            case .backspace: key = .backspace
            case .escape: key = .escape
            case .space: key = .character(" ")
            case .insert: key = .insert
            case .delete: key = .delete
            case .home: key = .home
            case .end: key = .end
            case .pageUp: key = .pageUp
            case .pageDown: key = .pageDown
            case .f1, .f2, .f3, .f4, .f5, .f6, .f7, .f8, .f9, .f10, .f11, .f12:
                key = .function((Named.allCases.firstIndex(of: n) ?? 0) - (Named.allCases.firstIndex(of: .f1) ?? 0) + 1)
            }
            return (key, mods)
        }
    }
}
