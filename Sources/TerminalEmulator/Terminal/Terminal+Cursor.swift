extension TerminalCore {
    /// First row the cursor may address (the top margin in origin mode).
    var originTop: Int { modeState.originMode ? scrollTop : 0 }
    /// Last row the cursor may address (the bottom margin in origin mode).
    var originBottom: Int { modeState.originMode ? scrollBottom : rows - 1 }

    /// CUP / HVP (0-based arguments, relative to the margins in origin mode).
    mutating func cursorPosition(row: Int, col: Int) {
        cursorState.row = min(max(originTop + row, originTop), originBottom)
        cursorState.col = min(max(col, 0), cols - 1)
        cursorState.pendingWrap = false
    }

    /// CHA / HPA.
    mutating func setColumn(_ col: Int) {
        cursorState.col = min(max(col, 0), cols - 1)
        cursorState.pendingWrap = false
    }

    /// VPA.
    mutating func setRow(_ row: Int) {
        cursorState.row = min(max(originTop + row, originTop), originBottom)
        cursorState.pendingWrap = false
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

    /// CUF.
    mutating func cursorForward(_ n: Int) {
        cursorState.col = min(cursorState.col + n, cols - 1)
        cursorState.pendingWrap = false
    }

    /// CUB. As in xterm (without reverse-wrap), a pending wrap does not absorb a step:
    /// from the last column with wrap pending, CUB 1 lands on the second-to-last column.
    mutating func cursorBackward(_ n: Int) {
        cursorState.col = max(cursorState.col - n, 0)
        cursorState.pendingWrap = false
    }

    /// BS: like CUB 1.
    mutating func backspace() {
        cursorBackward(1)
    }

    /// CR.
    mutating func carriageReturn() {
        cursorState.col = 0
        cursorState.pendingWrap = false
    }

    /// LF, VT, FF: index, plus carriage return in LNM.
    mutating func lineFeed() {
        index()
        if modeState.newlineMode { carriageReturn() }
    }

    /// IND: down one line, scrolling the region at its bottom margin. Clears a pending wrap.
    mutating func index() {
        if cursorState.row == scrollBottom {
            scrollUp(1)
        } else if cursorState.row < rows - 1 {
            cursorState.row += 1
        }
        cursorState.pendingWrap = false
    }

    /// RI: up one line, scrolling the region down at its top margin.
    mutating func reverseIndex() {
        if cursorState.row == scrollTop {
            scrollDown(1)
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

    /// HT / CHT: to the next tab stop or the last column. Like xterm, this does not
    /// clear a pending wrap (at the last column it is a no-op).
    mutating func tabForward(_ n: Int) {
        var col = cursorState.col
        for _ in 0..<min(n, cols) {
            var next = col + 1
            while next < cols - 1 && !tabStops[next] { next += 1 }
            col = min(next, cols - 1)
        }
        cursorState.col = col
    }

    /// CBT: to the previous tab stop or column 0.
    mutating func tabBackward(_ n: Int) {
        var col = cursorState.col
        for _ in 0..<min(n, cols) {
            var prev = col - 1
            while prev > 0 && !tabStops[prev] { prev -= 1 }
            col = max(prev, 0)
        }
        cursorState.col = col
        cursorState.pendingWrap = false
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

    /// DECSC / CSI s: saves position, pen, charsets, wrap flag and origin mode per buffer.
    mutating func saveCursor() {
        let saved = SavedCursor(cursor: cursorState, originMode: modeState.originMode)
        if modeState.alternateScreen { savedCursorAlternate = saved } else { savedCursorPrimary = saved }
    }

    /// DECRC / CSI u: restores what DECSC saved, or homes and resets when nothing was saved.
    mutating func restoreCursor() {
        let saved = modeState.alternateScreen ? savedCursorAlternate : savedCursorPrimary
        guard let saved else {
            cursorState = CursorState()
            modeState.originMode = false
            return
        }
        cursorState = saved.cursor
        modeState.originMode = saved.originMode
        cursorState.row = min(cursorState.row, rows - 1)
        cursorState.col = min(cursorState.col, cols - 1)
    }
}
