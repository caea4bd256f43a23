/// A read-only pane showing a file fetched with `api.readFile` (opened with `v` in the tree).
final class ViewerPane {
    let path: String
    private(set) var lines: [String] = ["loading…"]
    /// First line shown.
    private(set) var top = 0
    var needsFullRedraw = true

    init(path: String) { self.path = path }

    /// Shows the loaded text (tabs expanded to 4 spaces).
    func load(_ text: String) {
        lines = text.replacingOccurrences(of: "\t", with: "    ").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        top = 0
        needsFullRedraw = true
    }

    /// Scrolls by `delta` lines within a view of `height` rows.
    func scroll(by delta: Int, height: Int) {
        top = min(max(0, top + delta), max(0, lines.count - max(1, height - 1)))
        needsFullRedraw = true
    }

    /// Draws the header and the visible lines.
    func draw(in rect: Rect, on screen: CursesScreen) {
        guard !rect.isEmpty else { return }
        screen.fill(row: rect.row, col: rect.col, rows: rect.rows, cols: rect.cols, style: .plain)
        screen.text(row: rect.row, col: rect.col, "\(path) (read-only; q closes)", style: .reverse, width: rect.cols)
        for i in 0..<max(0, rect.rows - 1) where top + i < lines.count {
            screen.text(row: rect.row + 1 + i, col: rect.col, lines[top + i], style: .plain, width: rect.cols)
        }
        needsFullRedraw = false
    }
}
