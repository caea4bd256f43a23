import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket
import VibeProtocol

/// `/container/{id}/logs?follow=1&tail=N&stream=stdout|stderr|events|all`: a session's logs as `log` envelopes —
/// the server's events about it, then its container's own output (docker driver); with `follow`, new lines as
/// they come. Watching never resumes a suspended session.
struct LogsSocket {
    let server: ServerContext

    func handle(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<SocketRequestContext>
    ) async throws {
        try await InboundQueue.serveListener(inbound: inbound, outbound: outbound) { queue in
            try await serve(queue, outbound: outbound, context: context)
        }
    }

    private func serve(
        _ queue: InboundQueue, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<SocketRequestContext>
    ) async throws {
        guard
            let (id, subject) = try await SocketGate(server: server).admitWatcher(
                request: context.request, sessionID: context.requestContext.parameters.get("id"), outbound: outbound,
                firstWord: queue.firstWord)
        else { return }
        let query: LogsQuery
        do {
            query = try LogsQuery(context.request.uri.queryParameters)
        } catch {
            await queue.firstWord.wait()
            try await SocketGate.close(outbound, error)
            return
        }
        await queue.firstWord.wait()
        let events = server.registry.events
        let (lines, live) = events.tail(id, count: query.tail, follow: query.follow && query.wants(.events))
        defer { if let (key, _) = live { events.unfollow(id, key) } }
        if query.wants(.events) {
            for line in lines { try await send(line, outbound) }
        }
        let container = query.wants(.stdout) || query.wants(.stderr)
            ? try? await server.registry.containerLogs(id: id, owner: subject, tail: query.tail, follow: query.follow)
            : nil
        let stream = container.flatMap { $0 }
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Pings are answered all along (a client's ping is its check that the socket is alive).
            group.addTask { await queue.answerPings(outbound: outbound) }
            if query.follow {
                // Until the client leaves (its pings' reader ends), the session goes, or the container stops.
                if let stream {
                    group.addTask { for try await line in stream where query.wants(line.stream) { try await send(line, outbound) } }
                }
                if let (_, events) = live {
                    group.addTask { for await line in events { try await send(line, outbound) } }
                }
                _ = try await group.next()
            } else if let stream {
                for try await line in stream where query.wants(line.stream) { try await send(line, outbound) }
            }
            group.cancelAll()
        }
        try await outbound.close(.normalClosure, reason: query.follow ? "logs ended" : "end of logs")
    }

    private func send(_ line: LogEntry, _ outbound: WebSocketOutboundWriter) async throws {
        try await outbound.write(.text(ServerFrame.log(line).encoded()))
    }
}

/// The query of a logs socket, each value checked (a wrong one is `INVALID_REQUEST` naming the field).
struct LogsQuery: Equatable {
    var follow = true
    var tail = 100
    var streams: Set<LogStream> = Set(LogStream.allCases)
    static let maxTail = 5_000

    init(_ parameters: Parameters) throws(APIError) {
        if let follow = parameters.get("follow") {
            switch follow {
            case "1", "true": self.follow = true
            case "0", "false": self.follow = false
            default: throw APIError(.invalidRequest, "follow must be 1, 0, true or false")
            }
        }
        if let tail = parameters.get("tail") {
            guard let value = Int(tail), (0...Self.maxTail).contains(value) else {
                throw APIError(.invalidRequest, "tail must be a whole number from 0 to \(Self.maxTail)")
            }
            self.tail = value
        }
        if let stream = parameters.get("stream"), stream != "all" {
            guard let chosen = LogStream(rawValue: stream) else {
                throw APIError(.invalidRequest, "stream must be stdout, stderr, events or all")
            }
            streams = [chosen]
        }
    }

    func wants(_ stream: LogStream) -> Bool { streams.contains(stream) }
}
