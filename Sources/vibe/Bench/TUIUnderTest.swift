import CPTY
import Foundation
import TerminalEmulator
import VibeClient

/// `vibe open` (or another command sharing its temporary folder) running under a PTY made here, with the
/// vibe-specific parts: its folders, its frame counter (`VIBE_TUI_STATS`), its keys and its server's end.
final class TUIUnderTest: PTYScreen {
    let root: String
    let statsPath: String

    private init(pid: pid_t, master: Int32, cols: Int, rows: Int, root: String) {
        self.root = root
        self.statsPath = root + "/stats"
        super.init(pid: pid, master: master, cols: cols, rows: rows, label: "bench tui")
    }

    /// Starts this executable's `open` in a fresh workspace, data folder, home and runtime folder under a
    /// temporary folder (so it starts a server of its own, which `stop()` ends).
    static func launch(cols: Int, rows: Int) throws -> TUIUnderTest {
        let root = NSTemporaryDirectory() + "vibe-bench-tui-" + UUID().uuidString.prefix(8).lowercased()
        for dir in ["ws", "home", "data", "run", "state"] {
            try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        chmod(root + "/run", 0o700)
        return try spawn(
            [executable, "open", "--workspace", root + "/ws"], environment: vibeEnvironment(root: root), cwd: root + "/ws",
            root: root, cols: cols, rows: rows)
    }

    /// This executable as invoked (not /proc/self/exe): themes are found next to it.
    static var executable: String {
        let invoked = CommandLine.arguments.first ?? ""
        return invoked.hasPrefix("/") ? invoked
            : invoked.contains("/") ? FileManager.default.currentDirectoryPath + "/" + invoked
            : (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? invoked
    }

    /// The environment of a `vibe` whose files all live under `root` (home, data, runtime and state folders).
    static func vibeEnvironment(root: String) -> [String] {
        [
            "TERM=xterm-256color", "LANG=C.UTF-8", "HOME=\(root)/home", "VIBE_DATA_DIR=\(root)/data",
            "XDG_RUNTIME_DIR=\(root)/run", "XDG_STATE_HOME=\(root)/state", "VIBE_TUI_STATS=\(root)/stats",
            "SHELL=/bin/bash", "PATH=/usr/local/bin:/usr/bin:/bin",
        ]
    }

    /// Runs `argv` under a PTY of `cols`×`rows` made here; `root` is removed by `stop()` (after a `vibe
    /// kill-server` for the server a `vibe` under it may have started).
    static func spawn(_ argv: [String], environment: [String], cwd: String, root: String, cols: Int, rows: Int) throws
        -> TUIUnderTest
    {
        let (pid, master) = try start(argv, environment: environment, cwd: cwd, cols: cols, rows: rows)
        return TUIUnderTest(pid: pid, master: master, cols: cols, rows: rows, root: root)
    }

    /// Waits for the status bar's `[ready]` and the first prompt.
    func waitForReady() throws {
        guard wait(seconds: 60, { _ in row(screen.rows - 1).contains("[ready]") }) else { throw failure("not ready") }
        guard wait(seconds: 30, { _ in (0..<screen.rows - 1).contains { row($0).contains("# ") || row($0).contains("$ ") } })
        else { throw failure("no prompt") }
    }

    /// The TUI's own frame counter (`frames`, `elapsed_ms`), if readable.
    func stats() -> (frames: Int, ms: Int)? {
        guard let text = try? String(contentsOfFile: statsPath, encoding: .utf8) else { return nil }
        var values: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let v = Int(parts[1]) { values[String(parts[0])] = v }
        }
        guard let f = values["frames"], let ms = values["elapsed_ms"] else { return nil }
        return (f, ms)
    }

    /// `C-b q`, then waits (bounded) for the process to end.
    func quit() {
        type("\u{02}q")
        _ = wait(seconds: 15) { _ in reap() }
    }

    /// Ends the process if it is still there, stops the server a `vibe` under `root` started, and removes
    /// the temporary folder.
    func stop() {
        end()
        var pid: pid_t = 0
        let argv = [Self.executable, "kill-server"]
        var quiet: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&quiet)
        defer { posix_spawn_file_actions_destroy(&quiet) }
        posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0)
        let spawned = cStringArray(argv) { a in
            cStringArray(Self.vibeEnvironment(root: root)) { e in posix_spawn(&pid, argv[0], &quiet, nil, a, e) }
        }
        if spawned == 0 {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(atPath: root)
    }
}
