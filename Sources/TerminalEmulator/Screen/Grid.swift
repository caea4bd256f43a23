/// A rectangle of lines: the visible part of one screen buffer.
///
/// The rows are a ring: visible row `r` lives in `storage[(origin + r) % rows]`, so scrolling
/// the whole screen moves `origin` instead of every line.
struct Grid: Sendable {
    private(set) var cols: Int
    private(set) var rows: Int
    private var storage: [Line]
    /// Storage index of visible row 0.
    private var origin = 0

    init(cols: Int, rows: Int) {
        self.cols = cols
        self.rows = rows
        storage = (0..<rows).map { _ in Line(cols: cols) }
    }

    init(cols: Int, lines: [Line]) {
        self.cols = cols
        self.rows = lines.count
        storage = lines
    }

    /// The visible lines, top to bottom (a copy: for resizing, not for the hot path).
    var lines: [Line] {
        origin == 0 ? storage : Array(storage[origin...] + storage[..<origin])
    }

    /// Storage index of visible row `row`.
    @inline(__always)
    private func slot(_ row: Int) -> Int {
        let i = origin + row
        return i >= rows ? i - rows : i
    }

    /// Visible row `row`, read and written in place.
    subscript(line row: Int) -> Line {
        @inline(__always) get { storage[slot(row)] }
        @inline(__always) _modify { yield &storage[slot(row)] }
    }

    /// Moves the line at row `from` to row `to`, shifting the rows in between by one towards
    /// `from` (scrolling a region). The whole screen rotates the ring; a region swaps lines.
    mutating func moveLine(from: Int, to: Int) {
        guard from != to else { return }
        if rows > 1 && from == 0 && to == rows - 1 {
            origin = slot(1)
        } else if rows > 1 && from == rows - 1 && to == 0 {
            origin = slot(rows - 1)
        } else if from < to {
            for r in from..<to { storage.swapAt(slot(r), slot(r + 1)) }
        } else {
            for r in stride(from: from, to: to, by: -1) { storage.swapAt(slot(r), slot(r - 1)) }
        }
    }

    /// Blanks row `row` with `fill`, giving it the grid's width if it has another
    /// (a line recycled from the scrollback after a resize).
    mutating func resetLine(_ row: Int, fill: Cell) {
        let s = slot(row)
        if storage[s].cells.count == cols {
            storage[s].clear(fill: fill)
        } else {
            storage[s] = Line(cols: cols, fill: fill)
        }
    }

    subscript(row: Int, col: Int) -> Cell {
        get { self[line: row].cells[col] }
        set { self[line: row].cells[col] = newValue }
    }

    /// Sets cells `from..<to` of `row` to `fill`, repairing wide characters cut at the edges.
    mutating func fill(row: Int, from: Int, to: Int, with fill: Cell) {
        let lo = max(0, from), hi = min(cols, to)
        guard lo < hi else { return }
        splitWide(row: row, at: lo)
        splitWide(row: row, at: hi)
        self[line: row].cells.withUnsafeMutableBufferPointer { buf in
            for c in lo..<hi { buf[c] = fill }
        }
    }

    /// Sets the cells `from..<to` of `row` that are not protected (DECSCA) to `fill`
    /// (selective erase). An unprotected wide character cut at an edge is blanked whole.
    mutating func fillUnprotected(row: Int, from: Int, to: Int, with fill: Cell) {
        let lo = max(0, from), hi = min(cols, to)
        guard lo < hi else { return }
        for edge in [lo, hi] where edge > 0 && edge < cols && !self[line: row].cells[edge].flags.contains(.protected) {
            splitWide(row: row, at: edge)
        }
        self[line: row].cells.withUnsafeMutableBufferPointer { buf in
            for c in lo..<hi where !buf[c].flags.contains(.protected) { buf[c] = fill }
        }
    }

    /// Removes the characters of the cells `from..<to` of `row` that are not protected,
    /// keeping their attributes and colours (DECSERA). An unprotected wide character cut
    /// at an edge loses both halves.
    mutating func wipeUnprotected(row: Int, from: Int, to: Int) {
        let lo = max(0, from), hi = min(cols, to)
        guard lo < hi else { return }
        for edge in [lo, hi] where edge > 0 && edge < cols && !self[line: row].cells[edge].flags.contains(.protected) {
            splitWide(row: row, at: edge)
        }
        self[line: row].cells.withUnsafeMutableBufferPointer { buf in
            for c in lo..<hi where !buf[c].flags.contains(.protected) {
                buf[c].content = 0
                buf[c].flags.remove([.wide, .wideTail])
            }
        }
    }

    /// If a wide character straddles the boundary before column `col`, blank both halves.
    mutating func splitWide(row: Int, at col: Int) {
        guard col > 0, col < cols else { return }
        self[line: row].cells.withUnsafeMutableBufferPointer { Grid.splitWide($0, at: col) }
    }

    /// `splitWide(row:at:)` on a row already opened for writing.
    @inline(__always)
    static func splitWide(_ buf: UnsafeMutableBufferPointer<Cell>, at col: Int) {
        guard col > 0, col < buf.count else { return }
        if buf[col].flags.contains(.wideTail) && buf[col - 1].flags.contains(.wide) {
            buf[col - 1] = .blank(bg: buf[col - 1].bgPacked)
            buf[col] = .blank(bg: buf[col].bgPacked)
        }
    }

    /// Writes printable ASCII bytes as cells starting at `col` (caller guarantees they fit).
    /// One exclusive access to the row: this runs once per run of text.
    mutating func writeASCII(row: Int, col: Int, _ bytes: UnsafeBufferPointer<UInt8>, pen: Pen) {
        let width = cols
        self[line: row].cells.withUnsafeMutableBufferPointer { buf in
            let end = min(col + bytes.count, width, buf.count)
            guard col >= 0, col < end else { return }
            Grid.splitWide(buf, at: col)
            Grid.splitWide(buf, at: end)
            var cell = pen.cell(0)
            var c = col
            for b in bytes {
                guard c < end else { break }
                cell.content = UInt32(b)
                buf[c] = cell
                c += 1
            }
        }
    }

    /// Writes one character cell (and its wide tail when `wide`), blanking any wide
    /// character whose other half gets overwritten. The caller guarantees the cells fit.
    mutating func writeCharacter(row: Int, col: Int, _ cell: Cell, wide: Bool) {
        self[line: row].cells.withUnsafeMutableBufferPointer { Grid.writeCharacter($0, col: col, cell, wide: wide) }
    }

    /// `writeCharacter(row:col:_:wide:)` on a row already opened for writing.
    @inline(__always)
    static func writeCharacter(_ buf: UnsafeMutableBufferPointer<Cell>, col: Int, _ cell: Cell, wide: Bool) {
        let end = col + (wide ? 2 : 1)
        if col > 0 && buf[col].flags.contains(.wideTail) && buf[col - 1].flags.contains(.wide) {
            buf[col - 1] = .blank(bg: buf[col - 1].bgPacked)
        }
        if end < buf.count && buf[end].flags.contains(.wideTail) && buf[end - 1].flags.contains(.wide) {
            buf[end] = .blank(bg: buf[end].bgPacked)
        }
        buf[col] = cell
        if wide {
            buf[col].flags.insert(.wide)
            var tail = cell
            tail.content = 0
            tail.flags.insert(.wideTail)
            tail.flags.remove(.wide)
            buf[col + 1] = tail
        }
    }

    /// Inserts `count` blank cells at `col`, shifting the cells up to `end` (exclusive; the
    /// right margin + 1) right; what passes `end` is lost (ICH, IRM, DECIC, SR).
    mutating func insertCells(row: Int, col: Int, count: Int, fill: Cell, end: Int? = nil) {
        let stop = min(end ?? cols, cols)
        guard col >= 0, col < stop else { return }
        let n = min(count, stop - col)
        splitWide(row: row, at: col)
        splitWide(row: row, at: stop - n)
        splitWide(row: row, at: stop)
        self[line: row].cells.withUnsafeMutableBufferPointer { buf in
            var c = stop - 1
            while c >= col + n {
                buf[c] = buf[c - n]
                c -= 1
            }
            for c in col..<(col + n) { buf[c] = fill }
        }
        self[line: row].wrapped = false
    }

    /// Deletes `count` cells at `col`, shifting the cells up to `end` (exclusive) left and
    /// filling the gap before `end` (DCH, DECDC, SL).
    mutating func deleteCells(row: Int, col: Int, count: Int, fill: Cell, end: Int? = nil) {
        let stop = min(end ?? cols, cols)
        guard col >= 0, col < stop else { return }
        let n = min(count, stop - col)
        splitWide(row: row, at: col)
        splitWide(row: row, at: col + n)
        splitWide(row: row, at: stop)
        self[line: row].cells.withUnsafeMutableBufferPointer { buf in
            for c in col..<(stop - n) { buf[c] = buf[c + n] }
            for c in (stop - n)..<stop { buf[c] = fill }
        }
        self[line: row].wrapped = false
    }

    /// Copies columns `lo..<hi` of row `from` into row `to` (scrolling inside left/right
    /// margins), repairing wide characters cut at the edges of the destination.
    mutating func copyCells(from source: Int, to destination: Int, lo: Int, hi: Int) {
        guard lo < hi, source != destination else { return }
        splitWide(row: destination, at: lo)
        splitWide(row: destination, at: hi)
        let src = self[line: source].cells
        self[line: destination].cells.withUnsafeMutableBufferPointer { buf in
            for c in lo..<hi { buf[c] = src[c] }
            if lo > 0 && buf[lo].flags.contains(.wideTail) { buf[lo] = .blank(bg: buf[lo].bgPacked) }
            if hi < buf.count && buf[hi - 1].flags.contains(.wide) { buf[hi - 1] = .blank(bg: buf[hi - 1].bgPacked) }
        }
    }
}
