import Foundation
import Logging
import VibeProtocol

/// Every session this server knows, its creation state, and its workspace once ready.
///
/// Creation runs once per id in the background: concurrent creates of one id join the same work.
public actor SessionRegistry {
    private struct Entry {
        var record: SessionRecord
        var state: SessionState
        var error: ErrorCode?
        var message: String?
        var readyMs: Int?
        var steps: [StepTiming] = []
        var workspace: (any Workspace)?
        var generation = 0
    }

    public let driver: any SessionDriver
    /// The server's events about each session (the logs socket's `events` stream).
    public nonisolated let events = SessionEvents()
    /// The server's metrics (`GET /metrics`).
    public nonisolated let metrics = ServerMetrics()
    /// Requests waiting for a session's state to change (long-polled status).
    nonisolated let stateChanges = StateChanges()
    /// False while the kill switch is on: creating or opening a session that does not exist answers
    /// `503 SERVICE_DISABLED`; existing sessions keep working.
    public private(set) var acceptsNewSessions = true
    /// True once ``shutdown()`` began.
    public private(set) var isShuttingDown = false
    private let layouts: LayoutStore
    private let logger: Logger
    private var entries: [String: Entry] = [:]

    /// Creates a registry over `driver`, listing sessions from an earlier run as `suspended`; layout
    /// documents are kept in `layouts`.
    public init(driver: any SessionDriver, layouts: LayoutStore, logger: Logger) {
        self.driver = driver
        self.layouts = layouts
        self.logger = logger
        for record in driver.persistedSessions() {
            entries[record.id] = Entry(record: record, state: .suspended)
        }
    }

    /// Creates a session (idempotent per id) and starts its workspace in the background.
    public func create(id: String?, template: String?, owner: String?, hostPath: String? = nil) throws(APIError)
        -> SessionStatus
    {
        let id = id ?? Self.newID()
        guard Identifier.isValidSessionID(id) else { throw APIError(.invalidRequest, "invalid session id: \(id)") }
        try refuseWhileShuttingDown()
        if let entry = entries[id] {
            try checkOwner(entry, owner)
            // A session left over from an earlier run starts again; any other state is returned as it is.
            if entry.state == .suspended || entry.state == .stopped {
                return try open(id: id, template: template, owner: owner, hostPath: hostPath)
            }
            return status(of: entry)
        }
        guard acceptsNewSessions else {
            throw APIError(.serviceDisabled, "new sessions are disabled on this server; existing sessions keep working")
        }
        let record = SessionRecord(
            id: id, owner: owner, template: template ?? "default", createdAt: Self.timestamp(), hostPath: hostPath)
        entries[id] = Entry(record: record, state: .creating)
        stateChanges.signal(id)
        launch(id)
        return status(of: entries[id]!)
    }

    /// Opens or resumes a session; creates it when unknown or when its workspace is gone.
    public func open(id: String, template: String?, owner: String?, hostPath: String? = nil) throws(APIError)
        -> SessionStatus
    {
        guard Identifier.isValidSessionID(id) else { throw APIError(.invalidRequest, "invalid session id: \(id)") }
        try refuseWhileShuttingDown()
        guard var entry = entries[id] else {
            return try create(id: id, template: template, owner: owner, hostPath: hostPath)
        }
        try checkOwner(entry, owner)
        let gone = entry.state == .ready && !driver.workspaceExists(entry.record)
        if [.suspended, .stopped, .failed].contains(entry.state) || gone {
            if let hostPath { entry.record.hostPath = hostPath }
            entry.state = .creating
            entry.error = nil
            entry.message = nil
            entry.workspace = nil
            entries[id] = entry
            stateChanges.signal(id)
            launch(id)
        }
        return status(of: entries[id]!)
    }

    /// The status of one session.
    public func status(id: String, owner: String?) throws(APIError) -> SessionStatus {
        try status(of: entry(id, owner))
    }

    /// The caller's sessions (all when the server is open).
    public func list(owner: String?) -> [SessionStatus] {
        entries.values.filter { owner == nil || $0.record.owner == owner }
            .sorted { $0.record.createdAt == $1.record.createdAt ? $0.record.id < $1.record.id : $0.record.createdAt < $1.record.createdAt }
            .map(status(of:))
    }

    /// Stops and removes a session.
    public func delete(id: String, owner: String?) async throws(APIError) {
        let entry = try entry(id, owner)
        entries[id] = nil
        stateChanges.signal(id)
        layouts.remove(id)
        do { try await driver.remove(entry.record) } catch {
            logger.warning("remove failed", metadata: ["session_id": "\(id)", "error": "\(error)"])
        }
        logger.info("session deleted", metadata: ["session_id": "\(id)", "event": "session.delete"])
        events.forget(id)
    }

    /// The workspace of a ready session, or a typed error (not found, forbidden, not ready).
    public func workspace(id: String, owner: String?) throws(APIError) -> any Workspace {
        let entry = try entry(id, owner)
        guard entry.state == .ready, let ws = entry.workspace else {
            throw APIError(.notReady, "session \(id) is \(entry.state.rawValue)")
        }
        return ws
    }

    /// The container output of session `id` (nil for a driver without containers).
    public func containerLogs(id: String, owner: String?, tail: Int, follow: Bool) throws(APIError)
        -> AsyncThrowingStream<LogEntry, any Error>?
    {
        driver.containerLogs(try entry(id, owner).record, tail: tail, follow: follow)
    }

    /// The session's stored layout document (raw JSON), nil before the first store.
    public func layout(id: String, owner: String?) throws(APIError) -> [UInt8]? {
        layouts.load(try entry(id, owner).record.id)
    }

    /// Stores the session's layout document (already checked to be a bounded JSON object).
    public func storeLayout(id: String, owner: String?, json: [UInt8]) throws(APIError) {
        try layouts.store(json, for: try entry(id, owner).record.id)
    }

    /// Turns the kill switch off (`true`) or on (`false`); returns the new setting.
    @discardableResult
    public func setAcceptsNewSessions(_ accepts: Bool) -> Bool {
        if accepts != acceptsNewSessions {
            logger.warning(
                accepts ? "new sessions enabled" : "new sessions disabled (kill switch)",
                metadata: ["event": "sessions.kill_switch", "enabled": "\(accepts)"])
        }
        acceptsNewSessions = accepts
        return accepts
    }

    /// The workspace of a session for a socket or a workspace route: a `suspended` one is resumed first
    /// (start + probe) and waited for, up to `timeout`; other states that are not ready are `NOT_READY`.
    public func resumingWorkspace(id: String, owner: String?, timeout: Duration = .seconds(30)) async throws(APIError)
        -> any Workspace
    {
        try refuseWhileShuttingDown()
        let first = try entry(id, owner)
        if first.state == .suspended || (first.state == .ready && !driver.workspaceExists(first.record)) {
            _ = try open(id: id, template: nil, owner: owner)
        }
        let deadline = ContinuousClock.now + timeout
        while true {
            let current = try entry(id, owner)
            if current.state == .ready, let ws = current.workspace { return ws }
            guard current.state == .creating, ContinuousClock.now < deadline else {
                throw APIError(.notReady, "session \(id) is \(current.state.rawValue)")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Suspends a ready session that nobody uses: its sockets close (1001), the driver stops what keeps it
    /// running (the docker driver stops the container; files stay), and the next use resumes it.
    public func suspend(id: String, reason: String = "idle") async {
        guard let entry = entries[id], entry.state == .ready else { return }
        entries[id]?.state = .suspended
        entries[id]?.workspace = nil
        stateChanges.signal(id)
        await entry.workspace?.stop(closeCode: CloseCode.goingAway, reason: "session suspended (\(reason))")
        do { try await driver.suspend(entry.record) } catch {
            logger.warning("suspend failed", metadata: ["session_id": "\(id)", "error": "\(error)"])
        }
        events.record(id, "suspended (\(reason))")
        logger.info("session suspended (\(reason))", metadata: ["session_id": "\(id)", "event": "session.suspend"])
    }

    /// `POST …/suspend`: suspends a ready session of `owner` now (a suspended one stays so); any other state is
    /// `NOT_READY`. Answers the status after.
    public func suspendOnRequest(id: String, owner: String?) async throws(APIError) -> SessionStatus {
        let before = try status(id: id, owner: owner)
        switch before.state {
        case .ready: await suspend(id: id, reason: "on request")
        case .suspended: break
        default: throw APIError(.notReady, "only a ready session can be suspended; \(id) is \(before.state.rawValue)")
        }
        return try status(id: id, owner: owner)
    }

    /// Ready sessions with what their workspaces are doing (the idle suspender reads it).
    func readyActivity() -> [(id: String, activity: WorkspaceActivity)] {
        entries.compactMap { id, entry in
            guard entry.state == .ready, let ws = entry.workspace else { return nil }
            return (id, ws.activity())
        }
    }

    /// Stops every workspace (server shutdown); sessions stay on disk as `suspended`, and from now on nothing
    /// resumes them here (`SHUTTING_DOWN`: a socket that reconnects meanwhile is closed with 1001, not attached to
    /// a shell the shutdown would end a moment later).
    public func shutdown() async {
        isShuttingDown = true
        for (id, entry) in entries {
            await entry.workspace?.stop(closeCode: CloseCode.goingAway, reason: "server shutting down")
            entries[id]?.workspace = nil
            entries[id]?.state = .suspended
        }
    }

    private func refuseWhileShuttingDown() throws(APIError) {
        guard !isShuttingDown else {
            throw APIError(.shuttingDown, "the server is shutting down; try again after its restart", retryAfter: 1)
        }
    }

    private func entry(_ id: String, _ owner: String?) throws(APIError) -> Entry {
        guard Identifier.isValidSessionID(id) else { throw APIError(.invalidRequest, "invalid session id: \(id)") }
        guard let entry = entries[id] else { throw APIError(.sessionNotFound, "no session \(id)") }
        try checkOwner(entry, owner)
        return entry
    }

    private func checkOwner(_ entry: Entry, _ owner: String?) throws(APIError) {
        if let recorded = entry.record.owner, recorded != owner {
            throw APIError(.forbidden, "session \(entry.record.id) belongs to another subject")
        }
    }

    private func launch(_ id: String) {
        guard var entry = entries[id] else { return }
        entry.generation += 1
        entries[id] = entry
        let generation = entry.generation
        let record = entry.record
        let driver = self.driver
        events.record(id, "starting the workspace (driver \(driver.name))")
        Task {
            let steps = StepTimer()
            let started = ContinuousClock.now
            do {
                let ws = try await driver.start(record, steps: steps)
                self.finish(id, generation, workspace: ws, error: nil, steps: steps.timings, since: started)
            } catch {
                let api = error as? APIError ?? APIError(.createFailed, "\(error)")
                self.finish(id, generation, workspace: nil, error: api, steps: steps.timings, since: started)
            }
        }
    }

    private func finish(
        _ id: String, _ generation: Int, workspace: (any Workspace)?, error: APIError?, steps: [StepTiming],
        since started: ContinuousClock.Instant
    ) {
        let ms = Int((ContinuousClock.now - started).milliseconds)
        guard var entry = entries[id], entry.generation == generation else {
            // Deleted or restarted meanwhile: drop what was built.
            if let workspace { Task { await workspace.stop(closeCode: CloseCode.normal, reason: "session deleted") } }
            return
        }
        entry.steps = steps
        var meta: Logger.Metadata = [
            "session_id": "\(id)", "duration_ms": "\(ms)",
            "steps": "\(steps.map { "\($0.name)=\($0.ms)" }.joined(separator: ","))",
        ]
        if let error {
            entry.state = .failed
            entry.error = error.code
            entry.message = error.message
            meta["event"] = "session.failed"
            events.record(id, "failed after \(ms) ms: \(error.code.rawValue): \(error.message)")
            meta["error"] = "\(error.code.rawValue)"
            logger.error("session failed: \(error.message)", metadata: meta)
        } else {
            entry.state = .ready
            entry.workspace = workspace
            entry.readyMs = ms
            meta["event"] = "session.ready"
            metrics.sessionReady(after: .milliseconds(ms))
            events.record(id, "ready in \(ms) ms (\(steps.map { "\($0.name) \($0.ms) ms" }.joined(separator: ", ")))")
            logger.info("session ready", metadata: meta)
        }
        entries[id] = entry
        stateChanges.signal(id)
    }

    private func status(of entry: Entry) -> SessionStatus {
        var status = SessionStatus(
            id: entry.record.id, state: entry.state, error: entry.error, message: entry.message,
            template: entry.record.template, createdAt: entry.record.createdAt, readyMs: entry.readyMs,
            steps: entry.steps)
        let activity = entry.workspace?.activity() ?? WorkspaceActivity(terminals: 0, clients: 0, lastActivity: nil)
        status.workspace = driver.workspaceLocation(entry.record)
        status.terminals = activity.terminals
        status.clients = activity.clients
        status.lastActivityAt = activity.lastActivity.map(Self.timestamp) ?? entry.record.createdAt
        return status
    }

    static func newID() -> String {
        "s-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
    }

    static func timestamp(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}
