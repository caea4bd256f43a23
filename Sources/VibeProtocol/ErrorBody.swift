/// The JSON body of every error: `{"ok":false,"error":"CODE","message":"…","requestId":"…"}`.
///
/// Exec errors (`EXEC_TIMEOUT`, `OUTPUT_LIMIT_EXCEEDED`) also carry what the command printed; edit errors
/// (`EDIT_NO_MATCH`, `EDIT_AMBIGUOUS`) how many times the text occurs.
public struct ErrorBody: Codable, Sendable, Equatable {
    public var ok: Bool
    public var error: ErrorCode
    public var message: String
    public var requestId: String?
    public var exitCode: Int32?
    public var stdout: String?
    public var stderr: String?
    public var durationMs: Int?
    public var occurrences: Int?

    /// Creates an error body.
    public init(error: ErrorCode, message: String, requestId: String? = nil) {
        self.ok = false
        self.error = error
        self.message = message
        self.requestId = requestId
    }
}
