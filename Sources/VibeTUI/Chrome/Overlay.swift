/// A bordered box of text drawn centred over everything else (help, HUD).
enum Overlay {
    /// Draws `lines` in a box centred in a `rows`×`cols` screen, cut to fit; `footer` goes on the bottom edge.
    static func draw(_ lines: [String], footer: String, rows: Int, cols: Int, on screen: CursesScreen) {
        guard rows >= 3, cols >= 6 else { return }
        let innerWidth = min(cols - 4, max(footer.displayWidth + 2, lines.map(\.displayWidth).max() ?? 0))
        let innerHeight = min(rows - 2, lines.count)
        let width = innerWidth + 4
        let height = innerHeight + 2
        let top = (rows - height) / 2
        let left = (cols - width) / 2
        let style = CellStyle.plain
        screen.fill(row: top, col: left, rows: height, cols: width, style: style)
        for c in 1..<(width - 1) {
            screen.put(row: top, col: left + c, scalar: "─", style: style)
            screen.put(row: top + height - 1, col: left + c, scalar: "─", style: style)
        }
        for r in 1..<(height - 1) {
            screen.put(row: top + r, col: left, scalar: "│", style: style)
            screen.put(row: top + r, col: left + width - 1, scalar: "│", style: style)
        }
        screen.put(row: top, col: left, scalar: "┌", style: style)
        screen.put(row: top, col: left + width - 1, scalar: "┐", style: style)
        screen.put(row: top + height - 1, col: left, scalar: "└", style: style)
        screen.put(row: top + height - 1, col: left + width - 1, scalar: "┘", style: style)
        for (i, line) in lines.prefix(innerHeight).enumerated() {
            screen.text(row: top + 1 + i, col: left + 2, line, style: style, width: innerWidth)
        }
        screen.text(row: top + height - 1, col: left + 2, footer, style: .bold, width: innerWidth)
    }
}
