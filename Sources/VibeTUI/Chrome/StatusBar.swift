/// The one-line status bar at the bottom: session and state, windows, socket states and live latency.
enum StatusBar {
    /// The left part (session, windows) and the right part (sockets, latency), for a bar `width` wide.
    static func parts(_ info: StatusInfo) -> (left: String, right: String) {
        var left = " \(info.session) [\(info.state)] "
        if let message = info.message { left += "\(message) " }
        left += info.windows.map { "\($0.index):\($0.name)\($0.active ? "*" : "")" }.joined(separator: " ")
        let term = info.terminalConnected ? "●" : "○"
        let fs = info.fsConnected ? "●" : "○"
        var right = "term\(term) fs\(fs) echo \(LatencyText.percentiles(info.echo))"
        right += " ping " + (info.ping.count == 0 ? "–" : "\(LatencyText.ms(info.ping.p50))ms")
        if let ready = info.readyMs { right += " ready \(ready)ms" }
        right += " reconn \(info.reconnects) "
        return (left, right)
    }

    /// Draws the bar on row `row`.
    static func draw(_ info: StatusInfo, row: Int, width: Int, style: CellStyle, on screen: CursesScreen) {
        guard width > 0 else { return }
        let (left, right) = parts(info)
        screen.fill(row: row, col: 0, rows: 1, cols: width, style: style)
        let rightWidth = right.displayWidth
        let used = screen.text(row: row, col: 0, left, style: style, width: width)
        if used + rightWidth + 1 <= width {
            screen.text(row: row, col: width - rightWidth, right, style: style, width: rightWidth)
        }
    }
}
