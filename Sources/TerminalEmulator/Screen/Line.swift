/// One row of cells plus whether it soft-wraps into the next row.
struct Line: Sendable {
    var cells: [Cell]
    /// True when autowrap continued this line's text on the following row.
    var wrapped = false

    init(cols: Int, fill: Cell = .blank) {
        cells = [Cell](repeating: fill, count: cols)
    }

    init(cells: [Cell], wrapped: Bool) {
        self.cells = cells
        self.wrapped = wrapped
    }

    /// Resets every cell to `fill` in place (no allocation).
    mutating func clear(fill: Cell) {
        if fill == .blank {
            // A blank cell is all zero bytes: one memset.
            _ = cells.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) }
        } else {
            cells.withUnsafeMutableBufferPointer { $0.update(repeating: fill) }
        }
        wrapped = false
    }

    /// Number of columns up to and including the last non-empty cell.
    var usedWidth: Int {
        var n = cells.count
        while n > 0 && cells[n - 1].content == 0 && !cells[n - 1].isWideTail
            && cells[n - 1].bgPacked == 0 { n -= 1 }
        return n
    }
}
