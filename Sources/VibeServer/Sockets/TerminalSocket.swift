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
        let request = context.request
        guard
            let (workspace, id) = try await SocketGate(server: server).admit(
                request: request, sessionID: context.requestContext.parameters.get("id"), outbound: outbound)
        else { return }
        let query = request.uri.queryParameters
        let term = query.get("term") ?? Identifier.defaultTerminal
        let cols = query.get("cols").flatMap { Int($0) } ?? 80
        let rows = query.get("rows").flatMap { Int($0) } ?? 24
        let offset = query.get("offset").flatMap { UInt64($0) } ?? 0
        guard Identifier.isValidTerminalName(term), TerminalSize(rows: rows, cols: cols).isValid else {
            try await SocketGate.close(outbound, APIError(.invalidRequest, "bad term, cols or rows"))
            return
        }
        let hub: any TerminalEndpoint
        let attachment: TerminalAttachment
        do {
            let (endpoint, created) = try await workspace.terminal(named: term, rows: rows, cols: cols)
            hub = endpoint
            if !created, hub.size != TerminalSize(rows: rows, cols: cols) { hub.resize(rows: rows, cols: cols) }
            attachment = try await hub.attach(offset: offset, created: created)
        } catch let error as APIError {
            try await SocketGate.close(outbound, error)
            return
        }
        let log: Logger.Metadata = ["session_id": "\(id)", "term": "\(term)", "event": "terminal.attach"]
        server.logger.info("terminal attached at \(attachment.attached.offset)", metadata: log)
        defer { hub.detach(attachment.id) }

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await forwardOutput(attachment, to: outbound)
            }
            group.addTask {
                try await readInput(inbound, hub: hub, outbound: outbound)
            }
            // Whichever side ends first ends the socket.
            _ = try await group.next()
            group.cancelAll()
        }
    }

    private func forwardOutput(_ attachment: TerminalAttachment, to outbound: WebSocketOutboundWriter) async throws {
        try await outbound.write(.text(try Envelope(type: EnvelopeType.attached, payload: attachment.attached).encoded()))
        if attachment.reset {
            let reset = TerminalReset(offset: attachment.attached.offset)
            try await outbound.write(.text(try Envelope(type: EnvelopeType.reset, payload: reset).encoded()))
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
                try await outbound.write(.text(try Envelope(type: EnvelopeType.exit, payload: TerminalExit(code: code)).encoded()))
                try await outbound.close(.normalClosure, reason: "shell exited with \(code)")
                return
            case .closed(let code, let reason):
                try await outbound.close(.init(closeCode: code), reason: reason)
                return
            }
        }
        // The stream ended without a reason: this client fell too far behind; it resumes by offset.
        try await outbound.close(.unexpectedServerError, reason: "client too slow; reconnect with your offset")
    }

    private func readInput(
        _ inbound: WebSocketInboundStream, hub: any TerminalEndpoint, outbound: WebSocketOutboundWriter
    ) async throws {
        for try await message in inbound.messages(maxSize: 1 << 20) {
            switch message {
            case .binary(let buffer):
                hub.write(Array(buffer.readableBytesView))
            case .text(let text):
                try await handleEnvelope(text, hub: hub, outbound: outbound)
            }
        }
    }

    private func handleEnvelope(_ text: String, hub: any TerminalEndpoint, outbound: WebSocketOutboundWriter) async throws {
        do {
            let envelope = try Envelope.decode(text)
            switch envelope.type {
            case EnvelopeType.terminalInput:
                hub.write(Array(try envelope.decodePayload(TerminalInput.self).data.utf8))
            case EnvelopeType.terminalResize:
                let size = try envelope.decodePayload(TerminalSize.self)
                guard size.isValid else { throw EnvelopeError.malformed }
                hub.resize(rows: size.rows, cols: size.cols)
            case EnvelopeType.terminalKill:
                hub.hangUp()
            case EnvelopeType.ping:
                var pong = Envelope(type: EnvelopeType.pong)
                pong.payload = envelope.payload
                try await outbound.write(.text(pong.encoded()))
            default:
                try await sendError(outbound, "unknown envelope type '\(envelope.type)'")
            }
        } catch is EnvelopeError {
            try await sendError(outbound, "malformed envelope")
        } catch is DecodingError {
            try await sendError(outbound, "malformed envelope payload")
        }
    }

    private func sendError(_ outbound: WebSocketOutboundWriter, _ message: String) async throws {
        let payload = EnvelopeErrorPayload(code: .invalidRequest, message: message)
        try await outbound.write(.text(try Envelope(type: EnvelopeType.error, payload: payload).encoded()))
    }
}
