import ArgumentParser
import CPTY
import Foundation
import VibeClient
import VibeProtocol

/// `vibe bench echo`: keystroke echo into bash readline through vibe beside its peers in the same run, rounds
/// interleaved: terminado (when python3 has it) and the floor, bash on a bare local PTY. vibe's server and terminado
/// are driven by the same blocking WebSocket client; vibe is also measured through its own client library.
struct BenchEchoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo",
        abstract: "Keystroke echo through vibe beside terminado and a bare PTY (the floor), rounds interleaved.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Measured rounds (one warm-up round more is not recorded).") var rounds = 20
    @Option(help: "Keystrokes per path per round.") var perRound = 50
    @Flag(help: "Leave terminado out.") var noTerminado = false

    func run() async throws {
        try await reporting {
            try await Connection.with(global) { c in
                let peers = try await openPeers(c.client)
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

    private func openPeers(_ client: VibeClient) async throws -> [any EchoPeer] {
        let id = try await BenchSession.create(client, prefix: "bench-echo")
        let url = client.api.socketURL(path: Routes.terminal(id), query: [("cols", "80"), ("rows", "24")])
        var peers: [any EchoPeer] = [
            try WebSocketEchoPeer(name: "vibe serve", url: url, framing: .binary) { _ = try? await client.api.delete(id) },
            try await VibeLibraryEchoPeer.open(client),
        ]
        if !noTerminado {
            let terminado = try TerminadoServer()
            peers.append(try WebSocketEchoPeer(name: "terminado", url: terminado.url, framing: .terminado) { terminado.stop() })
        }
        peers.append(try LocalPTYPeer())
        return peers
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
        let terminado = paths.first { $0.name == "terminado" }?.echo
        var lines = [
            "Machine: \(machine.line); \(keystrokes) keystrokes per path, rounds interleaved", "",
            "| path | p50 ms | p95 ms | p99 ms | max ms | over the floor p50 / p99 ms | ÷ terminado p50 / p99 |",
            "|---|---|---|---|---|---|---|",
        ]
        for path in paths {
            let e = path.echo
            let over = floor.map {
                Percentiles.ms(e.p50 - min(e.p50, $0.p50)) + " / " + Percentiles.ms(e.p99 - min(e.p99, $0.p99))
            } ?? "–"
            let ratio = terminado.map { Self.ratio(e.p50, $0.p50) + " / " + Self.ratio(e.p99, $0.p99) } ?? "–"
            lines.append(
                "| \(path.name) | \(Percentiles.ms(e.p50)) | \(Percentiles.ms(e.p95)) | \(Percentiles.ms(e.p99)) | \(Percentiles.ms(e.max)) | \(over) | \(ratio) |")
        }
        return lines.joined(separator: "\n")
    }

    private static func ratio(_ a: UInt64, _ b: UInt64) -> String {
        b == 0 ? "–" : String(format: "%.2f×", Double(a) / Double(b))
    }
}
