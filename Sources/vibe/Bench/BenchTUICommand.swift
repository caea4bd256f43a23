import ArgumentParser
import Foundation
import VibeClient

/// `vibe bench tui`: the real TUI under a flood, beside tmux in the same run. Runs `vibe open` (with a server
/// of its own) and a tmux client (of a private tmux server) each under a pseudo-terminal of its own, both
/// with a window split in two, reads what each draws into vibe's emulator, and measures keystroke echo *as
/// seen on the client's screen* in the right pane, first idle, then while the left pane prints as fast as it
/// can. Blocks of keystrokes alternate between the two; during a flooded block only the measured peer's
/// flood runs (the other's is stopped and its screen quiet). vibe's frames per second come from the TUI
/// itself (`VIBE_TUI_STATS`).
struct BenchTUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Keystroke echo on the TUI's screen while another pane floods, vibe beside tmux, blocks interleaved.")
    @Option(help: "Keystrokes per phase and peer (each is a character then a backspace: two echoes).")
    var keystrokes = 200
    @Option(help: "Blocks each phase is cut into, alternating between vibe and tmux.") var blocks = 4
    @Option(help: "Warm-up keystrokes at the start of every block, not recorded.") var warmup = 5
    @Option(help: "Command run in the flooding pane (every line differs, so every frame has work); it replaces the pane's shell (exec).")
    var flood = "seq 1 2000000000"
    @Option(help: "Columns of the terminals.") var cols = 120
    @Option(help: "Rows of the terminals.") var rows = 40
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reporting {
            guard blocks > 0, keystrokes >= blocks else {
                throw CLIError(message: "bench tui: --keystrokes must be at least --blocks (> 0)", exitCode: VibeExit.usage)
            }
            BenchInterrupt.install()
            let machine = MachineFacts.collect()
            let vibe = try TUIUnderTest.launch(cols: cols, rows: rows)
            defer { vibe.stop() }
            try vibe.waitForReady()
            // Split: the new pane (right) gets the focus; its prompt cell is where echoes appear.
            vibe.type("\u{02}%")
            let vibeCell = try vibe.waitForPrompt(rightOf: cols / 2)
            let tmux = try TmuxUnderTest.launch(cols: cols, rows: rows)
            defer { tmux.stop() }
            let tmuxCell = try tmux.client.waitForPrompt(rightOf: cols / 2)
            let peers = [
                TUIPeer(
                    name: "vibe", screen: vibe, cell: vibeCell, flood: PausableFlood(pidFile: vibe.root + "/flood.pid"),
                    frameCounter: vibe.stats),
                TUIPeer(
                    name: "tmux", screen: tmux.client, cell: tmuxCell, flood: PausableFlood(pidFile: tmux.root + "/flood.pid")),
            ]
            defer { for peer in peers { peer.flood.resume() } }
            for block in 0..<blocks {
                for peer in peers { try peer.measureIdle(keystrokes: share(of: block), warmup: warmup) }
            }
            try startFloods(vibe: vibe, tmux: tmux, peers: peers)
            for block in 0..<blocks {
                for (i, peer) in peers.enumerated() {
                    let other = peers[1 - i]
                    other.flood.pause()
                    peer.flood.resume()
                    // Bounded: a screen still changing after 10 s is measured against as it is.
                    _ = other.screen.waitForQuiet(quietMs: 300, seconds: 10)
                    try peer.screen.waitForFlood()
                    try peer.measureFlooded(keystrokes: share(of: block), warmup: warmup)
                }
            }
            let report = TUIFloodReport(
                machine: machine, size: "\(cols)x\(rows)", flood: flood, keystrokes: keystrokes, blocks: blocks,
                tmuxVersion: TmuxReattachPeer.version(), vibe: TUIFloodReport.Peer(peers[0]),
                tmux: TUIFloodReport.Peer(peers[1]))
            for peer in peers { peer.flood.resume() }
            vibe.quit()
            if json { Output.json(report) } else { print(report.markdown) }
        }
    }

    /// Keystrokes of block `block` (the phase's keystrokes spread over the blocks).
    private func share(of block: Int) -> Int { keystrokes / blocks + (block < keystrokes % blocks ? 1 : 0) }

    /// Starts the flood in each left pane (vibe's typed through the TUI, which then focuses the right pane
    /// again; tmux's sent to its pane by the server) and stops each once it runs.
    private func startFloods(vibe: TUIUnderTest, tmux: TmuxUnderTest, peers: [TUIPeer]) throws {
        vibe.type("\u{02}o")
        try vibe.pause(milliseconds: 300)
        vibe.type(peers[0].flood.command(flood) + "\r")
        vibe.type("\u{02}o")
        try peers[0].flood.waitForStart(reading: vibe, seconds: 20)
        peers[0].flood.pause()
        try tmux.send(peers[1].flood.command(flood), toPane: 0)
        try peers[1].flood.waitForStart(reading: tmux.client, seconds: 20)
        peers[1].flood.pause()
    }
}
