import ArgumentParser
import Foundation
import VibeClient
import VibeProtocol

/// `vibe bench ready`: how long after the server's ready a waiting client knows it, with the status route's long
/// poll (what `waitReady` does now) beside plain polling every 300 ms (what it did), sessions interleaved.
struct BenchReadyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ready",
        abstract: "Client-observed ready minus the server's readyMs: long poll beside 300 ms polling.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Sessions per method.") var sessions = 30

    func run() async throws {
        try await reporting {
            try await Connection.with(global) { c in
                let longPoll = LatencyRecorder()
                let polling = LatencyRecorder()
                let observed = LatencyRecorder()
                let tag = UUID().uuidString.prefix(6).lowercased()
                for i in 0..<sessions {
                    for usesLongPoll in [true, false] {
                        let id = "bench-ready-\(tag)-\(i)-\(usesLongPoll ? "l" : "p")"
                        let start = ContinuousClock.now
                        var status = try await c.client.api.create(id: id)
                        while !status.ready {
                            guard status.state != .failed else {
                                throw CLIError(message: "bench ready: \(id) failed", exitCode: VibeExit.sessionFailed)
                            }
                            if usesLongPoll {
                                status = try await c.client.api.status(id, waitMs: 10_000)
                            } else {
                                try await Task.sleep(for: .milliseconds(300))
                                status = try await c.client.api.status(id)
                            }
                        }
                        let seen = ContinuousClock.now - start
                        let server = Duration.milliseconds(status.readyMs ?? 0)
                        let lag = seen > server ? seen - server : .zero
                        (usesLongPoll ? longPoll : polling).record(lag)
                        if usesLongPoll { observed.record(seen) }
                        _ = try await c.client.api.delete(id)
                    }
                }
                let report = ReadyBenchReport(
                    machine: MachineFacts.collect(), sessions: sessions, longPollLag: Percentiles(longPoll.snapshot()),
                    pollingLag: Percentiles(polling.snapshot()), observed: Percentiles(observed.snapshot()))
                if global.json { Output.json(report) } else { print(report.markdown) }
            }
        }
    }
}

/// What `vibe bench ready` prints.
struct ReadyBenchReport: Encodable {
    var machine: MachineFacts
    var sessions: Int
    var longPollLag: Percentiles
    var pollingLag: Percentiles
    var observed: Percentiles

    var markdown: String {
        func row(_ name: String, _ p: Percentiles) -> String {
            "| \(name) | \(Percentiles.ms(p.p50)) | \(Percentiles.ms(p.p95)) | \(Percentiles.ms(p.p99)) | \(Percentiles.ms(p.max)) |"
        }
        return """
            Machine: \(machine.line); \(sessions) sessions per method, interleaved

            | client sees ready after the server's readyMs (ms) | p50 | p95 | p99 | max |
            |---|---|---|---|---|
            \(row("long poll (`waitMs`, what waitReady does)", longPollLag))
            \(row("polling every 300 ms (before)", pollingLag))
            \(row("create → ready seen, long poll", observed))
            """
    }
}
