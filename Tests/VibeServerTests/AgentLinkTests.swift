import Foundation
import Logging
import Synchronization
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

/// A driver whose workspaces are served by the workspace agent's own code (`AgentService` over a
/// `LocalWorkspace`) through real socket pairs: everything the docker driver does but the engine.
/// `cutLinks()` breaks every link the way a server restart or a network cut would.
final class AgentSocketDriver: SessionDriver {
    let base: LocalDriver
    private let agents = Mutex<[String: LocalWorkspace]>([:])
    private let agentEnds = Mutex<[Int32]>([])
    /// Links made so far (the first, then one per reconnect after a cut).
    let linksMade = Mutex(0)
    var name: String { "agent-test" }

    init(dataDir: String) { base = LocalDriver(dataDir: dataDir, shell: ["/bin/bash", "--norc", "--noprofile"]) }

    func start(_ record: SessionRecord, steps: StepTimer) async throws -> any Workspace {
        let local = try await base.start(record, steps: steps)
        guard let agent = local as? LocalWorkspace else { throw APIError(.internalError, "not local") }
        agents.withLock { $0[record.id] = agent }
        return AgentWorkspace { [self] in
            var fds: [Int32] = [0, 0]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else {
                throw APIError(.internalError, "socketpair failed")
            }
            let (serverEnd, agentEnd) = (fds[0], fds[1])
            agentEnds.withLock { $0.append(agentEnd) }
            linksMade.withLock { $0 += 1 }
            let service = AgentService(workspace: agent, output: agentEnd)
            Task {
                await service.run(input: agentEnd)
                close(agentEnd)
            }
            return AgentLink(transport: PartitionableTransport(SocketTransport(fd: serverEnd), partition: partition))
        }
    }

    /// While set, what the server sends to any agent is lost on the way, as in a network partition the
    /// server has not noticed yet: its link still looks open. Counts the bytes lost.
    let partition = Partition()

    /// The agent's own workspace of session `id` (its terminals, as the agent sees them).
    func agentWorkspace(_ id: String) -> LocalWorkspace? { agents.withLock { $0[id] } }

    /// Breaks every link made so far (the agent side goes away; shells and rings stay).
    func cutLinks() {
        for fd in agentEnds.withLock({ ends in defer { ends.removeAll() }; return ends }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    func remove(_ record: SessionRecord) async throws { try await base.remove(record) }
    func persistedSessions() -> [SessionRecord] { base.persistedSessions() }
    func workspaceExists(_ record: SessionRecord) -> Bool { base.workspaceExists(record) }
    func workspaceLocation(_ record: SessionRecord) -> String? { base.workspaceLocation(record) }
}

/// Whether the server's bytes to agents are being lost, and how many were.
final class Partition: Sendable {
    private let state = Mutex<(active: Bool, lost: Int)>((false, 0))

    func withLock<T>(_ body: (inout (active: Bool, lost: Int)) -> T) -> T { state.withLock { body(&$0) } }
}

/// A link transport that loses what the server sends while the driver's partition is active.
final class PartitionableTransport: AgentTransport {
    private let inner: SocketTransport
    private let partition: Partition
    var incoming: AsyncStream<[UInt8]> { inner.incoming }

    init(_ inner: SocketTransport, partition: Partition) {
        self.inner = inner
        self.partition = partition
    }

    func send(_ bytes: [UInt8]) async throws {
        let lost = partition.withLock { p in
            if p.active { p.lost += bytes.count }
            return p.active
        }
        if !lost { try await inner.send(bytes) }
    }

    func close() async { await inner.close() }
}

@Suite("Workspace agent link")
struct AgentLinkTests {
    func withAgentServer(_ body: (VibeClient, AgentSocketDriver) async throws -> Void) async throws {
        let dir = NSTemporaryDirectory() + "vibe-agent-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let driver = AgentSocketDriver(dataDir: dir)
        let server = try await EmbeddedServer.start(
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, dataDir: dir), driver: driver, logger: logger)
        let client = VibeClient(baseURL: server.baseURL, registry: ChannelRegistry(), readyWaiter: ReadyWaiter())
        do {
            try await body(client, driver)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func execFilesAndEventsGoThroughTheAgent() async throws {
        try await withAgentServer { client, _ in
            _ = try await client.api.create(id: "ag1")
            _ = try await client.waitReady("ag1", timeout: .seconds(20))
            let run = try await client.api.exec("ag1", command: "echo out; echo err >&2; exit 3")
            #expect(run.exitCode == 3 && run.stdout == "out\n" && run.stderr == "err\n")
            let fs = FSCollector()
            let channel = await client.fsEvents("ag1")
            await fs.start(channel)
            #expect(await eventually { await fs.snapshots.count == 1 })
            try await client.api.writeFile("ag1", path: "dir/a.txt", text: "from the api")
            #expect(try await client.api.exec("ag1", command: "cat dir/a.txt").stdout == "from the api")
            _ = try await client.api.exec("ag1", command: "echo from-the-shell > b.txt")
            #expect(try await client.api.readFile("ag1", path: "b.txt").content == "from-the-shell\n")
            #expect(await eventually { await fs.events.contains { $0.path == "b.txt" } })
            #expect(try await client.api.tree("ag1").root.children?.map(\.name).contains("dir") == true)
            await #expect {
                _ = try await client.api.readFile("ag1", path: "../../etc/passwd")
            } throws: { ($0 as? VibeClientError)?.serverError?.code == .pathOutsideWorkspace }
            await channel.close()
            await fs.stop()
        }
    }

    @Test func theShellOutlivesACutLinkAndOutputArrivesExactlyOnce() async throws {
        try await withAgentServer { client, driver in
            _ = try await client.api.create(id: "ag2")
            _ = try await client.waitReady("ag2", timeout: .seconds(20))
            let term = await client.terminal("ag2")
            let out = OutputCollector()
            await out.start(term)
            try await term.sendText("echo PID-$$\r")
            #expect(await eventually { await out.text.range(of: "PID-[0-9]+\r\n", options: .regularExpression) != nil })
            let pid = try #require(await out.text.components(separatedBy: "PID-").last?.prefix { $0.isNumber })
            let count = 2000
            // Pauses every 100 lines keep the output flowing for about a second, across the cuts.
            try await term.sendText(
                "echo BEGIN-RUN; for i in $(seq 1 \(count)); do echo L$i; [ $((i % 100)) = 0 ] && sleep 0.05; done; echo END-OF-RUN\r")
            for _ in 0..<3 {
                try await Task.sleep(for: .milliseconds(150))
                driver.cutLinks()
            }
            #expect(await eventually(attempts: 600) { await out.text.contains("\nEND-OF-RUN\r\n") })
            #expect(try await ResumeCheck.linesExactlyOnce(await out.text, count: count))
            #expect(driver.linksMade.withLock { $0 } >= 2, "the link was cut and made again")
            try await term.sendText("echo SAME-$$\r")
            #expect(await eventually { await out.text.contains("SAME-\(pid)") })
            let status = try await client.api.status("ag2")
            #expect(status.terminals == 1)
            await out.stop()
            await term.close()
        }
    }

    @Test func keysLostWithALinkReachTheShellOnceThroughTheNext() async throws {
        try await withAgentServer { client, driver in
            _ = try await client.api.create(id: "ag3")
            _ = try await client.waitReady("ag3", timeout: .seconds(20))
            let term = await client.terminal("ag3")
            let out = OutputCollector()
            await out.start(term)
            // Quotes keep what the shell prints apart from what the terminal echoes of the command.
            try await term.sendText("echo U\"\"P\r")
            #expect(await eventually { await out.text.contains("UP\r\n") })
            let rounds = 3
            for round in 1...rounds {
                // The server takes the keys (the socket is fine) and posts them on a link that loses them.
                driver.partition.withLock { $0 = (true, 0) }
                try await term.sendText("echo TYPED-\(round)-\"\"OK\r")
                #expect(await eventually { driver.partition.withLock { $0.lost } > 0 }, "round \(round): keys went out")
                driver.cutLinks()
                driver.partition.withLock { $0.active = false }
                #expect(await eventually(attempts: 600) { await out.text.contains("TYPED-\(round)-OK\r\n") })
            }
            let text = await out.text
            for round in 1...rounds {
                #expect(text.components(separatedBy: "TYPED-\(round)-OK\r\n").count == 2, "round \(round): once")
            }
            #expect(driver.linksMade.withLock { $0 } > rounds)
            await out.stop()
            await term.close()
        }
    }

    @Test func theAgentTakesResentKeysOnce() async throws {
        try await withAgentServer { client, driver in
            _ = try await client.api.create(id: "ag4")
            _ = try await client.waitReady("ag4", timeout: .seconds(20))
            let term = await client.terminal("ag4")
            let out = OutputCollector()
            await out.start(term)
            try await term.sendText("echo U\"\"P\r")
            #expect(await eventually { await out.text.contains("UP\r\n") })
            let hub = try #require(driver.agentWorkspace("ag4")?.existingTerminal("main"))
            let start = hub.inputTaken
            let line = Array("echo ONCE-\"\"OK\r".utf8)
            // The same keys three times (a dying link's and the next link's copies), then overlapping.
            hub.write(Array(line.prefix(6)), from: start)
            hub.write(Array(line.prefix(6)), from: start)
            hub.write(line, from: start)
            hub.write(line, from: start)
            #expect(hub.inputTaken == start + UInt64(line.count))
            // Written past the relay, so unnumbered; the shell runs it after the line above.
            hub.write(Array("echo AFTER-\"\"OK\r".utf8), from: nil)
            #expect(await eventually { await out.text.contains("AFTER-OK\r\n") })
            #expect(await out.text.components(separatedBy: "ONCE-OK\r\n").count == 2)
            await out.stop()
            await term.close()
        }
    }
}
