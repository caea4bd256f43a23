extension TerminalCore {
    /// ED 0/1/2/3 (erase uses the current background, bce).
    mutating func eraseInDisplay(_ mode: Int) {
        let row = cursorState.row, fill = eraseCell
        switch mode {
        case 0:
            grid.fill(row: row, from: cursorState.col, to: cols, with: fill)
            grid.lines[row].wrapped = false
            for r in (row + 1)..<max(rows, row + 1) { clearLine(r, fill) }
            markDirty(from: row, through: rows - 1)
        case 1:
            for r in 0..<row { clearLine(r, fill) }
            grid.fill(row: row, from: 0, to: cursorState.col + 1, with: fill)
            markDirty(from: 0, through: row)
        case 2:
            for r in 0..<rows { clearLine(r, fill) }
            markAllDirty()
        case 3:
            scrollbackRing.removeAll()
        default:
            return
        }
        cursorState.pendingWrap = false
    }

    /// EL 0/1/2. In the pending-wrap state EL 0 erases the last column and clears the
    /// pending wrap, as xterm does.
    mutating func eraseInLine(_ mode: Int) {
        let row = cursorState.row, fill = eraseCell
        switch mode {
        case 0:
            grid.fill(row: row, from: cursorState.col, to: cols, with: fill)
            grid.lines[row].wrapped = false
        case 1:
            grid.fill(row: row, from: 0, to: cursorState.col + 1, with: fill)
        case 2:
            clearLine(row, fill)
        default:
            return
        }
        markDirty(row)
        cursorState.pendingWrap = false
    }

    /// ECH: blanks `n` cells from the cursor without moving it.
    mutating func eraseCharacters(_ n: Int) {
        let row = cursorState.row
        grid.fill(row: row, from: cursorState.col, to: cursorState.col + n, with: eraseCell)
        markDirty(row)
        cursorState.pendingWrap = false
    }

    /// ICH.
    mutating func insertCharacters(_ n: Int) {
        grid.insertCells(row: cursorState.row, col: cursorState.col, count: n, fill: eraseCell)
        markDirty(cursorState.row)
        cursorState.pendingWrap = false
    }

    /// DCH.
    mutating func deleteCharacters(_ n: Int) {
        grid.deleteCells(row: cursorState.row, col: cursorState.col, count: n, fill: eraseCell)
        markDirty(cursorState.row)
        cursorState.pendingWrap = false
    }

    /// IL: inserts blank lines at the cursor inside the scroll region; cursor to column 0.
    mutating func insertLines(_ n: Int) {
        let row = cursorState.row
        guard row >= scrollTop, row <= scrollBottom else { return }
        shiftDown(top: row, bottom: scrollBottom, count: n)
        carriageReturn()
    }

    /// DL: deletes lines at the cursor inside the scroll region; cursor to column 0.
    mutating func deleteLines(_ n: Int) {
        let row = cursorState.row
        guard row >= scrollTop, row <= scrollBottom else { return }
        shiftUp(top: row, bottom: scrollBottom, count: n, saveToHistory: false)
        carriageReturn()
    }

    /// Scrolls the region up `n` lines (IND at the bottom margin, SU). Lines leaving the
    /// top of the primary screen go to the scrollback when the top margin is row 0 (xterm).
    mutating func scrollUp(_ n: Int) {
        let save = !modeState.alternateScreen && scrollTop == 0
        shiftUp(top: scrollTop, bottom: scrollBottom, count: n, saveToHistory: save)
    }

    /// Scrolls the region down `n` lines (RI at the top margin, SD).
    mutating func scrollDown(_ n: Int) {
        shiftDown(top: scrollTop, bottom: scrollBottom, count: n)
    }

    private mutating func shiftUp(top: Int, bottom: Int, count: Int, saveToHistory: Bool) {
        let n = min(count, bottom - top + 1)
        guard n > 0 else { return }
        let fill = eraseCell
        for _ in 0..<n {
            var line = grid.lines.remove(at: top)
            if saveToHistory {
                let recycled = scrollbackRing.push(line)
                if let recycled, recycled.cells.count == cols {
                    line = recycled
                } else {
                    line = Line(cols: cols)
                }
            }
            line.clear(fill: fill)
            grid.lines.insert(line, at: bottom)
        }
        markDirty(from: top, through: bottom)
    }

    private mutating func shiftDown(top: Int, bottom: Int, count: Int) {
        let n = min(count, bottom - top + 1)
        guard n > 0 else { return }
        let fill = eraseCell
        for _ in 0..<n {
            var line = grid.lines.remove(at: bottom)
            line.clear(fill: fill)
            grid.lines.insert(line, at: top)
        }
        if top > 0 { grid.lines[top - 1].wrapped = false }
        markDirty(from: top, through: bottom)
    }

    mutating func clearLine(_ row: Int, _ fill: Cell) {
        grid.lines[row].clear(fill: fill)
    }

    /// DECALN: fills the screen with 'E', resets the margins and homes the cursor.
    mutating func screenAlignmentTest() {
        let e = Cell(content: 0x45, fgPacked: 0, bgPacked: 0, flags: [], extra: 0)
        for r in 0..<rows { clearLine(r, e) }
        scrollTop = 0
        scrollBottom = rows - 1
        modeState.originMode = false
        cursorState.row = 0
        cursorState.col = 0
        cursorState.pendingWrap = false
        markAllDirty()
    }

    /// DECSTBM (1-based arguments); invalid regions are ignored. Homes the cursor.
    mutating func setScrollRegion(top: Int, bottom: Int) {
        let t = top - 1, b = min(bottom, rows) - 1
        guard t >= 0, t < b else { return }
        scrollTop = t
        scrollBottom = b
        cursorPosition(row: 0, col: 0)
    }
}
