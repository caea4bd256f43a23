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

    func handle(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<BasicWebSocketRequestContext>
    ) async throws {
        let queue = InboundQueue()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await queue.pump(inbound, maxSize: 1 << 20, outbound: outbound) }
            group.addTask {
                try await serve(queue, outbound: outbound, context: context)
                // serve ends by closing: let the client answer, so the close frame is flushed before the socket goes.
                try await Task.sleep(for: InboundQueue.closeAnswerTimeout)
            }
            // Whichever side ends first ends the socket.
            _ = try await group.next()
            group.cancelAll()
        }
    }

    private func serve(
        _ queue: InboundQueue, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<BasicWebSocketRequestContext>
    ) async throws {
        let request = context.request
        let firstWord = queue.firstWord
        guard
            let (workspace, id) = try await SocketGate(server: server).admit(
                request: request, sessionID: context.requestContext.parameters.get("id"), outbound: outbound,
                firstWord: firstWord)
        else { return }
        let query = request.uri.queryParameters
        let term = query.get("term") ?? Identifier.defaultTerminal
        let cols = query.get("cols").flatMap { Int($0) } ?? 80
        let rows = query.get("rows").flatMap { Int($0) } ?? 24
        let offset = query.get("offset").flatMap { UInt64($0) } ?? 0
        let client = query.get("client")
        guard Identifier.isValidTerminalName(term), TerminalSize(rows: rows, cols: cols).isValid,
            client.map(Identifier.isValidSessionID) ?? true
        else {
            await firstWord.wait()
            try await SocketGate.close(outbound, APIError(.invalidRequest, "bad term, cols, rows or client"))
            return
        }
        let hub: any TerminalEndpoint
        let attachment: TerminalAttachment
        do {
            let (endpoint, created) = try await workspace.terminal(named: term, rows: rows, cols: cols)
            hub = endpoint
            if !created, hub.size != TerminalSize(rows: rows, cols: cols) { hub.resize(rows: rows, cols: cols) }
            attachment = try await hub.attach(offset: offset, created: created)
            if created { server.inputLedger.reset(session: id, term: term) }
        } catch let error as APIError {
            await firstWord.wait()
            try await SocketGate.close(outbound, error)
            return
        }
        let log: Logger.Metadata = ["session_id": "\(id)", "term": "\(term)", "event": "terminal.attach"]
        server.logger.info("terminal attached at \(attachment.attached.offset)", metadata: log)
        defer { hub.detach(attachment.id) }
        let input = InputCounter(ledger: server.inputLedger, session: id, term: term, client: client)
        var answer = attachment.attached
        answer.input = input.received
        let attached = answer

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await firstWord.wait()
                try await forwardOutput(attachment, attached, to: outbound)
            }
            group.addTask {
                try await readInput(queue.messages, hub: hub, input: input, outbound: outbound)
            }
            // Whichever side ends first ends the socket.
            _ = try await group.next()
            group.cancelAll()
        }
    }

    private func forwardOutput(
        _ attachment: TerminalAttachment, _ attached: TerminalAttached, to outbound: WebSocketOutboundWriter
    ) async throws {
        try await outbound.write(.text(ServerFrame.attached(attached).encoded()))
        if attachment.reset {
            try await outbound.write(.text(ServerFrame.reset(TerminalReset(offset: attachment.attached.offset)).encoded()))
        }
        var replay = attachment.replay[...]
        while !replay.isEmpty {
            let chunk = replay.prefix(64 << 10)
            replay = replay.dropFirst(chunk.count)
            try await outbound.write(.binary(ByteBuffer(bytes: chunk)))
        }
        for await event in attachment.events {
            switch event {
            case .output(let bytes):
                try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
            case .exit(let code):
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

    private func readInput(
        _ messages: AsyncStream<WebSocketMessage>, hub: any TerminalEndpoint, input: InputCounter,
        outbound: WebSocketOutboundWriter
    ) async throws {
        for await message in messages {
            switch message {
            case .binary(let buffer):
                if input.accept(buffer.readableBytes) { hub.write(Array(buffer.readableBytesView)) }
            case .text(let text):
                try await handleEnvelope(text, hub: hub, input: input, outbound: outbound)
            }
        }
    }

    private func handleEnvelope(
        _ text: String, hub: any TerminalEndpoint, input: InputCounter, outbound: WebSocketOutboundWriter
    ) async throws {
        let frame: ClientFrame
        do throws(FrameError) {
            frame = try ClientFrame.decode(text)
        } catch .malformed {
            return try await sendError(outbound, "malformed envelope")
        } catch .badPayload(let type) {
            return try await sendError(outbound, "malformed payload of '\(type)'")
        }
        switch frame {
        case .hello:
            break
        case .terminalInput(let typed):
            if input.accept(typed.data.utf8.count) { hub.write(Array(typed.data.utf8)) }
        case .terminalResize(let size):
            guard size.isValid else { return try await sendError(outbound, "size outside 1…1000") }
            hub.resize(rows: size.rows, cols: size.cols)
        case .terminalKill:
            hub.hangUp()
        case .ping(let payload):
            try await outbound.write(.text(ServerFrame.pong(payload).encoded()))
        case .unknown(let type):
            try await sendError(outbound, "unknown envelope type '\(type)'")
        }
    }

    private func sendError(_ outbound: WebSocketOutboundWriter, _ message: String) async throws {
        let payload = EnvelopeErrorPayload(code: .invalidRequest, message: message)
        try await outbound.write(.text(ServerFrame.error(payload).encoded()))
    }
}
