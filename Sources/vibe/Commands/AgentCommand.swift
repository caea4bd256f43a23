import ArgumentParser
import Foundation
import VibeServer

/// `vibe agent serve|link`: the workspace agent inside a session's container (run by the docker driver).
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "The workspace agent inside a session's container (started by `vibe serve --driver docker`).",
        subcommands: [Serve.self, Link.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Own the workspace (terminals, exec, files, fs-events) and serve links on a unix socket.")
        @Option(help: "The workspace folder.") var root = "/workspace"
        @Option(help: "The session id (for the shells' VIBE_SESSION).") var session = "session"
        @Option(help: "The unix socket links connect to.") var socket = AgentHost.defaultSocket

        func run() async throws {
            try await reporting {
                let shell = ProcessInfo.processInfo.environment["SHELL"].map { [$0] } ?? ["/bin/bash"]
                try await AgentHost.serve(root: root, shell: shell, socketPath: socket, sessionID: session)
            }
        }
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Relay stdin/stdout to the agent's socket (what the server runs through the engine).")
        @Option(help: "The agent's unix socket.") var socket = AgentHost.defaultSocket

        func run() async throws {
            try await reporting { try AgentHost.link(socketPath: socket) }
        }
    }
}
