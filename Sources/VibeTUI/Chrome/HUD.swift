import VibeClient

/// The SLO heads-up display (`h`): latency against the targets, with a small text histogram.
enum HUD {
    /// Ready targets: P50 ≤ 2 s, P95 ≤ 5 s. Echo target: < 50 ms.
    static let readyP50TargetMs = 2000
    static let readyP95TargetMs = 5000
    static let echoTargetUs: UInt64 = 50_000
    /// Upper bounds of the echo histogram's buckets (µs); one more bucket holds the slower samples.
    static let bucketsMicros: [UInt64] = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000]

    /// The HUD's lines.
    static func lines(_ info: StatusInfo) -> [String] {
        var out = ["SLO HUD — \(info.session)", ""]
        if let ready = info.readyMs {
            let verdict = ready <= readyP50TargetMs ? "ok" : (ready <= readyP95TargetMs ? "within P95" : "SLOW")
            out.append("session ready  \(ready) ms   target P50 ≤ 2000 ms, P95 ≤ 5000 ms   \(verdict)")
        } else {
            out.append("session ready  –   target P50 ≤ 2000 ms, P95 ≤ 5000 ms")
        }
        out.append("")
        // With the histogram (it needs the room at 80x24), echo and ping show their figures without bars.
        let counts = info.echo.count > 0 ? info.echoDistribution : nil
        out.append(contentsOf: block("keystroke echo", info.echo, targetUs: echoTargetUs, bars: counts == nil))
        if let counts { out.append(contentsOf: histogram(counts, bounds: bucketsMicros, width: 30)) }
        out.append("")
        out.append(contentsOf: block("ping RTT", info.ping, targetUs: nil, bars: counts == nil))
        out.append("")
        out.append("sockets: terminal \(info.terminalConnected ? "●" : "○")  fs \(info.fsConnected ? "●" : "○")"
            + "   reconnects \(info.reconnects)")
        if let env = info.env {
            out.append(
                "workspace: cpu \(env.cpu)%  mem \(UsageText.bytes(env.memoryBytes))"
                    + (env.memoryLimitBytes.map { " of \(UsageText.bytes($0))" } ?? "") + "  pids \(env.pids)"
                    + (env.diskBytes.map { "  disk \(UsageText.bytes($0))" } ?? ""))
        }
        return out
    }

    /// A latency block: percentiles, verdict and one bar per percentile (scale: the target or the max).
    static func block(_ title: String, _ s: LatencySnapshot, targetUs: UInt64?, bars: Bool = true) -> [String] {
        guard s.count > 0 else { return ["\(title): no samples yet" + (targetUs.map { " (target < \(LatencyText.ms($0)) ms)" } ?? "")] }
        var head = "\(title): n=\(s.count) p50 \(LatencyText.ms(s.p50)) p95 \(LatencyText.ms(s.p95))"
            + " p99 \(LatencyText.ms(s.p99)) max \(LatencyText.ms(s.max)) ms"
        if let targetUs { head += s.p99 < targetUs ? "   ok (< \(LatencyText.ms(targetUs)) ms)" : "   OVER TARGET" }
        guard bars else { return [head] }
        let scale = max(s.max, targetUs ?? 0, 1)
        let rows: [(String, UInt64)] = [("p50", s.p50), ("p95", s.p95), ("p99", s.p99), ("max", s.max)]
        return [head] + rows.map { label, v in
            "  \(label) " + bar(v, scale: scale, width: 30) + " \(LatencyText.ms(v))"
        }
    }

    /// One line per bucket: `  ≤ 5 ms   ████····  12`, the last bucket `> 200 ms`; bars scale to the fullest bucket.
    static func histogram(_ counts: [UInt64], bounds: [UInt64], width: Int) -> [String] {
        let top = counts.max() ?? 0
        let labels = bounds.map { "≤ \(LatencyText.ms($0)) ms" } + ["> \(LatencyText.ms(bounds.last ?? 0)) ms"]
        let labelWidth = labels.map(\.count).max() ?? 0
        return zip(labels, counts).map { label, n in
            "    " + label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + " "
                + bar(n, scale: top, width: width) + " \(n)"
        }
    }

    /// A bar of `width` cells filled in proportion to `value / scale`.
    static func bar(_ value: UInt64, scale: UInt64, width: Int) -> String {
        let filled = Int((Double(value) / Double(max(scale, 1)) * Double(width)).rounded())
        let n = min(width, max(value > 0 ? 1 : 0, filled))
        return String(repeating: "█", count: n) + String(repeating: "·", count: width - n)
    }
}
