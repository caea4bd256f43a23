import ArgumentParser
import VibeMCP

/// `vibe mcp`: the Model Context Protocol over stdio, for coding agents (docs/mcp.md).
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve MCP tools (shell, files, sessions) on stdin/stdout for coding agents.",
        discussion: """
            Tools: shell_exec, fs_read, fs_write, fs_edit, fs_list, fs_delete, fs_glob, fs_grep, session_ensure, \
            session_status, session_suspend. Each takes a session argument, optional with --session. Without \
            --server the tools act on your own background server's sessions.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "The session tools use when a call names none.") var session: String?

    func run() async throws {
        try await reporting {
            let connection = try await Connection.open(global)
            try await VibeMCPServer(client: connection.client, defaultSession: session).runOnStandardIO()
        }
    }
}
