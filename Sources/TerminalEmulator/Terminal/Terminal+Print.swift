extension TerminalCore {
    /// Fast path: a run of printable ASCII.
    mutating func printASCII(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let last = bytes.last else { return }
        guard cursorState.charsets.isPlainASCII, !modeState.insertMode else {
            for b in bytes { printScalar(UInt32(b)) }
            return
        }
        lastPrinted = UInt32(last)
        let width = cols
        var start = 0
        while start < bytes.count {
            if cursorState.pendingWrap {
                if modeState.autowrap { wrapToNextLine() } else { cursorState.pendingWrap = false }
            }
            let row = cursorState.row, col = cursorState.col
            let k = min(width - col, bytes.count - start)
            grid.writeASCII(row: row, col: col, UnsafeBufferPointer(rebasing: bytes[start..<(start + k)]),
                            pen: cursorState.pen)
            markDirty(row)
            start += k
            if col + k >= width {
                cursorState.col = width - 1
                cursorState.pendingWrap = modeState.autowrap
            } else {
                cursorState.col = col + k
            }
        }
    }

    /// One decoded scalar in the ground state.
    mutating func printScalar(_ scalar: UInt32) {
        put(cursorState.charsets.translate(scalar))
    }

    /// Writes an already translated scalar at the cursor with xterm's wrap rules.
    mutating func put(_ scalar: UInt32) {
        let width = width(of: scalar)
        if width == 0 {
            attachCombining(scalar)
            return
        }
        lastPrinted = scalar
        if cursorState.pendingWrap {
            if modeState.autowrap { wrapToNextLine() } else { cursorState.pendingWrap = false }
        }
        if width == 2 && cursorState.col == cols - 1 {
            guard cols >= 2 else { return }
            if modeState.autowrap {
                grid.fill(row: cursorState.row, from: cols - 1, to: cols, with: eraseCell)
                wrapToNextLine()
            } else {
                cursorState.col = cols - 2
            }
        }
        let row = cursorState.row, col = cursorState.col
        if modeState.insertMode {
            grid.insertCells(row: row, col: col, count: width, fill: eraseCell)
        }
        grid.writeCharacter(row: row, col: col, cursorState.pen.cell(scalar), wide: width == 2)
        markDirty(row)
        if col + width >= cols {
            cursorState.col = cols - 1
            cursorState.pendingWrap = modeState.autowrap
        } else {
            cursorState.col = col + width
        }
    }

    /// Soft-wraps: marks the row as continued and moves to the start of the next line.
    mutating func wrapToNextLine() {
        grid.lines[cursorState.row].wrapped = true
        cursorState.col = 0
        index()
    }

    /// Adds a combining mark to the previously written cell.
    private mutating func attachCombining(_ mark: UInt32) {
        let row = cursorState.row
        var col = cursorState.pendingWrap ? cursorState.col : cursorState.col - 1
        guard col >= 0 else { return }
        if grid[row, col].isWideTail && col > 0 { col -= 1 }
        let content = grid[row, col].content
        guard content != 0 else { return }
        let id: UInt32?
        if content & Cell.clusterBit == 0 {
            id = graphemes.intern(base: content, mark: mark)  // the common case: first mark
        } else {
            var scalars = graphemes.scalars(of: content)
            guard scalars.count < GraphemeTable.maxScalars else { return }
            scalars.append(mark)
            id = graphemes.intern(scalars)
        }
        guard let id else { return }
        grid.lines[row].cells[col].content = Cell.clusterBit | id
        markDirty(row)
    }

    /// REP: repeats the last printed graphic character.
    mutating func repeatLastCharacter(_ count: Int) {
        guard lastPrinted != 0 else { return }
        let n = min(count, cols * rows)
        let scalar = lastPrinted
        for _ in 0..<n { put(scalar) }
    }
}
