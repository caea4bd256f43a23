/// Body of `POST /sessions/{id}/exec`.
public struct ExecRequest: Codable, Sendable, Equatable {
    public var command: String
    public var timeoutMs: Int?
    public init(command: String, timeoutMs: Int? = nil) {
        self.command = command
        self.timeoutMs = timeoutMs
    }
    /// Default and maximum command timeouts.
    public static let defaultTimeoutMs = 30_000
    public static let maxTimeoutMs = 600_000
    /// Per-stream output cap.
    public static let outputCap = 1 << 20
}

/// Answer of a finished exec.
public struct ExecResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
    public var durationMs: Int
    public init(exitCode: Int32, stdout: String, stderr: String, durationMs: Int) {
        self.ok = true
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.durationMs = durationMs
    }
}

/// One line of a streaming exec (`Accept: application/x-ndjson`).
public struct ExecStreamLine: Codable, Sendable, Equatable {
    /// `stdout`, `stderr`, `exit` or `error`.
    public var type: String
    public var data: String?
    public var exitCode: Int32?
    public var durationMs: Int?
    public var error: ErrorCode?
    public var message: String?

    public static func output(_ stream: String, _ data: String) -> ExecStreamLine {
        ExecStreamLine(type: stream, data: data)
    }
    public static func exit(_ code: Int32, durationMs: Int) -> ExecStreamLine {
        ExecStreamLine(type: "exit", exitCode: code, durationMs: durationMs)
    }
    public static func failure(_ code: ErrorCode, _ message: String) -> ExecStreamLine {
        ExecStreamLine(type: "error", error: code, message: message)
    }

    public init(
        type: String, data: String? = nil, exitCode: Int32? = nil, durationMs: Int? = nil,
        error: ErrorCode? = nil, message: String? = nil
    ) {
        self.type = type
        self.data = data
        self.exitCode = exitCode
        self.durationMs = durationMs
        self.error = error
        self.message = message
    }
}

/// Media types used on the wire.
public enum MediaType {
    public static let json = "application/json; charset=utf-8"
    public static let ndjson = "application/x-ndjson"
}
