import Hummingbird
import VibeProtocol

/// `GET`/`PUT /admin/new-sessions`: the kill switch (`{"enabled":false}` answers every create or open of a
/// new session with `503 SERVICE_DISABLED`). Open servers (loopback only) allow it; with auth on, only the
/// configured admin subject.
struct AdminRoutes {
    let server: ServerContext
    let adminSubject: String?
    let authOn: Bool

    func register(on group: RouterGroup<VibeRequestContext>) {
        group.get("admin/new-sessions") { _, context in
            try allow(context)
            return JSONResponse.make(NewSessionsSetting(enabled: await server.registry.acceptsNewSessions))
        }
        group.put("admin/new-sessions") { request, context in
            try allow(context)
            let body = try await JSONResponse.decode(NewSessionsSetting.self, from: request, limit: 4 << 10)
            return JSONResponse.make(NewSessionsSetting(enabled: await server.registry.setAcceptsNewSessions(body.enabled)))
        }
    }

    private func allow(_ context: VibeRequestContext) throws {
        guard authOn else { return }
        guard let adminSubject, context.subject == adminSubject else {
            throw APIError(.forbidden, "admin routes need the admin subject's token (vibe serve --admin-subject)")
        }
    }
}
