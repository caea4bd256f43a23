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
        do {
            let subject = try await server.authenticator.subject(
                authorization: request.headers[.authorization], queryToken: request.uri.queryParameters.get("token"))
            guard let id = sessionID, Identifier.isValidSessionID(id) else {
                throw APIError(.invalidRequest, "invalid session id")
            }
            return (try await server.registry.resumingWorkspace(id: id, owner: subject), id)
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
