/// All mutable terminal state, driven by the parser through `VTParserHandler`.
///
/// A struct so that one `feed` call is a single exclusive access: no per-byte runtime
/// exclusivity checks or reference counting on the hot path. `Terminal` wraps it.
struct TerminalCore {
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

    enum DCSKind {
        case ignored
        case requestStatus
    }

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
    /// DECSLRM margins (0-based, inclusive); the whole width unless DECLRMM is set.
    var leftMargin = 0
    var rightMargin: Int
    /// DEC private modes saved by XTSAVE (`CSI ? Pm s`), restored by XTRESTORE.
    var savedPrivateModes: [Int: Bool] = [:]
    /// Operating level set by DECSCL (1 = VT100 ... 4 = VT420, the highest we claim).
    var conformanceLevel = 4
    /// DECSACE's parameter: 2 makes DECCARA / DECRARA act on a rectangle, 0 or 1 on the
    /// character stream from the start to the end position.
    var attributeChangeExtent = 0
    var tabStops: [Bool]
    var dirtyFlags: [Bool]
    var pendingReplies: [UInt8] = []
    var pendingEvents: [TerminalEvent] = []
    var pendingEventBytes = 0
    var windowTitle = ""
    var iconTitle = ""
    var titleStack: [TitleStackEntry] = []
    var cursorShapeState: CursorShape = .blinkingBlock
    /// The graphic character just printed (before charset translation), for REP; 0 once
    /// anything else (a control, a sequence) was processed, as xterm's `lastchar`.
    var lastPrinted: UInt32 = 0
    var graphemes = GraphemeTable()
    /// `CharacterWidth.lookup`, held here so the print path reads it without a lazy-init check.
    let widthLookup: [UInt8] = CharacterWidth.lookup
    var extrasTable = ExtrasTable()
    var currentExtras = CellExtras()
    /// Data of a DCS string the terminal understands (DECRQSS), bounded.
    var dcsBuffer: [UInt8] = []
    var dcsKind: DCSKind = .ignored
    /// The embedder's colours: the answers to colour queries the program did not override.
    var colorScheme = TerminalColorScheme()
    /// Colours the program set with OSC 4 / 5 / 10-19 (until reset by OSC 104 / 105 / 110-119).
    var colorOverrides: [ColorSlot: RGBColor] = [:]
    /// Cell size in pixels for the XTWINOPS pixel reports (14, 16).
    var cellPixelSize = (width: 10, height: 20)

    init(cols: Int, rows: Int, scrollbackLimit: Int) {
        grid = Grid(cols: cols, rows: rows)
        inactiveGrid = Grid(cols: cols, rows: rows)
        scrollbackRing = Scrollback(limit: scrollbackLimit)
        scrollBottom = rows - 1
        rightMargin = cols - 1
        tabStops = TerminalCore.defaultTabStops(cols: cols)
        dirtyFlags = [Bool](repeating: true, count: rows)
    }

    var cols: Int { grid.cols }
    var rows: Int { grid.rows }

    static func defaultTabStops(cols: Int) -> [Bool] {
        (0..<cols).map { $0 % 8 == 0 && $0 > 0 }
    }

    /// Marks a visible row changed. Reads first: writing only when needed skips the array's
    /// uniqueness check on the per-character path.
    @inline(__always)
    mutating func markDirty(_ row: Int) {
        if row >= 0 && row < dirtyFlags.count && !dirtyFlags[row] { dirtyFlags[row] = true }
    }

    /// Column width of a scalar: `CharacterWidth.of`, through the core's copy of the table.
    @inline(__always)
    func width(of scalar: UInt32) -> Int {
        if scalar < 0x300 { return 1 }
        if scalar < UInt32(widthLookup.count) { return Int(widthLookup[Int(scalar)]) }
        return CharacterWidth.of(scalar)
    }

    mutating func markDirty(from top: Int, through bottom: Int) {
        let lo = max(0, top), hi = min(bottom, dirtyFlags.count - 1)
        guard lo <= hi else { return }
        dirtyFlags.withUnsafeMutableBufferPointer { UnsafeMutableBufferPointer(rebasing: $0[lo...hi]).update(repeating: true) }
    }

    mutating func markAllDirty() {
        markDirty(from: 0, through: rows - 1)
    }

    /// Queues a reply written with 7-bit controls (`ESC [`, `ESC P`, `ESC ]`, `ESC \\`); after
    /// S8C1T each `ESC Fe` becomes the C1 control, UTF-8 encoded as xterm sends it in UTF-8 mode.
    mutating func reply(_ bytes: [UInt8]) {
        let out = modeState.eightBitControls ? TerminalCore.eightBitForm(bytes) : bytes
        guard pendingReplies.count + out.count <= Terminal.maxPendingReplyBytes else { return }
        pendingReplies.append(contentsOf: out)
    }

    /// `ESC` followed by 0x40...0x5F turned into the C1 control 0x80...0x9F (as UTF-8).
    static func eightBitForm(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x1B, i + 1 < bytes.count, (0x40...0x5F).contains(bytes[i + 1]) {
                out.append(0xC2)
                out.append(bytes[i + 1] + 0x40)
                i += 2
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    mutating func reply(_ string: String) {
        reply(Array(string.utf8))
    }

    mutating func emit(_ event: TerminalEvent) {
        let size: Int
        switch event {
        case .title(let s), .iconName(let s), .workingDirectory(let s), .clipboardQuery(let s): size = s.utf8.count
        case .clipboardSet(let selection, let data): size = selection.utf8.count + data.count
        case .bell, .cursorShape, .colorsChanged: size = 0
        }
        guard pendingEvents.count < Terminal.maxPendingEvents,
              pendingEventBytes + size <= Terminal.maxPendingEventBytes else { return }
        pendingEvents.append(event)
        pendingEventBytes += size
    }

    /// A blank cell in the current background colour (xterm's bce behaviour).
    var eraseCell: Cell { .blank(bg: cursorState.pen.bg) }

    /// Text of a row of cells: wide characters once, trailing blanks trimmed.
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
}
