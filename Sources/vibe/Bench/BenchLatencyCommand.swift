import ArgumentParser
import CPTY
import Foundation
import VibeClient
import VibeProtocol
import VibeServer

/// `vibe bench latency`: session-ready time over N sessions and keystroke-echo RTT over K keystrokes,
/// with a local PTY (no network, no server) measured in the same run as the peer.
struct BenchLatencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Session ready p50/p95 and keystroke echo p50/p95/p99 (HdrHistogram), with a local-PTY baseline.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Sessions to create.") var sessions = 50
    @Option(help: "Keystrokes to echo.") var keystrokes = 1000
    @Option(help: "Warm-up keystrokes not recorded.") var warmup = 100
    @Option(help: "With --driver docker: the workspace image (env VIBE_IMAGE).") var image: String?

    func run() async throws {
        try await reporting {
            // `--driver docker` (a global option): session ready on the docker driver beside the raw engine,
            // on a server of the bench's own (then --sessions defaults to 30).
            if try global.userServerDriver == .docker {
                let count = CommandLine.arguments.contains("--sessions") ? sessions : 30
                let report = try await BenchDockerReady.run(
                    sessions: count,
                    image: image ?? ProcessInfo.processInfo.environment["VIBE_IMAGE"] ?? DockerSettings.defaultImage)
                if global.json { Output.json(report) } else { print(report.markdown) }
                return
            }
            try await Connection.with(global) { c in
                let machine = MachineFacts.collect()
                let ready = try await measureReady(c.client)
                let echo = try await measureEcho(c.client)
                let baseline = try await LocalPTYEcho.measure(keystrokes: keystrokes, warmup: warmup)
                let report = LatencyReport(
                    machine: machine, server: c.isUserServer ? "the user server (\(c.client.api.baseURL))" : (global.serverURL ?? ""),
                    sessions: sessions, readyObserved: ready.observed, readyServer: ready.server,
                    keystrokes: keystrokes, echo: echo, localPTY: baseline)
                if global.json { Output.json(report) } else { print(report.markdown) }
            }
        }
    }

    /// Creates sessions one after another; the client polls status every 2 ms to see ready promptly.
    private func measureReady(_ client: VibeClient) async throws -> (observed: LatencySnapshot, server: LatencySnapshot) {
        let observed = LatencyRecorder()
        let server = LatencyRecorder()
        let prefix = "bench-\(UUID().uuidString.prefix(6).lowercased())"
        for i in 0..<sessions {
            let id = "\(prefix)-\(i)"
            let start = ContinuousClock.now
            var status = try await client.api.create(id: id)
            while !status.ready {
                if status.state == .failed {
                    throw CLIError(message: "bench: session \(id) failed: \(status.error?.rawValue ?? "?")", exitCode: VibeExit.sessionFailed)
                }
                try await Task.sleep(for: .milliseconds(2))
                status = try await client.api.status(id)
            }
            observed.record(ContinuousClock.now - start)
            if let ms = status.readyMs { server.record(microseconds: UInt64(ms) * 1000) }
            _ = try await client.api.delete(id)
        }
        return (observed.snapshot(), server.snapshot())
    }

    /// Types single characters into a shell's readline and times each echo.
    private func measureEcho(_ client: VibeClient) async throws -> LatencySnapshot {
        let id = "bench-echo-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await client.api.create(id: id)
        _ = try await client.waitReady(id)
        let term = await client.terminal(id)
        let events = term.events()
        let probe = EchoProbe(events: events)
        try await probe.waitForOutput(containing: nil)
        let recorder = LatencyRecorder()
        for i in 0..<(warmup + keystrokes) {
            if i % 50 == 0 {
                try await term.send([0x15])  // Ctrl-U: keep the line short
                try await probe.waitForOutput(containing: nil, settle: true)
            }
            let start = ContinuousClock.now
            try await term.send([UInt8(ascii: "a")])
            try await probe.waitForOutput(containing: "a")
            if i >= warmup { recorder.record(ContinuousClock.now - start) }
        }
        await term.close()
        _ = try await client.api.delete(id)
        return recorder.snapshot()
    }
}

/// Reads a terminal channel's output for the echo benchmark.
final class EchoProbe: @unchecked Sendable {
    private var iterator: AsyncStream<TerminalChannelEvent>.AsyncIterator

    init(events: AsyncStream<TerminalChannelEvent>) { self.iterator = events.makeAsyncIterator() }

    /// Waits for output (containing `text` if given); with `settle`, also drains output for 20 ms.
    func waitForOutput(containing text: String?, settle: Bool = false) async throws {
        while true {
            guard let event = await iterator.next() else {
                throw CLIError(message: "bench: terminal closed", exitCode: VibeExit.unreachable)
            }
            if case .output(let bytes) = event {
                if text == nil || String(decoding: bytes, as: UTF8.self).contains(text ?? "") { break }
            }
        }
        if settle { try await Task.sleep(for: .milliseconds(20)) }
    }
}
