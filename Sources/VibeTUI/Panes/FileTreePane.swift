import TerminalEmulator
import VibeProtocol

/// Draws the file tree panel from `FileTreeModel.visibleRows` (folders ▸/▾, recent changes highlighted).
enum FileTreePane {
    /// Draws `model` in `rect` (the border column to its right is drawn by the caller).
    static func draw(
        _ model: FileTreeModel, in rect: Rect, focused: Bool, loaded: Bool, styles: ChromeStyles, on screen: CursesScreen,
        now: ContinuousClock.Instant
    ) {
        guard !rect.isEmpty else { return }
        screen.fill(row: rect.row, col: rect.col, rows: rect.rows, cols: rect.cols, style: .plain)
        let title = focused ? "FILES (focused)" : "FILES"
        screen.text(row: rect.row, col: rect.col, title, style: focused ? styles.accent : .bold, width: rect.cols)
        guard rect.rows > 1 else { return }
        if !loaded {
            screen.text(row: rect.row + 1, col: rect.col, "loading…", style: .plain, width: rect.cols)
            return
        }
        let height = rect.rows - 1
        let rows = model.visibleRows(from: model.scrollOffset, count: height, now: now)
        for (i, row) in rows.enumerated() {
            let marker = row.isDir ? (row.isExpanded ? "▾ " : "▸ ") : "  "
            let text = String(repeating: " ", count: min(row.depth * 2, max(0, rect.cols - 4))) + marker + row.name
                + (row.isDir ? "/" : "")
            var style = row.isDir ? styles.treeDirectory : CellStyle.plain
            if row.changedRecently || row.containsRecentChange { style = styles.treeChanged }
            if row.isSelected { style.flags.insert(.inverse) }
            if row.isSelected { screen.fill(row: rect.row + 1 + i, col: rect.col, rows: 1, cols: rect.cols, style: style) }
            screen.text(row: rect.row + 1 + i, col: rect.col, text, style: style, width: rect.cols)
        }
        if model.truncated, rows.count < height {
            screen.text(row: rect.row + 1 + rows.count, col: rect.col, "(tree truncated)", style: .plain, width: rect.cols)
        }
    }
}
