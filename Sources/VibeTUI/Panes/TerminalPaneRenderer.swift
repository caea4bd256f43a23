import TerminalEmulator

/// Draws a terminal pane from its emulator's cells (or its copy-mode view) into a screen rectangle.
enum TerminalPaneRenderer {
    /// Draws the rows of `pane` that changed (all of them when `full`) inside `rect`.
    static func draw(_ pane: TerminalPane, in rect: Rect, on screen: CursesScreen, full: Bool) {
        guard !rect.isEmpty else {
            _ = pane.emulator.takeDirtyRows()
            return
        }
        let emulator = pane.emulator
        if let copy = pane.copyMode {
            _ = emulator.takeDirtyRows()
            drawCopyMode(copy, emulator, colors: pane.colors, in: rect, on: screen)
            return
        }
        let dirty = emulator.takeDirtyRows()
        let rows: [Int] = full ? Array(0..<rect.rows) : dirty.filter { $0 < rect.rows }
        for row in rows {
            if row < emulator.rows {
                drawRow(emulator, colors: pane.colors, row: row, in: rect, on: screen)
            } else {
                screen.fill(row: rect.row + row, col: rect.col, rows: 1, cols: rect.cols, style: .plain)
            }
        }
    }

    private static func drawRow(_ emulator: Terminal, colors: PaneColors, row: Int, in rect: Rect, on screen: CursesScreen) {
        let width = min(rect.cols, emulator.cols)
        var col = 0
        while col < width {
            let cell = emulator.cell(row: row, col: col)
            drawCell(
                cell, emulator, at: rect.row + row, rect.col + col, room: width - col, style: colors.apply(CellStyle(cell: cell)),
                on: screen)
            col += cell.isWide && col + 1 < width ? 2 : 1
        }
        if rect.cols > width {
            screen.fill(row: rect.row + row, col: rect.col + width, rows: 1, cols: rect.cols - width, style: .plain)
        }
    }

    /// Draws one cell; a wide character that does not fit in `room` becomes a space.
    private static func drawCell(
        _ cell: Cell, _ emulator: Terminal, at row: Int, _ col: Int, room: Int, style: CellStyle, on screen: CursesScreen
    ) {
        if cell.isWideTail || (cell.isWide && room < 2) {
            screen.put(row: row, col: col, scalars: [], style: style)
            return
        }
        if let scalar = cell.scalar {
            screen.put(row: row, col: col, scalar: scalar, style: style)
        } else if cell.hasCombiningMarks {
            screen.put(row: row, col: col, scalars: Array(emulator.string(for: cell).unicodeScalars), style: style)
        } else {
            screen.put(row: row, col: col, scalars: [], style: style)
        }
    }

    private static func drawCopyMode(
        _ copy: CopyMode, _ emulator: Terminal, colors: PaneColors, in rect: Rect, on screen: CursesScreen
    ) {
        let lines = EmulatorLines(terminal: emulator)
        let width = min(rect.cols, emulator.cols)
        for r in 0..<rect.rows {
            let line = copy.top + r
            guard line < lines.lineCount else {
                screen.fill(row: rect.row + r, col: rect.col, rows: 1, cols: rect.cols, style: .plain)
                continue
            }
            let cells = lines.cells(ofLine: line)
            var col = 0
            while col < width {
                let cell = col < cells.count ? cells[col] : .blank
                var style = colors.apply(CellStyle(cell: cell))
                let isCursor = copy.cursor.line == line && copy.cursor.col == col
                if copy.isSelected(line: line, col: col) || isCursor { style = style.toggledInverse }
                drawCell(cell, emulator, at: rect.row + r, rect.col + col, room: width - col, style: style, on: screen)
                col += cell.isWide && col + 1 < width ? 2 : 1
            }
            if rect.cols > width {
                screen.fill(row: rect.row + r, col: rect.col + width, rows: 1, cols: rect.cols - width, style: .plain)
            }
        }
        let history = emulator.scrollbackCount
        var label = "[copy \(max(0, history - copy.top))/\(history)]"
        if let prompt = copy.prompt {
            label = "search: \(prompt)"
        } else if copy.notFound {
            label = "not found " + label
        }
        let w = min(rect.cols, label.displayWidth)
        screen.text(row: rect.row, col: rect.right - w, label, style: .reverse, width: w)
    }
}
