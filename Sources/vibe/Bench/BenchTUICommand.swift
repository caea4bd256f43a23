import ArgumentParser
import CPTY
import Foundation
import TerminalEmulator
import VibeClient

/// `vibe bench tui`: the real TUI under a flood. Runs `vibe open` (with a server of its own) under a pseudo-terminal
/// of its own, reads what the TUI draws into vibe's emulator, and measures keystroke echo *as seen on the
/// TUI's screen* in one pane while another pane prints as fast as it can; frames per second come from the
/// TUI itself (`VIBE_TUI_STATS`). The same echo measurement with no flood is the peer.
struct BenchTUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Keystroke echo on the TUI's screen and frames per second while another pane floods.")
    @Option(help: "Keystrokes per phase (each is a character then a backspace: two echoes).") var keystrokes = 200
    @Option(help: "Warm-up keystrokes per phase, not recorded.") var warmup = 10
    @Option(help: "Command run in the flooding pane (every line differs, so every frame has work).")
    var flood = "seq 1 2000000000"
    @Option(help: "Columns of the TUI's terminal.") var cols = 120
    @Option(help: "Rows of the TUI's terminal.") var rows = 40
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reporting {
            let machine = MachineFacts.collect()
            let run = try TUIUnderTest.launch(cols: cols, rows: rows)
            defer { run.stop() }
            try run.waitForReady()
            // Split: the new pane (right) gets the focus; its prompt cell is where echoes appear.
            run.type("\u{02}%")
            let cell = try run.waitForPrompt(rightOf: cols / 2)
            let idle = try run.measureEcho(at: cell, keystrokes: keystrokes, warmup: warmup)
            // Flood the left pane, come back to the right one.
            run.type("\u{02}o")
            try run.pause(milliseconds: 300)
            run.type(flood + "\r")
            run.type("\u{02}o")
            try run.waitForFlood()
            let before = run.stats()
            let bytesBefore = run.bytesRead
            let start = ContinuousClock.now
            let flooded = try run.measureEcho(at: cell, keystrokes: keystrokes, warmup: warmup)
            let seconds = Double((ContinuousClock.now - start).components.attoseconds) / 1e18
                + Double((ContinuousClock.now - start).components.seconds)
            let after = run.stats()
            let rss = run.residentMiB()
            let bytes = run.bytesRead - bytesBefore
            run.type("\u{02}o\u{03}")
            let report = TUIFloodReport(
                machine: machine, size: "\(cols)x\(rows)", flood: flood, keystrokes: keystrokes,
                idle: Percentiles(idle), flooded: Percentiles(flooded),
                fps: TUIFloodReport.fps(before: before, after: after),
                outputKiBPerSecond: seconds > 0 ? Double(bytes) / seconds / 1024 : 0,
                seconds: seconds, residentMiB: rss)
            run.quit()
            if json { Output.json(report) } else { print(report.markdown) }
        }
    }
}

/// The figures of one `vibe bench tui` run.
struct TUIFloodReport: Encodable {
    var machine: MachineFacts
    var size: String
    var flood: String
    var keystrokes: Int
    /// Echo on screen with nothing else running (the peer).
    var idle: Percentiles
    /// Echo on screen while the other pane floods.
    var flooded: Percentiles
    /// Frames the TUI drew per second during the flood (nil when the stats file was not readable).
    var fps: Double?
    /// What the TUI wrote to its terminal per second during the flood.
    var outputKiBPerSecond: Double
    var seconds: Double
    /// Resident memory of the `vibe open` process (the TUI; its server runs apart) at the end of the flood.
    var residentMiB: Int?

    /// Frames per second between two `VIBE_TUI_STATS` readings (frames, elapsed ms).
    static func fps(before: (frames: Int, ms: Int)?, after: (frames: Int, ms: Int)?) -> Double? {
        guard let before, let after, after.ms > before.ms else { return nil }
        return Double(after.frames - before.frames) * 1000 / Double(after.ms - before.ms)
    }

    var markdown: String {
        func ms(_ us: UInt64) -> String { String(format: "%.1f", Double(us) / 1000) }
        func row(_ name: String, _ p: Percentiles) -> String {
            "| \(name) | \(p.count) | \(ms(p.p50)) | \(ms(p.p95)) | \(ms(p.p99)) | \(ms(p.max)) |"
        }
        return """
            Machine: \(machine.line)
            TUI \(size), flood `\(flood)` in the other pane, \(keystrokes) keystrokes per phase (each a character \
            and a backspace), echo timed from the key written to the TUI's terminal to the character drawn on it.

            | echo on the TUI's screen | n | p50 ms | p95 ms | p99 ms | max ms |
            |---|---|---|---|---|---|
            \(row("peer: no flood", idle))
            \(row("while the other pane floods", flooded))

            Frames drawn during the flood: \(fps.map { String(format: "%.1f", $0) } ?? "?") per second; \
            TUI output \(String(format: "%.1f", outputKiBPerSecond)) KiB/s over \(String(format: "%.1f", seconds)) s; \
            `vibe open` resident memory at the end: \(residentMiB.map { "\($0) MiB" } ?? "?").
            """
    }
}
