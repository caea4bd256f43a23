/// Paces redraws: at most 60 frames in any second, with one frame kept in reserve for an echo.
///
/// A credit of frames grows by one per `interval` up to two. A regular frame (output, chrome) needs the full
/// credit of two and spends one, so it comes at most once per interval and always leaves one behind; an urgent
/// frame (the echo of a key typed into the focused pane) needs only that one, so it is drawn at once even in the
/// middle of a flood. Either way the frames in any stretch of time t are at most t / interval + 2.
struct FramePacer {
    /// Time for the credit to grow by one frame.
    let interval: Duration
    /// The credit at `lastFrame`, after that frame was paid for.
    private var credit = FramePacer.capacity
    private var lastFrame: ContinuousClock.Instant?
    private static let capacity = 2.0

    /// A pacer allowing one frame per `interval` on average (60 frames per second by default).
    init(interval: Duration = .nanoseconds(16_666_667)) {
        self.interval = interval
    }

    /// True when a frame (`urgent`: an echo) may be drawn at `now`.
    func isDue(at now: ContinuousClock.Instant, urgent: Bool = false) -> Bool {
        available(at: now) >= Self.price(urgent: urgent)
    }

    /// Milliseconds to wait at `now` before the next frame (`urgent`: an echo) may be drawn (0 when due), rounded up.
    func millisecondsUntilDue(at now: ContinuousClock.Instant, urgent: Bool = false) -> Int {
        let missing = Self.price(urgent: urgent) - available(at: now)
        guard missing > 0 else { return 0 }
        return Int((missing * Self.milliseconds(interval)).rounded(.up))
    }

    /// Records that a frame was drawn at `now`.
    mutating func didDraw(at now: ContinuousClock.Instant) {
        credit = max(0, available(at: now) - 1)
        lastFrame = now
    }

    /// The credit needed before drawing: a regular frame keeps one frame in reserve for an echo.
    private static func price(urgent: Bool) -> Double { urgent ? 1 : capacity }

    private func available(at now: ContinuousClock.Instant) -> Double {
        guard let lastFrame else { return Self.capacity }
        let grown = Self.milliseconds(now - lastFrame) / Self.milliseconds(interval)
        return min(Self.capacity, credit + grown)
    }

    private static func milliseconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) * 1000 + Double(atto) / 1e15
    }
}
