import Foundation
import Logging
import NIOCore
import VibeProtocol
import WSClient

extension VibeAPI {
    /// The logs socket of `session` (`/container/{id}/logs`): its last `tail` lines, then (with `follow`) new ones.
    /// One connection, not resumed after a drop: the stream ends when the socket closes normally, and throws
    /// ``VibeClientError/server(_:)`` for a close with an error (session not found, forbidden, bad query) or
    /// ``VibeClientError/transport(_:description:)`` when the connection is lost.
    public func logs(_ session: String, tail: Int = 100, follow: Bool = true, stream: LogStream? = nil)
        -> AsyncThrowingStream<LogEntry, any Error>
    {
        var query = [("tail", String(tail)), ("follow", follow ? "1" : "0")]
        if let stream { query.append(("stream", stream.rawValue)) }
        let url = socketURL(path: Routes.logsSocket(Self.segment(session)), query: query)
        let (lines, continuation) = AsyncThrowingStream<LogEntry, any Error>.makeStream()
        let task = Task {
            var logger = Logger(label: "vibe.logs")
            logger.logLevel = .critical
            do {
                var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
                configuration.closeTimeout = .seconds(5)
                let close = try await WebSocketClient.connect(
                    url: url, configuration: configuration, tlsConfiguration: ClientTLS.configuration, logger: logger
                ) { inbound, outbound, _ in
                    try await outbound.write(.text(ClientFrame.hello.encoded()))
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message, case .log(let entry)? = try? ServerFrame.decode(text) else { continue }
                        continuation.yield(entry)
                    }
                }
                if let close, let reason = close.reason, let data = reason.data(using: .utf8),
                    let body = try? JSONDecoder().decode(CloseReason.self, from: data)
                {
                    continuation.finish(
                        throwing: VibeClientError.server(
                            ServerError(code: body.error, status: Int(UInt16(webSocketErrorCode: close.closeCode)), message: body.message)))
                } else {
                    continuation.finish()
                }
            } catch {
                continuation.finish(throwing: VibeClientError.transport(.other("\(error)"), description: "logs socket: \(error)"))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return lines
    }
}
