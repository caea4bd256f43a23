import Foundation
import Logging
import NIOCore
import Synchronization
import VibeProtocol
import WSClient

extension VibeAPI {
    /// The logs socket of `session` (`/container/{id}/logs`): its last `tail` lines, then (with `follow`) new ones.
    /// One connection, not resumed after a drop: the stream ends when the socket closes normally, and throws
    /// ``VibeClientError/server(_:)`` for a close with an error (session not found, forbidden, bad query) or
    /// ``VibeClientError/transport(_:description:)`` when the connection is lost.
    ///
    /// The client pings right after connecting: a connection on which nothing at all arrives within 10 s (not the
    /// pong, not a line, not the close; the WebSocket library now and then misses a server's first frames) is
    /// made again, at most three times, before anything was handed out.
    public func logs(_ session: String, tail: Int = 100, follow: Bool = true, stream: LogStream? = nil)
        -> AsyncThrowingStream<LogEntry, any Error>
    {
        var query = [("tail", String(tail)), ("follow", follow ? "1" : "0")]
        if let stream { query.append(("stream", stream.rawValue)) }
        let url = socketURL(path: Routes.logsSocket(Self.segment(session)), query: query)
        let (lines, continuation) = AsyncThrowingStream<LogEntry, any Error>.makeStream()
        let task = Task {
            for attempt in 1...LogsConnection.attempts {
                let connection = LogsConnection(url: url, lines: continuation)
                switch await connection.run() {
                case .ended(let error):
                    continuation.finish(throwing: error)
                    return
                case .silent where attempt < LogsConnection.attempts:
                    continue
                case .silent:
                    continuation.finish(
                        throwing: VibeClientError.transport(.timeout, description: "logs socket: nothing arrived in 10 s"))
                    return
                }
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return lines
    }
}

/// One connection of a logs reader.
private final class LogsConnection: Sendable {
    static let attempts = 3
    static let silenceLimit: Duration = .seconds(10)

    enum Outcome: Sendable {
        /// The socket ended: normally (nil) or with this error.
        case ended((any Error)?)
        /// Nothing arrived in time.
        case silent
    }

    let url: String
    let lines: AsyncThrowingStream<LogEntry, any Error>.Continuation
    private let alive = Mutex(false)

    init(url: String, lines: AsyncThrowingStream<LogEntry, any Error>.Continuation) {
        self.url = url
        self.lines = lines
    }

    func run() async -> Outcome {
        await withTaskGroup(of: Outcome?.self) { group in
            group.addTask { await self.connect() }
            group.addTask {
                try? await Task.sleep(for: Self.silenceLimit)
                return self.alive.withLock { $0 } ? nil : .silent
            }
            var outcome: Outcome = .silent
            while let next = await group.next() {
                if let next {
                    outcome = next
                    break
                }
            }
            group.cancelAll()
            return outcome
        }
    }

    private func connect() async -> Outcome {
        var logger = Logger(label: "vibe.logs")
        logger.logLevel = .critical
        do {
            var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
            configuration.closeTimeout = .seconds(5)
            let close = try await WebSocketClient.connect(
                url: url, configuration: configuration, tlsConfiguration: ClientTLS.configuration, logger: logger
            ) { inbound, outbound, _ in
                try await outbound.write(.text(ClientFrame.hello.encoded()))
                try await outbound.write(.text(ClientFrame.ping(nil).encoded()))
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    self.alive.withLock { $0 = true }
                    guard case .text(let text) = message, case .log(let entry)? = try? ServerFrame.decode(text) else { continue }
                    self.lines.yield(entry)
                }
            }
            alive.withLock { $0 = true }
            if let close, let reason = close.reason, let data = reason.data(using: .utf8),
                let body = try? JSONDecoder().decode(CloseReason.self, from: data)
            {
                return .ended(
                    VibeClientError.server(
                        ServerError(code: body.error, status: Int(UInt16(webSocketErrorCode: close.closeCode)), message: body.message)))
            }
            return .ended(nil)
        } catch {
            alive.withLock { $0 = true }
            return .ended(VibeClientError.transport(.other("\(error)"), description: "logs socket: \(error)"))
        }
    }
}
