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
        if let env = info.env { right += " " + UsageText.short(env) }
        right += " reconn \(info.reconnects) "
        return (left, right)
    }

    /// The right part cut to fit beside `leftWidth` columns of a `width`-wide bar: whole items are dropped,
    /// least useful first (ready, ping, CPU and memory, reconnects, echo), never the socket states while anything fits.
    static func fittedRight(_ info: StatusInfo, leftWidth: Int, width: Int) -> String {
        let term = info.terminalConnected ? "●" : "○"
        let fs = info.fsConnected ? "●" : "○"
        var items: [(order: Int, text: String)] = [
            (0, "term\(term) fs\(fs)"), (1, "echo \(LatencyText.percentiles(info.echo))"),
            (4, "ping " + (info.ping.count == 0 ? "–" : "\(LatencyText.ms(info.ping.p50))ms")),
        ]
        if let env = info.env { items.append((3, UsageText.short(env))) }
        if let ready = info.readyMs { items.append((5, "ready \(ready)ms")) }
        items.append((2, "reconn \(info.reconnects)"))
        while !items.isEmpty {
            let text = items.map(\.text).joined(separator: " ") + " "
            if leftWidth + text.displayWidth + 1 <= width { return text }
            if let drop = items.indices.max(by: { items[$0].order < items[$1].order }) { items.remove(at: drop) }
        }
        return ""
    }

    /// Draws the bar on row `row`.
    static func draw(_ info: StatusInfo, row: Int, width: Int, style: CellStyle, on screen: CursesScreen) {
        guard width > 0 else { return }
        let left = parts(info).left
        screen.fill(row: row, col: 0, rows: 1, cols: width, style: style)
        let used = screen.text(row: row, col: 0, left, style: style, width: width)
        let right = fittedRight(info, leftWidth: used, width: width)
        let rightWidth = right.displayWidth
        if rightWidth > 0 {
            screen.text(row: row, col: width - rightWidth, right, style: style, width: rightWidth)
        }
    }
}
