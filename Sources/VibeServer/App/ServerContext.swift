import Logging

/// What every route and socket handler shares.
struct ServerContext: Sendable {
    let registry: SessionRegistry
    let authenticator: Authenticator
    let createLimiter: RateLimiter
    let logger: Logger
    let started: ContinuousClock.Instant
    /// Create/open may take a host folder (the user's own server).
    let allowHostFolders: Bool
    /// Input bytes taken per terminal client, for exactly-once input across reconnects.
    let inputLedger = InputLedger()
    /// The server's metrics.
    var metrics: ServerMetrics { registry.metrics }
}
