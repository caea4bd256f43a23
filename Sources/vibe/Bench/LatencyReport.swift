import Foundation
import VibeClient

/// The machine a benchmark ran on.
struct MachineFacts: Encodable {
    var cpu: String
    var cores: Int
    var memoryGiB: Int
    var kernel: String
    var build: String

    static func collect() -> MachineFacts {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }.map { $0.trimmingCharacters(in: .whitespaces) }
        var uts = utsname()
        uname(&uts)
        let release = withUnsafeBytes(of: &uts.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        #if DEBUG
            let build = "debug"
        #else
            let build = "release"
        #endif
        return MachineFacts(
            cpu: model ?? "unknown", cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryGiB: Int(ProcessInfo.processInfo.physicalMemory >> 30), kernel: release, build: build)
    }

    var line: String { "\(cpu), \(cores) cores, \(memoryGiB) GiB, Linux \(kernel), \(build) build" }
}

/// Latency figures in microseconds.
struct Percentiles: Encodable {
    var count: UInt64
    var p50: UInt64
    var p95: UInt64
    var p99: UInt64
    var max: UInt64

    init(_ s: LatencySnapshot) {
        count = s.count
        p50 = s.p50
        p95 = s.p95
        p99 = s.p99
        max = s.max
    }

    static func ms(_ us: UInt64) -> String { String(format: "%.2f", Double(us) / 1000) }
}

/// What `vibe bench latency` prints.
struct LatencyReport: Encodable {
    var machine: MachineFacts
    var server: String
    var sessions: Int
    var readyObserved: Percentiles
    var readyServer: Percentiles
    var keystrokes: Int
    var echo: Percentiles
    var localPTY: Percentiles

    init(
        machine: MachineFacts, server: String, sessions: Int, readyObserved: LatencySnapshot,
        readyServer: LatencySnapshot, keystrokes: Int, echo: LatencySnapshot, localPTY: LatencySnapshot
    ) {
        self.machine = machine
        self.server = server
        self.sessions = sessions
        self.readyObserved = Percentiles(readyObserved)
        self.readyServer = Percentiles(readyServer)
        self.keystrokes = keystrokes
        self.echo = Percentiles(echo)
        self.localPTY = Percentiles(localPTY)
    }

    var markdown: String {
        func row(_ name: String, _ p: Percentiles, target: String) -> String {
            "| \(name) | \(p.count) | \(Percentiles.ms(p.p50)) | \(Percentiles.ms(p.p95)) | \(Percentiles.ms(p.p99)) | \(Percentiles.ms(p.max)) | \(target) |"
        }
        return """
            Machine: \(machine.line); server: \(server)

            | measurement (ms) | n | p50 | p95 | p99 | max | target |
            |---|---|---|---|---|---|---|
            \(row("session ready, client-observed (create → status ready)", readyObserved, target: "p50 ≤ 2000, p95 ≤ 5000"))
            \(row("session ready, server-reported readyMs", readyServer, target: ""))
            \(row("keystroke echo through vibe (WebSocket + PTY + bash readline)", echo, target: "< 50"))
            \(row("peer: keystroke echo on a local PTY (bash readline, no network)", localPTY, target: ""))
            """
    }
}

/// The baseline: one keystroke into bash's readline on a local PTY, time until its echo.
enum LocalPTYEcho {
    static func measure(keystrokes: Int, warmup: Int) async throws -> LatencySnapshot {
        let peer = try LocalPTYPeer()
        let recorder = LatencyRecorder()
        for i in 0..<(warmup + keystrokes) {
            if i % 50 == 0 { try await peer.clearLine() }
            let took = try await peer.typeKey()
            if i >= warmup { recorder.record(took) }
        }
        await peer.close()
        return recorder.snapshot()
    }
}
