extension TerminalCore {
    /// ED 0/1/2/3, and DECSED (`CSI ? Ps J`, `selective`) which leaves the cells DECSCA
    /// protected. Erased cells take the current background (bce).
    mutating func eraseInDisplay(_ mode: Int, selective: Bool = false) {
        let row = cursorState.row
        switch mode {
        case 0:
            erase(row: row, from: cursorState.col, to: cols, selective: selective)
            if !selective { grid[line: row].wrapped = false }
            for r in (row + 1)..<max(rows, row + 1) { erase(row: r, from: 0, to: cols, selective: selective) }
            markDirty(from: row, through: rows - 1)
        case 1:
            for r in 0..<row { erase(row: r, from: 0, to: cols, selective: selective) }
            erase(row: row, from: 0, to: cursorState.col + 1, selective: selective)
            markDirty(from: 0, through: row)
        case 2:
            for r in 0..<rows { erase(row: r, from: 0, to: cols, selective: selective) }
            markAllDirty()
        case 3:
            scrollbackRing.removeAll()
        default:
            return
        }
        cursorState.pendingWrap = false
    }

    /// EL 0/1/2, and DECSEL (`CSI ? Ps K`, `selective`). In the pending-wrap state EL 0
    /// erases the last column and clears the pending wrap, as xterm does.
    mutating func eraseInLine(_ mode: Int, selective: Bool = false) {
        let row = cursorState.row
        switch mode {
        case 0:
            erase(row: row, from: cursorState.col, to: cols, selective: selective)
            if !selective { grid[line: row].wrapped = false }
        case 1:
            erase(row: row, from: 0, to: cursorState.col + 1, selective: selective)
        case 2:
            erase(row: row, from: 0, to: cols, selective: selective)
        default:
            return
        }
        markDirty(row)
        cursorState.pendingWrap = false
    }

    /// Blanks `from..<to` of a row; `selective` skips protected cells. A whole row erased
    /// non-selectively also loses its soft-wrap mark.
    private mutating func erase(row: Int, from: Int, to: Int, selective: Bool) {
        if selective {
            grid.fillUnprotected(row: row, from: from, to: to, with: eraseCell)
        } else if from <= 0 && to >= cols {
            clearLine(row, eraseCell)
        } else {
            grid.fill(row: row, from: from, to: to, with: eraseCell)
        }
    }

    /// ECH: blanks `n` cells from the cursor without moving it.
    mutating func eraseCharacters(_ n: Int) {
        let row = cursorState.row
        grid.fill(row: row, from: cursorState.col, to: cursorState.col + n, with: eraseCell)
        markDirty(row)
        cursorState.pendingWrap = false
    }

    /// ICH: shifts the cells up to the right margin; nothing when the cursor is outside the
    /// left/right margins (xterm `InsertChar`).
    mutating func insertCharacters(_ n: Int) {
        cursorState.pendingWrap = false
        guard isColumnInMargins(cursorState.col) else { return }
        grid.insertCells(row: cursorState.row, col: cursorState.col, count: n, fill: eraseCell, end: rightMargin + 1)
        markDirty(cursorState.row)
    }

    /// DCH: pulls the cells up to the right margin left, blanks appear at the margin;
    /// nothing when the cursor is outside the margins.
    mutating func deleteCharacters(_ n: Int) {
        cursorState.pendingWrap = false
        guard isColumnInMargins(cursorState.col) else { return }
        grid.deleteCells(row: cursorState.row, col: cursorState.col, count: n, fill: eraseCell, end: rightMargin + 1)
        markDirty(cursorState.row)
    }

    mutating func clearLine(_ row: Int, _ fill: Cell) {
        grid[line: row].clear(fill: fill)
    }

    /// DECALN: fills the screen with 'E', resets all four margins, DECOM and the rendition
    /// flags (not the colours: xterm `CASE_DECALN` calls `resetRendition`), and homes the cursor.
    mutating func screenAlignmentTest() {
        let e = Cell(content: 0x45, fgPacked: 0, bgPacked: 0, flags: [], extra: 0)
        for r in 0..<rows { clearLine(r, e) }
        scrollTop = 0
        scrollBottom = rows - 1
        resetHorizontalMargins()
        cursorState.pen.flags = cursorState.pen.flags.intersection(.protected)
        modeState.originMode = false
        cursorState.row = 0
        cursorState.col = 0
        cursorState.pendingWrap = false
        markAllDirty()
    }
}
