import Foundation
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
            return JSONResponse.make(
                try await server.registry.status(id: id, owner: context.subject, waitingUpTo: try statusWait(request)))
        }
        group.get("sessions/{id}") { request, context in
            JSONResponse.make(
                try await server.registry.status(
                    id: try sessionID(context), owner: context.subject, waitingUpTo: try statusWait(request)))
        }
        group.get("sessions") { _, context in
            JSONResponse.make(SessionList(sessions: await server.registry.list(owner: context.subject)))
        }
        group.post("sessions") { request, context in
            let body = try await JSONResponse.decode(
                CreateSessionRequest.self, from: request, limit: 64 << 10, empty: CreateSessionRequest())
            try await limit(context)
            let status = try await server.registry.create(
                id: body.id, template: body.template, owner: context.subject, hostPath: try hostFolder(body))
            return JSONResponse.make(status)
        }
        group.post("sessions/{id}/open") { request, context in
            let body = try await JSONResponse.decode(
                CreateSessionRequest.self, from: request, limit: 64 << 10, empty: CreateSessionRequest())
            let id = try sessionID(context)
            // The path names the session; an `id` in the body is ignored, but it must still be a valid one.
            if let named = body.id, !Identifier.isValidSessionID(named) {
                throw APIError(.invalidRequest, "invalid session id in the body")
            }
            try await limit(context)
            return JSONResponse.make(
                try await server.registry.open(
                    id: id, template: body.template, owner: context.subject, hostPath: try hostFolder(body)))
        }
        group.get("sessions/{id}/layout") { _, context in
            let raw = try await server.registry.layout(id: try sessionID(context), owner: context.subject)
            return JSONResponse.raw("{\"ok\":true,\"layout\":" + (raw.map { String(decoding: $0, as: UTF8.self) } ?? "null") + "}")
        }
        group.put("sessions/{id}/layout") { request, context in
            let id = try sessionID(context)
            let json = try await LayoutDocument.read(from: request)
            try await server.registry.storeLayout(id: id, owner: context.subject, json: json)
            return JSONResponse.make(LayoutStored(size: json.count))
        }
        group.post("sessions/{id}/suspend") { _, context in
            JSONResponse.make(try await server.registry.suspendOnRequest(id: try sessionID(context), owner: context.subject))
        }
        group.delete("sessions/{id}") { _, context in
            let id = try sessionID(context)
            try await server.registry.delete(id: id, owner: context.subject)
            return JSONResponse.make(DeleteSessionResponse(id: id))
        }
    }

    /// `waitMs` of a status request: how long to hold the answer for a change of state (0–30000; 0 when absent).
    private func statusWait(_ request: Request) throws -> Duration {
        let ms = try RouteQuery(request.uri.queryParameters).integer("waitMs", default: 0)
        guard (0...Int(SessionRegistry.maxStatusWait.components.seconds) * 1000).contains(ms) else {
            throw APIError(.invalidRequest, "waitMs must be 0…30000")
        }
        return .milliseconds(ms)
    }

    /// The `folder` of a create/open body: only a server that allows host folders takes one, and it must be
    /// an existing absolute folder.
    private func hostFolder(_ body: CreateSessionRequest) throws -> String? {
        guard let folder = body.folder else { return nil }
        guard server.allowHostFolders else {
            throw APIError(.forbidden, "this server does not open host folders (only the user's own server does)")
        }
        var isDir: ObjCBool = false
        guard folder.hasPrefix("/"), FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue
        else { throw APIError(.invalidRequest, "folder must be an existing absolute folder: \(folder)") }
        return URL(fileURLWithPath: folder).standardizedFileURL.path
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
