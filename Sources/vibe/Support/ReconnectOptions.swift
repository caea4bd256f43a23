import ArgumentParser
import Foundation
import VibeClient

/// `--reconnect-for DURATION`: how long a socket-using command keeps reconnecting to a server that is gone.
struct ReconnectOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "How long to keep reconnecting when the server is unreachable, e.g. 90s, 5m, 1h or forever; then exit 7 with the last error.",
            valueName: "duration"))
    var reconnectFor: String?

    /// The budget: the flag's value, else `fallback` (nil = forever).
    func budget(default fallback: Duration?) throws -> Duration? {
        guard let reconnectFor else { return fallback }
        switch Budget(reconnectFor) {
        case .forever: return nil
        case .limited(let duration): return duration
        case nil:
            throw CLIError(
                message: "vibe: --reconnect-for takes a duration like 90s, 5m, 1h or forever, not '\(reconnectFor)'",
                exitCode: VibeExit.usage)
        }
    }

    /// A parsed `--reconnect-for` value.
    enum Budget: Equatable {
        case forever
        case limited(Duration)

        /// Parses `forever`, or a number with an optional unit (`ms`, `s`, `m`, `h`; seconds without one).
        init?(_ text: String) {
            let t = text.trimmingCharacters(in: .whitespaces).lowercased()
            if t == "forever" {
                self = .forever
                return
            }
            var scale = 1.0
            var number = Substring(t)
            for (suffix, factor) in [("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where t.hasSuffix(suffix) {
                scale = factor
                number = t.dropLast(suffix.count)
                break
            }
            guard let n = Double(number), n >= 0, n.isFinite else { return nil }
            self = .limited(.milliseconds(Int64(n * scale * 1000)))
        }
    }
}

extension VibeClient {
    /// This client with the reconnect budget of `options` (default `fallback`).
    func reconnecting(_ options: ReconnectOptions, default fallback: Duration?) throws -> VibeClient {
        var client = self
        client.channelOptions.reconnectFor = try options.budget(default: fallback)
        return client
    }
}
