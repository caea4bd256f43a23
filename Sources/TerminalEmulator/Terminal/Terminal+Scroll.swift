extension TerminalCore {
    /// IL: inserts blank lines at the cursor inside the scroll region (between the left and
    /// right margins with DECLRMM); cursor to the left margin. Ignored when the cursor is
    /// outside the region or the margins.
    mutating func insertLines(_ n: Int) {
        let row = cursorState.row
        guard row >= scrollTop, row <= scrollBottom, isColumnInMargins(cursorState.col) else { return }
        if hasHorizontalMargins {
            scrollInMargins(-n, top: row)
        } else {
            shiftDown(top: row, bottom: scrollBottom, count: n)
        }
        carriageReturn()
    }

    /// DL: deletes lines at the cursor inside the scroll region and margins; cursor to the
    /// left margin.
    mutating func deleteLines(_ n: Int) {
        let row = cursorState.row
        guard row >= scrollTop, row <= scrollBottom, isColumnInMargins(cursorState.col) else { return }
        if hasHorizontalMargins {
            scrollInMargins(n, top: row)
        } else {
            shiftUp(top: row, bottom: scrollBottom, count: n, saveToHistory: false)
        }
        carriageReturn()
    }

    /// Scrolls the region up `n` lines (IND at the bottom margin, SU). Lines leaving the
    /// top of the primary screen go to the scrollback when the top margin is row 0 and the
    /// lines are whole (no left/right margins), as in xterm.
    mutating func scrollUp(_ n: Int) {
        if hasHorizontalMargins {
            scrollInMargins(n, top: scrollTop)
            return
        }
        let save = !modeState.alternateScreen && scrollTop == 0
        shiftUp(top: scrollTop, bottom: scrollBottom, count: n, saveToHistory: save)
    }

    /// Scrolls the region down `n` lines (RI at the top margin, SD).
    mutating func scrollDown(_ n: Int) {
        if hasHorizontalMargins {
            scrollInMargins(-n, top: scrollTop)
            return
        }
        shiftDown(top: scrollTop, bottom: scrollBottom, count: n)
    }

    private mutating func shiftUp(top: Int, bottom: Int, count: Int, saveToHistory: Bool) {
        let n = min(count, bottom - top + 1)
        guard n > 0 else { return }
        let fill = eraseCell
        for _ in 0..<n {
            // The line leaving goes to the history, which hands back a line to recycle.
            if saveToHistory { scrollbackRing.push(&grid[line: top]) }
            grid.moveLine(from: top, to: bottom)
            grid.resetLine(bottom, fill: fill)
        }
        markDirty(from: top, through: bottom)
    }

    private mutating func shiftDown(top: Int, bottom: Int, count: Int) {
        let n = min(count, bottom - top + 1)
        guard n > 0 else { return }
        let fill = eraseCell
        for _ in 0..<n {
            grid.moveLine(from: bottom, to: top)
            grid.resetLine(top, fill: fill)
        }
        if top > 0 { grid[line: top - 1].wrapped = false }
        markDirty(from: top, through: bottom)
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
