import Logging
import Synchronization

/// Counts open connections per peer address and in all, and refuses the ones over the caps.
final class ConnectionCounter: Sendable {
    /// Why a connection was refused.
    enum Refusal: Sendable {
        case perPeer(limit: Int)
        case total(limit: Int)
    }

    private struct State {
        var byPeer: [String: Int] = [:]
        var total = 0
        var lastLogged: ContinuousClock.Instant?
    }
    private let state = Mutex(State())
    private let perPeer: Int
    private let total: Int
    private let logger: Logger

    init(limits: ConnectionLimits, logger: Logger) {
        self.perPeer = limits.perPeer
        self.total = limits.effectiveTotal
        self.logger = logger
    }

    /// Counts a new connection from `peer`, or returns why it is refused (then it is not counted).
    func admit(peer: String) -> Refusal? {
        let (refusal, shouldLog) = state.withLock { s -> (Refusal?, Bool) in
            var refusal: Refusal?
            if s.total >= total {
                refusal = .total(limit: total)
            } else if perPeer > 0, s.byPeer[peer, default: 0] >= perPeer {
                refusal = .perPeer(limit: perPeer)
            }
            guard refusal != nil else {
                s.total += 1
                s.byPeer[peer, default: 0] += 1
                return (nil, false)
            }
            // One log line per 10 s while refusing, not one per connection.
            let now = ContinuousClock.now
            let log = s.lastLogged.map { now - $0 > .seconds(10) } ?? true
            if log { s.lastLogged = now }
            return (refusal, log)
        }
        if shouldLog, let refusal {
            let (what, limit): (String, Int) =
                switch refusal {
                case .perPeer(let l): ("connections from \(peer)", l)
                case .total(let l): ("connections in all", l)
                }
            logger.warning(
                "connection cap reached: \(what) at \(limit); refusing new ones",
                metadata: ["event": "edge.connection_cap", "peer": "\(peer)", "limit": "\(limit)"])
        }
        return refusal
    }

    /// Forgets a connection from `peer` (it closed).
    func release(peer: String) {
        state.withLock { s in
            s.total -= 1
            let left = s.byPeer[peer, default: 1] - 1
            s.byPeer[peer] = left > 0 ? left : nil
        }
    }

    /// Open connections in all (for logs and tests).
    var open: Int { state.withLock { $0.total } }
}
