import Foundation
import MCP
import VibeClient
import VibeProtocol

/// An MCP server (Model Context Protocol, the official Swift SDK) whose tools act on vibe sessions through a
/// ``VibeClient``: shell, files and session lifecycle for coding agents (docs/mcp.md).
///
/// Tool failures are tool results with `isError` and the typed error (`{"error":"EDIT_AMBIGUOUS","message":…,
/// "occurrences":3}`), so an agent can read and act on them; only an unknown tool is a protocol error.
public struct VibeMCPServer: Sendable {
    private let client: VibeClient
    private let defaultSession: String?

    /// - Parameters:
    ///   - client: the vibe server the tools act on.
    ///   - defaultSession: the session tools use when a call gives none (`vibe mcp --session ID`).
    public init(client: VibeClient, defaultSession: String? = nil) {
        self.client = client
        self.defaultSession = defaultSession
    }

    /// An SDK server with vibe's tools registered; start it on a transport (stdio for `vibe mcp`).
    public func makeServer() async -> Server {
        let server = Server(
            name: "vibe", version: VibeVersion.current,
            instructions: "Tools act inside a vibe session's workspace; paths are relative to it.",
            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: MCPToolCatalog.tools) }
        let runner = MCPToolRunner(api: client.api, client: client, defaultSession: defaultSession)
        await server.withMethodHandler(CallTool.self) { params in
            guard MCPToolCatalog.tools.contains(where: { $0.name == params.name }) else {
                throw MCPError.invalidParams("unknown tool \(params.name)")
            }
            return await runner.call(params.name, arguments: MCPArguments(params.arguments ?? [:]))
        }
        return server
    }

    /// Serves MCP on stdin/stdout until the client closes stdin.
    public func runOnStandardIO() async throws {
        let server = await makeServer()
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
    }
}
