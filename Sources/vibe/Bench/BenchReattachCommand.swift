import ArgumentParser
import Foundation
import TerminalEmulator
import VibeClient

/// `vibe bench reattach`: how long a reattach takes, from starting the command to the screen restored
/// (both panes of a split window drawn with their output), for vibe and for `tmux attach` on the same
/// machine in the same run, rounds interleaved.
struct BenchReattachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reattach",
        abstract: "Reattach time (command start → screen restored), vibe beside tmux attach, rounds interleaved.")
    @Option(help: "Reattaches per peer.") var rounds = 20
    @Option(help: "Columns of the terminal.") var cols = 120
    @Option(help: "Rows of the terminal.") var rows = 40
    @Flag(help: "Print JSON.") var json = false

    /// What the left and right panes print; a screen showing both is restored.
    static let markers = ["LEFT-2", "RIGHT-3"]

    /// Starts a client (`argv`) under a PTY and times it until both panes' markers are on its screen;
    /// then detaches it (its prefix, then `d`: the same for vibe and tmux).
    static func timeRestore(
        _ who: String, _ argv: [String], environment: [String], cwd: String, root: String, cols: Int, rows: Int
    ) throws -> Duration {
        let start = ContinuousClock.now
        let client = try TUIUnderTest.spawn(argv, environment: environment, cwd: cwd, root: root, cols: cols, rows: rows)
        defer { client.end() }
        guard client.wait(seconds: 30, { _ in markers.allSatisfy(client.text.contains) }) else {
            throw CLIError(message: "bench reattach: \(who) did not restore the screen:\n\(client.text)", exitCode: VibeExit.failure)
        }
        let elapsed = ContinuousClock.now - start
        client.detach()
        return elapsed
    }

    func run() async throws {
        try await reporting {
            let machine = MachineFacts.collect()
            let vibe = try VibeReattachPeer(cols: cols, rows: rows)
            defer { vibe.cleanup() }
            let tmux = try TmuxReattachPeer(cols: cols, rows: rows)
            defer { tmux.cleanup() }
            _ = try vibe.reattach()
            _ = try tmux.reattach()
            let vibeTimes = LatencyRecorder()
            let tmuxTimes = LatencyRecorder()
            for _ in 0..<rounds {
                vibeTimes.record(try vibe.reattach())
                tmuxTimes.record(try tmux.reattach())
            }
            let report = ReattachReport(
                machine: machine, size: "\(cols)x\(rows)", rounds: rounds, vibe: Percentiles(vibeTimes.snapshot()),
                tmux: Percentiles(tmuxTimes.snapshot()), tmuxVersion: TmuxReattachPeer.version())
            if json { Output.json(report) } else { print(report.markdown) }
        }
    }
}

/// The figures of one `vibe bench reattach` run.
struct ReattachReport: Encodable {
    var machine: MachineFacts
    var size: String
    var rounds: Int
    var vibe: Percentiles
    var tmux: Percentiles
    var tmuxVersion: String

    var markdown: String {
        func ms(_ us: UInt64) -> String { String(format: "%.1f", Double(us) / 1000) }
        func row(_ name: String, _ p: Percentiles) -> String {
            "| \(name) | \(p.count) | \(ms(p.p50)) | \(ms(p.p95)) | \(ms(p.max)) |"
        }
        return """
            Machine: \(machine.line)
            Terminal \(size); a window split in two panes, the left after 200 lines of output; time from starting \
            the command under a PTY to both panes' last lines drawn on its screen; \(rounds) rounds, interleaved.

            | reattach | n | p50 ms | p95 ms | max ms |
            |---|---|---|---|---|
            \(row("vibe (`vibe` in the folder: server found, layout fetched, rings replayed)", vibe))
            \(row("peer: `tmux attach` (\(tmuxVersion))", tmux))
            """
    }
}

/// A vibe session with a split window, left detached; each reattach runs `vibe open` on its folder.
final class VibeReattachPeer {
    private let first: TUIUnderTest
    private let cols: Int
    private let rows: Int

    init(cols: Int, rows: Int) throws {
        self.cols = cols
        self.rows = rows
        first = try TUIUnderTest.launch(cols: cols, rows: rows)
        try first.waitForReady()
        first.type("seq 1 200; echo LEFT-$((1+1))\r")
        guard first.wait(seconds: 20, { _ in self.first.text.contains("LEFT-2") }) else {
            throw CLIError(message: "bench reattach: no output in vibe's first pane", exitCode: VibeExit.failure)
        }
        first.type("\u{02}%")
        _ = try first.waitForPrompt(rightOf: cols / 2)
        first.type("echo RIGHT-$((2+1))\r")
        guard first.wait(seconds: 20, { _ in self.first.text.contains("RIGHT-3") }) else {
            throw CLIError(message: "bench reattach: no output in vibe's second pane", exitCode: VibeExit.failure)
        }
        first.detach()
        first.end()
    }

    /// One reattach: `vibe open --workspace WS` until both panes show their output, then detach.
    func reattach() throws -> Duration {
        try BenchReattachCommand.timeRestore(
            "vibe", [TUIUnderTest.executable, "open", "--workspace", first.root + "/ws"],
            environment: TUIUnderTest.vibeEnvironment(root: first.root), cwd: first.root + "/ws", root: first.root,
            cols: cols, rows: rows)
    }

    func cleanup() { first.stop() }
}

/// A tmux server with the same split window; each reattach runs `tmux attach`.
final class TmuxReattachPeer {
    private let root: String
    private let socket: String
    private let environment: [String]
    private let cols: Int
    private let rows: Int

    init(cols: Int, rows: Int) throws {
        self.cols = cols
        self.rows = rows
        root = NSTemporaryDirectory() + "vibe-bench-tmux-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        socket = root + "/tmux.sock"
        environment = [
            "TERM=xterm-256color", "LANG=C.UTF-8", "HOME=\(root)", "SHELL=/bin/bash", "PATH=/usr/local/bin:/usr/bin:/bin",
        ]
        let tmux = ["tmux", "-S", socket, "-f", "/dev/null"]
        try run(tmux + ["new-session", "-d", "-s", "b", "-x", String(cols), "-y", String(rows)])
        try run(tmux + ["send-keys", "-t", "b", "seq 1 200; echo LEFT-$((1+1))", "Enter"])
        try run(tmux + ["split-window", "-h", "-t", "b"])
        try run(tmux + ["send-keys", "-t", "b", "echo RIGHT-$((2+1))", "Enter"])
    }

    /// One reattach: `tmux attach` until both panes show their output, then detach.
    func reattach() throws -> Duration {
        try BenchReattachCommand.timeRestore(
            "tmux", ["/usr/bin/tmux", "-S", socket, "attach", "-t", "b"], environment: environment, cwd: root,
            root: root, cols: cols, rows: rows)
    }

    func cleanup() {
        try? run(["tmux", "-S", socket, "kill-server"])
        try? FileManager.default.removeItem(atPath: root)
    }

    /// `tmux -V`.
    static func version() -> String {
        guard let pipe = popen("tmux -V", "r") else { return "tmux" }
        defer { pclose(pipe) }
        var line = [CChar](repeating: 0, count: 128)
        guard fgets(&line, Int32(line.count), pipe) != nil else { return "tmux" }
        return String(cString: line).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `argv` (found on PATH) to its end with a clean signal mask (the tmux server it may start keeps it);
    /// throws when it fails.
    private func run(_ argv: [String]) throws {
        try CleanSpawn.run(argv, environment: environment, what: "bench reattach")
    }
}
