import Foundation
import VibeProtocol

/// An error answered by the server as `{"ok":false,"error":CODE,…}`.
public struct ServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The typed error code (unknown codes are kept in ``ErrorCode/other(_:)``).
    public var code: ErrorCode
    /// The HTTP status of the answer (or the WebSocket close code for socket errors).
    public var status: Int
    /// The server's human readable message.
    public var message: String
    /// The request id the server logged this error under (`requestId` or `X-Request-ID`).
    public var requestId: String?
    /// For `EXEC_TIMEOUT` / `OUTPUT_LIMIT_EXCEEDED`: what the command printed before it was killed.
    public var execOutput: ExecOutput?
    /// `Retry-After` in seconds, when the server sent one (e.g. `RATE_LIMITED`).
    public var retryAfterSeconds: Int?
    /// For `EDIT_NO_MATCH` / `EDIT_AMBIGUOUS`: how many times the text occurs.
    public var occurrences: Int?

    /// Creates a server error.
    public init(
        code: ErrorCode, status: Int, message: String, requestId: String? = nil, execOutput: ExecOutput? = nil,
        retryAfterSeconds: Int? = nil, occurrences: Int? = nil
    ) {
        self.code = code
        self.status = status
        self.message = message
        self.requestId = requestId
        self.execOutput = execOutput
        self.retryAfterSeconds = retryAfterSeconds
        self.occurrences = occurrences
    }

    public var description: String {
        "\(code.rawValue) (HTTP \(status)): \(message)" + (requestId.map { " [request \($0)]" } ?? "")
    }
}

/// What a killed command printed; carried by `EXEC_TIMEOUT` and `OUTPUT_LIMIT_EXCEEDED` errors.
public struct ExecOutput: Sendable, Equatable {
    /// The exit code the command ended with (128+signal when killed).
    public var exitCode: Int32?
    /// Captured standard output (up to the cap).
    public var stdout: String
    /// Captured standard error (up to the cap).
    public var stderr: String
    /// How long the command ran.
    public var durationMs: Int?

    /// Creates an exec output record.
    public init(exitCode: Int32?, stdout: String, stderr: String, durationMs: Int?) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.durationMs = durationMs
    }
}

/// Why a request never got an HTTP answer.
public enum TransportFailure: Sendable, Equatable {
    /// Nothing listens at the address.
    case connectionRefused
    /// Connecting or waiting for the answer took too long.
    case timeout
    /// The server closed the connection mid-request.
    case connectionClosed
    /// Anything else (DNS, TLS, …); the text describes the underlying error.
    case other(String)
}

/// Every error the vibe client library throws.
public enum VibeClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered a JSON error body.
    case server(ServerError)
    /// The server answered something that is not JSON (a proxy's HTML page, …).
    /// `bodyPrefix` holds the first bytes of the body (at most ``VibeClientError/bodyPrefixLimit``).
    case nonJSON(status: Int, contentType: String?, bodyPrefix: String, requestId: String?)
    /// The URL answered a page that is not the vibe API (`NON_JSON_404` and the like from a web app, a login or
    /// access page): a configuration error that waiting cannot fix. See ``VibeClientError/isWrongEndpoint(status:)``.
    case notAnAPI(url: String, status: Int, contentType: String?, bodyPrefix: String)
    /// The answer was JSON but not of the expected shape.
    case decoding(status: Int, message: String, bodyPrefix: String)
    /// The request never got an answer.
    case transport(TransportFailure, description: String)
    /// A caller-side argument was rejected before anything was sent (bad session id, bad URL, …).
    case invalidArgument(String)
    /// Input typed while disconnected would overflow the bounded buffer; nothing was buffered from this call.
    case inputBufferFull(capacity: Int, buffered: Int, attempted: Int)
    /// The channel is closed for good and accepts no more input.
    case channelClosed(reason: String)
    /// `waitReady` gave up because the session failed (code from the status or the error answer).
    case sessionFailed(code: ErrorCode, message: String?)
    /// `waitReady` ran out of time; `lastState` is the last state seen, if any.
    case readyTimedOut(elapsedMs: Int, attempts: Int, lastState: SessionState?, lastError: String?)
    /// A latency probe got no answer in time.
    case probeTimedOut
    /// The channel is not connected right now (it may be reconnecting).
    case notConnected

    /// How many bytes of a non-JSON body are kept.
    public static let bodyPrefixLimit = 200

    /// A stable string code: the server's code, `NON_JSON_<status>`, `TRANSPORT`, `TIMEOUT`, …
    public var code: String {
        switch self {
        case .server(let e): return e.code.rawValue
        case .nonJSON(let status, _, _, _), .notAnAPI(_, let status, _, _): return "NON_JSON_\(status)"
        case .decoding: return "BAD_RESPONSE"
        case .transport(.timeout, _): return "TIMEOUT"
        case .transport: return "TRANSPORT"
        case .invalidArgument: return "INVALID_ARGUMENT"
        case .inputBufferFull: return "INPUT_BUFFER_FULL"
        case .channelClosed: return "CHANNEL_CLOSED"
        case .sessionFailed(let code, _): return code.rawValue
        case .readyTimedOut: return "READY_TIMEOUT"
        case .probeTimedOut: return "PROBE_TIMEOUT"
        case .notConnected: return "NOT_CONNECTED"
        }
    }

    /// The server error, when this is one.
    public var serverError: ServerError? {
        if case .server(let e) = self { return e }
        return nil
    }

    /// The HTTP status when the server answered at all.
    public var httpStatus: Int? {
        switch self {
        case .server(let e): return e.status
        case .nonJSON(let s, _, _, _), .notAnAPI(_, let s, _, _), .decoding(let s, _, _): return s
        default: return nil
        }
    }

    /// True when a non-JSON answer with this status means the URL is not the vibe API at all: a web app's page
    /// (any 2xx, 404, 405) or a login/access page (401, 403). Other statuses (a proxy's 502/503/504 while the
    /// backend restarts, 429, …) are passing trouble.
    public static func isWrongEndpoint(status: Int) -> Bool {
        (200..<300).contains(status) || [401, 403, 404, 405].contains(status)
    }

    /// True for failures that retrying later may fix (transport problems, retryable server codes, 5xx non-JSON).
    public var isRetryable: Bool {
        switch self {
        case .server(let e): return e.code.isRetryable
        case .transport, .readyTimedOut, .probeTimedOut, .notConnected: return true
        case .nonJSON(let s, _, _, _): return s >= 500 || s == 429 || s == 408
        default: return false
        }
    }

    /// A short line for progress output: what went wrong and where (`NON_JSON_502 from URL`,
    /// `connection refused (URL)`), without the underlying library's wording.
    public func briefly(url: String) -> String {
        switch self {
        case .nonJSON(let status, _, _, _): return "NON_JSON_\(status) from \(url)"
        case .transport(.connectionRefused, _): return "connection refused (\(url))"
        case .transport(.timeout, _): return "timed out (\(url))"
        case .transport(.connectionClosed, _): return "connection closed by the server (\(url))"
        case .transport(.other(let text), _): return "\(text) (\(url))"
        default: return description
        }
    }

    public var description: String {
        switch self {
        case .server(let e): return e.description
        case .nonJSON(let status, let ct, let prefix, let requestID):
            // One line: the body's whitespace (an HTML page's newlines) folded to single spaces.
            let oneLine = prefix.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            return "NON_JSON_\(status): server answered \(ct ?? "no content type"): \(oneLine)"
                + (requestID.map { " [request \($0)]" } ?? "")
        case .notAnAPI(let url, let status, let ct, _):
            let what = status == 401 || status == 403 ? "a login or access page" : "a web page"
            return "NON_JSON_\(status) from \(url): \(what) (\(ct ?? "no content type")), not the vibe API. "
                + "The server address points at a web app or a proxy route, not at the API server: "
                + "give --server (or VIBE_SERVER) the API's own base URL, e.g. http://HOST:PORT"
        case .decoding(let status, let msg, _): return "unexpected JSON in HTTP \(status) answer: \(msg)"
        case .transport(let kind, let d): return "transport failure (\(kind)): \(d)"
        case .invalidArgument(let m): return "invalid argument: \(m)"
        case .inputBufferFull(let cap, let buffered, let attempted):
            return "input buffer full: \(buffered) of \(cap) bytes buffered, \(attempted) more refused"
        case .channelClosed(let r): return "channel closed: \(r)"
        case .sessionFailed(let code, let msg): return "session failed: \(code.rawValue)" + (msg.map { ": \($0)" } ?? "")
        case .readyTimedOut(let ms, let attempts, let state, let lastError):
            return "session not ready after \(ms) ms (\(attempts) polls, last state \(state?.rawValue ?? "unknown")"
                + (lastError.map { ", last error: \($0)" } ?? "") + ")"
        case .probeTimedOut: return "latency probe timed out"
        case .notConnected: return "not connected"
        }
    }
}
