import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Wraps the server's HTTP/WebSocket child channel with the edge's limits: connection caps per peer and in all,
/// and ``HTTPEdgeGuard`` for the HTTP phase of every connection.
struct GuardedChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value

    let inner: Inner
    let limits: ConnectionLimits
    let paths: HTTPEdgeGuard.Paths
    let counter: ConnectionCounter
    let logger: Logger

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let peer = channel.remoteAddress?.ipAddress ?? "unknown"
        let refusal = counter.admit(peer: peer).map(Self.answer)
        if refusal == nil {
            let counter = self.counter
            channel.closeFuture.whenComplete { _ in counter.release(peer: peer) }
        }
        let guardHandler = HTTPEdgeGuard(limits: limits, paths: paths, refusal: refusal, logger: self.logger)
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            // Right behind the request decoder (the response encoder is ahead of it), before the upgrade handler:
            // it sees every request part first and every response part last.
            let ops = channel.pipeline.syncOperations
            let decoder = try ops.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try ops.addHandler(guardHandler, position: .after(decoder))
            try ops.addHandler(UpgradeListener(guardHandler))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: Logger(label: logger.label) { _ in UpgradeLogDemoter(logger.handler) })
    }

    /// The answer to a connection over a cap.
    private static func answer(_ refusal: ConnectionCounter.Refusal) -> EdgeAnswer {
        switch refusal {
        case .perPeer(let limit):
            EdgeAnswer(APIError(.tooManyConnections, "more than \(limit) open connections from your address", retryAfter: 1))
        case .total(let limit):
            EdgeAnswer(APIError(.overloaded, "the server has \(limit) connections open; try again shortly", retryAfter: 1))
        }
    }
}

/// Hummingbird logs "Error handling upgrade result" at error level for every connection whose HTTP phase ended
/// without a request reaching it — exactly the connections the edge answered (and logged) itself. This handler
/// passes every other line through unchanged and that one at debug.
struct UpgradeLogDemoter: LogHandler {
    private var wrapped: any LogHandler

    init(_ wrapped: any LogHandler) { self.wrapped = wrapped }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }
    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        if event.level == .error, event.message.description == "Error handling upgrade result" { event.level = .debug }
        guard event.level >= wrapped.logLevel else { return }
        wrapped.log(event: event)
    }
}
