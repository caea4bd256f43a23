import ArgumentParser
import Foundation
import VibeClient
import VibeProtocol

/// `vibe bench scale`: one server with many sessions, a live terminal each, every socket attached; echo on a sample
/// of idle terminals while a tenth of them type and print continuously; server memory and CPU per session.
struct BenchScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Many sessions on one server: echo while some type and print, memory and CPU per session.")
    @Option(help: "Sessions, each with one attached terminal.") var sessions = 1000
    @Option(help: "Percent of the terminals that type (10 keys a second) and print (10 lines a second).")
    var activePercent = 10
    @Option(help: "Idle terminals the echo is measured on, in turn.") var sample = 20
    @Option(help: "Keystrokes timed on the sample.") var keystrokes = 1000
    @Option(help: "Sessions created at once.") var parallel = 8
    @Flag(help: "Print JSON.") var json = false

    /// What an active terminal runs: a line every 100 ms, reading (and so echoing) what is typed meanwhile; bash
    /// builtins only, so it forks nothing.
    static let busyLoop = "while :; do echo \"busy $RANDOM $RANDOM $RANDOM $RANDOM\"; read -r -t 0.1 _; done\r"

    func validate() throws {
        guard sessions >= 2 else { throw ValidationError("--sessions must be at least 2") }
        guard (0...90).contains(activePercent) else { throw ValidationError("--active-percent must be 0–90") }
        guard sample >= 1, keystrokes >= 1, parallel >= 1 else {
            throw ValidationError("--sample, --keystrokes and --parallel must be at least 1")
        }
    }

    func run() async throws {
        try await reporting {
            let fileLimit = OpenFileLimit.raise()
            guard fileLimit >= UInt64(sessions) + 64 else {
                throw CLIError(
                    message: "bench: \(sessions) sockets need an open-file limit above \(sessions + 64); it is \(fileLimit) (ulimit -Hn)",
                    exitCode: VibeExit.usage)
            }
            let server = try BenchServerProcess(extraArguments: ["--max-connections-per-peer", "0", "--create-rate", "1000"])
            defer { server.stop() }
            let client = VibeClient(baseURL: server.url)
            var report = ScaleReport(machine: MachineFacts.collect(), sessions: sessions, activePercent: activePercent)
            report.serverEmptyMiB = server.residentMiB
            let available = ProcessGauge.availableMiB()

            let clock = ContinuousClock()
            let start = clock.now
            let ids = try await createSessions(client)
            report.createSeconds = (clock.now - start).seconds
            report.serverSessionsMiB = server.residentMiB

            let urls = ids.map {
                client.api.socketURL(path: Routes.terminal($0), query: [("cols", "80"), ("rows", "24")])
            }
            let fleet = try TerminalFleet(urls: urls)
            defer { fleet.close() }
            let prompted = try fleet.waitForPrompts(deadline: .now + .seconds(300))
            guard prompted == sessions else {
                throw CLIError(message: "bench: only \(prompted) of \(sessions) terminals printed a prompt in 300 s", exitCode: VibeExit.failure)
            }
            report.attachSeconds = (clock.now - start).seconds - report.createSeconds

            try fleet.drain(for: .seconds(2))
            report.serverIdleMiB = server.residentMiB
            report.serverThreads = ProcessGauge.threads(server.pid)
            report.machineUsedMiB = available - ProcessGauge.availableMiB()
            let idleCPU = server.cpuSeconds
            try fleet.drain(for: .seconds(10))
            report.serverIdleCPUPercent = (server.cpuSeconds - idleCPU) / 10 * 100

            let load = ScaleLoad(fleet: fleet, active: sessions * activePercent / 100, sample: sample)
            let busyCPU = server.cpuSeconds
            let started = clock.now
            let echo = try load.run(keystrokes: keystrokes)
            let seconds = (clock.now - started).seconds
            report.serverBusyCPUPercent = (server.cpuSeconds - busyCPU) / seconds * 100
            report.serverBusyMiB = server.residentMiB
            report.busyOutputKiBPerSecond = Double(load.activeOutputBytes) / seconds / 1024
            report.echo = Percentiles(echo)
            report.lostEchoes = load.lostEchoes
            if json { Output.json(report) } else { print(report.markdown) }
        }
    }

    private func createSessions(_ client: VibeClient) async throws -> [String] {
        let run = UUID().uuidString.prefix(6).lowercased()
        return try await withThrowingTaskGroup(of: String.self) { group in
            var ids: [String] = []
            for index in 0..<sessions {
                if index >= parallel, let id = try await group.next() { ids.append(id) }
                group.addTask {
                    let id = "scale-\(run)-\(index)"
                    _ = try await client.api.create(id: id)
                    _ = try await client.waitReady(id)
                    return id
                }
            }
            for try await id in group { ids.append(id) }
            return ids
        }
    }
}
