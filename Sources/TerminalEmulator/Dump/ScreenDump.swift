/// Canonical text renderings of a terminal, shared by `vibe render --format dump`,
/// the golden tests and the differential harness (format: docs/emulator.md).
public enum ScreenDump {
    /// `size RxC`, `cursor R C`, one `NN|text` line per row, then one
    /// `@RR:C0-C1 fg=F bg=B FLAGS` line per maximal run of non-default attributes.
    public static func dump(_ t: Terminal) -> String {
        var out = "size \(t.rows)x\(t.cols)\n"
        let cursor = t.cursor
        out += "cursor \(cursor.row) \(cursor.col)\n"
        let digits = t.rows > 99 ? max(3, String(t.rows - 1).count) : 2
        for r in 0..<t.rows {
            out += pad(r, digits) + "|" + t.text(ofRow: r) + "\n"
        }
        for r in 0..<t.rows {
            for run in attributeRuns(t, row: r) {
                out += "@" + pad(r, digits) + ":\(run.start)-\(run.end) " + describe(run.key) + "\n"
            }
        }
        return out
    }

    /// Only the row lines (no prefixes), trailing blanks and trailing empty rows trimmed.
    public static func text(_ t: Terminal) -> String {
        var lines = (0..<t.rows).map { t.text(ofRow: $0) }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// The attributes a dump shows for one cell.
    struct RunKey: Equatable {
        var fg: TerminalColor
        var bg: TerminalColor
        var flags: String

        var isDefault: Bool { fg == .default && bg == .default && flags.isEmpty }
    }

    struct Run {
        var start: Int
        var end: Int
        var key: RunKey
    }

    static func attributeRuns(_ t: Terminal, row: Int) -> [Run] {
        var runs: [Run] = []
        var previous: RunKey?
        for c in 0..<t.cols {
            var cell = t.cell(row: row, col: c)
            if cell.isWideTail && c > 0 { cell = t.cell(row: row, col: c - 1) }
            let key = runKey(cell)
            if key.isDefault {
                previous = nil
                continue
            }
            if let previous, previous == key, let last = runs.indices.last {
                runs[last].end = c
            } else {
                runs.append(Run(start: c, end: c, key: key))
            }
            previous = key
        }
        return runs
    }

    static func runKey(_ cell: Cell) -> RunKey {
        var flags = ""
        if cell.flags.contains(.bold) { flags += "B" }
        if cell.flags.contains(.italic) { flags += "I" }
        if cell.flags.underline != .none { flags += "U" }
        if cell.flags.contains(.blink) { flags += "K" }
        if cell.flags.contains(.inverse) { flags += "R" }
        if cell.flags.contains(.strike) { flags += "S" }
        if cell.flags.contains(.protected) { flags += "P" }
        return RunKey(fg: cell.foreground, bg: cell.background, flags: flags)
    }

    static func describe(_ key: RunKey) -> String {
        var s = "fg=\(color(key.fg)) bg=\(color(key.bg))"
        if !key.flags.isEmpty { s += " " + key.flags }
        return s
    }

    static func color(_ c: TerminalColor) -> String {
        switch c {
        case .default: return "d"
        case .palette(let i): return "i\(i)"
        case .rgb(let r, let g, let b): return "#" + hex2(r) + hex2(g) + hex2(b)
        }
    }

    private static func hex2(_ v: UInt8) -> String {
        let h = String(v, radix: 16)
        return h.count == 1 ? "0" + h : h
    }

    private static func pad(_ n: Int, _ digits: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
