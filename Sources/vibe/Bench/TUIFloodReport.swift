import Foundation
import VibeClient

/// The figures of one `vibe bench tui` run: vibe's TUI beside a tmux client, idle and under a flood.
struct TUIFloodReport: Encodable {
    /// What was measured on one of the two.
    struct Peer: Encodable {
        var name: String
        /// Echo on screen with nothing else running.
        var idle: Percentiles
        /// Echo on screen while the other pane floods.
        var flooded: Percentiles
        /// Frames drawn per second during the flood (vibe's `VIBE_TUI_STATS`; nil for tmux).
        var fps: Double?
        /// What the client wrote to its terminal per second during its flooded blocks.
        var outputKiBPerSecond: Double
        /// Time spent in its flooded blocks.
        var floodSeconds: Double
        /// Resident memory of the client process at the end.
        var residentMiB: Int?

        init(_ peer: TUIPeer) {
            name = peer.name
            idle = Percentiles(peer.idle.snapshot())
            flooded = Percentiles(peer.flooded.snapshot())
            fps = peer.fps
            outputKiBPerSecond = peer.outputKiBPerSecond
            floodSeconds = peer.floodSeconds
            residentMiB = peer.screen.residentMiB()
        }
    }

    var machine: MachineFacts
    var size: String
    var flood: String
    /// Keystrokes per phase and peer (each a character and a backspace: two echoes).
    var keystrokes: Int
    /// Blocks each phase was cut into, alternating between the two.
    var blocks: Int
    var tmuxVersion: String
    var vibe: Peer
    var tmux: Peer

    var markdown: String {
        func ms(_ us: UInt64) -> String { String(format: "%.1f", Double(us) / 1000) }
        func ratio(_ a: UInt64, _ b: UInt64) -> String { b > 0 ? String(format: "%.2f×", Double(a) / Double(b)) : "?" }
        func row(_ name: String, _ p: Percentiles) -> String {
            "| \(name) | \(p.count) | \(ms(p.p50)) | \(ms(p.p95)) | \(ms(p.p99)) | \(ms(p.max)) |"
        }
        func ratios(_ name: String, _ a: Percentiles, _ b: Percentiles) -> String {
            "| \(name) | | \(ratio(a.p50, b.p50)) | \(ratio(a.p95, b.p95)) | \(ratio(a.p99, b.p99)) | \(ratio(a.max, b.max)) |"
        }
        func mib(_ m: Int?) -> String { m.map { "\($0) MiB" } ?? "?" }
        return """
            Machine: \(machine.line); peer \(tmuxVersion) (private server, `-f /dev/null`).
            Terminal \(size), a window split in two; echo timed in the right pane from the key written to the \
            client's terminal until the client has drawn it at the prompt (read through vibe's emulator); \
            \(keystrokes) keystrokes per phase and peer (each a character and a backspace), in \(blocks) blocks \
            alternating between vibe and tmux. Flood `\(flood)` in the left pane, only the measured peer's \
            running (the other's stopped with SIGSTOP and its screen quiet).

            | echo on the client's screen | n | p50 ms | p95 ms | p99 ms | max ms |
            |---|---|---|---|---|---|
            \(row("vibe, idle", vibe.idle))
            \(row("tmux, idle", tmux.idle))
            \(ratios("ratio vibe / tmux, idle", vibe.idle, tmux.idle))
            \(row("vibe, while the other pane floods", vibe.flooded))
            \(row("tmux, while the other pane floods", tmux.flooded))
            \(ratios("ratio vibe / tmux, flood", vibe.flooded, tmux.flooded))

            vibe's TUI drew \(vibe.fps.map { String(format: "%.1f", $0) } ?? "?") frames per second during its \
            flood (target ≤ 60) and wrote \(String(format: "%.1f", vibe.outputKiBPerSecond)) KiB/s to its terminal \
            (over \(String(format: "%.1f", vibe.floodSeconds)) s); the tmux client wrote \
            \(String(format: "%.1f", tmux.outputKiBPerSecond)) KiB/s (over \(String(format: "%.1f", tmux.floodSeconds)) s). \
            Resident memory at the end: `vibe open` \(mib(vibe.residentMiB)) (its server runs apart), tmux client \
            \(mib(tmux.residentMiB)).
            """
    }
}
