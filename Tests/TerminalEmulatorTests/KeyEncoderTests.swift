import Testing
@testable import TerminalEmulator

private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

@Suite("KeyEncoder")
struct KeyEncoderTests {
    let normal = TerminalModes()

    @Test func textAndControlKeys() {
        #expect(KeyEncoder.encode(.character("a"), modifiers: [], modes: normal) == bytes("a"))
        #expect(KeyEncoder.encode(.character("é"), modifiers: [], modes: normal) == bytes("é"))
        #expect(KeyEncoder.encode(.character("c"), modifiers: .control, modes: normal) == [0x03])
        #expect(KeyEncoder.encode(.character(" "), modifiers: .control, modes: normal) == [0x00])
        #expect(KeyEncoder.encode(.character("["), modifiers: .control, modes: normal) == [0x1B])
        #expect(KeyEncoder.encode(.character("x"), modifiers: .alt, modes: normal) == bytes("\u{1B}x"))
        #expect(KeyEncoder.encode(.enter, modifiers: [], modes: normal) == [0x0D])
        #expect(KeyEncoder.encode(.backspace, modifiers: [], modes: normal) == [0x7F])
        #expect(KeyEncoder.encode(.tab, modifiers: .shift, modes: normal) == bytes("\u{1B}[Z"))
        #expect(KeyEncoder.encode(.escape, modifiers: [], modes: normal) == [0x1B])
    }

    @Test func enterInNewlineMode() {
        var m = normal
        m.newlineMode = true
        #expect(KeyEncoder.encode(.enter, modifiers: [], modes: m) == [0x0D, 0x0A])
    }

    @Test func cursorKeysFollowDECCKM() {
        #expect(KeyEncoder.encode(.up, modifiers: [], modes: normal) == bytes("\u{1B}[A"))
        var app = normal
        app.applicationCursorKeys = true
        #expect(KeyEncoder.encode(.up, modifiers: [], modes: app) == bytes("\u{1B}OA"))
        #expect(KeyEncoder.encode(.home, modifiers: [], modes: app) == bytes("\u{1B}OH"))
        #expect(KeyEncoder.encode(.left, modifiers: .control, modes: app) == bytes("\u{1B}[1;5D"))
        #expect(KeyEncoder.encode(.right, modifiers: [.shift, .alt], modes: normal) == bytes("\u{1B}[1;4C"))
    }

    @Test func editingAndFunctionKeys() {
        #expect(KeyEncoder.encode(.delete, modifiers: [], modes: normal) == bytes("\u{1B}[3~"))
        #expect(KeyEncoder.encode(.pageUp, modifiers: .shift, modes: normal) == bytes("\u{1B}[5;2~"))
        #expect(KeyEncoder.encode(.function(1), modifiers: [], modes: normal) == bytes("\u{1B}OP"))
        #expect(KeyEncoder.encode(.function(4), modifiers: .control, modes: normal) == bytes("\u{1B}[1;5S"))
        #expect(KeyEncoder.encode(.function(5), modifiers: [], modes: normal) == bytes("\u{1B}[15~"))
        #expect(KeyEncoder.encode(.function(12), modifiers: [], modes: normal) == bytes("\u{1B}[24~"))
        #expect(KeyEncoder.encode(.function(99), modifiers: [], modes: normal).isEmpty)
    }

    @Test func keypadModes() {
        #expect(KeyEncoder.encode(.keypad(.digit(5)), modifiers: [], modes: normal) == bytes("5"))
        var app = normal
        app.applicationKeypad = true
        #expect(KeyEncoder.encode(.keypad(.digit(5)), modifiers: [], modes: app) == bytes("\u{1B}Ou"))
        #expect(KeyEncoder.encode(.keypad(.enter), modifiers: [], modes: app) == bytes("\u{1B}OM"))
    }

    @Test func keyEncoderFollowsTerminalModes() {
        let t = Terminal(cols: 10, rows: 2)
        t.feed("\u{1B}[?1h\u{1B}=")
        #expect(KeyEncoder.encode(.down, modifiers: [], modes: t.modes) == bytes("\u{1B}OB"))
        #expect(KeyEncoder.encode(.keypad(.minus), modifiers: [], modes: t.modes) == bytes("\u{1B}Om"))
        t.feed("\u{1B}[?1l\u{1B}>")
        #expect(KeyEncoder.encode(.down, modifiers: [], modes: t.modes) == bytes("\u{1B}[B"))
    }

    @Test func bracketedPaste() {
        var m = normal
        #expect(KeyEncoder.encodePaste(bytes("a\nb\r\nc"), modes: m) == bytes("a\rb\rc"))
        m.bracketedPaste = true
        #expect(KeyEncoder.encodePaste(bytes("x\u{1B}[201~y"), modes: m) == bytes("\u{1B}[200~xy\u{1B}[201~"))
    }

    @Test func focusEvents() {
        #expect(KeyEncoder.encodeFocus(true, modes: normal).isEmpty)
        var m = normal
        m.focusEvents = true
        #expect(KeyEncoder.encodeFocus(true, modes: m) == bytes("\u{1B}[I"))
        #expect(KeyEncoder.encodeFocus(false, modes: m) == bytes("\u{1B}[O"))
    }

    @Test func mouseEncodings() {
        var m = normal
        let press = MouseEvent(button: .left, action: .press, row: 4, col: 9)
        #expect(MouseEncoder.encode(press, modes: m).isEmpty)
        m.mouseTracking = .normal
        #expect(MouseEncoder.encode(press, modes: m) == [0x1B, 0x5B, 0x4D, 32, 32 + 10, 32 + 5])
        let release = MouseEvent(button: .left, action: .release, row: 4, col: 9)
        #expect(MouseEncoder.encode(release, modes: m) == [0x1B, 0x5B, 0x4D, 32 + 3, 42, 37])
        let drag = MouseEvent(button: .left, action: .motion, row: 4, col: 9)
        #expect(MouseEncoder.encode(drag, modes: m).isEmpty)
        m.mouseTracking = .buttonEvent
        m.mouseEncoding = .sgr
        #expect(MouseEncoder.encode(drag, modes: m) == bytes("\u{1B}[<32;10;5M"))
        #expect(MouseEncoder.encode(release, modes: m) == bytes("\u{1B}[<0;10;5m"))
        let hover = MouseEvent(button: .none, action: .motion, row: 0, col: 0)
        #expect(MouseEncoder.encode(hover, modes: m).isEmpty)
        m.mouseTracking = .anyEvent
        #expect(MouseEncoder.encode(hover, modes: m) == bytes("\u{1B}[<35;1;1M"))
        let wheel = MouseEvent(button: .wheelUp, action: .press, row: 0, col: 0, modifiers: .control)
        #expect(MouseEncoder.encode(wheel, modes: m) == bytes("\u{1B}[<80;1;1M"))
        m.mouseEncoding = .urxvt
        #expect(MouseEncoder.encode(press, modes: m) == bytes("\u{1B}[32;10;5M"))
        m.mouseEncoding = .utf8
        let far = MouseEvent(button: .left, action: .press, row: 0, col: 299)
        #expect(MouseEncoder.encode(far, modes: m) == [0x1B, 0x5B, 0x4D, 32] + bytes("\u{14C}") + [33])
        m.mouseEncoding = .x10
        #expect(MouseEncoder.encode(far, modes: m).isEmpty)
    }

    @Test func mouseModesFromTerminal() {
        let t = Terminal(cols: 10, rows: 2)
        t.feed("\u{1B}[?1000h\u{1B}[?1006h")
        let e = MouseEvent(button: .right, action: .press, row: 1, col: 2)
        #expect(KeyEncoder.encodeMouse(e, modes: t.modes) == bytes("\u{1B}[<2;3;2M"))
        t.feed("\u{1B}[?1000l")
        #expect(KeyEncoder.encodeMouse(e, modes: t.modes).isEmpty)
    }
}
