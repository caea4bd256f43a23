import TerminalEmulator
import Testing
@testable import VibeTUI

@Suite struct InputDecoderTests {
    func decode(_ text: String) -> [InputEvent] {
        var d = InputDecoder()
        return d.feed(Array(text.utf8)) + d.flush()
    }

    @Test func textAndControlBytes() {
        #expect(decode("a") == [.key(.character("a"), [])])
        #expect(decode("\u{02}") == [.key(.character("b"), .control)])
        #expect(decode("\r") == [.key(.enter, [])])
        #expect(decode("\u{7f}") == [.key(.backspace, [])])
        #expect(decode("é") == [.key(.character("é"), [])])
    }

    @Test func escapeSequences() {
        #expect(decode("\u{1b}[A") == [.key(.up, [])])
        #expect(decode("\u{1b}[1;5C") == [.key(.right, .control)])
        #expect(decode("\u{1b}OP") == [.key(.function(1), [])])
        #expect(decode("\u{1b}[5~") == [.key(.pageUp, [])])
        #expect(decode("\u{1b}[Z") == [.key(.tab, .shift)])
        #expect(decode("\u{1b}x") == [.key(.character("x"), .alt)])
    }

    @Test func loneEscapeWaitsForFlush() {
        var d = InputDecoder()
        #expect(d.feed([0x1b]).isEmpty)
        #expect(d.hasPending)
        #expect(d.flush() == [.key(.escape, [])])
    }

    @Test func splitSequenceAcrossReads() {
        var d = InputDecoder()
        #expect(d.feed([0x1b, UInt8(ascii: "[")]).isEmpty)
        #expect(d.feed([UInt8(ascii: "B")]) == [.key(.down, [])])
    }

    @Test func sgrMouse() {
        #expect(decode("\u{1b}[<0;10;5M") == [.mouse(MouseEvent(button: .left, action: .press, row: 4, col: 9))])
        #expect(decode("\u{1b}[<0;10;5m") == [.mouse(MouseEvent(button: .left, action: .release, row: 4, col: 9))])
        #expect(decode("\u{1b}[<64;1;1M") == [.mouse(MouseEvent(button: .wheelUp, action: .press, row: 0, col: 0))])
        #expect(decode("\u{1b}[<32;3;4M") == [.mouse(MouseEvent(button: .left, action: .motion, row: 3, col: 2))])
    }

    @Test func bracketedPasteAcrossReads() {
        var d = InputDecoder()
        #expect(d.feed(Array("\u{1b}[200~hel".utf8)).isEmpty)
        #expect(d.feed(Array("lo\u{1b}[20".utf8)).isEmpty)
        #expect(d.feed(Array("1~x".utf8)) == [.paste(Array("hello".utf8)), .key(.character("x"), [])])
    }

    @Test func keySpecOfDecodedKeys() {
        #expect(KeySpec(key: .character("b"), modifiers: .control) == KeyBindings.defaultPrefix)
        #expect(KeySpec(key: .character("%"), modifiers: []) == KeySpec(character: "%"))
        #expect(KeySpec(key: .left, modifiers: .control) == KeySpec(named: .left, ctrl: true))
        let (key, mods) = KeyBindings.defaultPrefix.keyPress
        #expect(KeyEncoder.encode(key, modifiers: mods, modes: TerminalModes()) == [0x02])
    }
}
