extension TerminalCore {
    /// Cursor row as CUP would address it (relative to the top margin in DECOM), xterm's `CursorRow`.
    var addressedRow: Int { modeState.originMode ? max(cursorState.row - scrollTop, 0) : cursorState.row }
    /// Cursor column as CUP would address it (relative to the left margin in DECOM).
    var addressedColumn: Int { modeState.originMode ? max(cursorState.col - leftMargin, 0) : cursorState.col }

    /// xterm's `CursorSet`: 0-based arguments, relative to the top and left margins and
    /// confined to the margins in origin mode, to the screen otherwise. Clears a pending wrap.
    /// CUP, HVP, CHA, HPA, VPA, HPR and VPR all go through here, so HPR and VPR ignore the
    /// margins outside origin mode (they are not CUF / CUD).
    mutating func cursorPosition(row: Int, col: Int) {
        var c = col, maxCol = cols - 1, r = row, maxRow = rows - 1
        if modeState.originMode {
            c += leftMargin
            maxCol = rightMargin
            r += scrollTop
            maxRow = scrollBottom
        }
        cursorState.col = min(max(c, 0), maxCol)
        cursorState.row = min(max(r, 0), maxRow)
        cursorState.pendingWrap = false
    }

    /// CHA / HPA (0-based, origin-relative).
    mutating func setColumn(_ col: Int) {
        cursorPosition(row: addressedRow, col: col)
    }

    /// VPA (0-based, origin-relative).
    mutating func setRow(_ row: Int) {
        cursorPosition(row: row, col: addressedColumn)
    }

    /// CUU: stops at the top margin when starting inside the region.
    mutating func cursorUp(_ n: Int) {
        let limit = cursorState.row >= scrollTop ? scrollTop : 0
        cursorState.row = max(cursorState.row - n, limit)
        cursorState.pendingWrap = false
    }

    /// CUD: stops at the bottom margin when starting inside the region.
    mutating func cursorDown(_ n: Int) {
        let limit = cursorState.row <= scrollBottom ? scrollBottom : rows - 1
        cursorState.row = min(cursorState.row + n, limit)
        cursorState.pendingWrap = false
    }

    /// CUF: stops at the right margin, or at the last column when starting right of it.
    mutating func cursorForward(_ n: Int) {
        let limit = cursorState.col <= rightMargin ? rightMargin : cols - 1
        cursorState.col = min(cursorState.col + n, limit)
        cursorState.pendingWrap = false
    }

    /// CUB and BS, with xterm's (2023) reverse-wrap rules (cursor.c `CursorBack`):
    ///
    /// - Without reverse wrap the cursor stops at the left margin (column 0 when it starts
    ///   left of the margin). A pending wrap does not absorb a step: from the last column
    ///   with the wrap pending, CUB 1 lands on the column before.
    /// - With DECAWM and mode 45 a pending wrap absorbs one step, and moving left of the
    ///   left margin continues at the right margin of the row above, but only when that row
    ///   soft-wraps into this one; otherwise the cursor stops at the left margin. It never
    ///   goes above the top margin.
    /// - With DECAWM and mode 1045 every row counts as wrapped, and moving past the top
    ///   margin continues on the bottom margin.
    mutating func cursorBackward(_ n: Int) {
        let rev = modeState.reverseWrap && modeState.autowrap
        let rev2 = modeState.extendedReverseWrap && modeState.autowrap
        let right = rightMargin, top = scrollTop, bottom = scrollBottom
        var left = leftMargin
        var col = cursorState.col, row = cursorState.row
        if col < left { left = 0 }
        var count = n
        if count > 0 {
            if (rev || rev2) && cursorState.pendingWrap { count -= 1 } else { col -= 1 }
        }
        var lineChecked = false
        while true {
            if col < left {
                if rev2 {
                    col = right
                    if row == top { row = bottom + 1 }
                } else {
                    if !rev {
                        col = left
                        break
                    }
                    if row <= top {
                        col = left
                        row = top
                        break
                    }
                }
                lineChecked = false
                row -= 1
            }
            if !lineChecked {
                lineChecked = true
                if row != cursorState.row {
                    if !rev2 && !grid[line: row].wrapped {
                        row += 1  // reverse wrap refused: the row above is not continued here
                        col = left
                        break
                    }
                    col = right
                }
            }
            count -= 1
            if count <= 0 { break }
            col -= 1
        }
        cursorState.row = min(max(row, 0), rows - 1)
        cursorState.col = min(max(col, 0), cols - 1)
        cursorState.pendingWrap = false
    }

    /// BS: like CUB 1.
    mutating func backspace() {
        cursorBackward(1)
    }

    /// CR: to the left margin; to column 0 when the cursor is left of the margin outside
    /// origin mode.
    mutating func carriageReturn() {
        cursorState.col = modeState.originMode || cursorState.col >= leftMargin ? leftMargin : 0
        cursorState.pendingWrap = false
    }

    /// LF, VT, FF: index, plus carriage return in LNM.
    mutating func lineFeed() {
        index()
        if modeState.newlineMode { carriageReturn() }
    }

    /// IND: down one line, scrolling the region at its bottom margin (only when the cursor
    /// is between the left and right margins; outside them it stays). Clears a pending wrap.
    mutating func index() {
        if cursorState.row == scrollBottom {
            if isColumnInMargins(cursorState.col) { scrollUp(1) }
        } else if cursorState.row < rows - 1 {
            cursorState.row += 1
        }
        cursorState.pendingWrap = false
    }

    /// RI: up one line, scrolling the region down at its top margin (same margin rule as IND).
    mutating func reverseIndex() {
        if cursorState.row == scrollTop {
            if isColumnInMargins(cursorState.col) { scrollDown(1) }
        } else if cursorState.row > 0 {
            cursorState.row -= 1
        }
        cursorState.pendingWrap = false
    }

    /// NEL.
    mutating func nextLine() {
        index()
        carriageReturn()
    }

    // MARK: Tabs

    /// HT / CHT: to the next tab stop, at most to the right margin with DECLRMM (the last
    /// column otherwise). Like xterm's `TabToNextStop`, this does not clear a pending wrap.
    mutating func tabForward(_ n: Int) {
        let maxCol = modeState.leftRightMarginMode ? rightMargin : cols - 1
        var col = cursorState.col
        for _ in 0..<min(n, cols) {
            var next = col + 1
            while next < cols - 1 && !tabStops[next] { next += 1 }
            let moved = min(next, maxCol)
            if moved <= col {
                col = moved
                break
            }
            col = moved
        }
        cursorState.col = col
    }

    /// CBT: to the previous tab stop or column 0 (the left margin in origin mode). Like
    /// xterm's `TabToPrevStop` it leaves a pending wrap alone.
    mutating func tabBackward(_ n: Int) {
        let minCol = modeState.originMode ? leftMargin : 0
        var col = cursorState.col
        for _ in 0..<min(n, cols) {
            var prev = col - 1
            while prev > 0 && !tabStops[prev] { prev -= 1 }
            let moved = max(prev, minCol, 0)
            if moved >= col { break }
            col = moved
        }
        cursorState.col = col
    }

    /// HTS.
    mutating func setTabStop() {
        tabStops[cursorState.col] = true
    }

    /// TBC 0 (at cursor) and 3 (all).
    mutating func clearTabStops(_ mode: Int) {
        switch mode {
        case 0: tabStops[cursorState.col] = false
        case 3: tabStops = [Bool](repeating: false, count: cols)
        default: break
        }
    }

    // MARK: Save / restore

    /// DECSC / SCOSC: saves position, pen (with the DECSCA protection), charsets, the
    /// pending-wrap flag and DECOM, per buffer. DECAWM is not saved (xterm since 2023, as DEC
    /// STD 070 says).
    mutating func saveCursor() {
        let saved = SavedCursor(cursor: cursorState, originMode: modeState.originMode)
        if modeState.alternateScreen { savedCursorAlternate = saved } else { savedCursorPrimary = saved }
    }

    /// DECRC / SCORC: restores what DECSC saved, or homes and resets when nothing was saved.
    /// The position goes through `CursorSet` (cursor.c `CursorRestoreFlags`): in origin mode
    /// it is kept at or above the bottom margin and left of the right margin, so margins set
    /// after the save clamp it. The pending wrap is restored after that.
    mutating func restoreCursor() {
        let saved = modeState.alternateScreen ? savedCursorAlternate : savedCursorPrimary
        guard let saved else {
            cursorState = CursorState()
            modeState.originMode = false
            return
        }
        cursorState = saved.cursor
        modeState.originMode = saved.originMode
        let maxRow = saved.originMode ? scrollBottom : rows - 1
        let maxCol = saved.originMode ? rightMargin : cols - 1
        cursorState.row = min(max(saved.cursor.row, 0), maxRow)
        cursorState.col = min(max(saved.cursor.col, 0), maxCol)
        cursorState.pendingWrap = saved.cursor.pendingWrap
    }
}
