import Foundation

/// Suspends sessions that nobody uses: no socket attached and no terminal input or output for `limit`.
struct IdleSuspender {
    let registry: SessionRegistry
    let limit: Duration

    /// Checks every quarter of the limit (at most every 30 s) until cancelled.
    func run() async {
        var idleSince: [String: ContinuousClock.Instant] = [:]
        let every = min(limit / 4, .seconds(30))
        while !Task.isCancelled {
            try? await Task.sleep(for: max(every, .milliseconds(50)))
            let now = ContinuousClock.now
            var seen: Set<String> = []
            for (id, activity) in await registry.readyActivity() {
                seen.insert(id)
                if activity.clients > 0 {
                    idleSince[id] = nil
                    continue
                }
                // Idle from the later of: first seen without clients, the last terminal activity.
                var since = idleSince[id] ?? now
                if let last = activity.lastActivity {
                    let age = Duration.milliseconds(Int64(max(0, Date().timeIntervalSince(last)) * 1000))
                    since = max(since, now - age)
                }
                idleSince[id] = since
                if now - since >= limit {
                    idleSince[id] = nil
                    await registry.suspend(id: id)
                }
            }
            idleSince = idleSince.filter { seen.contains($0.key) }
        }
    }
}
