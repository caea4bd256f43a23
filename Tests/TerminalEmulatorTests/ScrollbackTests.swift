import Testing
@testable import TerminalEmulator

@Suite("Scrollback")
struct ScrollbackTests {
    /// A line of `length` cells (the rest blank) with attributes changing now and then,
    /// a wide character and a cluster id, derived from `seed`.
    private func line(seed: Int, length: Int, cols: Int, wrapped: Bool) -> Line {
        var cells = [Cell](repeating: .blank, count: cols)
        var c = 0
        while c < length {
            let fg = UInt32((seed + c / 7) % 5 == 0 ? 0x0200_0000 | UInt32(seed & 0xFFFFFF) : 0)
            let bg = UInt32(c % 11 == 0 ? 0x0100_0000 | UInt32(c) : 0)
            let flags: CellFlags = (seed + c) % 13 == 0 ? [.bold, .protected] : []
            if (seed + c) % 17 == 0 && c + 1 < length {
                cells[c] = Cell(content: 0x4E00 + UInt32(c), fgPacked: fg, bgPacked: bg,
                                flags: flags.union(.wide), extra: 0)
                cells[c + 1] = Cell(content: 0, fgPacked: fg, bgPacked: bg, flags: flags.union(.wideTail), extra: 0)
                c += 2
                continue
            }
            let content = (seed + c) % 23 == 0 ? Cell.clusterBit | UInt32(c) : UInt32(0x21 + (seed + c) % 90)
            cells[c] = Cell(content: content, fgPacked: fg, bgPacked: bg, flags: flags, extra: UInt16(c % 3 == 0 ? 1 : 0))
            c += 1
        }
        return Line(cells: cells, wrapped: wrapped)
    }

    @Test func keepsTheNewestLinesInOrderAndHandsBackTheEvictedOnes() {
        var ring = Scrollback(limit: 300)
        var pushed: [Line] = []
        for i in 0..<1_000 {
            let l = line(seed: i, length: (i * 37) % 81, cols: 80, wrapped: i % 5 == 0)
            var given = l
            ring.push(&given)
            // Before the ring is full it hands back an empty line; then the evicted oldest.
            if i < 300 {
                #expect(given.cells.isEmpty)
            } else {
                #expect(given.cells == pushed[i - 300].cells && given.wrapped == pushed[i - 300].wrapped)
            }
            pushed.append(l)
            #expect(ring.count == min(i + 1, 300))
        }
        for (k, l) in pushed.suffix(300).enumerated() {
            #expect(ring[k].cells == l.cells && ring[k].wrapped == l.wrapped, "line \(k)")
        }
    }

    @Test func limitZeroKeepsNothingAndRemoveAllEmpties() {
        var none = Scrollback(limit: 0)
        var l = line(seed: 1, length: 10, cols: 20, wrapped: false)
        let original = l
        none.push(&l)
        #expect(none.count == 0 && l.cells == original.cells)
        var ring = Scrollback(limit: 5)
        for i in 0..<7 {
            var next = line(seed: i, length: 15, cols: 20, wrapped: false)
            ring.push(&next)
        }
        ring.removeAll()
        #expect(ring.count == 0)
        var last = line(seed: 9, length: 20, cols: 20, wrapped: true)
        ring.push(&last)
        #expect(ring.count == 1 && ring[0].cells == line(seed: 9, length: 20, cols: 20, wrapped: true).cells)
    }

    @Test func scrolledLinesReachTheHistoryAndTheScreenIsBlankBelow() {
        let t = Terminal(cols: 10, rows: 3, scrollbackLimit: 4)
        for i in 0..<9 { t.feed("line\(i)\r\n") }
        #expect(t.scrollbackCount == 4)
        #expect((0..<4).map { t.text(ofScrollbackLine: $0) } == ["line3", "line4", "line5", "line6"])
        #expect((0..<3).map { t.text(ofRow: $0) } == ["line7", "line8", ""])
        // A region scroll (DECSTBM) rotates only the region and keeps the history as it is.
        t.feed("\u{1B}[2;3r\u{1B}[3;1HX\n")
        #expect((0..<3).map { t.text(ofRow: $0) } == ["line7", "X", ""])
        #expect(t.scrollbackCount == 4)
    }
}
