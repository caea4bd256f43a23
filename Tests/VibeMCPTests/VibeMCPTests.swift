import Foundation
import Logging
import MCP
import Testing
import VibeClient
import VibeMCP
import VibeProtocol
import VibeServer

/// The MCP server driven by the SDK's own client over a connected pair of transports, against a real vibe
/// server with real shells.
@Suite("MCP tools")
struct VibeMCPTests {
    @Test func theToolsAreListedWithSchemas() async throws {
        try await withMCP(session: nil) { client, _ in
            let (tools, _) = try await client.listTools()
            #expect(tools.map(\.name) == [
                "shell_exec", "fs_read", "fs_write", "fs_edit", "fs_list", "fs_delete", "fs_glob", "fs_grep",
                "session_ensure", "session_status", "session_suspend",
            ])
            let edit = try #require(tools.first { $0.name == "fs_edit" })
            #expect(edit.inputSchema.objectValue?["required"] == ["path", "old", "new"])
            #expect(edit.inputSchema.objectValue?["properties"]?.objectValue?["session"] != nil)
        }
    }

    @Test func anAgentEnsuresASessionRunsCommandsAndEditsFiles() async throws {
        try await withMCP(session: "agent1") { client, _ in
            let ensured = try await client.callTool(name: "session_ensure", arguments: [:])
            #expect(ensured.isError != true)
            #expect(text(ensured.content) == "agent1 is ready")
            let exec = try await client.callTool(name: "shell_exec", arguments: ["command": "echo hi; echo oops >&2; exit 3"])
            #expect(text(exec.content) == "hi\n\nstderr:\noops\n\nexit code 3")
            _ = try await client.callTool(name: "fs_write", arguments: ["path": "src/a.py", "content": "x = 1\ny = 1\n"])
            let ambiguous = try await client.callTool(name: "fs_edit", arguments: ["path": "src/a.py", "old": "= 1", "new": "= 2"])
            #expect(ambiguous.isError == true)
            #expect(text(ambiguous.content).hasPrefix("EDIT_AMBIGUOUS: "))
            let edited = try await client.callTool(name: "fs_edit", arguments: ["path": "src/a.py", "old": "y = 1", "new": "y = 2"])
            #expect(edited.isError != true)
            #expect(text(edited.content).contains("-y = 1\n+y = 2\n"))
            let read = try await client.callTool(name: "fs_read", arguments: ["path": "src/a.py"])
            #expect(text(read.content) == "x = 1\ny = 2\n")
            let glob = try await client.callTool(name: "fs_glob", arguments: ["pattern": "**/*.py"])
            #expect(text(glob.content) == "src/a.py")
            let grep = try await client.callTool(name: "fs_grep", arguments: ["pattern": "y = \\d", "context": 1])
            #expect(text(grep.content) == "src/a.py:2:y = 2")
            let list = try await client.callTool(name: "fs_list", arguments: ["path": "src"])
            #expect(text(list.content) == "a.py  12 bytes")
            let outside = try await client.callTool(name: "fs_read", arguments: ["path": "../../etc/passwd"])
            #expect(outside.isError == true && text(outside.content).hasPrefix("PATH_OUTSIDE_WORKSPACE: "))
            let deleted = try await client.callTool(name: "fs_delete", arguments: ["path": "src", "recursive": true])
            #expect(text(deleted.content) == "deleted src (2 entries)")
        }
    }

    @Test func sessionsAreSuspendedAndResumedAndErrorsAreToolErrors() async throws {
        try await withMCP(session: nil) { client, _ in
            let missing = try await client.callTool(name: "fs_read", arguments: ["path": "a"])
            #expect(missing.isError == true && text(missing.content).hasPrefix("INVALID_REQUEST: session is required"))
            let unknown = try await client.callTool(name: "session_status", arguments: ["session": "nope"])
            #expect(unknown.isError == true && text(unknown.content).hasPrefix("SESSION_NOT_FOUND: "))
            _ = try await client.callTool(name: "session_ensure", arguments: ["session": "s2"])
            let suspended = try await client.callTool(name: "session_suspend", arguments: ["session": "s2"])
            #expect(text(suspended.content) == "s2 is suspended")
            #expect(text(try await client.callTool(name: "session_status", arguments: ["session": "s2"]).content) == "s2 is suspended")
            // Any workspace call resumes it.
            let exec = try await client.callTool(name: "shell_exec", arguments: ["session": "s2", "command": "echo back"])
            #expect(text(exec.content) == "back\n\nexit code 0")
            let badType = try await client.callTool(name: "shell_exec", arguments: ["session": "s2", "command": 5])
            #expect(badType.isError == true && text(badType.content) == "INVALID_REQUEST: command must be a string")
            let request: RequestContext<CallTool.Result> = try await client.callTool(
                name: "shell_exec", arguments: ["session": "s2", "command": "echo started; sleep 20", "timeoutMs": 300])
            let timeout = try await request.value
            #expect(timeout.isError == true && text(timeout.content).hasPrefix("EXEC_TIMEOUT: "))
            #expect(timeout.structuredContent?.objectValue?["stdout"] == "started\n")
            await #expect(throws: MCPError.self) { _ = try await client.callTool(name: "no_such_tool", arguments: [:]) }
        }
    }
}

private func text(_ content: [Tool.Content]) -> String {
    content.compactMap { item -> String? in
        if case .text(let text, _, _) = item { return text }
        return nil
    }.joined()
}

/// A real vibe server, the MCP server on it, and the SDK's client connected to it in memory.
private func withMCP(session: String?, _ body: (Client, VibeClient) async throws -> Void) async throws {
    let dir = NSTemporaryDirectory() + "vibe-mcp-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let shell = ["/bin/bash", "--norc", "--noprofile"]
    let config = ServerConfiguration(host: "127.0.0.1", port: 0, dataDir: dir, shell: shell)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let server = try await EmbeddedServer.start(configuration: config, driver: LocalDriver(dataDir: dir, shell: shell), logger: logger)
    let vibe = VibeClient(baseURL: server.baseURL, registry: ChannelRegistry(), readyWaiter: ReadyWaiter())
    let mcp = await VibeMCPServer(client: vibe, defaultSession: session).makeServer()
    let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
    let client = Client(name: "vibe-tests", version: "1")
    do {
        try await mcp.start(transport: serverTransport)
        _ = try await client.connect(transport: clientTransport)
        try await body(client, vibe)
    } catch {
        await client.disconnect()
        await mcp.stop()
        await server.stop()
        throw error
    }
    await client.disconnect()
    await mcp.stop()
    await server.stop()
}
