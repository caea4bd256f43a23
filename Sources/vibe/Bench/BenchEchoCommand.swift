import ArgumentParser
import CPTY
import Foundation
import VibeClient
import VibeProtocol

/// `vibe bench echo`: keystroke echo into bash readline through vibe beside the floor (bash on a bare local PTY) in
/// the same run, rounds interleaved.
struct BenchEchoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo",
        abstract: "Keystroke echo through vibe beside a bare PTY (the floor), rounds interleaved.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Measured rounds (one warm-up round more is not recorded).") var rounds = 20
    @Option(help: "Keystrokes per path per round.") var perRound = 50

    func run() async throws {
        try await reporting {
            try await Connection.with(global) { c in
                let peers: [any EchoPeer] = [try await VibeEchoPeer.open(c.client), try LocalPTYPeer()]
                let recorders = peers.map { _ in LatencyRecorder() }
                for round in 0...rounds {
                    for (index, peer) in peers.enumerated() {
                        try await peer.clearLine()
                        for _ in 0..<perRound {
                            let took = try await peer.typeKey()
                            if round > 0 { recorders[index].record(took) }
                        }
                    }
                }
                for peer in peers { await peer.close() }
                let report = EchoBenchReport(
                    machine: MachineFacts.collect(), keystrokes: rounds * perRound,
                    paths: zip(peers, recorders).map { EchoBenchReport.Path(name: $0.name, echo: Percentiles($1.snapshot())) })
                if global.json { Output.json(report) } else { print(report.markdown) }
            }
        }
    }
}

/// One way of typing a key into bash and seeing its echo.
protocol EchoPeer: AnyObject {
    var name: String { get }
    /// Ctrl-U, then waits until the line is quiet (keeps readline's line short).
    func clearLine() async throws
    /// Types `a` and returns how long its echo took.
    func typeKey() async throws -> Duration
    func close() async
}

/// vibe: a session terminal through the server.
final class VibeEchoPeer: EchoPeer, @unchecked Sendable {
    let name = "vibe (WebSocket → server → PTY)"
    private let client: VibeClient
    private let id: String
    private let term: TerminalChannel
    private let probe: EchoProbe

    private init(client: VibeClient, id: String, term: TerminalChannel) {
        self.client = client
        self.id = id
        self.term = term
        self.probe = EchoProbe(events: term.events())
    }

    static func open(_ client: VibeClient) async throws -> VibeEchoPeer {
        let id = "bench-echo-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await client.api.create(id: id)
        _ = try await client.waitReady(id)
        let peer = VibeEchoPeer(client: client, id: id, term: await client.terminal(id))
        try await peer.probe.waitForOutput(containing: nil)
        return peer
    }

    func clearLine() async throws {
        try await term.send([0x15])
        try await probe.waitForOutput(containing: nil, settle: true)
    }

    func typeKey() async throws -> Duration {
        let start = ContinuousClock.now
        try await term.send([UInt8(ascii: "a")])
        try await probe.waitForOutput(containing: "a")
        return ContinuousClock.now - start
    }

    func close() async {
        await term.close()
        _ = try? await client.api.delete(id)
    }
}

/// The floor: bash on a PTY of this process, no server, no network.
final class LocalPTYPeer: EchoPeer {
    let name = "bare local PTY (the floor)"
    private var master: Int32 = -1
    private let pid: pid_t
    private var buffer = [UInt8](repeating: 0, count: 4096)

    init() throws {
        var fd: Int32 = -1
        let env = ["TERM=xterm-256color", "PS1=$ ", "PATH=/usr/bin:/bin", "HOME=/tmp"]
        pid = cStringArray(["/bin/bash", "--norc", "--noprofile", "-i"]) { a in
            cStringArray(env) { e in cpty_spawn("/bin/bash", a, e, "/tmp", &fd, 24, 80, 0) }
        }
        master = fd
        guard pid > 0 else { throw CLIError(message: "bench: cannot spawn bash", exitCode: VibeExit.failure) }
        drain(ms: 300)
    }

    private func drain(ms: Int32) {
        var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while poll(&p, 1, ms) > 0 { _ = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) } }
    }

    func clearLine() async throws {
        var ctrlU: UInt8 = 0x15
        _ = write(master, &ctrlU, 1)
        drain(ms: 20)
    }

    func typeKey() async throws -> Duration {
        var key = UInt8(ascii: "a")
        let start = ContinuousClock.now
        _ = write(master, &key, 1)
        var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while poll(&p, 1, 2000) > 0 {
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n <= 0 || buffer[0..<n].contains(key) { break }
        }
        return ContinuousClock.now - start
    }

    func close() async {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        Foundation.close(master)
    }
}

/// What `vibe bench echo` prints.
struct EchoBenchReport: Encodable {
    struct Path: Encodable {
        var name: String
        var echo: Percentiles
    }
    var machine: MachineFacts
    var keystrokes: Int
    var paths: [Path]

    var markdown: String {
        let floor = paths.first { $0.name.hasPrefix("bare") }?.echo
        var lines = [
            "Machine: \(machine.line); \(keystrokes) keystrokes per path, rounds interleaved", "",
            "| path | p50 ms | p95 ms | p99 ms | max ms | over the floor p50 / p99 ms |", "|---|---|---|---|---|---|",
        ]
        for path in paths {
            let over = floor.map {
                Percentiles.ms(path.echo.p50 - min(path.echo.p50, $0.p50)) + " / "
                    + Percentiles.ms(path.echo.p99 - min(path.echo.p99, $0.p99))
            } ?? "–"
            let e = path.echo
            lines.append(
                "| \(path.name) | \(Percentiles.ms(e.p50)) | \(Percentiles.ms(e.p95)) | \(Percentiles.ms(e.p99)) | \(Percentiles.ms(e.max)) | \(over) |")
        }
        return lines.joined(separator: "\n")
    }
}
