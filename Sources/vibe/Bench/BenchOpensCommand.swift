import ArgumentParser
import Foundation
import Synchronization
import VibeClient
import VibeProtocol

/// `vibe bench opens`: keystroke echo in one terminal while N other terminals open at once, then while
/// they stay open, then while they close; repeated for `--cycles` rounds.
struct BenchOpensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opens",
        abstract: "Keystroke echo in one terminal while N others open at once, stay open, and close.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Terminals to open at once.") var terminals = 100
    @Option(help: "Seconds of echo measured with every terminal open.") var hold = 3
    @Option(help: "Rounds of open, hold, close.") var cycles = 1

    func run() async throws {
        try await reporting {
            try await Connection.with(global) { c in
                let report = try await measure(c.client, server: c.isUserServer ? "the user server" : global.serverURL ?? "")
                if global.json { Output.json(report) } else { print(report.markdown) }
            }
        }
    }

    private func measure(_ client: VibeClient, server: String) async throws -> OpensReport {
        let tag = UUID().uuidString.prefix(6).lowercased()
        let probeSession = "bench-probe-\(tag)"
        let crowdSession = "bench-crowd-\(tag)"
        for id in [probeSession, crowdSession] {
            _ = try await client.api.create(id: id)
            _ = try await client.waitReady(id)
        }
        let probe = EchoLoop(term: await client.terminal(probeSession))
        try await probe.start()
        let phases = OpensReport.Phases()
        let opens = LatencyRecorder()
        for cycle in 0..<cycles {
            probe.switchTo(phases.duringOpens)
            let opened = try await openAll(client, session: crowdSession, cycle: cycle, recorder: opens)
            probe.switchTo(phases.whileOpen)
            try await Task.sleep(for: .seconds(hold))
            probe.switchTo(phases.duringCloses)
            await closeAll(opened)
            probe.switchTo(phases.afterCloses)
            try await Task.sleep(for: .seconds(1))
            FileHandle.standardError.write(Data("bench opens: cycle \(cycle + 1) of \(cycles) done\n".utf8))
        }
        await probe.stop()
        for id in [probeSession, crowdSession] { _ = try? await client.api.delete(id) }
        return OpensReport(
            machine: MachineFacts.collect(), server: server, terminals: terminals, cycles: cycles,
            open: Percentiles(opens.snapshot()), phases: phases)
    }

    /// Opens `terminals` terminals at once; each counts as open at its first output (the shell's prompt).
    private func openAll(_ client: VibeClient, session: String, cycle: Int, recorder: LatencyRecorder) async throws
        -> [TerminalChannel]
    {
        try await withThrowingTaskGroup(of: TerminalChannel.self) { group in
            for i in 0..<terminals {
                group.addTask {
                    let start = ContinuousClock.now
                    let term = await client.terminal(session, term: "c\(cycle)-\(i)")
                    for await event in term.events() {
                        if case .output = event { break }
                    }
                    recorder.record(ContinuousClock.now - start)
                    return term
                }
            }
            var all: [TerminalChannel] = []
            for try await term in group { all.append(term) }
            return all
        }
    }

    /// Ends every shell (a hang-up) and closes its channel, all at once; waits for each exit.
    private func closeAll(_ terms: [TerminalChannel]) async {
        await withTaskGroup(of: Void.self) { group in
            for term in terms {
                group.addTask {
                    let events = term.events()
                    try? await term.kill()
                    for await event in events {
                        if case .exit = event { break }
                    }
                    await term.close()
                }
            }
        }
    }
}

/// Types one key after another into a terminal and records each echo in the current phase's recorder.
final class EchoLoop: Sendable {
    private let term: TerminalChannel
    private let recorder = Mutex<LatencyRecorder?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(term: TerminalChannel) { self.term = term }

    /// Waits for the prompt, then types in the background.
    func start() async throws {
        let probe = EchoProbe(events: term.events())
        try await probe.waitForOutput(containing: nil, settle: true)
        let term = self.term
        let loop = Task {
            var i = 0
            while !Task.isCancelled {
                do {
                    if i % 50 == 0 {
                        try await term.send([0x15])  // Ctrl-U: keep the line short
                        try await probe.waitForOutput(containing: nil, settle: true)
                    }
                    let start = ContinuousClock.now
                    try await term.send([UInt8(ascii: "a")])
                    try await probe.waitForOutput(containing: "a")
                    self.recorder.withLock { $0 }?.record(ContinuousClock.now - start)
                    i += 1
                } catch {
                    return
                }
            }
        }
        task.withLock { $0 = loop }
    }

    /// Records further echoes in `recorder`.
    func switchTo(_ next: LatencyRecorder) { recorder.withLock { $0 = next } }

    /// Stops typing and closes the terminal.
    func stop() async {
        task.withLock { $0 }?.cancel()
        try? await term.kill()
        await term.close()
    }
}

/// What `vibe bench opens` prints.
struct OpensReport: Encodable {
    /// Echo recorders, one per phase of each cycle (summed over cycles).
    struct Phases {
        let duringOpens = LatencyRecorder()
        let whileOpen = LatencyRecorder()
        let duringCloses = LatencyRecorder()
        let afterCloses = LatencyRecorder()
    }

    var machine: MachineFacts
    var server: String
    var terminals: Int
    var cycles: Int
    var open: Percentiles
    var echoDuringOpens: Percentiles
    var echoWhileOpen: Percentiles
    var echoDuringCloses: Percentiles
    var echoAfterCloses: Percentiles

    init(machine: MachineFacts, server: String, terminals: Int, cycles: Int, open: Percentiles, phases: Phases) {
        self.machine = machine
        self.server = server
        self.terminals = terminals
        self.cycles = cycles
        self.open = open
        echoDuringOpens = Percentiles(phases.duringOpens.snapshot())
        echoWhileOpen = Percentiles(phases.whileOpen.snapshot())
        echoDuringCloses = Percentiles(phases.duringCloses.snapshot())
        echoAfterCloses = Percentiles(phases.afterCloses.snapshot())
    }

    var markdown: String {
        func row(_ name: String, _ p: Percentiles) -> String {
            "| \(name) | \(p.count) | \(Percentiles.ms(p.p50)) | \(Percentiles.ms(p.p95)) | \(Percentiles.ms(p.p99)) | \(Percentiles.ms(p.max)) |"
        }
        return """
            Machine: \(machine.line); server: \(server); \(terminals) terminals at once, \(cycles) cycle(s)

            | measurement (ms) | n | p50 | p95 | p99 | max |
            |---|---|---|---|---|---|
            \(row("open: connect → first output (prompt)", open))
            \(row("echo in another terminal while they open", echoDuringOpens))
            \(row("echo while all \(terminals) are open", echoWhileOpen))
            \(row("echo while they close", echoDuringCloses))
            \(row("echo after they closed", echoAfterCloses))
            """
    }
}
