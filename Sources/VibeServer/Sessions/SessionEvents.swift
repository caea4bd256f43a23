import Foundation
import Synchronization
import VibeProtocol

/// The server's events about each session (creation steps, ready, failures, suspends, exec runs), kept as
/// log lines for the logs socket: the last ``keep`` per session, and live to every follower.
public final class SessionEvents: Sendable {
    /// Lines kept per session.
    public static let keep = 500

    private struct Log {
        var lines: [LogEntry] = []
        var followers: [UUID: AsyncStream<LogEntry>.Continuation] = [:]
    }
    private let logs = Mutex<[String: Log]>([:])

    public init() {}

    /// Adds a line to session `id`'s events.
    public func record(_ id: String, _ line: String) {
        let entry = LogEntry(time: LogTime.now(), stream: .events, line: line)
        let followers = logs.withLock { logs -> [AsyncStream<LogEntry>.Continuation] in
            var log = logs[id] ?? Log()
            log.lines.append(entry)
            if log.lines.count > Self.keep { log.lines.removeFirst(log.lines.count - Self.keep) }
            logs[id] = log
            return Array(log.followers.values)
        }
        for follower in followers { follower.yield(entry) }
    }

    /// The last `count` lines, and (when `follow`) a stream of the lines after them, with its id for
    /// ``unfollow(_:_:)``.
    func tail(_ id: String, count: Int, follow: Bool) -> (lines: [LogEntry], live: (UUID, AsyncStream<LogEntry>)?) {
        logs.withLock { logs in
            let lines = Array((logs[id]?.lines ?? []).suffix(count))
            guard follow else { return (lines, nil) }
            let (stream, continuation) = AsyncStream<LogEntry>.makeStream(bufferingPolicy: .bufferingNewest(Self.keep))
            let key = UUID()
            logs[id, default: Log()].followers[key] = continuation
            return (lines, (key, stream))
        }
    }

    /// Stops a follower.
    func unfollow(_ id: String, _ key: UUID) {
        let continuation = logs.withLock { $0[id]?.followers.removeValue(forKey: key) }
        continuation?.finish()
    }

    /// Forgets a deleted session's lines and ends its followers.
    func forget(_ id: String) {
        let followers = logs.withLock { $0.removeValue(forKey: id)?.followers.values.map { $0 } ?? [] }
        for follower in followers { follower.finish() }
    }
}

/// Log timestamps: ISO 8601 with milliseconds, UTC.
enum LogTime {
    static func now() -> String { string(Date()) }

    static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
