/// The lifecycle state of a session.
public enum SessionState: String, Codable, Sendable, CaseIterable {
    case creating, ready, failed, suspended, stopped
}

/// One timed step of a session's creation, e.g. `workspace` or `probe`.
public struct StepTiming: Codable, Sendable, Equatable {
    public var name: String
    public var ms: Int
    public init(name: String, ms: Int) {
        self.name = name
        self.ms = ms
    }
}

/// The answer of `GET /session/status`, `POST /sessions` and `POST /sessions/{id}/open`.
public struct SessionStatus: Codable, Sendable, Equatable {
    public var ok: Bool
    public var id: String
    public var ready: Bool
    public var state: SessionState
    public var error: ErrorCode?
    public var message: String?
    public var template: String
    /// ISO-8601 creation time.
    public var createdAt: String
    /// Milliseconds from creation request to ready, once ready.
    public var readyMs: Int?
    public var steps: [StepTiming]
    /// The folder the session's shells start in, as the server sees it (when it knows).
    public var workspace: String?
    /// Running terminals.
    public var terminals: Int?
    /// Attached terminal and fs-events sockets.
    public var clients: Int?
    /// ISO-8601 time of the last terminal input or output (else the creation time).
    public var lastActivityAt: String?

    /// Creates a status; `ready` follows `state`.
    public init(
        id: String, state: SessionState, error: ErrorCode? = nil, message: String? = nil,
        template: String, createdAt: String, readyMs: Int? = nil, steps: [StepTiming] = []
    ) {
        self.ok = true
        self.id = id
        self.ready = state == .ready
        self.state = state
        self.error = error
        self.message = message
        self.template = template
        self.createdAt = createdAt
        self.readyMs = readyMs
        self.steps = steps
    }

    // `error` is always present on the wire (null when none): existing clients rely on it.
    private enum CodingKeys: String, CodingKey {
        case ok, id, ready, state, error, message, template, createdAt, readyMs, steps
        case workspace, terminals, clients, lastActivityAt
    }

    /// Decodes leniently, so the status answers of every backend that serves this route are understood.
    ///
    /// `ready` is the one required field (with `error`, which may be absent or null). What is missing is derived:
    /// `state` from `ready` and `error` (ready → `ready`, an error → `failed`, else `creating`), `id` empty (the
    /// client fills in the id it asked for), `ok` true, `template` and `createdAt` empty, `steps` none. An unknown
    /// `state` is read as `creating`; unknown fields are ignored; unknown error codes are kept as text.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ready = try c.decode(Bool.self, forKey: .ready)
        error = try c.decodeIfPresent(ErrorCode.self, forKey: .error)
        ok = try c.decodeIfPresent(Bool.self, forKey: .ok) ?? true
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        let derived: SessionState = ready ? .ready : (error == nil ? .creating : .failed)
        if let text = try c.decodeIfPresent(String.self, forKey: .state) {
            state = SessionState(rawValue: text) ?? derived
        } else {
            state = derived
        }
        message = try c.decodeIfPresent(String.self, forKey: .message)
        template = try c.decodeIfPresent(String.self, forKey: .template) ?? ""
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        readyMs = try c.decodeIfPresent(Int.self, forKey: .readyMs)
        steps = try c.decodeIfPresent([StepTiming].self, forKey: .steps) ?? []
        workspace = try c.decodeIfPresent(String.self, forKey: .workspace)
        terminals = try c.decodeIfPresent(Int.self, forKey: .terminals)
        clients = try c.decodeIfPresent(Int.self, forKey: .clients)
        lastActivityAt = try c.decodeIfPresent(String.self, forKey: .lastActivityAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ok, forKey: .ok)
        try c.encode(id, forKey: .id)
        try c.encode(ready, forKey: .ready)
        try c.encode(state, forKey: .state)
        try c.encode(error, forKey: .error)
        try c.encode(message, forKey: .message)
        try c.encode(template, forKey: .template)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(readyMs, forKey: .readyMs)
        try c.encode(steps, forKey: .steps)
        try c.encodeIfPresent(workspace, forKey: .workspace)
        try c.encodeIfPresent(terminals, forKey: .terminals)
        try c.encodeIfPresent(clients, forKey: .clients)
        try c.encodeIfPresent(lastActivityAt, forKey: .lastActivityAt)
    }
}

/// Body of `POST /sessions` and `POST /sessions/{id}/open`.
public struct CreateSessionRequest: Codable, Sendable, Equatable {
    public var id: String?
    public var template: String?
    /// An absolute host folder to use as the workspace (only servers that allow host folders accept it).
    public var folder: String?
    public init(id: String? = nil, template: String? = nil, folder: String? = nil) {
        self.id = id
        self.template = template
        self.folder = folder
    }
}

/// Answer of `GET /sessions`.
public struct SessionList: Codable, Sendable, Equatable {
    public var ok: Bool
    public var sessions: [SessionStatus]
    public init(sessions: [SessionStatus]) {
        self.ok = true
        self.sessions = sessions
    }
}

/// Answer of `DELETE /sessions/{id}`.
public struct DeleteSessionResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var id: String
    public var state: SessionState
    public init(id: String) {
        self.ok = true
        self.id = id
        self.state = .stopped
    }
}

/// Answer of `GET /healthz`.
public struct HealthResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var version: String
    public var driver: String
    public var uptimeMs: Int
    public init(version: String, driver: String, uptimeMs: Int) {
        self.ok = true
        self.version = version
        self.driver = driver
        self.uptimeMs = uptimeMs
    }
}

/// The protocol and program version.
public enum VibeVersion {
    public static let current = "0.2.0"
}
