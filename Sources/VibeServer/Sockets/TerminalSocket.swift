import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import VibeProtocol

/// `/container/{id}/terminal`: attaches a socket to a named PTY, resuming by byte offset.
struct TerminalSocket {
    let server: ServerContext

    /// The tasks of one socket.
    private enum Side { case reader, handler, timer }

    func handle(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<SocketRequestContext>
    ) async throws {
        let queue = InboundQueue()
        try await withThrowingTaskGroup(of: Side.self) { group in
            group.addTask {
                try await queue.pump(inbound, maxSize: 1 << 20, outbound: outbound)
                return .reader
            }
            group.addTask {
                try await serve(queue, outbound: outbound, context: context)
                return .handler
            }
            // When the client leaves, the handler still takes the keys it sent before its close (they are queued);
            // when the handler ends by closing, the client gets time to answer, so the close frame is flushed.
            // Either way the other side gets at most closeAnswerTimeout.
            if try await group.next() != nil {
                group.addTask {
                    try await Task.sleep(for: InboundQueue.closeAnswerTimeout)
                    return .timer
                }
                _ = try await group.next()
            }
            group.cancelAll()
        }
    }

    private func serve(
        _ queue: InboundQueue, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<SocketRequestContext>
    ) async throws {
        let request = context.request
        let firstWord = queue.firstWord
        guard
            let (workspace, id) = try await SocketGate(server: server).admit(
                request: request, sessionID: context.requestContext.parameters.get("id"), outbound: outbound,
                firstWord: firstWord)
        else { return }
        let query: TerminalQuery
        do {
            query = try TerminalQuery(request.uri.queryParameters)
        } catch {
            await firstWord.wait()
            try await SocketGate.close(outbound, error)
            return
        }
        let (term, offset, client) = (query.term, query.offset, query.client)
        let hub: any TerminalEndpoint
        let attachment: TerminalAttachment
        let echo = EchoClock(server.metrics)
        let output = DirectTerminalOutput(channel: context.requestContext.channel, json: query.jsonOutput, echo: echo)
        do {
            let start = query.size ?? TerminalQuery.defaultSize
            let ledgerMark = server.inputLedger.mark()
            let (endpoint, created) = try await workspace.terminal(named: term, rows: start.rows, cols: start.cols)
            hub = endpoint
            // A client without a size (an observer) leaves a shared terminal as it is.
            if !created, let size = query.size, hub.size != size { hub.resize(rows: size.rows, cols: size.cols) }
            attachment = try await hub.attach(offset: offset, created: created, sink: output)
            if created { server.inputLedger.reset(session: id, term: term, before: ledgerMark) }
        } catch let error as APIError {
            await firstWord.wait()
            try await SocketGate.close(outbound, error)
            return
        }
        let log: Logger.Metadata = ["session_id": "\(id)", "term": "\(term)", "event": "terminal.attach"]
        server.logger.info("terminal attached at \(attachment.attached.offset)", metadata: log)
        defer { hub.detach(attachment.id) }
        let input = InputCounter(ledger: server.inputLedger, session: id, term: term, client: client)
        if offset > 0 { server.metrics.reconnect("terminal") }
        let lane = await context.requestContext.inputLane()
        var answer = attachment.attached
        answer.input = input.received
        answer.end = attachment.attached.offset + UInt64(attachment.replay.count)
        let attached = answer

        // `attached` (and `reset`) go first, before any answer to what the client sends.
        await firstWord.wait()
        do {
            try await outbound.write(.text(ServerFrame.attached(attached).encoded()))
            if attachment.reset {
                try await outbound.write(.text(ServerFrame.reset(TerminalReset(offset: attachment.attached.offset)).encoded()))
            }
        } catch {
            // The client left while the terminal opened: the keys it sent before leaving still go to the shell.
            await readInput(queue, lane: nil, hub: hub, input: input, outbound: outbound)
            return
        }
        output.start(from: attachment.attached.offset, replay: attachment.replay)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await forwardEnd(attachment, output: output, to: outbound)
            }
            group.addTask {
                await readInput(queue, lane: lane, hub: hub, input: input, echo: echo, outbound: outbound)
            }
            // Whichever side ends first ends the socket.
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// Waits for the terminal's end (its output goes out through `output`, straight from the terminal's reader)
    /// and closes the socket accordingly.
    private func forwardEnd(
        _ attachment: TerminalAttachment, output: DirectTerminalOutput, to outbound: WebSocketOutboundWriter
    ) async throws {
        for await event in attachment.events {
            switch event {
            case .output(let bytes):
                // Only from an endpoint that ignores sinks; none does, but the order would still hold.
                _ = output.take(bytes)
            case .exit(let code):
                output.finish()
                try await outbound.write(.text(ServerFrame.exit(TerminalExit(code: code)).encoded()))
                try await outbound.close(.normalClosure, reason: "shell exited with \(code)")
                return
            case .closed(let code, let reason):
                try await outbound.close(.init(closeCode: code), reason: reason)
                return
            }
        }
        // The stream ended without a reason: this client fell too far behind; it resumes by offset.
        try await SocketGate.close(
            outbound, APIError(.clientTooSlow, "you fell too far behind the output; reconnect with your offset"))
    }

    /// Takes the client's messages until it leaves. Answers (errors, pongs) that cannot be written are dropped:
    /// the keys that follow still go to the shell. Keys (binary messages) that arrive with nothing waiting before
    /// them go to the shell on the connection's event loop (the `lane`), the rest in order from the queue.
    private func readInput(
        _ queue: InboundQueue, lane: InputFastLane?, hub: any TerminalEndpoint, input: InputCounter,
        echo: EchoClock? = nil, outbound: WebSocketOutboundWriter
    ) async {
        lane?.open { buffer in Self.type(buffer, hub: hub, input: input, echo: echo) }
        defer { lane?.close() }
        for await message in queue.messages {
            switch message {
            case .binary(let buffer):
                Self.type(buffer, hub: hub, input: input, echo: echo)
            case .text(let text):
                await handleEnvelope(text, hub: hub, input: input, echo: echo, outbound: outbound)
            }
            lane?.handled()
        }
    }

    /// Sends a binary message's bytes to the shell (counted for resume).
    private static func type(_ buffer: ByteBuffer, hub: any TerminalEndpoint, input: InputCounter, echo: EchoClock?) {
        if input.accept(buffer.readableBytes) {
            hub.write(Array(buffer.readableBytesView))
            echo?.typed()
        }
    }

    private func handleEnvelope(
        _ text: String, hub: any TerminalEndpoint, input: InputCounter, echo: EchoClock?, outbound: WebSocketOutboundWriter
    ) async {
        let frame: ClientFrame
        do throws(FrameError) {
            frame = try ClientFrame.decode(text)
        } catch {
            switch error {
            case .malformed: return await sendError(outbound, "malformed envelope")
            case .badPayload(let type): return await sendError(outbound, "malformed payload of '\(type)'")
            }
        }
        switch frame {
        case .hello:
            break
        case .terminalInput(let typed):
            if input.accept(typed.data.utf8.count) {
                hub.write(Array(typed.data.utf8))
                echo?.typed()
            }
        case .terminalResize(let size):
            if let problem = size.problem { return await sendError(outbound, problem) }
            hub.resize(rows: size.rows, cols: size.cols)
        case .terminalKill:
            hub.hangUp()
        case .ping(let payload):
            try? await outbound.write(.text(ServerFrame.pong(payload).encoded()))
        case .unknown(let type):
            await sendError(outbound, "unknown envelope type '\(type)'")
        }
    }

    private func sendError(_ outbound: WebSocketOutboundWriter, _ message: String) async {
        let payload = EnvelopeErrorPayload(code: .invalidRequest, message: message)
        try? await outbound.write(.text(ServerFrame.error(payload).encoded()))
    }
}
