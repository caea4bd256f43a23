import ArgumentParser
import Foundation
import VibeClient
import VibeProtocol

/// `vibe ls`: the sessions of the server, with what runs in them.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List sessions: id, state, terminals, attached clients, last activity, workspace.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await reporting {
            try await Connection.with(global) { c in
                let sessions = try await c.client.api.list()
                if global.json {
                    Output.json(SessionList(sessions: sessions))
                    return
                }
                print(SessionTable.render(sessions, now: Date()))
            }
        }
    }
}

/// `vibe kill-session ID|FOLDER`: ends a session's shells and forgets it (a host folder's files stay).
struct KillSessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill-session",
        abstract: "End a session: its shells are hung up and it is forgotten (the files of a folder session stay).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id or folder.") var target: String

    func run() async throws {
        try await reporting {
            try await Connection.with(global) { c in
                let session = try await SessionTarget.resolve(target, api: c.client.api)
                let status = try await c.client.api.status(session.id)
                let answer = try await c.client.api.delete(session.id)
                if global.json {
                    Output.json(answer)
                } else {
                    Output.error(
                        "vibe: killed session \(session.id) (\(KillServerCommand.count(status.terminals ?? 0, "shell")) ended)")
                }
            }
        }
    }
}

/// `vibe kill-server`: stops the user's background server; every shell in it ends.
struct KillServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill-server",
        abstract: "Stop your background server: every shell ends; sessions are kept as suspended and resume on the next open.")
    @Flag(name: .long, help: "Machine-readable JSON output.") var json = false

    /// How long the server gets to hang up its shells before it is killed.
    static let grace: Duration = .seconds(15)

    func run() async throws {
        try await reporting {
            let base = try RuntimeDirectory.prepare()
            var stoppedAny = false
            for driver in UserServerDriver.allCases {
                let dir = base.forDriver(driver)
                guard let file = try UserServer.running(dir) else { continue }
                stoppedAny = true
                let answer = try await stop(file, dir)
                if json {
                    Output.json(answer)
                } else {
                    if driver == .local {
                        Output.error(
                            "vibe: server stopped (pid \(file.pid)); \(Self.count(answer.shells, "shell")) in "
                                + "\(Self.count(answer.sessions, "session")) ended")
                    } else {
                        // A container's agent keeps its shells without a server; the next server re-links.
                        Output.error(
                            "vibe: \(driver.rawValue) server stopped (pid \(file.pid)); its containers keep their shells "
                                + "(`vibe --driver \(driver.rawValue) kill-session ID` ends one)")
                    }
                }
            }
            if !stoppedAny {
                if json { Output.json(KillServerAnswer(pid: nil, shells: 0, sessions: 0)) }
                else { Output.error("vibe: no server running") }
            }
        }
    }

    /// SIGTERM (then SIGKILL after the grace period) to one server, counting its shells first.
    private func stop(_ file: ServerFile, _ dir: RuntimeDirectory) async throws -> KillServerAnswer {
        var shells = 0
        var sessions = 0
        if file.version == VibeVersion.current,
            let list = try? await VibeAPI(baseURL: file.baseURL, token: file.token, timeout: .seconds(5)).list()
        {
            shells = list.reduce(0) { $0 + ($1.terminals ?? 0) }
            sessions = list.filter { ($0.terminals ?? 0) > 0 }.count
        }
        kill(file.pid, SIGTERM)
        if try await !stopped(dir, within: Self.grace) {
            kill(file.pid, SIGKILL)
            _ = try await stopped(dir, within: .seconds(5))
        }
        return KillServerAnswer(pid: file.pid, shells: shells, sessions: sessions)
    }

    /// `1 shell`, `2 shells`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)" + (n == 1 ? "" : "s") }

    private func stopped(_ dir: RuntimeDirectory, within limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if !UserServer.isRunning(dir) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return !UserServer.isRunning(dir)
    }
}

/// `vibe kill-server --json`.
struct KillServerAnswer: Codable {
    var ok = true
    var pid: Int32?
    var shells: Int
    var sessions: Int
}

/// The human table of `vibe ls`.
enum SessionTable {
    static func render(_ sessions: [SessionStatus], now: Date) -> String {
        var rows = [["ID", "STATE", "TERMS", "CLIENTS", "ACTIVITY", "WORKSPACE"]]
        for s in sessions {
            rows.append([
                s.id, s.state.rawValue, String(s.terminals ?? 0), String(s.clients ?? 0),
                ago(s.lastActivityAt, now: now), s.workspace ?? "-",
            ])
        }
        let widths = (0..<rows[0].count).map { col in rows.map { $0[col].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { col, cell in
                col == row.count - 1 ? cell : cell.padding(toLength: widths[col], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// `12s ago`, `3m ago`, `2h ago`, `4d ago`, or `-`.
    static func ago(_ timestamp: String?, now: Date) -> String {
        guard let timestamp else { return "-" }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = f.date(from: timestamp) else { return "-" }
        let s = max(0, Int(now.timeIntervalSince(date)))
        if s < 60 { return "\(s)s ago" }
        if s < 3600 { return "\(s / 60)m ago" }
        if s < 86400 { return "\(s / 3600)h ago" }
        return "\(s / 86400)d ago"
    }
}
