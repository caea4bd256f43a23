/// A token bucket per client: `burst` tokens, refilled at `perSecond`.
public actor RateLimiter {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    public let burst: Double
    public let perSecond: Double
    private var buckets: [String: Bucket] = [:]

    /// Creates a limiter; `perSecond` must be positive.
    public init(burst: Int, perSecond: Double) {
        self.burst = Double(max(burst, 1))
        self.perSecond = max(perSecond, 0.001)
    }

    /// Takes one token for `client`; nil when allowed, else the seconds to wait.
    public func take(_ client: String) -> Int? {
        let now = ContinuousClock.now
        var bucket = buckets[client] ?? Bucket(tokens: burst, updated: now)
        let elapsed = Double((now - bucket.updated).milliseconds) / 1000
        bucket.tokens = min(burst, bucket.tokens + elapsed * perSecond)
        bucket.updated = now
        defer {
            buckets[client] = bucket
            if buckets.count > 10_000 { buckets = buckets.filter { $0.value.tokens < burst } }
        }
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            return nil
        }
        return Int(((1 - bucket.tokens) / perSecond).rounded(.up))
    }
}
