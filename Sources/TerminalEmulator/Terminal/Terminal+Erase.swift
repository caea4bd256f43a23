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
}
