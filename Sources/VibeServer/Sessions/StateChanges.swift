import Foundation
import Synchronization
import VibeProtocol

/// Wakes the requests that wait for a session's state to change (the status route's `waitMs` long poll).
final class StateChanges: Sendable {
    private let waiters = Mutex<[String: [UUID: AsyncStream<Void>.Continuation]]>([:])

    /// A stream that yields when session `id` changes state, with its key for ``stop(_:_:)``.
    func watch(_ id: String) -> (UUID, AsyncStream<Void>) {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let key = UUID()
        waiters.withLock { $0[id, default: [:]][key] = continuation }
        return (key, stream)
    }

    func stop(_ id: String, _ key: UUID) {
        let continuation = waiters.withLock { w -> AsyncStream<Void>.Continuation? in
            defer { if w[id]?.isEmpty == true { w[id] = nil } }
            return w[id]?.removeValue(forKey: key)
        }
        continuation?.finish()
    }

    /// Session `id` changed state (or was deleted).
    func signal(_ id: String) {
        let continuations = waiters.withLock { $0[id].map { Array($0.values) } ?? [] }
        for continuation in continuations { continuation.yield() }
    }
}

extension SessionRegistry {
    /// Longest a status request may wait for a change (`waitMs`).
    public static let maxStatusWait: Duration = .seconds(30)

    /// The status of a session, answered when its state changes or after `wait`, whichever comes first. Only a
    /// `creating` session is waited for (its change is on its way); any other state, and a wait of zero, answer
    /// at once.
    public func status(id: String, owner: String?, waitingUpTo wait: Duration) async throws(APIError) -> SessionStatus {
        let first = try status(id: id, owner: owner)
        guard wait > .zero, first.state == .creating else { return first }
        let (key, changes) = stateChanges.watch(id)
        defer { stateChanges.stop(id, key) }
        // The state may have changed between the first look and the watch: look again before waiting.
        let now = try status(id: id, owner: owner)
        guard now.state == first.state else { return now }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in changes { return } }
            group.addTask { try? await Task.sleep(for: min(wait, Self.maxStatusWait)) }
            await group.next()
            group.cancelAll()
        }
        return try status(id: id, owner: owner)
    }
}
