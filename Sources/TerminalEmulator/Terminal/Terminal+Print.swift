extension TerminalCore {
    /// Fast path: a run of printable ASCII.
    mutating func printASCII(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let last = bytes.last else { return }
        guard cursorState.charsets.isPlainASCII, !modeState.insertMode else {
            for b in bytes { printScalar(UInt32(b)) }
            return
        }
        lastPrinted = UInt32(last)
        var start = 0
        while start < bytes.count {
            if cursorState.pendingWrap {
                if modeState.autowrap { wrapToNextLine() } else { cursorState.pendingWrap = false }
            }
            let row = cursorState.row, col = cursorState.col
            let right = wrapColumn(col)
            let k = min(right + 1 - col, bytes.count - start)
            grid.writeASCII(row: row, col: col, UnsafeBufferPointer(rebasing: bytes[start..<(start + k)]),
                            pen: cursorState.pen)
            markDirty(row)
            start += k
            if col + k > right {
                cursorState.col = right
                cursorState.pendingWrap = modeState.autowrap
            } else {
                cursorState.col = col + k
            }
        }
    }

    /// A run of printable scalars (ASCII or >= 0xA0): the same as `printScalar` on each,
    /// with stretches that stay on the cursor row written in one row access.
    mutating func printScalars(_ scalars: UnsafeBufferPointer<UInt32>) {
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            if cursorState.pendingWrap || modeState.insertMode
                || (scalar < 0x80 && !cursorState.charsets.isPlainASCII) {
                printScalar(scalar)
                i += 1
                continue
            }
            let w = width(of: scalar)
            if w == 0 || (w == 2 && cursorState.col >= wrapColumn(cursorState.col)) {
                // A combining mark or a wide character at the margin: non-ASCII, so the
                // charsets pass it through unchanged.
                if w != 0 { lastPrinted = scalar }
                put(scalar, width: w)
                i += 1
                continue
            }
            let next = writeRowRun(scalars, from: i)
            if next > i {
                i = next
            } else {
                printScalar(scalar)
                i += 1
            }
        }
    }

    /// Writes scalars of width 1 or 2 from `scalars[start]` on the cursor row, as `put` would
    /// (no pending wrap, no insert mode, charsets passing them through), until a combining
    /// mark, a wide character that does not fit, or the right margin. Returns the index of
    /// the first scalar not written.
    private mutating func writeRowRun(_ scalars: UnsafeBufferPointer<UInt32>, from start: Int) -> Int {
        let row = cursorState.row, pen = cursorState.pen, table = widthLookup
        let width = wrapColumn(cursorState.col) + 1  // the run stops at the right margin
        let plainASCII = cursorState.charsets.isPlainASCII
        var col = cursorState.col, i = start, last: UInt32 = 0, reachedMargin = false
        grid[line: row].cells.withUnsafeMutableBufferPointer { buf in
            guard buf.count >= width, col >= 0 else { return }
            while i < scalars.count {
                let scalar = scalars[i]
                let w: Int
                if scalar < 0x300 {
                    w = 1
                } else if scalar < UInt32(table.count) {
                    w = Int(table[Int(scalar)])
                } else {
                    w = CharacterWidth.of(scalar)
                }
                if w == 0 || (w == 2 && col >= width - 1) || (scalar < 0x80 && !plainASCII) { break }
                Grid.writeCharacter(buf, col: col, pen.cell(scalar), wide: w == 2)
                last = scalar
                i += 1
                if col + w >= width {
                    col = width - 1
                    reachedMargin = true
                    break
                }
                col += w
            }
        }
        guard i > start else { return start }
        lastPrinted = last
        markDirty(row)
        cursorState.col = col
        if reachedMargin { cursorState.pendingWrap = modeState.autowrap }
        return i
    }

    /// One decoded scalar in the ground state: translated through the charsets and written.
    /// A character of non-zero width becomes REP's character (untranslated, as xterm's
    /// `lastchar`: REP goes through the charsets again); a combining mark leaves it alone.
    mutating func printScalar(_ scalar: UInt32) {
        let translated = cursorState.charsets.translate(scalar)
        let w = width(of: translated)
        if w != 0 { lastPrinted = scalar }
        put(translated, width: w)
    }

    /// Writes an already translated scalar of the given width at the cursor with xterm's
    /// wrap rules: the line ends at the right margin when the cursor is inside the margins.
    mutating func put(_ scalar: UInt32, width: Int) {
        if width == 0 {
            attachCombining(scalar)
            return
        }
        if cursorState.pendingWrap {
            if modeState.autowrap { wrapToNextLine() } else { cursorState.pendingWrap = false }
        }
        var right = wrapColumn(cursorState.col)
        if width == 2 && cursorState.col == right {
            guard right >= 1 else { return }
            if modeState.autowrap {
                grid.fill(row: cursorState.row, from: right, to: right + 1, with: eraseCell)
                wrapToNextLine()
                right = wrapColumn(cursorState.col)
            } else {
                cursorState.col = right - 1
            }
        }
        let row = cursorState.row, col = cursorState.col
        guard col + width - 1 <= right else { return }  // a wide character in a 1-column margin
        if modeState.insertMode {
            grid.insertCells(row: row, col: col, count: width, fill: eraseCell, end: right + 1)
        }
        grid.writeCharacter(row: row, col: col, cursorState.pen.cell(scalar), wide: width == 2)
        markDirty(row)
        if col + width > right {
            cursorState.col = right
            cursorState.pendingWrap = modeState.autowrap
        } else {
            cursorState.col = col + width
        }
    }

    /// Soft-wraps: marks the row as continued, indexes and moves to the left margin (xterm's
    /// `WrapLine`, in that order: a line that wrapped at the screen edge right of the right
    /// margin does not scroll the region, as IND there does not).
    mutating func wrapToNextLine() {
        grid[line: cursorState.row].wrapped = true
        index()
        cursorState.col = leftMargin
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
        grid[line: row].cells[col].content = Cell.clusterBit | id
        markDirty(row)
    }

    /// REP (`CSI Pn b`): prints `character` `count` times through the normal print path
    /// (charsets, wrapping, insert mode), as xterm's `CASE_REP`. `character` is what was
    /// printed just before the sequence (0 when anything else came in between: xterm forgets
    /// its `lastchar` after every control or sequence, so `X CSI b CSI b` repeats once).
    /// More than a screenful is cut to one: the visible result is the same.
    mutating func repeatCharacter(_ character: UInt32, count: Int) {
        guard character != 0 else { return }
        for _ in 0..<min(count, cols * rows) { printScalar(character) }
        lastPrinted = 0
    }
}
