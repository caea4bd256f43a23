import VibeProtocol

/// A typed failure that the error middleware renders as the protocol's JSON error body.
public struct APIError: Error, Sendable {
    public var code: ErrorCode
    public var message: String
    /// Extra fields for exec failures (what the command printed before it was stopped).
    public var exec: ExecResponse?
    /// Seconds for a `Retry-After` header (rate limiting).
    public var retryAfter: Int?
    /// How many times an edit's text occurs (`EDIT_NO_MATCH`, `EDIT_AMBIGUOUS`).
    public var occurrences: Int?

    /// Creates an error with a code and a human-readable message.
    public init(
        _ code: ErrorCode, _ message: String, exec: ExecResponse? = nil, retryAfter: Int? = nil, occurrences: Int? = nil
    ) {
        self.code = code
        self.message = message
        self.exec = exec
        self.retryAfter = retryAfter
        self.occurrences = occurrences
    }
}
