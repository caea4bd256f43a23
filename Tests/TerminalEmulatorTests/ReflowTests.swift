import Testing
@testable import TerminalEmulator

/// All text of history plus screen, joined into logical lines (soft wraps removed).
func logicalLines(_ t: Terminal) -> [String] {
    var out: [String] = []
    var current = ""
    var open = false
    func add(_ text: String, wrapped: Bool, width: Int) {
        current += wrapped ? text.padding(toLength: max(text.count, width), withPad: " ", startingAt: 0) : text
        open = true
        if !wrapped {
            out.append(current)
            current = ""
            open = false
        }
    }
    for i in 0..<t.scrollbackCount {
        add(t.text(ofScrollbackLine: i), wrapped: t.scrollbackLineIsWrapped(i), width: t.cols)
    }
    for r in 0..<t.rows { add(t.text(ofRow: r), wrapped: t.rowIsWrapped(r), width: t.cols) }
    if open { out.append(current) }
    while let last = out.last, last.isEmpty { out.removeLast() }
    return out
}

@Suite("Reflow")
struct ReflowTests {
    @Test func noLinesLostOrDuplicatedAcrossManyResizes() {
        let t = Terminal(cols: 20, rows: 6, scrollbackLimit: 1000)
        var expected: [String] = []
        for i in 0..<40 {
            let line = "line\(i)-" + String(repeating: Character(UnicodeScalar(UInt8(97 + i % 26))), count: i % 37)
            expected.append(line)
            t.feed(line + "\r\n")
        }
        let widths = [7, 33, 5, 80, 11, 3, 20, 64, 9, 20]
        let heights = [6, 3, 10, 2, 6, 8, 1, 6, 4, 6]
        for (w, h) in zip(widths, heights) {
            t.resize(cols: w, rows: h)
            #expect(logicalLines(t) == expected, "after resize to \(h)x\(w)")
            #expect(t.cursor.row < t.rows && t.cursor.col < t.cols)
        }
    }

    @Test func cursorStaysOnItsCharacter() {
        let t = Terminal(cols: 10, rows: 5)
        t.feed("0123456789abcdefXYZ")
        t.feed("\u{1B}[2;4H")  // on 'd'
        #expect(t.cell(row: 1, col: 3).scalar == "d")
        for (w, h) in [(4, 5), (7, 3), (13, 5), (3, 9), (10, 5)] {
            t.resize(cols: w, rows: h)
            let c = t.cursor
            #expect(t.cell(row: c.row, col: c.col).scalar == "d", "at \(h)x\(w)")
        }
    }

    @Test func wideCharactersStayPaired() {
        let t = Terminal(cols: 9, rows: 3)
        t.feed("a中文字符b漢字")
        for w in [2, 3, 4, 5, 6, 7, 1, 9] {
            t.resize(cols: w, rows: 3)
            for r in 0..<t.rows {
                for c in 0..<t.cols {
                    let cell = t.cell(row: r, col: c)
                    if cell.isWide { #expect(c + 1 < t.cols && t.cell(row: r, col: c + 1).isWideTail) }
                    if cell.isWideTail { #expect(c > 0 && t.cell(row: r, col: c - 1).isWide) }
                }
            }
        }
    }

    @Test func scrollbackLimitHoldsAfterReflow() {
        let t = Terminal(cols: 40, rows: 4, scrollbackLimit: 10)
        for i in 0..<30 { t.feed("\(i) " + String(repeating: "x", count: 35) + "\r\n") }
        t.resize(cols: 5, rows: 4)
        #expect(t.scrollbackCount <= 10)
    }

    @Test func alternateScreenResizeKeepsPrimaryReflowed() {
        let t = Terminal(cols: 10, rows: 3)
        t.feed("abcdefghij\r\nk")
        t.feed("\u{1B}[?1049h")
        t.resize(cols: 5, rows: 3)
        t.feed("\u{1B}[?1049l")
        #expect(logicalLines(t) == ["abcdefghij", "k"])
        #expect(t.cursor.row < 3)
        #expect(t.cell(row: t.cursor.row, col: t.cursor.col - 1).scalar == "k")
    }
}

@Suite("Dirty rows")
struct DirtyRowTests {
    @Test func initiallyAllDirtyThenClean() {
        let t = Terminal(cols: 10, rows: 4)
        #expect(t.takeDirtyRows() == [0, 1, 2, 3])
        #expect(t.takeDirtyRows().isEmpty)
    }

    @Test func printingMarksOnlyTouchedRows() {
        let t = Terminal(cols: 10, rows: 4)
        _ = t.takeDirtyRows()
        t.feed("\u{1B}[3;1Hx")
        #expect(t.takeDirtyRows() == [2])
        t.feed("\u{1B}[1;1H\u{1B}[K")
        #expect(t.takeDirtyRows() == [0])
        t.feed("\u{1B}[5;7H")
        #expect(t.takeDirtyRows().isEmpty)
    }

    @Test func scrollingMarksTheRegion() {
        let t = Terminal(cols: 10, rows: 5)
        t.feed("\u{1B}[2;4r")
        _ = t.takeDirtyRows()
        t.feed("\u{1B}[4;1H\n")
        #expect(t.takeDirtyRows() == [1, 2, 3])
        t.feed("\u{1B}[?1049h")
        #expect(t.takeDirtyRows() == [0, 1, 2, 3, 4])
    }

    @Test func resizeMarksEverything() {
        let t = Terminal(cols: 10, rows: 2)
        _ = t.takeDirtyRows()
        t.resize(cols: 8, rows: 3)
        #expect(t.takeDirtyRows() == [0, 1, 2])
    }
}

@Suite("Terminal API")
struct TerminalAPITests {
    @Test func hyperlinksAndUnderlineColour() {
        let t = Terminal(cols: 10, rows: 1)
        t.feed("\u{1B}]8;id=1;http://a\u{1B}\\ab\u{1B}]8;;\u{1B}\\c\u{1B}[58;5;9md")
        #expect(t.hyperlink(of: t.cell(row: 0, col: 0)) == "http://a")
        #expect(t.hyperlink(of: t.cell(row: 0, col: 1)) == "http://a")
        #expect(t.hyperlink(of: t.cell(row: 0, col: 2)) == nil)
        #expect(t.underlineColor(of: t.cell(row: 0, col: 3)) == .palette(9))
        #expect(t.underlineColor(of: t.cell(row: 0, col: 2)) == .default)
    }

    @Test func graphemeStringsAndScrollbackLines() {
        let t = Terminal(cols: 4, rows: 1, scrollbackLimit: 5)
        t.feed("e\u{301}中\r\nx")
        #expect(t.scrollbackCount == 1)
        let line = t.scrollbackLine(0)
        #expect(line.count == 4)
        #expect(t.string(for: line[0]) == "e\u{301}")
        #expect(line[1].isWide && line[2].isWideTail)
        #expect(t.text(ofRow: 0) == "x")
        #expect(ScreenDump.text(t) == "x")
    }

    @Test func dumpRowNumberWidth() {
        #expect(ScreenDump.dump(Terminal(cols: 2, rows: 99)).contains("\n98|\n"))
        #expect(ScreenDump.dump(Terminal(cols: 2, rows: 100)).contains("\n099|\n"))
    }

    @Test func dumpUsesThreeDigitRowsForTallScreens() {
        let t = Terminal(cols: 3, rows: 120)
        t.feed("\u{1B}[120;1H\u{1B}[1mz")
        let dump = ScreenDump.dump(t)
        #expect(dump.hasPrefix("size 120x3\ncursor 119 1\n000|\n"))
        #expect(dump.contains("\n119|z\n@119:0-0 fg=d bg=d B\n"))
    }

    @Test func clipboardReplyIsBase64() {
        let t = Terminal()
        t.replyClipboard(selection: "c", data: Array("hi!".utf8))
        #expect(t.takeReplies() == Array("\u{1B}]52;c;aGkh\u{1B}\\".utf8))
    }

    @Test func goldenHarnessDetectsMismatches() {
        var c = GoldenCase(file: "inline", name: "wrong on purpose", line: 1)
        c.rows = 1
        c.cols = 5
        c.steps = [.input(Array("abc".utf8))]
        c.expected = ["cursor 0 3", "00|abd"]
        #expect(!c.run().isEmpty)
        c.expected = ["cursor 0 3", "00|abc"]
        #expect(c.run().isEmpty)
        c.expectedReplies = Array("x".utf8)
        #expect(!c.run().isEmpty)
    }

    @Test func widthTableMatchesGlibcSamples() {
        #expect(CharacterWidth.of(0x41) == 1)
        #expect(CharacterWidth.of(0x301) == 0)
        #expect(CharacterWidth.of(0x4E00) == 2)
        #expect(CharacterWidth.of(0x1F600) == 2)
        #expect(CharacterWidth.of(0xFF21) == 2)
        #expect(CharacterWidth.of(0x200B) == 0)
        #expect(CharacterWidth.of(0xE000) == 1)
    }

    @Test func pendingOutputIsBounded() {
        let t = Terminal(cols: 10, rows: 2)
        for _ in 0..<20_000 { t.feed("\u{1B}[c\u{07}") }
        #expect(t.takeReplies().count <= Terminal.maxPendingReplyBytes)
        #expect(t.takeEvents().count <= Terminal.maxPendingEvents)
        let longTitle = String(repeating: "t", count: 100_000)
        for _ in 0..<100 { t.feed("\u{1B}]2;\(longTitle)\u{07}") }
        #expect(t.title.utf8.count == Terminal.maxTitleBytes)
        let events = t.takeEvents()
        #expect(!events.isEmpty)
        let payload = events.reduce(0) { sum, e in
            if case .title(let s) = e { return sum + s.utf8.count }
            return sum
        }
        #expect(payload <= Terminal.maxPendingEventBytes)
    }
}
