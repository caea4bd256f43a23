import Foundation
import Synchronization
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

/// Opening many terminals at once must not stall the terminals already open: shells are started off the
/// cooperative pool. These tests check liveness only (every echo arrives within a bound far above any normal
/// latency); the speed figures are in docs/benchmarks.md (`vibe bench opens`).
@Suite("Terminal open storm")
struct TerminalOpenStormTests {
    /// An echo that has not arrived after this long counts as a stalled terminal.
    static let echoBound = 300  // polls of 50 ms: 15 s

    @Test func anOpenTerminalKeepsEchoingWhile100Open() async throws {
        try await withServer { server in
            let probeID = try await server.readySession()
            let crowdID = try await server.readySession()
            let probe = await server.client.terminal(probeID)
            let out = OutputCollector()
            await out.start(probe)
            var round = 0
            /// Types a command into the probe and waits (bounded) for its output line.
            func echoes() async throws -> Bool {
                round += 1
                let marker = "alive-\(round)\r\n"
                // The quotes keep the typed line from matching: only the command's output does.
                try await probe.sendText("echo al''ive-\(round)\r")
                return await eventually(attempts: Self.echoBound) { await out.text.contains(marker) }
            }
            #expect(try await echoes(), "the probe terminal never echoed")

            let opened = OpenCount()
            let opening = Task {
                try await withThrowingTaskGroup(of: TerminalChannel?.self) { group in
                    for i in 0..<100 {
                        group.addTask {
                            let term = await server.client.terminal(crowdID, term: "crowd-\(i)")
                            let prompt = Task {
                                for await event in term.events() {
                                    if case .output = event { return true }
                                }
                                return false
                            }
                            let deadline = Task {
                                try? await Task.sleep(for: .seconds(60))
                                prompt.cancel()
                            }
                            defer { deadline.cancel() }
                            guard await prompt.value else { return nil }
                            opened.increment()
                            return term
                        }
                    }
                    var terms: [TerminalChannel] = []
                    for try await term in group { if let term { terms.append(term) } }
                    return terms
                }
            }
            // Echo round after round while the terminals open; at least one round overlaps the opens.
            var roundsDuringOpens = 0
            repeat {
                let alive = try await echoes()
                #expect(alive, "the probe stopped echoing after \(opened.value) of 100 opens")
                if !alive { break }
                roundsDuringOpens += 1
            } while opened.value < 100 && roundsDuringOpens < 1000
            let terms = try await opening.value
            #expect(terms.count == 100, "\(terms.count) of 100 terminals showed a prompt")
            let ws = try await server.embedded.server.registry.workspace(id: crowdID, owner: nil)
            #expect(ws.activity().terminals == 100)

            // Closing them all at once does not stall the probe either, and every shell goes away.
            let closing = Task {
                await withTaskGroup(of: Void.self) { group in
                    for term in terms {
                        group.addTask {
                            try? await term.kill()
                            await term.close()
                        }
                    }
                }
            }
            #expect(try await echoes(), "the probe stopped echoing while the terminals closed")
            await closing.value
            #expect(await eventually(attempts: 600) { ws.activity().terminals == 0 })
            #expect(try await echoes())
            await probe.close()
            await out.stop()
        }
    }

    @Test func concurrentOpensOfOneNameShareOneShell() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let ws = try await server.embedded.server.registry.workspace(id: id, owner: nil)
            let results = try await withThrowingTaskGroup(of: (TerminalHub?, Bool).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let (endpoint, created) = try await ws.terminal(named: "shared", rows: 24, cols: 80)
                        return (endpoint as? TerminalHub, created)
                    }
                }
                var all: [(TerminalHub?, Bool)] = []
                for try await result in group { all.append(result) }
                return all
            }
            let hubs = results.compactMap(\.0)
            #expect(hubs.count == 20)
            #expect(Set(hubs.map { ObjectIdentifier($0) }).count == 1, "one shell for one name")
            #expect(results.filter(\.1).count == 1, "exactly one open created it")
            #expect(ws.activity().terminals == 1)
        }
    }
}

/// Terminals that showed their prompt so far (shared by the opening tasks and the probe loop).
private final class OpenCount: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
