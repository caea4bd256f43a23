import Foundation
import Synchronization
import VibeProtocol

/// Why a socket connection ended.
public enum DisconnectReason: Sendable, Equatable, CustomStringConvertible {
    /// The server closed with a code; `error`/`message` come from the JSON close reason when present.
    case closed(code: UInt16, error: ErrorCode?, message: String?)
    /// The connection dropped without a close frame.
    case connectionLost
    /// Connecting failed (refused, upgrade rejected, timeout, …).
    case transport(String)
    /// `waitReady` after a 4409 close failed for good.
    case sessionFailed(ErrorCode)
    /// The client closed the channel.
    case closedByClient
    /// The server stayed unreachable for the whole reconnect budget (``ChannelOptions/reconnectFor``);
    /// `last` is why the last attempt failed.
    indirect case gaveUp(after: Duration, last: DisconnectReason)

    /// True when the client must not reconnect on its own (``CloseCode/isFinal(_:)``, client close, failed session).
    public var isFinal: Bool {
        switch self {
        case .closed(let code, _, _): return CloseCode.isFinal(code)
        case .connectionLost, .transport: return false
        case .sessionFailed, .closedByClient, .gaveUp: return true
        }
    }

    public var description: String {
        switch self {
        case .closed(let code, let error, let message):
            return "closed \(code)" + (error.map { " \($0.rawValue)" } ?? "") + (message.map { ": \($0)" } ?? "")
        case .connectionLost: return "connection lost"
        case .transport(let text): return "connect failed: \(text)"
        case .sessionFailed(let code): return "session failed: \(code.rawValue)"
        case .closedByClient: return "closed by client"
        case .gaveUp(let after, let last):
            return "server unreachable for \(Int(BackoffPolicy.seconds(after).rounded())) s, gave up (last error: \(last))"
        }
    }

    /// Builds the reason of a close frame, decoding the JSON reason (`{"ok":false,"error":…}`) when present.
    public static func fromClose(code: UInt16, reason: String?) -> DisconnectReason {
        guard let reason, !reason.isEmpty else { return .closed(code: code, error: nil, message: nil) }
        if let body = try? JSONDecoder().decode(CloseReason.self, from: Data(reason.utf8)) {
            return .closed(code: code, error: body.error, message: body.message)
        }
        return .closed(code: code, error: nil, message: reason)
    }
}

/// The connection state of a reconnecting channel.
public enum ChannelState: Sendable, Equatable {
    /// The first connection attempt is under way.
    case connecting
    /// Upgraded and the server's first frame arrived.
    case connected
    /// The connection ended; a retry follows after `retryIn` (nil when none will).
    case disconnected(reason: DisconnectReason, retryIn: Duration?)
    /// The session answered 4409; waiting for it to be ready before reconnecting.
    case waitingForReady
    /// Reconnect attempt number `attempt` (1-based) is under way.
    case reconnecting(attempt: Int)
    /// Closed for good; no more reconnects.
    case closed(DisconnectReason)
}

/// What a channel's observers see: every state change plus one start and one end per outage.
public enum ChannelEvent: Sendable, Equatable {
    /// The state changed.
    case state(ChannelState)
    /// A live (or first) connection was lost and the channel is trying to get back: show the banner.
    case outageStarted(DisconnectReason)
    /// The outage is over: connected again (`recovered`) or closed for good.
    case outageEnded(recovered: Bool, downtime: Duration)
}

/// A multi-subscriber broadcast of `Element`s; each subscriber first gets the latest value, if any.
final class Broadcast<Element: Sendable>: Sendable {
    private struct State {
        var last: Element?
        var subscribers: [Int: AsyncStream<Element>.Continuation] = [:]
        var nextID = 0
        var finished = false
        var everSubscribed = false
        var backlog: [Element] = []
    }
    private let state = Mutex(State())
    private let replayLast: Bool
    private let backlogLimit: Int

    /// - Parameters:
    ///   - replayLast: a new subscriber first gets the latest element.
    ///   - backlogLimit: elements kept until the first subscriber arrives (oldest dropped beyond).
    init(replayLast: Bool, backlogLimit: Int = 0) {
        self.replayLast = replayLast
        self.backlogLimit = backlogLimit
    }

    func subscribe(bufferingNewest limit: Int? = nil) -> AsyncStream<Element> {
        let policy: AsyncStream<Element>.Continuation.BufferingPolicy =
            limit.map { .bufferingNewest($0) } ?? .unbounded
        let (stream, continuation) = AsyncStream<Element>.makeStream(bufferingPolicy: policy)
        let id: Int? = state.withLock { s in
            if replayLast, let last = s.last { continuation.yield(last) }
            if !s.everSubscribed {
                s.everSubscribed = true
                for e in s.backlog { continuation.yield(e) }
                s.backlog = []
            }
            if s.finished { return nil }
            let id = s.nextID
            s.nextID += 1
            s.subscribers[id] = continuation
            return id
        }
        if let id {
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
            }
        } else {
            continuation.finish()
        }
        return stream
    }

    func yield(_ element: Element) {
        state.withLock { s in
            s.last = element
            if !s.everSubscribed, backlogLimit > 0 {
                s.backlog.append(element)
                if s.backlog.count > backlogLimit { s.backlog.removeFirst() }
            }
            for c in s.subscribers.values { c.yield(element) }
        }
    }

    func finish() {
        let subs = state.withLock { s in
            s.finished = true
            let subs = s.subscribers
            s.subscribers = [:]
            return subs
        }
        for c in subs.values { c.finish() }
    }

    var last: Element? { state.withLock { $0.last } }
}

/// Tracks states and turns them into ``ChannelEvent``s with exactly one outage start/end per outage.
final class ChannelStateTracker: Sendable {
    private struct State {
        var current: ChannelState = .connecting
        var outageSince: ContinuousClock.Instant?
    }
    private let state = Mutex(State())
    let events = Broadcast<ChannelEvent>(replayLast: false, backlogLimit: 256)
    let states = Broadcast<ChannelState>(replayLast: true)

    init() { states.yield(.connecting) }

    var current: ChannelState { state.withLock { $0.current } }

    func set(_ new: ChannelState) {
        let out: [ChannelEvent] = state.withLock { s in
            guard s.current != new else { return [] }
            s.current = new
            var out: [ChannelEvent] = [.state(new)]
            switch new {
            case .connected:
                if let since = s.outageSince {
                    s.outageSince = nil
                    out.append(.outageEnded(recovered: true, downtime: ContinuousClock.now - since))
                }
            case .disconnected(let reason, let retryIn) where retryIn != nil:
                if s.outageSince == nil {
                    s.outageSince = .now
                    out.append(.outageStarted(reason))
                }
            case .closed:
                if let since = s.outageSince {
                    s.outageSince = nil
                    out.append(.outageEnded(recovered: false, downtime: ContinuousClock.now - since))
                }
            default: break
            }
            return out
        }
        for e in out {
            events.yield(e)
            if case .state(let st) = e { states.yield(st) }
        }
        if case .closed = new {
            events.finish()
            states.finish()
        }
    }
}
