/// An xterm-compatible terminal emulator: feed it the bytes a program writes, read back
/// the screen, the replies the program expects, and events for the embedder.
///
/// Not thread-safe and not `Sendable`: one owner at a time.
public final class Terminal {
    /// Version string reported by XTVERSION.
    public static let versionString = "vibe-terminal(1.0)"
    /// Largest reply backlog kept when the embedder does not call `takeReplies()`.
    public static let maxPendingReplyBytes = 64 * 1024
    /// Largest event backlog kept when the embedder does not call `takeEvents()`.
    public static let maxPendingEvents = 1024
    /// Largest total payload (bytes of titles, paths, clipboard data) of pending events.
    public static let maxPendingEventBytes = 4 << 20
    /// Titles, icon names and OSC 7 paths longer than this many bytes are cut.
    public static let maxTitleBytes = 4096
    /// Depth limit of the XTWINOPS title stack (as in xterm).
    public static let maxTitleStack = 10

    private var parser: VTParser
    var core: TerminalCore

    /// Creates a terminal of `cols` × `rows` cells keeping `scrollbackLimit` lines of history.
    public init(cols: Int = 80, rows: Int = 24, scrollbackLimit: Int = 10_000) {
        parser = VTParser()
        core = TerminalCore(cols: max(1, cols), rows: max(1, rows), scrollbackLimit: scrollbackLimit)
    }

    // MARK: Input

    /// Processes bytes written by the program (the hot path).
    public func feed(_ bytes: UnsafeRawBufferPointer) {
        parser.advance(&core, bytes)
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

    /// Resizes the screen. The primary buffer and its scrollback are reflowed: soft-wrapped
    /// lines are re-joined and wrapped at the new width, no line is lost or duplicated, and
    /// the cursor stays on the character it was on. The alternate buffer is cut or padded.
    /// Scroll margins are reset, as in xterm.
    public func resize(cols: Int, rows: Int) {
        core.resize(cols: cols, rows: rows)
    }

    // MARK: Output to the embedder

    /// Returns and clears the bytes the host program should receive (DA, CPR, ...).
    public func takeReplies() -> [UInt8] {
        defer { core.pendingReplies.removeAll() }
        return core.pendingReplies
    }

    /// Returns and clears the pending events (bell, title, cwd, clipboard, ...).
    public func takeEvents() -> [TerminalEvent] {
        defer {
            core.pendingEvents.removeAll()
            core.pendingEventBytes = 0
        }
        return core.pendingEvents
    }

    /// Returns the visible rows changed since the previous call, ascending, and clears them.
    public func takeDirtyRows() -> [Int] {
        var rowsOut: [Int] = []
        for (i, d) in core.dirtyFlags.enumerated() where d {
            rowsOut.append(i)
            core.dirtyFlags[i] = false
        }
        return rowsOut
    }

    /// Queues the OSC 52 answer to a `clipboardQuery` the embedder chose to honour:
    /// `OSC 52 ; selection ; base64(data) ST` (8-bit form after S8C1T).
    public func replyClipboard(selection: String, data: [UInt8]) {
        core.replyClipboard(selection: selection, data: data)
    }

    /// Sets the scheme's default foreground and background (the answers to OSC 10 / 11
    /// queries the program did not override); shorthand for changing `colorScheme`.
    public func setDefaultColors(foreground: (UInt8, UInt8, UInt8), background: (UInt8, UInt8, UInt8)) {
        core.colorScheme.foreground = RGBColor(foreground.0, foreground.1, foreground.2)
        core.colorScheme.background = RGBColor(background.0, background.1, background.2)
    }

    /// The embedder's colours (its theme). Colour queries (OSC 4 / 5 / 10-19 with `?`) are
    /// answered from here unless the program set that colour itself. Setting it does not
    /// clear the program's overrides.
    public var colorScheme: TerminalColorScheme {
        get { core.colorScheme }
        set { core.colorScheme = newValue }
    }

    /// The colour a slot shows in this terminal: the program's override (OSC 4 / 5 / 10-19)
    /// when it set one, the scheme's otherwise. Renderers call this after `.colorsChanged`.
    public func color(_ slot: ColorSlot) -> RGBColor {
        core.effectiveColor(slot)
    }

    /// The colour the program set for a slot, nil when it did not (or reset it).
    public func colorOverride(_ slot: ColorSlot) -> RGBColor? {
        core.colorOverrides[slot]
    }

    /// Size of one cell in pixels, used for the XTWINOPS pixel reports (`CSI 14 t` text
    /// area, `CSI 16 t` cell). Embedders that know the real font size should set it.
    public var cellPixelSize: (width: Int, height: Int) {
        get { core.cellPixelSize }
        set { core.cellPixelSize = (max(1, newValue.width), max(1, newValue.height)) }
    }

    // MARK: State

    /// Number of columns.
    public var cols: Int { core.cols }
    /// Number of rows.
    public var rows: Int { core.rows }

    /// Cursor position (0-based), visibility (DECTCEM) and shape (DECSCUSR).
    public var cursor: (row: Int, col: Int, visible: Bool, shape: CursorShape) {
        (core.cursorState.row, core.cursorState.col, core.modeState.cursorVisible, core.cursorShapeState)
    }

    /// True when the next printed character will wrap to the next line first.
    public var isWrapPending: Bool { core.cursorState.pendingWrap }

    /// Current modes.
    public var modes: TerminalModes { core.modeState }

    /// Window title (OSC 0/2).
    public var title: String { core.windowTitle }

    /// Icon name (OSC 0/1).
    public var iconName: String { core.iconTitle }

    /// The cell at a visible position; out-of-range positions give a blank cell.
    public func cell(row: Int, col: Int) -> Cell {
        guard row >= 0, row < rows, col >= 0, col < cols else { return .blank }
        return core.grid[row, col]
    }

    /// The text of a cell: its scalar plus combining marks ("" for empty cells and wide tails).
    public func string(for cell: Cell) -> String {
        var s = String.UnicodeScalarView()
        for v in core.graphemes.scalars(of: cell.content) {
            if let u = Unicode.Scalar(v) { s.append(u) }
        }
        return String(s)
    }

    /// Underline colour of a cell (SGR 58), `.default` when unset.
    public func underlineColor(of cell: Cell) -> TerminalColor {
        TerminalColor(packed: core.extrasTable.extras(cell.extra).underlineColor)
    }

    /// Hyperlink URI of a cell (OSC 8), nil when none.
    public func hyperlink(of cell: Cell) -> String? {
        let id = Int(core.extrasTable.extras(cell.extra).hyperlink)
        guard id > 0, id < core.extrasTable.links.count else { return nil }
        let key = core.extrasTable.links[id]
        return key.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init)
    }

    /// Lines of history above the primary screen.
    public var scrollbackCount: Int { core.scrollbackRing.count }

    /// Maximum lines of history kept.
    public var scrollbackLimit: Int { core.scrollbackRing.limit }

    /// History line `index` (0 = oldest), padded or cut to the current width.
    public func scrollbackLine(_ index: Int) -> [Cell] {
        guard index >= 0, index < scrollbackCount else { return [] }
        var cells = core.scrollbackRing[index].cells
        if cells.count < cols {
            cells.append(contentsOf: repeatElement(.blank, count: cols - cells.count))
        } else if cells.count > cols {
            cells.removeLast(cells.count - cols)
        }
        return cells
    }

    /// Whether history line `index` soft-wraps into the next line.
    public func scrollbackLineIsWrapped(_ index: Int) -> Bool {
        guard index >= 0, index < scrollbackCount else { return false }
        return core.scrollbackRing[index].wrapped
    }

    /// Whether visible row `row` soft-wraps into the next row.
    public func rowIsWrapped(_ row: Int) -> Bool {
        guard row >= 0, row < rows else { return false }
        return core.grid[line: row].wrapped
    }

    /// The text of a visible row, wide characters once, trailing blanks trimmed.
    public func text(ofRow row: Int) -> String {
        guard row >= 0, row < rows else { return "" }
        return core.lineText(core.grid[line: row].cells)
    }

    /// The text of a history line, trailing blanks trimmed.
    public func text(ofScrollbackLine index: Int) -> String {
        guard index >= 0, index < scrollbackCount else { return "" }
        return core.lineText(core.scrollbackRing[index].cells)
    }

    /// Bytes of an unfinished OSC string held by the parser (bounded by its cap).
    public var parserBufferedStringCount: Int { parser.bufferedStringCount }
}
