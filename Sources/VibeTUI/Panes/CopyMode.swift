import TerminalEmulator

/// Lines of a pane's history plus screen, as copy mode reads them (0 = oldest history line).
protocol LineSource {
    /// History lines plus screen rows.
    var lineCount: Int { get }
    /// The text of a line, trailing blanks trimmed.
    func text(ofLine line: Int) -> String
}

/// A position in a `LineSource`.
struct TextPosition: Equatable, Comparable {
    var line: Int
    var col: Int
    static func < (a: TextPosition, b: TextPosition) -> Bool { (a.line, a.col) < (b.line, b.col) }
}

/// Copy mode of a pane (tmux `[`): a movable view over history, a cursor, an optional selection and search.
/// Pure state: the controller feeds it keys and draws `top`…`top+rows`.
struct CopyMode {
    /// What a key did.
    enum Outcome: Equatable {
        /// Nothing to do beyond redrawing.
        case stay
        /// Leave copy mode.
        case exit
        /// Copy this text and leave copy mode.
        case copy(String)
    }

    /// First line shown.
    private(set) var top: Int
    /// The copy cursor.
    private(set) var cursor: TextPosition
    /// Where the selection started, when selecting.
    private(set) var anchor: TextPosition?
    /// The search being typed after `/`, nil when not typing.
    private(set) var prompt: String?
    /// The last search, repeated by `n`.
    private(set) var lastSearch: String?
    /// Set when the last search found nothing.
    private(set) var notFound = false
    /// Rows and columns of the view.
    var rows: Int
    var cols: Int

    /// Starts at the live screen with the cursor where the terminal's cursor is.
    init(source: some LineSource, rows: Int, cols: Int, cursorRow: Int, cursorCol: Int) {
        self.rows = max(1, rows)
        self.cols = max(1, cols)
        let bottomTop = max(0, source.lineCount - self.rows)
        top = bottomTop
        cursor = TextPosition(line: min(source.lineCount - 1, bottomTop + cursorRow), col: cursorCol)
        cursor.line = max(0, cursor.line)
    }

    /// True when the view shows the live screen (the bottom).
    func atBottom(_ source: some LineSource) -> Bool { top >= max(0, source.lineCount - rows) }

    /// Scrolls the view by `delta` lines (negative = up, into history); the cursor stays on screen.
    mutating func scroll(by delta: Int, _ source: some LineSource) {
        top = min(max(0, top + delta), max(0, source.lineCount - rows))
        cursor.line = min(max(cursor.line, top), top + rows - 1)
    }

    /// True when (`line`, `col`) is inside the selection.
    func isSelected(line: Int, col: Int) -> Bool {
        guard let anchor else { return false }
        let (a, b) = anchor < cursor ? (anchor, cursor) : (cursor, anchor)
        let p = TextPosition(line: line, col: col)
        return p >= a && p <= b
    }

    /// Starts (or restarts) a selection at the cursor.
    mutating func startSelection() { anchor = cursor }

    /// Moves the cursor to a view cell (mouse), keeping it inside the text.
    mutating func moveCursor(toViewRow row: Int, col: Int, _ source: some LineSource) {
        cursor = TextPosition(line: min(source.lineCount - 1, top + max(0, row)), col: min(max(0, col), cols - 1))
    }

    /// Handles one key.
    mutating func handle(_ key: Key, _ mods: KeyModifiers, _ source: some LineSource) -> Outcome {
        if prompt != nil { return handlePrompt(key, source) }
        let last = max(0, source.lineCount - 1)
        switch key {
        case .escape: return .exit
        case .character("q"): return .exit
        case .up, .character("k"): cursor.line = max(0, cursor.line - 1)
        case .down, .character("j"): cursor.line = min(last, cursor.line + 1)
        case .left, .character("h"): cursor.col = max(0, cursor.col - 1)
        case .right, .character("l"): cursor.col = min(cols - 1, cursor.col + 1)
        case .character("0"), .home: cursor.col = 0
        case .character("$"), .end: cursor.col = max(0, source.text(ofLine: cursor.line).displayWidth - 1)
        case .pageUp, .character("b") where mods.contains(.control) || key == .pageUp:
            cursor.line = max(0, cursor.line - rows)
            top = max(0, top - rows)
        case .pageDown, .character("f") where mods.contains(.control) || key == .pageDown:
            cursor.line = min(last, cursor.line + rows)
            top += rows
        case .character("g"): cursor = TextPosition(line: 0, col: 0)
        case .character("G"): cursor = TextPosition(line: last, col: 0)
        case .character("v"), .character(" "): startSelection()
        case .character("/"):
            prompt = ""
            notFound = false
        case .character("n"): if let q = lastSearch { search(q, backward: true, source) }
        case .character("N"): if let q = lastSearch { search(q, backward: false, source) }
        case .enter:
            guard anchor != nil else { return .exit }
            return .copy(selectedText(source))
        default: break
        }
        follow(source)
        return .stay
    }

    private mutating func handlePrompt(_ key: Key, _ source: some LineSource) -> Outcome {
        switch key {
        case .escape: prompt = nil
        case .backspace: if prompt?.isEmpty == false { prompt?.removeLast() }
        case .enter:
            let q = prompt ?? ""
            prompt = nil
            if !q.isEmpty {
                lastSearch = q
                search(q, backward: true, source)
            }
        case .character(let c): prompt?.unicodeScalars.append(c)
        default: break
        }
        follow(source)
        return .stay
    }

    /// Finds `query` before (or after) the cursor and moves the cursor to the match.
    mutating func search(_ query: String, backward: Bool, _ source: some LineSource) {
        let count = source.lineCount
        guard count > 0 else { return }
        var line = cursor.line
        for step in 0...count {
            let text = source.text(ofLine: line)
            let hits = Self.columns(of: query, in: text)
            let candidates: [Int]
            if step == 0 {
                candidates = backward ? hits.filter { $0 < cursor.col }.reversed() : hits.filter { $0 > cursor.col }
            } else {
                candidates = backward ? hits.reversed() : hits
            }
            if let col = candidates.first {
                cursor = TextPosition(line: line, col: col)
                notFound = false
                return
            }
            line = backward ? (line - 1 + count) % count : (line + 1) % count
        }
        notFound = true
    }

    /// Display columns where `query` starts in `text` (case-sensitive).
    static func columns(of query: String, in text: String) -> [Int] {
        let hay = Array(text.unicodeScalars)
        let needle = Array(query.unicodeScalars)
        guard !needle.isEmpty, hay.count >= needle.count else { return [] }
        var out: [Int] = []
        var col = 0
        for i in 0...(hay.count - needle.count) {
            if Array(hay[i..<(i + needle.count)]) == needle { out.append(col) }
            col += max(0, CharacterWidth.of(hay[i].value))
        }
        return out
    }

    /// The selected text: whole lines in between, partial first and last lines, `\n` between lines.
    func selectedText(_ source: some LineSource) -> String {
        guard let anchor else { return "" }
        let (a, b) = anchor < cursor ? (anchor, cursor) : (cursor, anchor)
        var lines: [String] = []
        for line in a.line...b.line {
            let text = source.text(ofLine: line)
            let from = line == a.line ? a.col : 0
            let to = line == b.line ? b.col : Int.max
            lines.append(Self.slice(text, fromCol: from, toCol: to))
        }
        return lines.joined(separator: "\n")
    }

    /// The part of `text` between display columns `from` and `to` (inclusive).
    static func slice(_ text: String, fromCol from: Int, toCol to: Int) -> String {
        var out = String.UnicodeScalarView()
        var col = 0
        for s in text.unicodeScalars {
            let w = max(0, CharacterWidth.of(s.value))
            if col >= from && col <= to { out.append(s) }
            col += w
            if col > to { break }
        }
        return String(out)
    }

    private mutating func follow(_ source: some LineSource) {
        let maxTop = max(0, source.lineCount - rows)
        if cursor.line < top { top = cursor.line }
        if cursor.line >= top + rows { top = cursor.line - rows + 1 }
        top = min(max(0, top), maxTop)
    }
}

/// An emulator seen as lines: history first, then the screen.
struct EmulatorLines: LineSource {
    let terminal: Terminal
    var lineCount: Int { terminal.scrollbackCount + terminal.rows }
    func text(ofLine line: Int) -> String {
        let history = terminal.scrollbackCount
        return line < history ? terminal.text(ofScrollbackLine: line) : terminal.text(ofRow: line - history)
    }
    /// The cells of a line, padded to the width.
    func cells(ofLine line: Int) -> [Cell] {
        let history = terminal.scrollbackCount
        if line < history { return terminal.scrollbackLine(line) }
        let row = line - history
        return (0..<terminal.cols).map { terminal.cell(row: row, col: $0) }
    }
}
