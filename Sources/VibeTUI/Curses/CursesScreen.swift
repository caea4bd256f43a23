@preconcurrency import CNCursesW
import CPTY
import Foundation
import TerminalEmulator

/// The outer terminal, driven through ncursesw. Owned by the UI thread only (curses is not thread-safe).
///
/// Input is not read through curses: the UI loop reads stdin itself and decodes it with `InputDecoder`,
/// so mouse (SGR 1006), bracketed paste and focus reports are switched on here with escape sequences.
///
/// Curses draws on a duplicate of the terminal's fd while fds 1 and 2 point at a log file, so a stray
/// `print` or runtime warning from any library can never draw over the screen.
final class CursesScreen {
    /// The terminal (a duplicate of the original stdout).
    private let ttyFD: Int32
    private let savedStdout: Int32
    private let savedStderr: Int32
    private let ttyFile: UnsafeMutablePointer<FILE>?
    private let term: OpaquePointer?
    /// Rows of the outer terminal.
    private(set) var rows: Int
    /// Columns of the outer terminal.
    private(set) var cols: Int
    /// Colours the outer terminal supports (8, 16, 256, …).
    let colors: Int
    private var pairs: ColorPairCache
    /// How default and ANSI colours are drawn (the theme's palette when the terminal allows).
    let palette: ThemePalette
    private var pairGeneration = 0
    private var ended = false

    /// Modes vibe turns on at the outer terminal (and off again in `end()` and in the crash guard).
    static let enableModes = "\u{1b}[?1002h\u{1b}[?1006h\u{1b}[?2004h"
    /// Everything the guard writes on an abnormal exit to give the terminal back in a sane state.
    static let resetSequence =
        "\u{1b}[?1049l\u{1b}[?25h\u{1b}[0m\u{1b}[?1000l\u{1b}[?1002l\u{1b}[?1003l\u{1b}[?1006l\u{1b}[?2004l\r\n"

    /// Starts curses (raw, no echo, default colours) and turns on mouse and paste reports.
    /// fds 1 and 2 go to `logFile` (or /dev/null) until `end()`. Default and ANSI colours follow
    /// `theme` when the terminal has 256 colours or more (see ``ThemePalette``).
    init(logFile: String?, theme: Theme = .builtinDefault) {
        setlocale(LC_ALL, "")
        // ESC handling is ours; keep curses from waiting on it.
        setenv("ESCDELAY", "25", 0)
        fflush(nil)
        ttyFD = dup(1)
        savedStdout = dup(1)
        savedStderr = dup(2)
        let log = open(logFile ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        if log >= 0 {
            dup2(log, 1)
            dup2(log, 2)
            close(log)
        }
        ttyFile = fdopen(ttyFD, "w")
        term = newterm(nil, ttyFile, stdin)
        if let term { set_term(term) }
        raw()
        noecho()
        nonl()
        intrflush(stdscr, false)
        keypad(stdscr, false)
        leaveok(stdscr, false)
        var count = 0
        if has_colors() {
            start_color()
            use_default_colors()
            count = Int(COLORS)
        }
        colors = count
        palette = ThemePalette(theme: theme, colors: count, canChangeColor: count > 0 && can_change_color())
        for (slot, rgb) in palette.definitions {
            _ = init_extended_color(
                slot, ThemePalette.cursesLevel(rgb.r), ThemePalette.cursesLevel(rgb.g), ThemePalette.cursesLevel(rgb.b))
        }
        pairs = ColorPairCache(capacity: Int32(min(Int(COLOR_PAIRS) - 1, 32_000)))
        rows = Int(LINES)
        cols = Int(COLS)
        writeRaw(Self.enableModes)
    }

    /// The size of one cell in pixels, when the outer terminal reports its pixel size (many do, some send 0).
    var cellPixelSize: (width: Int, height: Int)? {
        var w: UInt16 = 0
        var h: UInt16 = 0
        guard cpty_get_pixel_size(ttyFD, &w, &h) == 0, w > 0, h > 0, cols > 0, rows > 0 else { return nil }
        return (max(1, Int(w) / cols), max(1, Int(h) / rows))
    }

    /// Re-reads the window size after SIGWINCH and tells curses. Returns true when it changed.
    @discardableResult
    func refreshSize() -> Bool {
        var r: UInt16 = 0
        var c: UInt16 = 0
        guard cpty_get_winsize(ttyFD, &r, &c) == 0, r > 0, c > 0 else { return false }
        let changed = Int(r) != rows || Int(c) != cols
        resizeterm(Int32(r), Int32(c))
        rows = Int(LINES)
        cols = Int(COLS)
        return changed
    }

    /// True (once) when the colour pairs were reallocated and everything must be repainted.
    func takePairsReset() -> Bool {
        guard pairs.generation != pairGeneration else { return false }
        pairGeneration = pairs.generation
        return true
    }

    /// Draws one cell holding `scalars` (a character and its combining marks; empty draws a space).
    func put(row: Int, col: Int, scalars: [Unicode.Scalar], style: CellStyle) {
        guard row >= 0, row < rows, col >= 0, col < cols else { return }
        var wide: [wchar_t] = scalars.prefix(5).map { wchar_t(bitPattern: $0.value) }
        if wide.isEmpty { wide = [wchar_t(32)] }
        wide.append(0)
        let (attrs, pair) = attributes(style)
        _ = vibe_put_cell(Int32(row), Int32(col), wide, attrs, pair)
    }

    /// Draws one plain scalar.
    func put(row: Int, col: Int, scalar: Unicode.Scalar, style: CellStyle) {
        put(row: row, col: col, scalars: [scalar], style: style)
    }

    /// Draws `text` from (`row`, `col`) clipped to `width` columns; returns the columns used.
    @discardableResult
    func text(row: Int, col: Int, _ text: String, style: CellStyle, width: Int) -> Int {
        var used = 0
        for s in text.unicodeScalars {
            let w = CharacterWidth.of(s.value)
            if w <= 0 { continue }
            if used + w > width { break }
            put(row: row, col: col + used, scalar: s, style: style)
            used += w
        }
        return used
    }

    /// Fills a rectangle with spaces in `style`.
    func fill(row: Int, col: Int, rows height: Int, cols width: Int, style: CellStyle) {
        guard height > 0, width > 0 else { return }
        for r in row..<(row + height) {
            for c in col..<(col + width) { put(row: r, col: c, scalars: [], style: style) }
        }
    }

    /// Places the hardware cursor (or hides it with nil).
    func setCursor(row: Int, col: Int, visible: Bool) {
        if visible, row >= 0, row < rows, col >= 0, col < cols {
            curs_set(1)
            move(Int32(row), Int32(col))
        } else {
            curs_set(0)
        }
    }

    /// Rings the outer terminal's bell.
    func bell() {
        beep()
    }

    /// Clears the whole screen (the next update repaints it).
    func eraseAll() {
        erase()
    }

    /// Forgets what curses believes is on screen so the next update repaints everything.
    func invalidate() {
        clearok(stdscr, true)
    }

    /// Sends the frame to the terminal.
    func update() {
        wnoutrefresh(stdscr)
        doupdate()
    }

    /// Writes bytes straight to the terminal, bypassing curses (OSC 52, mode switches).
    func writeRaw(_ text: String) {
        fflush(ttyFile)
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(ttyFD, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Turns the extra modes off and ends curses (the terminal gets its previous mode back).
    func end() {
        guard !ended else { return }
        ended = true
        writeRaw("\u{1b}[?1002l\u{1b}[?1006l\u{1b}[?2004l")
        curs_set(1)
        endwin()
        fflush(ttyFile)
        if savedStdout >= 0 { dup2(savedStdout, 1); close(savedStdout) }
        if savedStderr >= 0 { dup2(savedStderr, 2); close(savedStderr) }
        if let term { delscreen(term) }
        if let ttyFile { fclose(ttyFile) }
    }

    private func attributes(_ style: CellStyle) -> (attr_t, Int32) {
        var a = vibe_a_normal()
        let f = style.flags
        if f.contains(.bold) { a |= vibe_a_bold() }
        if f.contains(.dim) { a |= vibe_a_dim() }
        if f.contains(.italic) { a |= vibe_a_italic() }
        if f.underline != .none { a |= vibe_a_underline() }
        if f.contains(.inverse) { a |= vibe_a_reverse() }
        if f.contains(.hidden) { a |= vibe_a_invis() }
        if f.contains(.strike) { a |= vibe_a_strike() }
        if f.contains(.blink) { a |= vibe_a_blink() }
        guard colors > 0 else { return (a, 0) }
        let fg = palette.index(style.fg, foreground: true)
        let bg = palette.index(style.bg, foreground: false)
        let pair = pairs.pair(fg: fg, bg: bg) { p, f, b in _ = init_extended_pair(p, f, b) }
        return (a, pair)
    }
}
