import Testing
@testable import TerminalEmulator

/// Deterministic xorshift64* generator so failures reproduce from the seed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}

/// Builds random but structured terminal input.
struct InputGenerator {
    var rng: SeededRandom

    private static let finals = Array("@ABCDEFGHIJKLMPSTXZ`abcdefghlmnpqrstuvxyz{}~".utf8)
    private static let fragments: [String] = [
        "\u{1B}[?1049h", "\u{1B}[?1049l", "\u{1B}[?47h", "\u{1B}[?47l", "\u{1B}[?1047h", "\u{1B}[?1047l",
        "\u{1B}[?6h", "\u{1B}[?6l", "\u{1B}[?7l", "\u{1B}[?7h", "\u{1B}[4h", "\u{1B}[4l", "\u{1B}[20h",
        "\u{1B}7", "\u{1B}8", "\u{1B}c", "\u{1B}#8", "\u{1B}(0", "\u{1B}(B", "\u{1B})0", "\u{0E}", "\u{0F}",
        "\u{1B}D", "\u{1B}M", "\u{1B}E", "\u{1B}H", "\u{1B}]0;title\u{07}", "\u{1B}]8;;http://x\u{1B}\\",
        "\u{1B}P$qm\u{1B}\\", "\u{1B}[!p", "\u{1B}[22t", "\u{1B}[23t", "中", "😀", "e\u{301}", "\u{301}",
        "\u{1B}]52;c;aGk=\u{07}", "\r\n", "\t", "\u{08}", "\u{1B}[38:2::1:2:3m", "\u{1B}[4:3m", "\u{C2}\u{9B}5C",
        // Margins, reverse wrap, column scrolling, rectangles, protection, colours, reports.
        "\u{1B}[?69h", "\u{1B}[?69l", "\u{1B}[3;9s", "\u{1B}[2;5s", "\u{1B}[?45h", "\u{1B}[?1045h", "\u{1B}[?45l",
        "\u{1B}[?1045l", "\u{1B}[2 @", "\u{1B}[3 A", "\u{1B}[2'}", "\u{1B}[2'~", "\u{1B}6", "\u{1B}9",
        "\u{1B}[1;2;3;4;2;1;1;1$v", "\u{1B}[65;2;2;9;9$x", "\u{1B}[1;1;5;5$z", "\u{1B}[2;2;4;4${", "\u{1B}[1;1;9;9;1;7$r",
        "\u{1B}[1;1;9;9;4$t", "\u{1B}[2*x", "\u{1B}[1\"q", "\u{1B}[0\"q", "\u{1B}[?2J", "\u{1B}[?1K", "\u{1B}[62\"p",
        "\u{1B}[64;1\"p", "\u{1B} G", "\u{1B} F", "\u{1B}]4;1;#123\u{07}", "\u{1B}]10;?\u{07}", "\u{1B}]104\u{07}",
        "\u{1B}[?7;69s", "\u{1B}[?7;69r", "\u{1B}[14t", "\u{1B}[21t", "\u{1B}[?63;1n", "中\u{1B}[3b", "\u{1B}[5e",
    ]

    mutating func chunk() -> [UInt8] {
        var out: [UInt8] = []
        let pieces = Int.random(in: 1...40, using: &rng)
        for _ in 0..<pieces {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0:
                for _ in 0..<Int.random(in: 1...16, using: &rng) { out.append(UInt8.random(in: 0...255, using: &rng)) }
            case 1, 2:
                out.append(contentsOf: csi())
            case 3, 4:
                out.append(contentsOf: Array(Self.fragments.randomElement(using: &rng)!.utf8))
            default:
                let n = Int.random(in: 1...30, using: &rng)
                for _ in 0..<n { out.append(UInt8.random(in: 0x20...0x7E, using: &rng)) }
            }
        }
        return out
    }

    private mutating func csi() -> [UInt8] {
        var s = "\u{1B}["
        if Bool.random(using: &rng) { s += ["?", ">", ""].randomElement(using: &rng)! }
        for i in 0..<Int.random(in: 0...5, using: &rng) {
            if i > 0 { s += Int.random(in: 0..<5, using: &rng) == 0 ? ":" : ";" }
            if Int.random(in: 0..<6, using: &rng) > 0 {
                s += String([0, 1, 2, 3, 5, 7, 38, 48, 1000, 1049, 9999, 70000].randomElement(using: &rng)!
                             + Int.random(in: 0...2, using: &rng))
            }
        }
        if Int.random(in: 0..<8, using: &rng) == 0 { s += ["$", " ", "!", "*", "'", "\""].randomElement(using: &rng)! }
        var bytes = Array(s.utf8)
        bytes.append(Self.finals.randomElement(using: &rng)!)
        return bytes
    }
}

/// Invariants that must hold after every chunk of input.
func checkInvariants(_ t: Terminal, context: String) {
    let c = t.cursor
    #expect(c.row >= 0 && c.row < t.rows && c.col >= 0 && c.col < t.cols, "cursor out of screen \(context)")
    #expect(t.scrollbackCount <= t.scrollbackLimit, "scrollback over limit \(context)")
    let core = t.core
    #expect(core.leftMargin >= 0 && core.leftMargin < core.rightMargin || core.leftMargin == 0,
            "left margin \(core.leftMargin) \(context)")
    #expect(core.rightMargin < t.cols && core.scrollTop <= core.scrollBottom && core.scrollBottom < t.rows,
            "margins out of the screen \(context)")
    #expect(t.parserBufferedStringCount <= VTParser.defaultMaxStringLength, "OSC buffer over cap \(context)")
    for r in 0..<t.rows {
        for col in 0..<t.cols {
            let cell = t.cell(row: r, col: col)
            if cell.isWide {
                #expect(col + 1 < t.cols && t.cell(row: r, col: col + 1).isWideTail, "orphan wide head \(r),\(col) \(context)")
            }
            if cell.isWideTail {
                #expect(col > 0 && t.cell(row: r, col: col - 1).isWide, "orphan wide tail \(r),\(col) \(context)")
            }
        }
    }
}

@Suite("Fuzz")
struct FuzzTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func structuredRandomInput(seed: UInt64) {
        var gen = InputGenerator(rng: SeededRandom(seed: seed))
        let t = Terminal(cols: 17, rows: 7, scrollbackLimit: 50)
        for step in 0..<400 {
            t.feed(gen.chunk())
            if step % 37 == 0 {
                let cols = Int.random(in: 1...30, using: &gen.rng), rows = Int.random(in: 1...12, using: &gen.rng)
                t.resize(cols: cols, rows: rows)
            }
            checkInvariants(t, context: "seed \(seed) step \(step)")
            _ = t.takeReplies()
            _ = t.takeEvents()
            _ = t.takeDirtyRows()
            _ = ScreenDump.dump(t)
        }
    }

    @Test func arbitraryBytes() {
        var rng = SeededRandom(seed: 42)
        let t = Terminal(cols: 13, rows: 5, scrollbackLimit: 20)
        for step in 0..<300 {
            let bytes = (0..<Int.random(in: 1...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            t.feed(bytes)
            checkInvariants(t, context: "step \(step)")
        }
    }

    @Test func hugeOSCKeepsMemoryBounded() {
        let t = Terminal(cols: 10, rows: 2)
        t.feed(Array("\u{1B}]52;c;".utf8))
        let block = [UInt8](repeating: UInt8(ascii: "Q"), count: 1 << 20)
        for _ in 0..<10 {
            t.feed(block)
            #expect(t.parserBufferedStringCount <= VTParser.defaultMaxStringLength)
        }
        t.feed(Array("\u{07}ok".utf8))
        #expect(t.takeEvents().isEmpty)
        #expect(t.text(ofRow: 0) == "ok")
    }

    @Test func graphemeSideTableIsBounded() {
        let t = Terminal(cols: 4, rows: 1)
        for i in 0..<300 {
            t.feed("a" + String(repeating: "\u{301}", count: i % 20) + "\u{1B}[H")
        }
        #expect(t.string(for: t.cell(row: 0, col: 0)).unicodeScalars.count <= GraphemeTable.maxScalars)
    }
}
