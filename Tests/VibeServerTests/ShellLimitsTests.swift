import Foundation
import Logging
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

/// The local driver's shells and commands run under `--shell-max-processes` / `--shell-max-files`.
@Suite("Shell limits")
struct ShellLimitsTests {
    @Test func aShellCannotExceedItsProcessAndFileLimits() async throws {
        // RLIMIT_NPROC counts every task of a user and is not enforced for root: as root the fork loop runs
        // as `nobody` (the limit is inherited across setpriv); otherwise as us, above what we already run.
        let asRoot = geteuid() == 0
        let processes = asRoot ? 20 : Self.tasksOfThisUser() + 20
        let (server, dir) = try await Self.start(limits: ShellLimits(maxProcesses: processes, maxFiles: 64))
        do {
            _ = try await server.client.api.create(id: "limits")
            _ = try await server.client.waitReady("limits", timeout: .seconds(20))
            let term = await server.client.terminal("limits")
            let out = OutputCollector()
            await out.start(term)

            try await term.sendText("echo SO''FT; ulimit -S -u -n; echo HA''RD; ulimit -H -u -n; echo EN''D\r")
            #expect(await eventually { await out.text.contains("\r\nEND\r\n") })
            let text = await out.text
            let soft = text.components(separatedBy: "\r\nSOFT\r\n").last?.components(separatedBy: "\r\nHARD\r\n").first
            let hard = text.components(separatedBy: "\r\nHARD\r\n").last?.components(separatedBy: "\r\nEND\r\n").first
            for (name, block) in [("soft", soft), ("hard", hard)] {
                let lines = block?.components(separatedBy: "\r\n") ?? []
                #expect(lines.contains { $0.hasSuffix("(-u) \(processes)") }, "\(name) limits: \(block ?? text)")
                #expect(lines.contains { $0.hasSuffix("(-n) 64") }, "\(name) limits: \(block ?? text)")
            }

            // A loop that starts 200 background processes fails at the limit; `kill 0` ends what it started.
            let loop = "trap \"kill 0\" EXIT; n=0; while [ $n -lt 200 ]; do sleep 60 & n=$((n+1)); done; echo FORKED-$n"
            let runAs = asRoot ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : ""
            try await term.sendText("\(runAs)/bin/sh -c '\(loop)'; echo LOOP-DO''NE\r")
            #expect(await eventually(attempts: 1200) { await out.text.contains("\r\nLOOP-DONE\r\n") })
            let after = await out.text
            #expect(after.contains("Cannot fork") || after.contains("fork: Resource temporarily unavailable"), "\(after.suffix(400))")
            #expect(!after.contains("FORKED-200"))

            // Commands run through exec get the same limits.
            let exec = try await server.client.api.exec("limits", command: "ulimit -n; ulimit -Hn")
            #expect(exec.stdout == "64\n64\n")
            await term.close()
            await out.stop()
        } catch {
            await server.embedded.stop()
            try? FileManager.default.removeItem(atPath: dir)
            throw error
        }
        await server.embedded.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test func zeroLeavesTheInheritedLimits() async throws {
        let (server, dir) = try await Self.start(limits: ShellLimits(maxProcesses: 0, maxFiles: 0))
        do {
            _ = try await server.client.api.create(id: "inherit")
            _ = try await server.client.waitReady("inherit", timeout: .seconds(20))
            var ours = rlimit()
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &ours)
            let exec = try await server.client.api.exec("inherit", command: "ulimit -Hn")
            let expected = ours.rlim_max == rlim_t.max ? "unlimited\n" : "\(ours.rlim_max)\n"
            #expect(exec.stdout == expected)
        } catch {
            await server.embedded.stop()
            try? FileManager.default.removeItem(atPath: dir)
            throw error
        }
        await server.embedded.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// A server whose driver is made from the configuration (as `vibe serve` makes it), with a quiet bash.
    private static func start(limits: ShellLimits) async throws -> (server: (embedded: EmbeddedServer, client: VibeClient), dir: String) {
        let dir = NSTemporaryDirectory() + "vibe-limits-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var config = ServerConfiguration(
            host: "127.0.0.1", port: 0, dataDir: dir, shell: ["/bin/bash", "--norc", "--noprofile"])
        config.shellLimits = limits
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let embedded = try await EmbeddedServer.start(configuration: config, logger: logger)
        let client = VibeClient(baseURL: embedded.baseURL, registry: ChannelRegistry(), readyWaiter: ReadyWaiter())
        return ((embedded, client), dir)
    }

    /// Processes and threads of this user now (what RLIMIT_NPROC counts).
    private static func tasksOfThisUser() -> Int {
        let uid = "\(getuid())"
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { Int($0) != nil } ?? []
        return pids.reduce(0) { total, pid in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return total }
            let fields = status.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace) }
            guard fields.first(where: { $0.first == "Uid:" })?.dropFirst().first.map(String.init) == uid,
                let threads = fields.first(where: { $0.first == "Threads:" })?.last.flatMap({ Int($0) })
            else { return total }
            return total + threads
        }
    }
}
