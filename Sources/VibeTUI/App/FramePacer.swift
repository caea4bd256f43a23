/// Coalesces redraws: at most one frame per `interval` (60 frames/s by default).
struct FramePacer {
    /// Shortest time between two frames.
    let interval: Duration
    private var lastFrame: ContinuousClock.Instant?

    /// A pacer allowing one frame per `interval`.
    init(interval: Duration = .milliseconds(16)) {
        self.interval = interval
    }

    /// True when a frame may be drawn at `now`.
    func isDue(at now: ContinuousClock.Instant) -> Bool {
        guard let lastFrame else { return true }
        return now - lastFrame >= interval
    }

    /// Milliseconds to wait at `now` before the next frame may be drawn (0 when due), rounded up.
    func millisecondsUntilDue(at now: ContinuousClock.Instant) -> Int {
        guard let lastFrame else { return 0 }
        let left = interval - (now - lastFrame)
        guard left > .zero else { return 0 }
        let (s, atto) = left.components
        return Int(s) * 1000 + Int((atto + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    /// Records that a frame was drawn at `now`.
    mutating func didDraw(at now: ContinuousClock.Instant) {
        lastFrame = now
    }
}
