import Testing
import TerminalEmulator
@testable import VibeTUI

/// Colour changes a program makes (OSC 4/10/11) show in its own pane only; colour queries are answered from the
/// TUI's theme.
@Suite struct PaneColorsTests {
    @Test func aProgramsPaletteChangeAppliesToItsPaneAsTruecolor() {
        let emulator = Terminal(cols: 20, rows: 4, scrollbackLimit: 0)
        emulator.colorScheme = TerminalColorScheme(theme: .builtinDefault)
        #expect(PaneColors(of: emulator).isEmpty)
        emulator.feed(Array("\u{1b}]4;1;rgb:12/34/56\u{1b}\\\u{1b}]11;#101010\u{7}".utf8))
        let colors = PaneColors(of: emulator)
        #expect(colors.apply(CellStyle(fg: .palette(1))).fg == .rgb(0x12, 0x34, 0x56))
        #expect(colors.apply(CellStyle(fg: .palette(2))).fg == .palette(2), "entries the program left alone keep the theme")
        #expect(colors.apply(CellStyle()).bg == .rgb(0x10, 0x10, 0x10), "a changed default background")
        #expect(colors.apply(CellStyle()).fg == .default)
        #expect(colors.apply(CellStyle(fg: .rgb(1, 2, 3))).fg == .rgb(1, 2, 3))
    }

    @Test func colourQueriesAreAnsweredFromTheTheme() {
        let theme = Theme.builtinDefault
        let emulator = Terminal(cols: 20, rows: 4, scrollbackLimit: 0)
        emulator.colorScheme = TerminalColorScheme(theme: theme)
        _ = emulator.takeReplies()
        emulator.feed(Array("\u{1b}]11;?\u{1b}\\".utf8))
        let reply = String(decoding: emulator.takeReplies(), as: UTF8.self)
        let hex = { (v: UInt8) in String(format: "%02x%02x", v, v) }
        let bg = theme.background
        #expect(reply == "\u{1b}]11;rgb:\(hex(bg.r))/\(hex(bg.g))/\(hex(bg.b))\u{1b}\\")
    }
}
