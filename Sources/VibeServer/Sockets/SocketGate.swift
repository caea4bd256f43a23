import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket
import VibeProtocol

/// The checks every socket makes after the upgrade, reported as close codes with a JSON reason.
struct SocketGate {
    let server: ServerContext

    /// Authenticates the request and returns the ready workspace, or closes the socket and returns nil (the
    /// close, the socket's first frame, waits for `firstWord`).
    func admit(
        request: Request, sessionID: String?, outbound: WebSocketOutboundWriter, firstWord: ClientSpeaksFirst
    ) async throws -> (workspace: any Workspace, id: String)? {
        try await checked(outbound: outbound, firstWord: firstWord) {
            let (id, subject) = try await identify(request: request, sessionID: sessionID)
            return (try await server.registry.resumingWorkspace(id: id, owner: subject), id)
        }
    }

    /// Authenticates the request and checks that the session exists and belongs to the caller, without
    /// resuming it (the status and logs sockets watch a session in any state); nil after closing the socket.
    func admitWatcher(
        request: Request, sessionID: String?, outbound: WebSocketOutboundWriter, firstWord: ClientSpeaksFirst
    ) async throws -> (id: String, subject: String?)? {
        try await checked(outbound: outbound, firstWord: firstWord) {
            let (id, subject) = try await identify(request: request, sessionID: sessionID)
            _ = try await server.registry.status(id: id, owner: subject)
            return (id, subject)
        }
    }

    private func identify(request: Request, sessionID: String?) async throws -> (id: String, subject: String?) {
        let subject = try await server.authenticator.subject(
            authorization: request.headers[.authorization], queryToken: request.uri.queryParameters.get("token"))
        guard let id = sessionID, Identifier.isValidSessionID(id) else {
            throw APIError(.invalidRequest, "invalid session id")
        }
        return (id, subject)
    }

    private func checked<T>(
        outbound: WebSocketOutboundWriter, firstWord: ClientSpeaksFirst, _ body: () async throws -> T
    ) async throws -> T? {
        do {
            return try await body()
        } catch let error as APIError {
            await firstWord.wait()
            try await Self.close(outbound, error)
            return nil
        }
    }

    /// Closes with the error's close code and its JSON body as the reason.
    static func close(_ outbound: WebSocketOutboundWriter, _ error: APIError) async throws {
        let reason = CloseReason(error: error.code, message: error.message).encoded()
        try await outbound.close(.init(closeCode: error.code.closeCode), reason: reason)
    }
}

extension WebSocketErrorCode {
    /// The NIO code for a numeric close code.
    init(closeCode: UInt16) {
        switch closeCode {
        case 1000: self = .normalClosure
        case 1001: self = .goingAway
        case 1008: self = .policyViolation
        case 1011: self = .unexpectedServerError
        default: self = .unknown(closeCode)
        }
    }
}
