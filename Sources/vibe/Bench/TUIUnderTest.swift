import CPTY
import Foundation
import TerminalEmulator
import VibeClient

/// `vibe open` running under a PTY made here, its output read into an emulator of the same size.
/// Every wait is bounded; a wait that runs out throws with what the screen showed.
final class TUIUnderTest {
    let pid: pid_t
    let master: Int32
    let screen: Terminal
    let root: String
    let statsPath: String
    private(set) var bytesRead = 0
    private var exited = false
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    private init(pid: pid_t, master: Int32, cols: Int, rows: Int, root: String) {
        self.pid = pid
        self.master = master
        self.screen = Terminal(cols: cols, rows: rows, scrollbackLimit: 0)
        self.root = root
        self.statsPath = root + "/stats"
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
        var master: Int32 = -1
        let pid = cStringArray(argv) { a in
            cStringArray(environment) { e in cpty_spawn(argv[0], a, e, cwd, &master, UInt16(rows), UInt16(cols), 0) }
        }
        guard pid > 0 else {
            throw CLIError(message: "bench: cannot start \(argv[0]) under a PTY", exitCode: VibeExit.failure)
        }
        return TUIUnderTest(pid: pid, master: master, cols: cols, rows: rows, root: root)
    }

    /// Reads what is there (waiting up to `timeoutMs` for the first bytes) into the emulator.
    private func pump(timeoutMs: Int32) {
        var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        var wait = timeoutMs
        while poll(&p, 1, wait) > 0 {
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            bytesRead += n
            buffer.withUnsafeBytes { screen.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            let replies = screen.takeReplies()
            if !replies.isEmpty { write(replies) }
            wait = 0
        }
    }

    /// Reads output until `condition` holds; false after `seconds`.
    func wait(seconds: Double, _ condition: (Terminal) -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition(screen) { return true }
            pump(timeoutMs: 5)
        }
        return condition(screen)
    }

    /// Keeps reading for `milliseconds` (the TUI must never block on its terminal).
    func pause(milliseconds: Int) throws {
        _ = wait(seconds: Double(milliseconds) / 1000) { _ in false }
    }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(master, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
            if n < 0, errno == EINTR || errno == EAGAIN { pump(timeoutMs: 1); continue }
            if n <= 0 { return }
            offset += n
        }
    }

    func type(_ text: String) { write(Array(text.utf8)) }

    func row(_ r: Int) -> String {
        var s = String.UnicodeScalarView()
        for c in 0..<screen.cols { s.append(screen.cell(row: r, col: c).scalar ?? " ") }
        return String(s)
    }

    var text: String { (0..<screen.rows).map(row).joined(separator: "\n") }

    private func failure(_ what: String) -> CLIError {
        CLIError(message: "bench tui: \(what); the screen was:\n\(text)", exitCode: VibeExit.failure)
    }

    /// Waits for the status bar's `[ready]` and the first prompt.
    func waitForReady() throws {
        guard wait(seconds: 60, { _ in row(screen.rows - 1).contains("[ready]") }) else { throw failure("not ready") }
        guard wait(seconds: 30, { _ in (0..<screen.rows - 1).contains { row($0).contains("# ") || row($0).contains("$ ") } })
        else { throw failure("no prompt") }
    }

    /// Waits for the focused pane's prompt right of column `col` and returns where typed text appears.
    func waitForPrompt(rightOf col: Int) throws -> (row: Int, col: Int) {
        var last: (Int, Int)?
        var stableSince = ContinuousClock.now
        let ok = wait(seconds: 30) { s in
            let c = s.cursor
            guard c.col > col, c.col >= 2 else { return false }
            let before = String(s.cell(row: c.row, col: c.col - 2).scalar ?? " ")
            guard before == "#" || before == "$" else { return false }
            if last.map({ $0 != (c.row, c.col) }) ?? true {
                last = (c.row, c.col)
                stableSince = .now
            }
            return ContinuousClock.now - stableSince > .milliseconds(300)
        }
        guard ok, let last else { throw failure("no prompt in the new pane") }
        return (last.0, last.1)
    }

    /// Waits until the flood shows (the left pane's rows fill with output).
    func waitForFlood() throws {
        let first = (0..<screen.rows - 1).map(row)
        guard wait(seconds: 20, { _ in (0..<screen.rows - 1).filter { row($0) != first[$0] }.count > screen.rows / 2 })
        else { throw failure("the flood did not show") }
    }

    /// Types a character then a backspace `keystrokes` times, timing each until the screen shows it.
    func measureEcho(at cell: (row: Int, col: Int), keystrokes: Int, warmup: Int) throws -> LatencySnapshot {
        let recorder = LatencyRecorder()
        let letters = Array("abcdefghijklmnopqrstuvwxz".unicodeScalars)
        for i in 0..<(warmup + keystrokes) {
            let letter = letters[i % letters.count]
            for (bytes, expected) in [([UInt8(letter.value)], letter), ([0x7f], Unicode.Scalar(" "))] {
                let start = ContinuousClock.now
                write(bytes)
                let seen = wait(seconds: 10) { s in (s.cell(row: cell.row, col: cell.col).scalar ?? " ") == expected }
                guard seen else { throw failure("echo of keystroke \(i) never showed") }
                if i >= warmup { recorder.record(ContinuousClock.now - start) }
            }
        }
        return recorder.snapshot()
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

    /// VmRSS of the process, in MiB.
    func residentMiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return kib / 1024
    }

    /// `C-b q`, then waits (bounded) for the process to end.
    func quit() {
        type("\u{02}q")
        _ = wait(seconds: 15) { _ in reap() }
    }

    /// `C-b d`, then waits (bounded) for the process to end.
    func detach() {
        type("\u{02}d")
        _ = wait(seconds: 15) { _ in reap() }
    }

    private func reap() -> Bool {
        if exited { return true }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exited = true }
        return exited
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

    /// Ends the process if it is still there (the folder stays).
    func end() {
        if !reap() {
            kill(pid, SIGTERM)
            _ = wait(seconds: 5) { _ in reap() }
            if !reap() {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
        }
        close(master)
    }
}
