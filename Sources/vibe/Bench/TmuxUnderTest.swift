import Foundation

/// A private tmux server (`tmux -L NAME -f /dev/null`, its socket folder under a temporary folder of its
/// own) holding one window split in two panes, the right one focused, with a tmux client attached to it
/// under a PTY made here: the peer of vibe's TUI in `vibe bench tui`.
final class TmuxUnderTest {
    /// The attached client; its screen is what a user of tmux would see.
    let client: PTYScreen
    /// The temporary folder (tmux's socket folder and the home of its shells).
    let root: String
    private let server: TmuxServer

    private init(client: PTYScreen, root: String, server: TmuxServer) {
        self.client = client
        self.root = root
        self.server = server
    }

    /// Starts the server with a detached session split in two, then attaches a client of `cols`×`rows`.
    /// A failure on the way kills the server and removes the folder.
    static func launch(cols: Int, rows: Int) throws -> TmuxUnderTest {
        let root = NSTemporaryDirectory() + "vibe-bench-tmux-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        chmod(root, 0o700)
        let server = TmuxServer(
            name: "vibe-bench-" + root.suffix(8),
            environment: [
                "TERM=xterm-256color", "LANG=C.UTF-8", "HOME=\(root)", "TMUX_TMPDIR=\(root)", "SHELL=/bin/bash",
                "PATH=/usr/local/bin:/usr/bin:/bin",
            ])
        do {
            try server.run(["new-session", "-d", "-s", "b", "-x", String(cols), "-y", String(rows)])
            try server.run(["split-window", "-h", "-t", "b"])
            let (pid, master) = try PTYScreen.start(
                server.command + ["attach", "-t", "b"], environment: server.environment, cwd: root, cols: cols, rows: rows)
            let client = PTYScreen(pid: pid, master: master, cols: cols, rows: rows, label: "bench tui (tmux)")
            do {
                // Attached once its status line ("[b] …") is drawn; set earlier, the option would destroy the
                // session before the client reaches it.
                guard client.wait(seconds: 20, { _ in client.row(rows - 1).hasPrefix("[b]") }) else {
                    throw client.failure("the tmux client did not attach")
                }
                // From now on the session goes with its last client: a bench killed by a signal closes the
                // client's PTY, and the emptied server exits by itself.
                try server.run(["set-option", "-t", "b", "destroy-unattached", "on"])
            } catch {
                client.end()
                throw error
            }
            return TmuxUnderTest(client: client, root: root, server: server)
        } catch {
            server.kill()
            try? FileManager.default.removeItem(atPath: root)
            throw error
        }
    }

    /// Types `text` then Enter into pane `pane` of the window (0 is the left one), not through the client.
    func send(_ text: String, toPane pane: Int) throws {
        try server.run(["send-keys", "-t", "b:0.\(pane)", "-l", text])
        try server.run(["send-keys", "-t", "b:0.\(pane)", "Enter"])
    }

    /// Ends the client, kills the server and removes the folder.
    func stop() {
        client.end()
        server.kill()
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Runs tmux commands against one private server.
struct TmuxServer {
    let name: String
    let environment: [String]

    /// `tmux -L NAME -f /dev/null`: this server, with no configuration file read.
    var command: [String] { ["tmux", "-L", name, "-f", "/dev/null"] }

    /// Runs `tmux … arguments` to its end (output discarded); throws when it fails. The first command starts the
    /// server, which keeps the signal mask it was spawned with: ``CleanSpawn`` gives it a clean one.
    func run(_ arguments: [String]) throws {
        try CleanSpawn.run(command + arguments, environment: environment, what: "bench tui")
    }

    /// `kill-server` (nothing to do when it has already exited).
    func kill() { try? run(["kill-server"]) }
}
