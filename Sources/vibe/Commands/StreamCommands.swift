import ArgumentParser
import Foundation
import VibeClient
import VibeProtocol

/// `vibe logs ID`: the session's logs (server events and its container's output).
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a session's logs: the server's events about it and its container's output (docker driver).",
        discussion: "Lines are TIME STREAM TEXT (streams: events, stdout, stderr); --json prints the log envelopes' payloads.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id.") var id: String
    @Option(help: "Lines of history first (0…5000).") var tail = 100
    @Flag(name: [.customShort("f"), .long], help: "Keep printing new lines until interrupted.") var follow = false
    @Option(help: "stdout, stderr, events or all.") var stream = "all"

    func run() async throws {
        let chosen: LogStream?
        if stream == "all" {
            chosen = nil
        } else if let named = LogStream(rawValue: stream) {
            chosen = named
        } else {
            throw ValidationError("--stream is stdout, stderr, events or all")
        }
        try await reporting {
            try await Connection.with(global) { c in
                for try await line in c.client.api.logs(id, tail: tail, follow: follow, stream: chosen) {
                    if global.json { Output.json(line) } else { print("\(line.time) \(line.stream.rawValue) \(line.line)") }
                    fflush(nil)
                }
            }
        }
    }
}

/// `vibe stats ID`: the session's state changes and what its workspace uses, as the status socket reports them.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Follow a session's state and its workspace's CPU, memory, processes and disk (every 2 s).",
        discussion: "Watching never resumes a suspended session. --json prints the status socket's payloads.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id.") var id: String
    @Flag(help: "Exit after the first usage line.") var once = false

    func run() async throws {
        try await reporting {
            try await Connection.with(global) { c in
                let channel = await c.client.status(id)
                let ended = await follow(channel)
                await channel.close()
                if !ended { throw CLIError(message: "vibe: the status socket closed", exitCode: VibeExit.unreachable) }
            }
        }
    }

    /// Prints until `--once` is satisfied (true) or the channel ends (false).
    private func follow(_ channel: StatusChannel) async -> Bool {
        for await message in channel.messages() {
            switch message {
            case .status(let status):
                if global.json { Output.json(status) } else { print("state \(status.state.rawValue)") }
            case .env(let env):
                if global.json {
                    Output.json(env)
                } else {
                    var line = "cpu \(env.cpu)%  mem \(Self.bytes(env.memoryBytes))"
                    if let limit = env.memoryLimitBytes { line += " of \(Self.bytes(limit))" }
                    line += "  pids \(env.pids)"
                    if let disk = env.diskBytes { line += "  disk \(Self.bytes(disk))" }
                    print(line)
                }
                if once { return true }
            }
            fflush(nil)
        }
        return false
    }

    static func bytes(_ n: Int) -> String {
        n >= 1 << 30 ? String(format: "%.1f GiB", Double(n) / Double(1 << 30))
            : n >= 1 << 20 ? String(format: "%.1f MiB", Double(n) / Double(1 << 20)) : "\(n / 1024) KiB"
    }
}
