import Foundation

/// The flood command run in a pane, made to replace the pane's shell (`echo $$ >FILE; exec FLOOD`) so that
/// its pid, read from FILE, is also its process group: the bench stops (SIGSTOP) and continues (SIGCONT)
/// the whole group, so only the peer being measured floods while the other waits. FLOOD must be a command
/// `exec` can run (a pipeline goes inside `bash -c '…'`).
final class PausableFlood {
    /// Where the pane's shell writes its pid; an absolute path outside the pane's working folder.
    let pidFile: String
    private var pid: pid_t?

    init(pidFile: String) {
        self.pidFile = pidFile
    }

    /// What to type (or send) into the pane, Enter not included.
    func command(_ flood: String) -> String { "echo $$ >\(pidFile); exec \(flood)" }

    /// Reads `screen` until the pid file names a live process (at most `seconds`).
    func waitForStart(reading screen: PTYScreen, seconds: Double) throws {
        let started = screen.wait(seconds: seconds) { _ in
            guard let text = try? String(contentsOfFile: self.pidFile, encoding: .utf8),
                let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1, kill(pid, 0) == 0
            else { return false }
            self.pid = pid
            return true
        }
        guard started else { throw screen.failure("the flood command did not start (no pid in \(pidFile))") }
    }

    /// Stops the flood's process group (its output stops; the terminal drains what was already sent).
    func pause() {
        if let pid { kill(-pid, SIGSTOP) }
    }

    /// Continues the flood's process group; also run on every exit path, so no stopped flood outlives the
    /// bench (a stopped process would not act on the SIGHUP/SIGTERM its server's end sends).
    func resume() {
        if let pid { kill(-pid, SIGCONT) }
    }
}
