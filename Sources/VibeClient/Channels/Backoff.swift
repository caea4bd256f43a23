import Synchronization

/// A source of uniform random numbers in `0..<1`, injectable so that backoff is deterministic in tests.
public struct JitterSource: Sendable {
    private let draw: @Sendable () -> Double

    /// Wraps a closure returning values in `0..<1` (values outside are clamped).
    public init(_ draw: @escaping @Sendable () -> Double) { self.draw = draw }

    /// The next value, clamped to `0...1`.
    public func next() -> Double { min(1, max(0, draw())) }

    /// The system random generator.
    public static let system = JitterSource { Double.random(in: 0..<1) }

    /// Always the same value (e.g. `1` gives the un-jittered ceiling, `0` gives zero delay for full jitter).
    public static func constant(_ value: Double) -> JitterSource { JitterSource { value } }

    /// The given values in turn, repeating the last one when exhausted.
    public static func sequence(_ values: [Double]) -> JitterSource {
        let state = Mutex(values[...])
        return JitterSource {
            state.withLock { rest in
                guard let first = rest.first else { return 0 }
                if rest.count > 1 { rest.removeFirst() }
                return first
            }
        }
    }
}

/// Exponential backoff settings.
///
/// The ceiling of attempt `n` (0-based) is `min(maximum, initial * multiplier^n)`; the delay is drawn from it
/// according to ``Jitter``.
public struct BackoffPolicy: Sendable, Equatable {
    /// How the delay is drawn from the ceiling.
    public enum Jitter: Sendable, Equatable {
        /// `random(0...ceiling)` ("full jitter"): the default for reconnects.
        case full
        /// `ceiling/2 + random(0...ceiling/2)`: never less than half the ceiling; used for polling.
        case equal
        /// Exactly the ceiling.
        case none
    }

    /// Ceiling of the first retry.
    public var initial: Duration
    /// Largest ceiling.
    public var maximum: Duration
    /// Growth factor per attempt.
    public var multiplier: Double
    /// How the delay is drawn.
    public var jitter: Jitter
    /// A connection that stayed up at least this long resets the backoff.
    public var healthyAfter: Duration

    /// Creates a policy.
    public init(
        initial: Duration = .milliseconds(250), maximum: Duration = .seconds(10), multiplier: Double = 2,
        jitter: Jitter = .full, healthyAfter: Duration = .seconds(5)
    ) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = jitter
        self.healthyAfter = healthyAfter
    }

    /// The reconnect default: 250 ms doubling to a 10 s cap, full jitter, reset after 5 s of health.
    public static let reconnect = BackoffPolicy()

    /// The un-jittered ceiling of attempt `attempt` (0-based).
    public func ceiling(attempt: Int) -> Duration {
        let initialSeconds = Self.seconds(initial)
        let maxSeconds = Self.seconds(maximum)
        let grown = initialSeconds * pow(multiplier, Double(max(0, min(attempt, 64))))
        let capped = grown.isFinite ? min(grown, maxSeconds) : maxSeconds
        return .nanoseconds(Int64((capped * 1e9).rounded()))
    }

    /// The delay of attempt `attempt` given a uniform random `unit` in `0...1`.
    public func delay(attempt: Int, unit: Double) -> Duration {
        let c = Self.seconds(ceiling(attempt: attempt))
        let u = min(1, max(0, unit))
        let s: Double
        switch jitter {
        case .full: s = c * u
        case .equal: s = c / 2 + c / 2 * u
        case .none: s = c
        }
        return .nanoseconds(Int64((s * 1e9).rounded()))
    }

    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) / 1e18
    }

    private func pow(_ base: Double, _ exp: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exp) { result *= base }
        return result
    }
}

/// The running state of a backoff: which attempt comes next.
public struct Backoff: Sendable {
    /// The settings.
    public let policy: BackoffPolicy
    /// The random source.
    public let random: JitterSource
    /// The 0-based number of the next attempt (number of delays drawn since the last reset).
    public private(set) var attempt: Int = 0

    /// Creates a backoff at attempt 0.
    public init(policy: BackoffPolicy = .reconnect, random: JitterSource = .system) {
        self.policy = policy
        self.random = random
    }

    /// The next delay; advances the attempt counter.
    public mutating func next() -> Duration {
        let d = policy.delay(attempt: attempt, unit: random.next())
        attempt += 1
        return d
    }

    /// Back to attempt 0 (after a healthy connection).
    public mutating func reset() { attempt = 0 }
}
