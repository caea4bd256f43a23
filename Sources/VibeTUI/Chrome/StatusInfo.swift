import Foundation
import VibeClient
import VibeProtocol

/// Everything the status bar and the HUD show, gathered by the controller once per frame.
struct StatusInfo: Equatable {
    /// Session id.
    var session: String
    /// Session state (`ready`, `creating`, …).
    var state: String
    /// Window names with the active one marked.
    var windows: [(index: Int, name: String, active: Bool)]
    /// Focused pane's terminal socket is connected.
    var terminalConnected: Bool
    /// The fs-events socket is connected.
    var fsConnected: Bool
    /// Keystroke echo of the focused pane (µs).
    var echo: LatencySnapshot
    /// Ping round trips of the focused pane (µs).
    var ping: LatencySnapshot
    /// Milliseconds the session took to become ready, if known.
    var readyMs: Int?
    /// Outages seen on every socket.
    var reconnects: Int
    /// A short message (mode, notice) shown at the left.
    var message: String?
    /// Echo sample counts per `HUD.bucketsMicros` bucket (plus one open-ended), filled for the HUD only.
    var echoDistribution: [UInt64]?
    /// What the workspace uses (the status socket's latest `env_status`), once known.
    var env: EnvStatus?

    static func == (a: StatusInfo, b: StatusInfo) -> Bool {
        a.session == b.session && a.state == b.state && a.windows.map(\.name) == b.windows.map(\.name)
            && a.windows.map(\.active) == b.windows.map(\.active) && a.terminalConnected == b.terminalConnected
            && a.fsConnected == b.fsConnected && a.echo == b.echo && a.ping == b.ping && a.readyMs == b.readyMs
            && a.reconnects == b.reconnects && a.message == b.message && a.env == b.env
    }
}

/// Formats resource figures for the chrome.
enum UsageText {
    /// Bytes in binary units: `512B`, `12K`, `210M`, `1.5G`.
    static func bytes(_ n: Int) -> String {
        let units = ["B", "K", "M", "G", "T"]
        var value = Double(max(0, n))
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return value < 10 && unit > 0 ? String(format: "%.1f", value) + units[unit] : "\(Int(value.rounded()))\(units[unit])"
    }

    /// `cpu 12% mem 210M/1.0G` (the limit when there is one).
    static func short(_ env: EnvStatus) -> String {
        "cpu \(Int(env.cpu.rounded()))% mem \(bytes(env.memoryBytes))" + (env.memoryLimitBytes.map { "/" + bytes($0) } ?? "")
    }
}

/// Formats latencies for the chrome.
enum LatencyText {
    /// Microseconds as milliseconds: `0.4`, `12`, `1250`.
    static func ms(_ us: UInt64) -> String {
        if us < 10_000 {
            let tenths = (us + 50) / 100
            return "\(tenths / 10).\(tenths % 10)"
        }
        return "\((us + 500) / 1000)"
    }

    /// `p50/p95/p99 ms`, or `–` without samples.
    static func percentiles(_ s: LatencySnapshot) -> String {
        s.count == 0 ? "–" : "\(ms(s.p50))/\(ms(s.p95))/\(ms(s.p99))ms"
    }
}
