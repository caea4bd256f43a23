/// An xterm-compatible terminal emulator: feed it the bytes a program writes, read back
/// the screen, the replies the program expects, and events for the embedder.
///
/// Not thread-safe and not `Sendable`: one owner at a time.
public final class Terminal {
    /// Cursor position and pending-wrap flag plus the state DECSC saves.
    struct CursorState {
        var row = 0
        var col = 0
        /// xterm's "do_wrap": the last column was written and the next print wraps first.
        var pendingWrap = false
        var pen = Pen()
        var charsets = CharsetState()
    }

    /// What DECSC / mode 1048 store.
    struct SavedCursor {
        var cursor: CursorState
        var originMode: Bool
    }

    /// Largest reply backlog kept when the embedder does not call `takeReplies()`.
    static let maxPendingReplyBytes = 64 * 1024
    /// Largest event backlog kept when the embedder does not call `takeEvents()`.
    static let maxPendingEvents = 1024
    /// Depth limit of the XTWINOPS title stack (as in xterm).
    static let maxTitleStack = 10

    var parser: VTParser
    /// The active buffer.
    var grid: Grid
    /// The inactive buffer (the alternate one while the primary is shown, and vice versa).
    var inactiveGrid: Grid
    var scrollbackRing: Scrollback
    var cursorState = CursorState()
    var savedCursorPrimary: SavedCursor?
    var savedCursorAlternate: SavedCursor?
    var modeState = TerminalModes()
    var scrollTop = 0
    var scrollBottom: Int
    var tabStops: [Bool]
    var dirtyFlags: [Bool]
    var pendingReplies: [UInt8] = []
    var pendingEvents: [TerminalEvent] = []
    var windowTitle = ""
    var iconTitle = ""
    var titleStack: [String] = []
    var cursorShapeState: CursorShape = .blinkingBlock
    /// Last printed scalar and its width, for REP.
    var lastPrinted: UInt32 = 0
    var graphemes = GraphemeTable()
    var extrasTable = ExtrasTable()
    var currentExtras = CellExtras()
    /// Data of a DCS string the terminal understands (DECRQSS), bounded.
    var dcsBuffer: [UInt8] = []
    var dcsKind: DCSKind = .ignored
    /// Dynamic colours reported by OSC 10/11 queries (foreground, background) as RGB.
    var defaultForegroundRGB: (UInt8, UInt8, UInt8) = (0xE5, 0xE5, 0xE5)
    var defaultBackgroundRGB: (UInt8, UInt8, UInt8) = (0x00, 0x00, 0x00)

    enum DCSKind {
        case ignored
        case requestStatus
    }

    /// Creates a terminal of `cols` × `rows` cells keeping `scrollbackLimit` lines of history.
    public init(cols: Int = 80, rows: Int = 24, scrollbackLimit: Int = 10_000) {
        let c = max(1, cols), r = max(1, rows)
        parser = VTParser()
        grid = Grid(cols: c, rows: r)
        inactiveGrid = Grid(cols: c, rows: r)
        scrollbackRing = Scrollback(limit: scrollbackLimit)
        scrollBottom = r - 1
        tabStops = Terminal.defaultTabStops(cols: c)
        dirtyFlags = [Bool](repeating: true, count: r)
    }

    // MARK: Input

    /// Processes bytes written by the program (the hot path).
    public func feed(_ bytes: UnsafeRawBufferPointer) {
        var performer = Performer(terminal: self)
        parser.advance(&performer, bytes)
    }

    /// Processes bytes written by the program.
    public func feed<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { feed(UnsafeRawBufferPointer($0)) }
        if done == nil {
            Array(bytes).withUnsafeBytes { feed($0) }
        }
    }

    /// Processes the UTF-8 encoding of a string (convenience for tests and tools).
    public func feed(_ string: String) {
        feed(Array(string.utf8))
    }

    // MARK: Output to the embedder

    /// Returns and clears the bytes the host program should receive (DA, CPR, ...).
    public func takeReplies() -> [UInt8] {
        defer { pendingReplies.removeAll() }
        return pendingReplies
    }

    /// Returns and clears the pending events (bell, title, cwd, clipboard, ...).
    public func takeEvents() -> [TerminalEvent] {
        defer { pendingEvents.removeAll() }
        return pendingEvents
    }

    /// Returns the visible rows changed since the previous call, ascending, and clears them.
    public func takeDirtyRows() -> [Int] {
        var rowsOut: [Int] = []
        for (i, d) in dirtyFlags.enumerated() where d {
            rowsOut.append(i)
            dirtyFlags[i] = false
        }
        return rowsOut
    }

    // MARK: State

    /// Number of columns.
    public var cols: Int { grid.cols }
    /// Number of rows.
    public var rows: Int { grid.rows }

    /// Cursor position (0-based), visibility (DECTCEM) and shape (DECSCUSR).
    public var cursor: (row: Int, col: Int, visible: Bool, shape: CursorShape) {
        (cursorState.row, cursorState.col, modeState.cursorVisible, cursorShapeState)
    }

    /// True when the next printed character will wrap to the next line first.
    public var isWrapPending: Bool { cursorState.pendingWrap }

    /// Current modes.
    public var modes: TerminalModes { modeState }

    /// Window title (OSC 0/2).
    public var title: String { windowTitle }

    /// Icon name (OSC 0/1).
    public var iconName: String { iconTitle }

    /// The cell at a visible position; out-of-range positions give a blank cell.
    public func cell(row: Int, col: Int) -> Cell {
        guard row >= 0, row < rows, col >= 0, col < cols else { return .blank }
        return grid[row, col]
    }

    /// The text of a cell: its scalar plus combining marks ("" for empty cells and wide tails).
    public func string(for cell: Cell) -> String {
        var s = String.UnicodeScalarView()
        for v in graphemes.scalars(of: cell.content) {
            if let u = Unicode.Scalar(v) { s.append(u) }
        }
        return String(s)
    }

    /// Underline colour of a cell (SGR 58), `.default` when unset.
    public func underlineColor(of cell: Cell) -> TerminalColor {
        TerminalColor(packed: extrasTable.extras(cell.extra).underlineColor)
    }

    /// Hyperlink URI of a cell (OSC 8), nil when none.
    public func hyperlink(of cell: Cell) -> String? {
        let id = Int(extrasTable.extras(cell.extra).hyperlink)
        guard id > 0, id < extrasTable.links.count else { return nil }
        let key = extrasTable.links[id]
        return key.split(separator: "\u{0}", maxSplits: 1).last.map(String.init)
    }

    /// Lines of history above the primary screen.
    public var scrollbackCount: Int { scrollbackRing.count }

    /// Maximum lines of history kept.
    public var scrollbackLimit: Int { scrollbackRing.limit }

    /// History line `index` (0 = oldest), padded or cut to the current width.
    public func scrollbackLine(_ index: Int) -> [Cell] {
        guard index >= 0, index < scrollbackRing.count else { return [] }
        var cells = scrollbackRing[index].cells
        if cells.count < cols {
            cells.append(contentsOf: repeatElement(.blank, count: cols - cells.count))
        } else if cells.count > cols {
            cells.removeLast(cells.count - cols)
        }
        return cells
    }

    /// Whether history line `index` soft-wraps into the next line.
    public func scrollbackLineIsWrapped(_ index: Int) -> Bool {
        guard index >= 0, index < scrollbackRing.count else { return false }
        return scrollbackRing[index].wrapped
    }

    /// Whether visible row `row` soft-wraps into the next row.
    public func rowIsWrapped(_ row: Int) -> Bool {
        guard row >= 0, row < rows else { return false }
        return grid.lines[row].wrapped
    }

    /// The text of a visible row, wide characters once, trailing blanks trimmed.
    public func text(ofRow row: Int) -> String {
        guard row >= 0, row < rows else { return "" }
        return lineText(grid.lines[row].cells)
    }

    /// The text of a history line, trailing blanks trimmed.
    public func text(ofScrollbackLine index: Int) -> String {
        guard index >= 0, index < scrollbackRing.count else { return "" }
        return lineText(scrollbackRing[index].cells)
    }

    func lineText(_ cells: [Cell]) -> String {
        var s = String.UnicodeScalarView()
        var pendingSpaces = 0
        for cell in cells where !cell.isWideTail {
            if cell.content == 0 || cell.content == 0x20 {
                pendingSpaces += 1
                continue
            }
            for _ in 0..<pendingSpaces { s.append(" ") }
            pendingSpaces = 0
            for v in graphemes.scalars(of: cell.content) {
                s.append(Unicode.Scalar(v) ?? "\u{FFFD}")
            }
        }
        return String(s)
    }

    /// Bytes of an unfinished OSC string held by the parser (bounded by its cap).
    public var parserBufferedStringCount: Int { parser.bufferedStringCount }

    /// Sets the colours reported to OSC 10 / OSC 11 queries.
    public func setDefaultColors(foreground: (UInt8, UInt8, UInt8), background: (UInt8, UInt8, UInt8)) {
        defaultForegroundRGB = foreground
        defaultBackgroundRGB = background
    }

    // MARK: Helpers shared by the extensions

    static func defaultTabStops(cols: Int) -> [Bool] {
        (0..<cols).map { $0 % 8 == 0 && $0 > 0 }
    }

    func markDirty(_ row: Int) {
        if row >= 0 && row < dirtyFlags.count { dirtyFlags[row] = true }
    }

    func markDirty(from top: Int, through bottom: Int) {
        guard top <= bottom else { return }
        for r in max(0, top)...min(bottom, dirtyFlags.count - 1) { dirtyFlags[r] = true }
    }

    func markAllDirty() {
        markDirty(from: 0, through: rows - 1)
    }

    func reply(_ bytes: [UInt8]) {
        guard pendingReplies.count + bytes.count <= Terminal.maxPendingReplyBytes else { return }
        pendingReplies.append(contentsOf: bytes)
    }

    func reply(_ string: String) {
        reply(Array(string.utf8))
    }

    func emit(_ event: TerminalEvent) {
        guard pendingEvents.count < Terminal.maxPendingEvents else { return }
        pendingEvents.append(event)
    }

    /// A blank cell in the current background colour (xterm's bce behaviour).
    var eraseCell: Cell { .blank(bg: cursorState.pen.bg) }
}
