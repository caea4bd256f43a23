import Testing
@testable import TerminalEmulator

/// The colour syntaxes (X11 `XParseColor`, as xterm accepts them in OSC 4 / 10) and the
/// embedder-facing colour and report hooks.
@Suite("Colours and embedder hooks")
struct ColorAndHookTests {
    private func replies(_ t: Terminal, _ input: String) -> String {
        t.feed(input)
        return String(decoding: t.takeReplies(), as: UTF8.self)
    }

    @Test func colorSpecSyntaxes() {
        #expect(ColorSpec.parse("rgb:f/0/8") == RGBColor(255, 0, 136))
        #expect(ColorSpec.parse("rgb:ffff/0000/8000") == RGBColor(255, 0, 128))
        #expect(ColorSpec.parse("rgb:ff/00") == nil)
        #expect(ColorSpec.parse("rgb:fffff/0/0") == nil)
        #expect(ColorSpec.parse("#f00") == RGBColor(0xF0, 0, 0))
        #expect(ColorSpec.parse("#ff8000") == RGBColor(255, 128, 0))
        #expect(ColorSpec.parse("#fff000888") == RGBColor(0xFF, 0x00, 0x88))
        #expect(ColorSpec.parse("#12g") == nil)
        #expect(ColorSpec.parse("#1234") == nil)
        #expect(ColorSpec.parse("rgbi:0/1/0.2") == RGBColor(0, 255, 51))
        #expect(ColorSpec.parse("rgbi:0/1.5/0") == nil)
        #expect(ColorSpec.parse("Dark Grey") == RGBColor(0xA9, 0xA9, 0xA9))
        #expect(ColorSpec.parse("CIELab:50/0/0") == nil)
        #expect(ColorSpec.format(RGBColor(1, 0xAB, 0xFF)) == "rgb:0101/abab/ffff")
    }

    @Test func defaultPaletteIsXterms() {
        let p = TerminalColorScheme.xtermPalette
        #expect(p.count == 256)
        #expect(p[4] == RGBColor(0, 0, 0xEE))
        #expect(p[16] == RGBColor(0, 0, 0))
        #expect(p[21] == RGBColor(0, 0, 255))
        #expect(p[196] == RGBColor(255, 0, 0))
        #expect(p[232] == RGBColor(8, 8, 8))
    }

    @Test func queriesAnswerFromTheSchemeUntilTheProgramSetsAColour() {
        let t = Terminal(cols: 10, rows: 2)
        var scheme = TerminalColorScheme(foreground: RGBColor(1, 2, 3), background: RGBColor(4, 5, 6))
        scheme.palette[1] = RGBColor(0x10, 0x20, 0x30)
        t.colorScheme = scheme
        #expect(replies(t, "\u{1B}]11;?\u{1B}\\") == "\u{1B}]11;rgb:0404/0505/0606\u{1B}\\")
        #expect(replies(t, "\u{1B}]4;1;?\u{07}") == "\u{1B}]4;1;rgb:1010/2020/3030\u{07}")
        #expect(replies(t, "\u{1B}]12;?\u{07}") == "\u{1B}]12;rgb:0101/0202/0303\u{07}")
        t.feed("\u{1B}]4;1;#abcdef\u{07}")
        #expect(t.takeEvents() == [.colorsChanged])
        #expect(t.color(.palette(1)) == RGBColor(0xAB, 0xCD, 0xEF))
        #expect(t.colorOverride(.palette(1)) == RGBColor(0xAB, 0xCD, 0xEF))
        #expect(t.colorOverride(.palette(2)) == nil)
        #expect(t.color(.palette(2)) == TerminalColorScheme.xtermPalette[2])
        // A new theme does not drop the program's override.
        t.colorScheme = TerminalColorScheme()
        #expect(t.color(.palette(1)) == RGBColor(0xAB, 0xCD, 0xEF))
        t.feed("\u{1B}]104;1\u{07}")
        #expect(t.color(.palette(1)) == TerminalColorScheme.xtermPalette[1])
    }

    @Test func setDefaultColorsFeedsOSC10And11() {
        let t = Terminal(cols: 10, rows: 2)
        t.setDefaultColors(foreground: (0xAA, 0xBB, 0xCC), background: (1, 2, 3))
        #expect(replies(t, "\u{1B}]10;?;?\u{07}") == "\u{1B}]10;rgb:aaaa/bbbb/cccc\u{07}\u{1B}]11;rgb:0101/0202/0303\u{07}")
        #expect(t.color(.dynamic(.highlightForeground)) == RGBColor(1, 2, 3))
    }

    @Test func cellPixelSizeDrivesPixelReports() {
        let t = Terminal(cols: 80, rows: 24)
        t.cellPixelSize = (width: 9, height: 18)
        #expect(replies(t, "\u{1B}[14t\u{1B}[16t") == "\u{1B}[4;432;720t\u{1B}[6;18;9t")
        t.cellPixelSize = (width: 0, height: -3)
        #expect(t.cellPixelSize.width == 1 && t.cellPixelSize.height == 1)
    }

    @Test func clipboardHookEventsAndAnswer() {
        let t = Terminal(cols: 10, rows: 2)
        t.feed("\u{1B}]52;c;aGVsbG8=\u{07}\u{1B}]52;p;?\u{1B}\\")
        #expect(t.takeEvents() == [.clipboardSet(selection: "c", data: Array("hello".utf8)),
                                   .clipboardQuery(selection: "p")])
        t.replyClipboard(selection: "p", data: Array("hi".utf8))
        #expect(String(decoding: t.takeReplies(), as: UTF8.self) == "\u{1B}]52;p;aGk=\u{1B}\\")
        t.feed("\u{1B} G")
        t.replyClipboard(selection: "c", data: [])
        #expect(t.takeReplies() == [0xC2, 0x9D] + Array("52;c;".utf8) + [0xC2, 0x9C])
    }

    @Test func modesAndProtectionAreVisible() {
        let t = Terminal(cols: 10, rows: 2)
        t.feed("\u{1B}[?69h\u{1B}[?45h\u{1B}[?1045h\u{1B}[1\"qA")
        #expect(t.modes.leftRightMarginMode && t.modes.reverseWrap && t.modes.extendedReverseWrap)
        #expect(t.cell(row: 0, col: 0).flags.contains(.protected))
        #expect(!CellFlags.sgrMask.contains(.protected))
        t.feed("\u{1B}c")
        #expect(!t.modes.leftRightMarginMode && !t.modes.reverseWrap && !t.modes.eightBitControls)
    }

    @Test func resizeResetsLeftRightMargins() {
        let t = Terminal(cols: 10, rows: 2)
        t.feed("\u{1B}[?69h\u{1B}[3;6s")
        t.resize(cols: 12, rows: 2)
        #expect(replies(t, "\u{1B}P$qs\u{1B}\\") == "\u{1B}P1$r1;12s\u{1B}\\")
    }

    @Test func titleReportsDropControls() {
        #expect(TerminalCore.reportable("a\u{1B}b\u{9C}c\u{7F}d é") == "abcd é")
    }
}
