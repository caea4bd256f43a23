/// The help overlay's text (`prefix ?`), laid out for the screen: one column when everything fits,
/// two columns when that makes it fit, otherwise a scrollable page with its position in the footer.
enum HelpView {
    /// What the overlay shows for one size and scroll position.
    struct Page: Equatable {
        /// The lines inside the box (header, then entries).
        var lines: [String]
        /// The bottom-edge text (keys to scroll or close).
        var footer: String
        /// The scroll position actually used (clamped).
        var scroll: Int
        /// The largest scroll position (0 when everything fits).
        var maxScroll: Int
        /// Entry lines visible at once.
        var visible: Int
    }

    /// Box borders and padding around the text: 2 rows, 4 columns.
    static let chromeRows = 2
    static let chromeCols = 4

    /// The page for `entries` in a `rows`×`cols` area (the screen above the status bar).
    static func page(entries: [(keys: String, description: String)], prefix: String, rows: Int, cols: Int, scroll: Int)
        -> Page
    {
        let header = ["Keys — press \(prefix) first, then:", ""]
        let keyWidth = min(14, entries.map(\.keys.displayWidth).max() ?? 0)
        let lines = entries.map { $0.keys.padding(toLength: max(keyWidth, $0.keys.count), withPad: " ", startingAt: 0) + "  " + $0.description }
        let height = max(1, rows - chromeRows - header.count)
        let width = max(1, cols - chromeCols)
        let close = "any key closes"
        if lines.count <= height {
            return Page(lines: header + lines, footer: close, scroll: 0, maxScroll: 0, visible: lines.count)
        }
        // Two columns, when both fit side by side.
        let columnWidth = lines.map(\.displayWidth).max() ?? 0
        let perColumn = (lines.count + 1) / 2
        if perColumn <= height, columnWidth * 2 + 3 <= width {
            var out = header
            for i in 0..<perColumn {
                let left = lines[i].padding(toLength: columnWidth + 3, withPad: " ", startingAt: 0)
                out.append(i + perColumn < lines.count ? left + lines[i + perColumn] : lines[i])
            }
            return Page(lines: out, footer: close, scroll: 0, maxScroll: 0, visible: lines.count)
        }
        // Scroll.
        let maxScroll = lines.count - height
        let top = min(max(0, scroll), maxScroll)
        let shown = Array(lines[top..<(top + height)])
        let footer = "↑↓ PgUp PgDn: \(top + 1)–\(top + height) of \(lines.count) · other keys close"
        // The first line carries the widest entry's width so the box does not change size while scrolling.
        var fixed = header
        fixed[0] = fixed[0].padding(toLength: max(fixed[0].count, columnWidth), withPad: " ", startingAt: 0)
        return Page(lines: fixed + shown, footer: footer, scroll: top, maxScroll: maxScroll, visible: height)
    }
}
