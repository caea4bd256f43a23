import Foundation
import VibeClient

/// The load of `vibe bench scale` on a fleet of terminals: the first `active` ones run a loop that prints a line
/// every 100 ms and get a key every 100 ms; the next `sample` ones (idle at their prompts) get one key at a time,
/// in turn, and the time until its echo comes back is recorded.
final class ScaleLoad {
    private let fleet: TerminalFleet
    private let active: Range<Int>
    private let sampled: Range<Int>
    /// Output bytes the active terminals sent during the run.
    private(set) var activeOutputBytes = 0
    /// Keys whose echo did not come within 2 s (counted, not recorded).
    private(set) var lostEchoes = 0

    init(fleet: TerminalFleet, active: Int, sample: Int) {
        self.fleet = fleet
        let activeCount = min(active, fleet.count - 1)
        self.active = 0..<activeCount
        self.sampled = activeCount..<min(fleet.count, activeCount + sample)
    }

    /// Starts the active terminals' loops, then times `keystrokes` echoes on the sample while they run.
    func run(keystrokes: Int) throws -> LatencySnapshot {
        for index in active { try fleet.type(Array(BenchScaleCommand.busyLoop.utf8), into: index) }
        // Spread the active terminals' keys over the 100 ms period.
        let period = Duration.milliseconds(100)
        let start = ContinuousClock.now
        var nextKey = active.map { start + period * (Double($0) / Double(max(1, active.count))) }
        let recorder = LatencyRecorder()
        var probe = Probe()
        var recorded = 0
        var next = sampled.lowerBound
        while recorded < keystrokes {
            let now = ContinuousClock.now
            for index in active where nextKey[index] <= now {
                try fleet.type([UInt8(ascii: "x")], into: index)
                nextKey[index] = nextKey[index] + period
            }
            switch probe.phase {
            case .idle:
                if probe.typedOnLine[next, default: 0] >= 40 {
                    try fleet.type([0x15], into: next)
                    probe.typedOnLine[next] = 0
                    probe.phase = .clearing(next, until: now + .milliseconds(30))
                } else {
                    try fleet.type([UInt8(ascii: "a")], into: next)
                    probe.typedOnLine[next, default: 0] += 1
                    probe.phase = .waiting(next, since: now)
                }
                next = next + 1 == sampled.upperBound ? sampled.lowerBound : next + 1
            case .clearing(_, let until) where until <= now:
                probe.phase = .idle
            case .waiting(_, let since) where now - since > .seconds(2):
                lostEchoes += 1
                probe.phase = .idle
            default:
                break
            }
            try fleet.pump(timeoutMs: 1) { index, bytes in
                if active.contains(index) { activeOutputBytes += bytes.count }
                if case .waiting(let waiting, let since) = probe.phase, waiting == index, bytes.contains(UInt8(ascii: "a")) {
                    recorder.record(ContinuousClock.now - since)
                    recorded += 1
                    probe.phase = .idle
                }
            }
        }
        // Stop the loops (Ctrl-C) so the shells go quiet again.
        for index in active { try fleet.type([0x03], into: index) }
        return recorder.snapshot()
    }

    /// Where the echo measurement on the sample is.
    private struct Probe {
        enum Phase {
            case idle
            case waiting(Int, since: ContinuousClock.Instant)
            case clearing(Int, until: ContinuousClock.Instant)
        }
        var phase = Phase.idle
        /// Keys typed on each sampled terminal's line since it was last cleared.
        var typedOnLine: [Int: Int] = [:]
    }
}
