extension TerminalCore {
    /// True when DECSLRM narrowed the columns (the margins are the whole width otherwise).
    var hasHorizontalMargins: Bool { leftMargin > 0 || rightMargin < cols - 1 }

    /// Whether a column lies between the left and right margins (always, without DECLRMM).
    @inline(__always)
    func isColumnInMargins(_ col: Int) -> Bool { col >= leftMargin && col <= rightMargin }

    /// The last column printing may use from `col`: the right margin, or the last column of
    /// the screen when the cursor is right of the margin (xterm wraps there at the edge).
    @inline(__always)
    func wrapColumn(_ col: Int) -> Int { col <= rightMargin ? rightMargin : cols - 1 }

    /// Margins back to the whole width (DECRST 69, DECSTR, RIS, DECALN, resize).
    mutating func resetHorizontalMargins() {
        leftMargin = 0
        rightMargin = cols - 1
    }

    /// DECSLRM (`CSI Pl ; Pr s` while DECLRMM is set; 1-based). A missing, zero or too large
    /// right margin means the last column; the pair is ignored unless left < right (VT510
    /// DECSLRM, xterm `CASE_DECSLRM`). Homes the cursor (origin-aware).
    mutating func setLeftRightMargins(_ p: VTParams) {
        let left = p.param(0, default: 1)
        var right = p.value(1) ?? 0
        if right == 0 || right > cols { right = cols }
        guard right > left else { return }
        leftMargin = left - 1
        rightMargin = right - 1
        cursorPosition(row: 0, col: 0)
    }

    /// Scrolls the rows `top...scrollBottom` between the left and right margins by `amount`
    /// (positive: up, content moves toward `top`; negative: down). Vacated cells take the
    /// current background. xterm's `scrollInMargins`: nothing goes to the scrollback.
    mutating func scrollInMargins(_ amount: Int, top: Int) {
        let bottom = scrollBottom, lo = leftMargin, hi = rightMargin + 1, fill = eraseCell
        guard top <= bottom else { return }
        let n = min(abs(amount), bottom - top + 1)
        guard n > 0 else { return }
        if amount > 0 {
            var row = top
            while row <= bottom - n {
                grid.copyCells(from: row + n, to: row, lo: lo, hi: hi)
                row += 1
            }
            while row <= bottom {
                grid.fill(row: row, from: lo, to: hi, with: fill)
                row += 1
            }
        } else {
            var row = bottom
            while row >= top + n {
                grid.copyCells(from: row - n, to: row, lo: lo, hi: hi)
                row -= 1
            }
            while row >= top {
                grid.fill(row: row, from: lo, to: hi, with: fill)
                row -= 1
            }
        }
        markDirty(from: top, through: bottom)
    }

    // MARK: Column operations

    /// Inserts (`toLeft` false) or deletes `n` columns at `column` in every row of the scroll
    /// region, between the margins: xterm's `xtermColScroll`, used by DECIC, DECDC, SL, SR,
    /// DECBI and DECFI. Nothing happens when the cursor is outside the scroll region or the
    /// left/right margins (VT510 DECIC / DECDC: "the cursor must be inside the margins").
    mutating func scrollColumns(_ n: Int, toLeft: Bool, at column: Int) {
        guard n > 0, cursorState.row >= scrollTop, cursorState.row <= scrollBottom,
              isColumnInMargins(cursorState.col) else { return }
        let fill = eraseCell, end = rightMargin + 1
        for row in scrollTop...scrollBottom {
            if toLeft {
                grid.deleteCells(row: row, col: column, count: n, fill: fill, end: end)
            } else {
                grid.insertCells(row: row, col: column, count: n, fill: fill, end: end)
            }
        }
        markDirty(from: scrollTop, through: scrollBottom)
    }

    /// DECIC (`CSI Pn ' }`): inserts blank columns at the cursor column.
    mutating func insertColumns(_ n: Int) {
        guard conformanceLevel >= 4 else { return }
        scrollColumns(n, toLeft: false, at: cursorState.col)
    }

    /// DECDC (`CSI Pn ' ~`): deletes columns at the cursor column.
    mutating func deleteColumns(_ n: Int) {
        guard conformanceLevel >= 4 else { return }
        scrollColumns(n, toLeft: true, at: cursorState.col)
    }

    /// SL (`CSI Ps SP @`, ISO 6429): scrolls the region's columns left by `n`, from the left
    /// margin; ignored, as in xterm, when the cursor is outside the scroll region or margins.
    mutating func scrollLeft(_ n: Int) {
        scrollColumns(n, toLeft: true, at: leftMargin)
    }

    /// SR (`CSI Ps SP A`): scrolls the region's columns right by `n`, from the left margin.
    mutating func scrollRight(_ n: Int) {
        scrollColumns(n, toLeft: false, at: leftMargin)
    }

    /// DECBI (`ESC 6`): left one column; at the left margin the region's columns scroll
    /// right instead (a blank column appears at the margin).
    mutating func backIndex() {
        guard conformanceLevel >= 4 else { return }
        if cursorState.col > leftMargin {
            cursorBackward(1)
        } else if cursorState.col == leftMargin {
            scrollColumns(1, toLeft: false, at: leftMargin)
        }
    }

    /// DECFI (`ESC 9`): right one column; at the right margin the region's columns scroll
    /// left (a blank column appears at the margin).
    mutating func forwardIndex() {
        guard conformanceLevel >= 4 else { return }
        if cursorState.col < rightMargin {
            cursorForward(1)
        } else if cursorState.col == rightMargin {
            scrollColumns(1, toLeft: true, at: leftMargin)
        }
    }
}
