import CPTY
import Foundation
import TerminalEmulator
import VibeClient

/// A terminal client (vibe's TUI, a tmux client) running under a PTY made here, its output read into one of
/// vibe's emulators of the same size: the screen a user would see. Every wait is bounded; a wait that runs
/// out throws with what the screen showed.
class PTYScreen {
    let pid: pid_t
    let master: Int32
    let screen: Terminal
    /// Names the bench in error messages ("bench tui").
    let label: String
    /// Bytes the process has written to its terminal so far.
    private(set) var bytesRead = 0
    private var exited = false
    private var closed = false
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    init(pid: pid_t, master: Int32, cols: Int, rows: Int, label: String) {
        self.pid = pid
        self.master = master
        self.screen = Terminal(cols: cols, rows: rows, scrollbackLimit: 0)
        self.label = label
    }

    /// Starts `argv` (looked up on the PATH of `environment`) under a PTY of `cols`×`rows`; its pid and the
    /// PTY's master.
    static func start(_ argv: [String], environment: [String], cwd: String, cols: Int, rows: Int) throws
        -> (pid: pid_t, master: Int32)
    {
        var master: Int32 = -1
        let pid = cStringArray(argv) { a in
            cStringArray(environment) { e in cpty_spawn(argv[0], a, e, cwd, &master, UInt16(rows), UInt16(cols), 0) }
        }
        guard pid > 0 else {
            throw CLIError(message: "bench: cannot start \(argv[0]) under a PTY", exitCode: VibeExit.failure)
        }
        return (pid, master)
    }

    /// Reads what is there (waiting up to `timeoutMs` for the first bytes) into the emulator, answering the
    /// terminal queries the process makes.
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

    /// Reads output until `condition` holds; false after `seconds`, or at once after an interrupt
    /// (`BenchInterrupt`).
    func wait(seconds: Double, _ condition: (Terminal) -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline, !BenchInterrupt.requested {
            if condition(screen) { return true }
            pump(timeoutMs: 5)
        }
        return condition(screen)
    }

    /// Keeps reading for `milliseconds` (the process must never block on its terminal).
    func pause(milliseconds: Int) throws {
        _ = wait(seconds: Double(milliseconds) / 1000) { _ in false }
    }

    /// Writes `bytes` to the process's terminal, reading its output whenever the PTY is full.
    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(master, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
            if n < 0, errno == EINTR || errno == EAGAIN { pump(timeoutMs: 1); continue }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Writes `text` (UTF-8) to the process's terminal.
    func type(_ text: String) { write(Array(text.utf8)) }

    /// Row `r` of the screen as text (an empty cell is a space).
    func row(_ r: Int) -> String {
        var s = String.UnicodeScalarView()
        for c in 0..<screen.cols { s.append(screen.cell(row: r, col: c).scalar ?? " ") }
        return String(s)
    }

    /// The whole screen as text, one line per row.
    var text: String { (0..<screen.rows).map(row).joined(separator: "\n") }

    /// An error saying `what` went wrong, with the screen as it was.
    func failure(_ what: String) -> CLIError {
        if BenchInterrupt.requested { return CLIError(message: "\(label): interrupted", exitCode: VibeExit.failure) }
        return CLIError(message: "\(label): \(what); the screen was:\n\(text)", exitCode: VibeExit.failure)
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

    /// Waits until a flood shows (more than half the rows above the status bar change).
    func waitForFlood() throws {
        let first = (0..<screen.rows - 1).map(row)
        guard wait(seconds: 20, { _ in (0..<screen.rows - 1).filter { row($0) != first[$0] }.count > screen.rows / 2 })
        else { throw failure("the flood did not show") }
    }

    /// Reads until the screen has not changed for `quietMs` (false when it still changes after `seconds`).
    func waitForQuiet(quietMs: Int, seconds: Double) -> Bool {
        var last = text
        var stableSince = ContinuousClock.now
        return wait(seconds: seconds) { _ in
            let now = self.text
            if now != last {
                last = now
                stableSince = .now
            }
            return ContinuousClock.now - stableSince > .milliseconds(quietMs)
        }
    }

    /// Types a character then a backspace `keystrokes` times at the prompt `cell`, timing each from the byte
    /// written until the screen shows it (the first `warmup` are not recorded) into `recorder`.
    func measureEcho(at cell: (row: Int, col: Int), keystrokes: Int, warmup: Int, into recorder: LatencyRecorder) throws {
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
    }

    /// VmRSS of the process, in MiB.
    func residentMiB() -> Int? {
        let mib = ProcessGauge.residentMiB(pid)
        return mib > 0 ? Int(mib) : nil
    }

    /// `C-b d` (the default prefix of both vibe and tmux), then waits (bounded) for the process to end.
    func detach() {
        type("\u{02}d")
        _ = wait(seconds: 15) { _ in reap() }
    }

    /// True once the process has ended (reaped here).
    func reap() -> Bool {
        if exited { return true }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exited = true }
        return exited
    }

    /// Ends the process if it is still there (SIGTERM, then SIGKILL after 5 s) and closes the PTY (once).
    func end() {
        if closed { return }
        if !reap() {
            kill(pid, SIGTERM)
            // Not `wait`: after an interrupt the process still gets its 5 s to end.
            let deadline = ContinuousClock.now + .seconds(5)
            while !reap(), ContinuousClock.now < deadline { pump(timeoutMs: 5) }
            if !reap() {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
        }
        close(master)
        closed = true
    }
}
