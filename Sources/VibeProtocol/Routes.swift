/// The HTTP and WebSocket paths of protocol v1 (see docs/protocol.md).
public enum Routes {
    /// Every API route starts with this prefix.
    public static let prefix = "/api/vibecoding"
    /// Liveness probe; never needs a token.
    public static let healthz = "/healthz"
    /// Prometheus metrics (text format); with auth on, any valid token.
    public static let metrics = "/metrics"
    /// The status route existing web clients call: `GET …/session/status?id=ID`.
    public static let sessionStatus = prefix + "/session/status"
    /// `GET` lists, `POST` creates.
    public static let sessions = prefix + "/sessions"

    /// `GET` status, `DELETE` removes.
    public static func session(_ id: String) -> String { sessions + "/" + id }
    /// `POST` opens or resumes.
    public static func open(_ id: String) -> String { session(id) + "/open" }
    /// `POST` suspends a ready session now.
    public static func suspend(_ id: String) -> String { session(id) + "/suspend" }
    /// `POST` runs a command in the workspace.
    public static func exec(_ id: String) -> String { session(id) + "/exec" }
    /// `GET` the workspace tree.
    public static func fsTree(_ id: String) -> String { session(id) + "/fs/tree" }
    /// `GET`/`PUT` one file (`?path=`).
    public static func fsFile(_ id: String) -> String { session(id) + "/fs/file" }
    /// A file tool: `list`, `edit`, `delete`, `move`, `glob` or `grep` (docs/protocol.md, "File tools").
    public static func fsTool(_ id: String, _ tool: String) -> String { session(id) + "/fs/" + tool }
    /// `GET`/`PUT` the session's layout document.
    public static func layout(_ id: String) -> String { session(id) + "/layout" }
    /// The terminal WebSocket.
    public static func terminal(_ id: String) -> String { prefix + "/container/" + id + "/terminal" }
    /// The file-events WebSocket.
    public static func fsEvents(_ id: String) -> String { prefix + "/container/" + id + "/fs-events" }
    /// The status WebSocket: `session_status` on every change, `env_status` every 2 s.
    public static func statusSocket(_ id: String) -> String { prefix + "/container/" + id + "/status" }
    /// The logs WebSocket: `log` envelopes.
    public static func logsSocket(_ id: String) -> String { prefix + "/container/" + id + "/logs" }
}

/// Validation rules for identifiers that appear in paths and queries.
public enum Identifier {
    /// The default terminal name.
    public static let defaultTerminal = "main"

    /// True when `id` is a valid session id: 1–64 of `A-Za-z0-9._-`, not starting with `.`.
    public static func isValidSessionID(_ id: String) -> Bool { isValid(id, maxLength: 64) }

    /// True when `name` is a valid terminal name: 1–32 of `A-Za-z0-9._-`, not starting with `.`.
    public static func isValidTerminalName(_ name: String) -> Bool { isValid(name, maxLength: 32) }

    private static func isValid(_ s: String, maxLength: Int) -> Bool {
        let bytes = Array(s.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLength, bytes[0] != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
    }
}
