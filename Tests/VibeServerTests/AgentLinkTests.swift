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
            return AgentLink(transport: SocketTransport(fd: serverEnd))
        }
    }

    /// Breaks every link made so far (the agent side goes away; shells and rings stay).
    func cutLinks() {
        for fd in agentEnds.withLock({ ends in defer { ends.removeAll() }; return ends }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    func remove(_ record: SessionRecord) async throws { try await base.remove(record) }
    func persistedSessions() -> [SessionRecord] { base.persistedSessions() }
    func workspaceExists(_ record: SessionRecord) -> Bool { base.workspaceExists(record) }
    func workspaceLocation(_ record: SessionRecord) -> String? { base.workspaceLocation(record) }
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
}
