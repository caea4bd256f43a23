import Hummingbird
import VibeProtocol

/// Session lifecycle routes: status, create, open, list, delete.
struct SessionRoutes {
    let server: ServerContext

    func register(on group: RouterGroup<VibeRequestContext>) {
        group.get("session/status") { request, context in
            guard let id = request.uri.queryParameters.get("id") else {
                throw APIError(.invalidRequest, "query parameter 'id' is required")
            }
            return JSONResponse.make(try await server.registry.status(id: id, owner: context.subject))
        }
        group.get("sessions/{id}") { _, context in
            JSONResponse.make(try await server.registry.status(id: try sessionID(context), owner: context.subject))
        }
        group.get("sessions") { _, context in
            JSONResponse.make(SessionList(sessions: await server.registry.list(owner: context.subject)))
        }
        group.post("sessions") { request, context in
            let body = try await JSONResponse.decode(
                CreateSessionRequest.self, from: request, limit: 64 << 10, empty: CreateSessionRequest())
            try await limit(context)
            let status = try await server.registry.create(id: body.id, template: body.template, owner: context.subject)
            return JSONResponse.make(status)
        }
        group.post("sessions/{id}/open") { request, context in
            let body = try await JSONResponse.decode(
                CreateSessionRequest.self, from: request, limit: 64 << 10, empty: CreateSessionRequest())
            let id = try sessionID(context)
            try await limit(context)
            return JSONResponse.make(
                try await server.registry.open(id: id, template: body.template, owner: context.subject))
        }
        group.delete("sessions/{id}") { _, context in
            let id = try sessionID(context)
            try await server.registry.delete(id: id, owner: context.subject)
            return JSONResponse.make(DeleteSessionResponse(id: id))
        }
    }

    private func limit(_ context: VibeRequestContext) async throws {
        if let wait = await server.createLimiter.take(context.subject.map { "sub:" + $0 } ?? "ip:" + context.peer) {
            throw APIError(.rateLimited, "too many sessions created; retry in \(wait) s", retryAfter: wait)
        }
    }
}

/// The `{id}` path parameter, validated.
func sessionID(_ context: VibeRequestContext) throws -> String {
    guard let id = context.parameters.get("id"), Identifier.isValidSessionID(id) else {
        throw APIError(.invalidRequest, "invalid session id")
    }
    return id
}
