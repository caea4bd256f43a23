/// A program's synchronized update (`CSI ? 2026 h` … `CSI ? 2026 l`): while one is open, and for at most
/// ``timeout``, its pane is not drawn, so the update appears whole when it ends, never half-way.
struct SynchronizedUpdate: Equatable {
    /// Longest an update holds the drawing back (a program that never ends it is drawn anyway).
    static let timeout: Duration = .milliseconds(150)
    /// When the open update began.
    private(set) var since: ContinuousClock.Instant?

    /// Takes the mode's state after a feed.
    mutating func observe(_ open: Bool, at now: ContinuousClock.Instant) {
        if !open {
            since = nil
        } else if since == nil {
            since = now
        }
    }

    /// True while an update is open and younger than ``timeout``.
    func holds(at now: ContinuousClock.Instant) -> Bool {
        guard let since else { return false }
        return now - since < Self.timeout
    }
}
