extension TerminalCore {
    /// Resizes both buffers, reflowing the primary one (see `Terminal.resize`).
    mutating func resize(cols newCols: Int, rows newRows: Int) {
        let c = max(1, newCols), r = max(1, newRows)
        guard c != cols || r != rows else { return }
        let oldRows = rows
        if modeState.alternateScreen {
            var saved = savedCursorPrimary?.cursor ?? CursorState()
            var pos = (row: saved.row, col: saved.col, pendingWrap: false)
            inactiveGrid = reflowPrimary(inactiveGrid, cursor: &pos, cols: c, rows: r, oldRows: oldRows)
            saved.row = pos.row
            saved.col = pos.col
            saved.pendingWrap = pos.pendingWrap
            savedCursorPrimary?.cursor = saved
            grid = TerminalCore.cropped(grid, cols: c, rows: r)
            cursorState.row = min(cursorState.row, r - 1)
            cursorState.col = min(cursorState.col, c - 1)
            cursorState.pendingWrap = false
        } else {
            var pos = (row: cursorState.row, col: cursorState.col, pendingWrap: false)
            grid = reflowPrimary(grid, cursor: &pos, cols: c, rows: r, oldRows: oldRows)
            cursorState.row = pos.row
            cursorState.col = pos.col
            cursorState.pendingWrap = pos.pendingWrap
            inactiveGrid = TerminalCore.cropped(inactiveGrid, cols: c, rows: r)
            if var alt = savedCursorAlternate {
                alt.cursor.row = min(alt.cursor.row, r - 1)
                alt.cursor.col = min(alt.cursor.col, c - 1)
                alt.cursor.pendingWrap = false
                savedCursorAlternate = alt
            }
            if var saved = savedCursorPrimary {
                saved.cursor.row = min(saved.cursor.row, r - 1)
                saved.cursor.col = min(saved.cursor.col, c - 1)
                saved.cursor.pendingWrap = false
                savedCursorPrimary = saved
            }
        }
        scrollTop = 0
        scrollBottom = r - 1
        leftMargin = 0
        rightMargin = c - 1
        let old = tabStops
        tabStops = TerminalCore.defaultTabStops(cols: c)
        for i in 0..<min(c, old.count) { tabStops[i] = old[i] }
        dirtyFlags = [Bool](repeating: true, count: r)
    }

    /// Truncates or pads every line (no reflow), as for the alternate screen.
    static func cropped(_ g: Grid, cols: Int, rows: Int) -> Grid {
        var lines = g.lines
        if lines.count > rows { lines.removeFirst(lines.count - rows) }
        while lines.count < rows { lines.append(Line(cols: cols)) }
        for i in lines.indices {
            lines[i].wrapped = false
            if lines[i].cells.count > cols {
                lines[i].cells.removeLast(lines[i].cells.count - cols)
                if let last = lines[i].cells.last, last.isWide { lines[i].cells[cols - 1] = .blank(bg: last.bgPacked) }
            } else if lines[i].cells.count < cols {
                lines[i].cells.append(contentsOf: repeatElement(.blank, count: cols - lines[i].cells.count))
            }
        }
        return Grid(cols: cols, lines: lines)
    }

    /// A logical line: cells of consecutive soft-wrapped physical lines joined together.
    private struct LogicalLine {
        var cells: [Cell] = []
        /// Cell offset of the cursor when the cursor is on this line.
        var cursorOffset: Int?
        /// True for lines that came from the visible screen (not history).
        var fromScreen = false
    }

    private mutating func reflowPrimary(_ g: Grid, cursor: inout (row: Int, col: Int, pendingWrap: Bool), cols newCols: Int,
                               rows newRows: Int, oldRows: Int) -> Grid {
        // 1. Collect logical lines from history and the screen down to the cursor / last content.
        var lastUsedRow = cursor.row
        for row in 0..<g.rows where g[line: row].usedWidth > 0 { lastUsedRow = max(lastUsedRow, row) }
        var logical: [LogicalLine] = []
        var current = LogicalLine()
        var open = false
        func append(_ line: Line, fromScreen: Bool, cursorCol: Int?) {
            if !open {
                current = LogicalLine()
                current.fromScreen = fromScreen
                open = true
            }
            var cells = line.cells
            if line.wrapped {
                if let last = cells.last, last.content == 0, !last.isWideTail { cells.removeLast() }
            } else {
                cells.removeLast(cells.count - line.usedWidth)
            }
            if let cursorCol { current.cursorOffset = current.cells.count + cursorCol }
            current.cells.append(contentsOf: cells)
            if !line.wrapped {
                logical.append(current)
                open = false
            }
        }
        for i in 0..<scrollbackRing.count { append(scrollbackRing[i], fromScreen: false, cursorCol: nil) }
        for row in 0...lastUsedRow {
            var line = g[line: row]
            if row == lastUsedRow { line.wrapped = false }
            append(line, fromScreen: true, cursorCol: row == cursor.row ? cursor.col : nil)
        }
        if open { logical.append(current) }

        // 2. Rewrap at the new width.
        var physical: [Line] = []
        var firstScreenLine = -1
        var cursorLine = 0, cursorCol = 0, cursorPastEnd = false
        for l in logical {
            if l.fromScreen && firstScreenLine < 0 { firstScreenLine = physical.count }
            let startIndex = physical.count
            var chunkStarts: [Int] = []
            var i = 0
            repeat {
                var cells: [Cell] = []
                cells.reserveCapacity(newCols)
                chunkStarts.append(i)
                while i < l.cells.count && cells.count < newCols {
                    let cell = l.cells[i]
                    if cell.isWide {
                        if newCols < 2 {
                            cells.append(.blank(bg: cell.bgPacked))
                            i += 2
                            continue
                        }
                        if cells.count == newCols - 1 { break }
                    }
                    cells.append(cell)
                    i += 1
                }
                let more = i < l.cells.count
                cells.append(contentsOf: repeatElement(.blank, count: newCols - cells.count))
                physical.append(Line(cells: cells, wrapped: more))
            } while i < l.cells.count
            if let offset = l.cursorOffset {
                let chunk = chunkStarts.lastIndex { $0 <= offset } ?? 0
                cursorLine = startIndex + chunk
                cursorCol = min(offset - chunkStarts[chunk], newCols - 1)
                cursorPastEnd = offset - chunkStarts[chunk] >= newCols
            }
        }
        if firstScreenLine < 0 { firstScreenLine = physical.count }

        // 3. Choose the first visible line: keep the bottom content, pull history back only
        //    when the screen got taller, and always keep the cursor visible.
        let grown = max(0, newRows - oldRows)
        var start = max(0, firstScreenLine - grown)
        start = max(start, physical.count - newRows)
        start = min(start, cursorLine)
        start = max(0, start)

        var history = Scrollback(limit: scrollbackRing.limit)
        for var line in physical[0..<start] { history.push(&line) }
        scrollbackRing = history
        var screen = Array(physical[start..<min(physical.count, start + newRows)])
        while screen.count < newRows { screen.append(Line(cols: newCols)) }
        cursor = (cursorLine - start, cursorCol, cursorPastEnd && modeState.autowrap)
        return Grid(cols: newCols, lines: screen)
    }
}
