import Foundation
import TerminalEmulator

/// Renderings of an emulated screen, for `capture`.
public enum CaptureFormat: String, Sendable, CaseIterable {
    /// The rows as text, trailing blanks and empty rows at the bottom trimmed (like `tmux capture-pane -p`).
    case text
    /// The emulator's canonical dump: size, cursor, rows, attribute runs (docs/emulator.md).
    case dump
    /// One JSON object: size, cursor, title, and each row as runs of text with their attributes.
    case json
}

/// A screen (and optionally scrollback) as a capture shows it.
public struct ScreenCapture: Sendable, Equatable, Codable {
    public var cols: Int
    public var rows: Int
    public var cursor: CursorPosition
    public var title: String
    /// The last scrollback lines asked for, oldest first.
    public var scrollback: [[CellRun]]
    /// The visible rows, top first.
    public var lines: [[CellRun]]

    /// Where the cursor is (0-based) and whether it is shown.
    public struct CursorPosition: Sendable, Equatable, Codable {
        public var row: Int
        public var col: Int
        public var visible: Bool
    }

    /// Consecutive cells of one row with the same attributes. Colours are `default`, a palette index (`"1"`),
    /// or `#rrggbb`; absent flags are false.
    public struct CellRun: Sendable, Equatable, Codable {
        public var text: String
        public var fg: String
        public var bg: String
        public var bold: Bool?
        public var dim: Bool?
        public var italic: Bool?
        public var underline: Bool?
        public var blink: Bool?
        public var inverse: Bool?
        public var hidden: Bool?
        public var strike: Bool?
    }

    /// Captures `terminal`, with its last `scrollback` scrollback lines.
    public init(_ terminal: Terminal, scrollback: Int = 0) {
        cols = terminal.cols
        rows = terminal.rows
        let c = terminal.cursor
        cursor = CursorPosition(row: c.row, col: c.col, visible: c.visible)
        title = terminal.title
        let first = max(0, terminal.scrollbackCount - max(0, scrollback))
        self.scrollback = (first..<terminal.scrollbackCount).map { Self.runs(terminal.scrollbackLine($0), in: terminal) }
        lines = (0..<terminal.rows).map { row in Self.runs((0..<terminal.cols).map { terminal.cell(row: row, col: $0) }, in: terminal) }
    }

    /// The text of a run list, trailing blanks trimmed.
    static func text(_ runs: [CellRun]) -> String {
        var line = runs.map(\.text).joined()
        while line.last == " " { line.removeLast() }
        return line
    }

    private static func runs(_ cells: [Cell], in terminal: Terminal) -> [CellRun] {
        var out: [CellRun] = []
        for cell in cells where !cell.isWideTail {
            let text = cell.isEmpty ? " " : terminal.string(for: cell)
            let run = CellRun(
                text: text, fg: colour(cell.foreground), bg: colour(cell.background),
                bold: flag(cell, .bold), dim: flag(cell, .dim), italic: flag(cell, .italic),
                underline: cell.flags.underline == .none ? nil : true, blink: flag(cell, .blink),
                inverse: flag(cell, .inverse), hidden: flag(cell, .hidden), strike: flag(cell, .strike))
            if var last = out.last, last.sameAttributes(as: run) {
                last.text += text
                out[out.count - 1] = last
            } else {
                out.append(run)
            }
        }
        // Trailing blank cells with default attributes say nothing.
        if var last = out.last, last.fg == "default", last.bg == "default", last.hasNoFlags {
            while last.text.last == " " { last.text.removeLast() }
            if last.text.isEmpty { out.removeLast() } else { out[out.count - 1] = last }
        }
        return out
    }

    private static func flag(_ cell: Cell, _ flag: CellFlags) -> Bool? { cell.flags.contains(flag) ? true : nil }

    private static func colour(_ colour: TerminalColor) -> String {
        switch colour {
        case .default: return "default"
        case .palette(let i): return String(i)
        case .rgb(let r, let g, let b):
            return "#" + [r, g, b].map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        }
    }
}

extension ScreenCapture.CellRun {
    func sameAttributes(as other: Self) -> Bool {
        var a = self
        a.text = other.text
        return a == other
    }

    var hasNoFlags: Bool {
        [bold, dim, italic, underline, blink, inverse, hidden, strike].allSatisfy { $0 == nil }
    }
}

extension Terminal {
    /// The capture in `format`: text (with `scrollback` lines above the screen), the canonical dump, or JSON.
    public func render(_ format: CaptureFormat, scrollback: Int = 0) -> String {
        switch format {
        case .dump:
            return ScreenDump.dump(self)
        case .text:
            let first = max(0, scrollbackCount - max(0, scrollback))
            var lines = (first..<scrollbackCount).map { text(ofScrollbackLine: $0) }
            lines += (0..<rows).map { text(ofRow: $0) }
            while let last = lines.last, last.isEmpty { lines.removeLast() }
            return lines.joined(separator: "\n")
        case .json:
            return ScreenCapture(self, scrollback: scrollback).jsonText
        }
    }
}

extension ScreenCapture {
    /// This capture as one line of JSON.
    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
