import VibeProtocol

/// What a reconnecting channel does when the server says the session is not ready (close 4409).
enum SessionResumer {
    /// Opens the session again when it is `suspended` (a restarted server, an idle suspend: servers that do not
    /// resume on connect need the `open` route), then waits until it is ready.
    static func waitReady(api: VibeAPI, session: String, timeout: Duration) async throws {
        if let status = try? await api.status(session), status.state == .suspended {
            _ = try? await api.open(session)
        }
        _ = try await ReadyWaiter.shared.waitReady(api: api, session: session, timeout: timeout)
    }
}
