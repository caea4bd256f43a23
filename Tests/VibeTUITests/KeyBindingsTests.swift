import Testing
@testable import VibeTUI

@Suite struct KeyBindingsTests {
    @Test(arguments: ["C-b", "C-a", "M-x", "C-M-a", "F1", "F12", "%", "\"", "Up", "C-Left", "PPage", "NPage", "BSpace", "Enter", "Space", "-", "C--"])
    func parseRoundTrips(_ text: String) throws {
        let key = try #require(KeySpec.parse(text))
        #expect(key.description == text)
        #expect(KeySpec.parse(key.description) == key)
    }

    @Test func parseSpellings() {
        #expect(KeySpec.parse("C-b") == KeySpec(character: "b", ctrl: true))
        #expect(KeySpec.parse("C-B") == KeySpec.parse("C-b"))
        #expect(KeySpec.parse("^B") == KeySpec.parse("C-b"))
        #expect(KeySpec.parse("M-x") == KeySpec(character: "x", alt: true))
        #expect(KeySpec.parse("pageup") == KeySpec(named: .pageUp))
        #expect(KeySpec.parse("f1") == KeySpec(named: .f1))
        for bad in ["", "C-", "X-a", "Nope", "C-Nope", "\u{7}"] {
            #expect(KeySpec.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func terminalBytes() {
        #expect(KeySpec(terminalByte: 0x02) == KeySpec.parse("C-b"))
        #expect(KeySpec(terminalByte: 0x0d) == KeySpec(named: .enter))
        #expect(KeySpec(terminalByte: 0x25) == KeySpec.parse("%"))
        #expect(KeySpec(terminalByte: 0x7f) == KeySpec(named: .backspace))
        #expect(KeySpec(terminalByte: 0xc3) == nil)
    }

    @Test func defaultBindings() {
        let b = KeyBindings.defaults
        let expected: [String: TUIAction] = [
            "%": .splitHorizontal, "\"": .splitVertical, "c": .newWindow, "n": .nextWindow, "p": .previousWindow,
            "o": .nextPane, "z": .zoomPane, "x": .closePane, "[": .copyMode, "]": .paste, "d": .detach,
            "?": .help, ",": .renameWindow, "0": .selectWindow0, "9": .selectWindow9, "Left": .focusLeft,
            "Down": .focusDown, "C-Up": .resizeUp, "L": .resizeRight, "H": .resizeLeft, "t": .toggleTree,
            "f": .focusTree, "h": .toggleHUD, "l": .lastWindow, "C-b": .sendPrefix, ":": .commandPrompt, "q": .quit,
        ]
        for (key, action) in expected {
            #expect(KeySpec.parse(key).flatMap(b.action(for:)) == action, "\(key)")
        }
        #expect(b.action(for: KeySpec(character: "Q")) == nil)
    }

    @Test func everyActionHasAKeyAndHelpLine() {
        let lines = KeyBindings.defaults.helpLines()
        #expect(lines.count == TUIAction.allCases.count)
        #expect(lines.contains { $0.keys == "C-Left, H" })
    }

    @Test func prefixChangeMovesSendPrefix() {
        var b = KeyBindings.defaults
        b.prefix = KeySpec(character: "a", ctrl: true)
        #expect(b.action(for: KeySpec(character: "a", ctrl: true)) == .sendPrefix)
        #expect(b.action(for: KeySpec(character: "b", ctrl: true)) == nil)
        #expect(b.keys(for: .sendPrefix).map(\.description) == ["C-a"])
    }

    @Test func rebindReplacesAnActionsKeys() {
        var b = KeyBindings.defaults
        b.rebind(.splitHorizontal, to: [KeySpec(character: "|")])
        #expect(b.action(for: KeySpec(character: "|")) == .splitHorizontal)
        #expect(b.action(for: KeySpec(character: "%")) == nil)
        b.bind(KeySpec(character: "-"), .splitVertical)
        #expect(b.keys(for: .splitVertical).map(\.description) == ["\"", "-"])
        b.rebind(.quit, to: [])
        #expect(b.keys(for: .quit).isEmpty)
        #expect(!b.helpLines().contains { $0.description == TUIAction.quit.summary })
    }

    @Test func configNames() {
        #expect(TUIAction.splitHorizontal.configName == "split_horizontal")
        #expect(TUIAction.selectWindow3.configName == "select_window_3")
        #expect(TUIAction.toggleHUD.configName == "toggle_hud")
        for action in TUIAction.allCases { #expect(TUIAction(configName: action.configName) == action) }
        #expect(TUIAction.selectWindow7.windowIndex == 7)
        #expect(TUIAction.resizeDown.direction == .down)
    }
}
