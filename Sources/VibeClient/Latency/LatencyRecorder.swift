import Histogram
import Synchronization

/// Percentiles of a set of latency samples, in microseconds.
public struct LatencySnapshot: Sendable, Equatable, CustomStringConvertible {
    /// Number of samples.
    public var count: UInt64
    /// Median, µs.
    public var p50: UInt64
    /// 95th percentile, µs.
    public var p95: UInt64
    /// 99th percentile, µs.
    public var p99: UInt64
    /// Smallest sample, µs (0 when empty).
    public var min: UInt64
    /// Largest sample, µs (0 when empty).
    public var max: UInt64
    /// Mean, µs.
    public var mean: Double

    /// Creates a snapshot.
    public init(count: UInt64, p50: UInt64, p95: UInt64, p99: UInt64, min: UInt64, max: UInt64, mean: Double) {
        self.count = count
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.min = min
        self.max = max
        self.mean = mean
    }

    /// No samples.
    public static let empty = LatencySnapshot(count: 0, p50: 0, p95: 0, p99: 0, min: 0, max: 0, mean: 0)

    public var description: String {
        count == 0
            ? "n=0"
            : "n=\(count) p50=\(Self.ms(p50)) p95=\(Self.ms(p95)) p99=\(Self.ms(p99)) max=\(Self.ms(max))"
    }

    static func ms(_ us: UInt64) -> String {
        let tenths = (us + 50) / 100
        return "\(tenths / 10).\(tenths % 10)ms"
    }
}

/// A thread-safe HdrHistogram of latencies in microseconds (1 µs … 1 h, 3 significant digits).
public final class LatencyRecorder: Sendable {
    private let histogram: Mutex<Histogram<UInt64>>
    /// The last snapshot, kept until a sample arrives: a TUI asks for one every frame, and working out the
    /// percentiles walks the histogram's buckets.
    private let lastSnapshot = Mutex<LatencySnapshot?>(nil)

    /// Creates an empty recorder.
    public init() {
        histogram = Mutex(Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three))
    }

    /// Records one sample in microseconds (values above the range are clamped to it).
    public func record(microseconds: UInt64) {
        histogram.withLock { h in
            _ = h.record(Swift.min(Swift.max(microseconds, 1), h.highestTrackableValue))
        }
    }

    /// Records one sample.
    public func record(_ duration: Duration) {
        let (s, atto) = duration.components
        let us = s < 0 ? 0 : UInt64(s) &* 1_000_000 &+ UInt64(atto / 1_000_000_000_000)
        record(microseconds: us)
    }

    /// The current percentiles.
    public func snapshot() -> LatencySnapshot {
        histogram.withLock { h in
            guard h.totalCount > 0 else { return .empty }
            if let last = lastSnapshot.withLock({ $0 }), last.count == h.totalCount { return last }
            let fresh = LatencySnapshot(
                count: h.totalCount, p50: h.valueAtPercentile(50), p95: h.valueAtPercentile(95),
                p99: h.valueAtPercentile(99), min: h.min, max: h.max, mean: h.mean)
            lastSnapshot.withLock { $0 = fresh }
            return fresh
        }
    }

    /// Counts per bucket for a histogram display: element i counts samples in
    /// `(bucketsMicros[i-1], bucketsMicros[i]]` (the first from 0); one extra last element counts the rest.
    /// Bounds must be ascending.
    public func distribution(bucketsMicros: [UInt64]) -> [UInt64] {
        histogram.withLock { h in
            var counts: [UInt64] = []
            var lower: UInt64 = 0
            for bound in bucketsMicros {
                counts.append(bound >= lower ? h.count(within: lower...bound) : 0)
                lower = bound &+ 1
            }
            let upper = h.highestTrackableValue
            counts.append(lower <= upper ? h.count(within: lower...upper) : 0)
            return counts
        }
    }

    /// Forgets every sample.
    public func reset() {
        histogram.withLock { h in
            h.reset()
            lastSnapshot.withLock { $0 = nil }
        }
    }
}
