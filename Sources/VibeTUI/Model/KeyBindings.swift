import Foundation

/// The prefix key and the table of keys pressed after it (tmux style: `C-b` then `%`).
/// The help overlay and the user guide's `## Keys` table are both generated from here.
public struct KeyBindings: Equatable, Sendable {
    /// The key that starts a command. Pressing it twice sends it to the pane (`sendPrefix`).
    public var prefix: KeySpec
    private var table: [KeySpec: TUIAction]

    /// The default prefix, `C-b`.
    public static let defaultPrefix = KeySpec(character: "b", ctrl: true)

    /// An empty table with the given prefix.
    public init(prefix: KeySpec = KeyBindings.defaultPrefix) {
        self.prefix = prefix
        self.table = [:]
    }

    /// The shipped bindings (tmux's where tmux has one).
    public static let defaults: KeyBindings = {
        var b = KeyBindings()
        let chars: [(Unicode.Scalar, TUIAction)] = [
            ("%", .splitHorizontal), ("\"", .splitVertical), ("c", .newWindow), ("n", .nextWindow),
            ("p", .previousWindow), ("l", .lastWindow), (",", .renameWindow), ("o", .nextPane),
            ("z", .zoomPane), ("x", .closePane), ("[", .copyMode), ("]", .paste), ("t", .toggleTree),
            ("f", .focusTree), ("h", .toggleHUD), (":", .commandPrompt), ("?", .help), ("d", .detach), ("s", .chooseSession),
            ("q", .quit), ("H", .resizeLeft), ("J", .resizeDown), ("K", .resizeUp), ("L", .resizeRight),
        ]
        for (c, action) in chars { b.bind(KeySpec(character: c), action) }
        let windows: [TUIAction] = [
            .selectWindow0, .selectWindow1, .selectWindow2, .selectWindow3, .selectWindow4,
            .selectWindow5, .selectWindow6, .selectWindow7, .selectWindow8, .selectWindow9,
        ]
        for (digit, action) in windows.enumerated() {
            b.bind(KeySpec(character: Unicode.Scalar(UInt8(48 + digit))), action)
        }
        let arrows: [(KeySpec.Named, TUIAction, TUIAction)] = [
            (.left, .focusLeft, .resizeLeft), (.right, .focusRight, .resizeRight),
            (.up, .focusUp, .resizeUp), (.down, .focusDown, .resizeDown),
        ]
        for (key, focus, resize) in arrows {
            b.bind(KeySpec(named: key), focus)
            b.bind(KeySpec(named: key, ctrl: true), resize)
        }
        return b
    }()

    /// The action for a key pressed after the prefix. The prefix itself maps to `sendPrefix` unless
    /// it was bound to something else.
    public func action(for key: KeySpec) -> TUIAction? {
        if let action = table[key] { return action }
        return key == prefix ? .sendPrefix : nil
    }

    /// Binds `key` to `action`, replacing what `key` did before. Other keys of `action` stay.
    public mutating func bind(_ key: KeySpec, _ action: TUIAction) {
        table[key] = action
    }

    /// Removes the binding of `key`.
    public mutating func unbind(_ key: KeySpec) {
        table[key] = nil
    }

    /// Makes `keys` the only keys of `action` (an empty list unbinds it). Used for `[keys]` in config.
    public mutating func rebind(_ action: TUIAction, to keys: [KeySpec]) {
        for key in self.keys(for: action) { table[key] = nil }
        for key in keys { table[key] = action }
    }

    /// Every key bound to `action`, in a stable order (plain before Ctrl, characters by code point).
    /// For `sendPrefix` this includes the prefix unless the prefix is bound elsewhere.
    public func keys(for action: TUIAction) -> [KeySpec] {
        var keys = table.filter { $0.value == action }.map(\.key)
        if action == .sendPrefix, table[prefix] == nil { keys.append(prefix) }
        return keys.sorted { Self.order($0) < Self.order($1) }
    }

    private static func order(_ key: KeySpec) -> (Int, Int, Int, String) {
        let modifiers = (key.ctrl ? 1 : 0) + (key.alt ? 2 : 0)
        switch key.base {
        case .named(let n): return (0, modifiers, KeySpec.Named.allCases.firstIndex(of: n) ?? 0, "")
        case .character(let c): return (1, modifiers, Int(c.value), "")
        }
    }

    /// Every bound action in `TUIAction.allCases` order with its keys (`C-Left, H`) and summary —
    /// the help overlay lists exactly these. Actions without keys are left out.
    public func helpLines() -> [(keys: String, description: String)] {
        boundActions().map { action, keys in
            (keys.map(\.description).joined(separator: ", "), action.summary)
        }
    }

    /// Every action that has keys, in `TUIAction.allCases` order.
    private func boundActions() -> [(TUIAction, [KeySpec])] {
        TUIAction.allCases.compactMap { action in
            let keys = keys(for: action)
            return keys.isEmpty ? nil : (action, keys)
        }
    }

    /// The help lines as a Markdown table (`| Keys | Action |`), as printed in docs/user-guide.md.
    public func markdownTable() -> String {
        var lines = ["| Keys (after the prefix) | Action |", "|---|---|"]
        for (action, keys) in boundActions() {
            let cell = keys.map { "`\($0.description)`" }.joined(separator: " ")
            lines.append("| \(cell.replacingOccurrences(of: "|", with: "\\|")) | \(action.summary) |")
        }
        return lines.joined(separator: "\n")
    }
}
