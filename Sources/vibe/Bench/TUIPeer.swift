import Foundation
import VibeClient

/// One terminal under test in `vibe bench tui` (vibe's TUI, or a tmux client): its screen, the prompt cell
/// its echoes appear at, the flood of its other pane, and what was measured on it, block by block.
final class TUIPeer {
    let name: String
    let screen: PTYScreen
    let cell: (row: Int, col: Int)
    let flood: PausableFlood
    /// Echo with nothing else running.
    let idle = LatencyRecorder()
    /// Echo while the other pane floods.
    let flooded = LatencyRecorder()
    /// Reads the terminal's own frame counter (frames, elapsed ms), when it has one.
    private let frameCounter: () -> (frames: Int, ms: Int)?
    private var floodBytes = 0
    private(set) var floodSeconds = 0.0
    private var frames = 0
    private var frameMs = 0

    init(
        name: String, screen: PTYScreen, cell: (row: Int, col: Int), flood: PausableFlood,
        frameCounter: @escaping () -> (frames: Int, ms: Int)? = { nil }
    ) {
        self.name = name
        self.screen = screen
        self.cell = cell
        self.flood = flood
        self.frameCounter = frameCounter
    }

    /// One block of keystrokes with no flood.
    func measureIdle(keystrokes: Int, warmup: Int) throws {
        try screen.measureEcho(at: cell, keystrokes: keystrokes, warmup: warmup, into: idle)
    }

    /// One block of keystrokes while this peer's flood runs (the caller has continued it), adding up the
    /// time, the bytes the terminal wrote and the frames it counted.
    func measureFlooded(keystrokes: Int, warmup: Int) throws {
        let before = frameCounter()
        let bytesBefore = screen.bytesRead
        let start = ContinuousClock.now
        try screen.measureEcho(at: cell, keystrokes: keystrokes, warmup: warmup, into: flooded)
        let (s, atto) = (ContinuousClock.now - start).components
        floodSeconds += Double(s) + Double(atto) / 1e18
        floodBytes += screen.bytesRead - bytesBefore
        if let before, let after = frameCounter(), after.ms > before.ms {
            frames += after.frames - before.frames
            frameMs += after.ms - before.ms
        }
    }

    /// Frames drawn per second during the flooded blocks (nil with no frame counter).
    var fps: Double? { frameMs > 0 ? Double(frames) * 1000 / Double(frameMs) : nil }

    /// What the terminal wrote per second during the flooded blocks.
    var outputKiBPerSecond: Double { floodSeconds > 0 ? Double(floodBytes) / floodSeconds / 1024 : 0 }
}
