/// A typed error code as it appears in `{"ok":false,"error":"CODE"}` bodies.
///
/// Unknown codes from a newer server are kept verbatim in ``other(_:)``.
public enum ErrorCode: Hashable, Sendable, Codable, CustomStringConvertible {
    case invalidRequest, unauthorized, forbidden, sessionNotFound, notFound, methodNotAllowed
    case notReady, payloadTooLarge, pathOutsideWorkspace, rateLimited, execTimeout, outputLimitExceeded
    case imageUnavailable, createFailed, internalError, serviceDisabled
    /// Connection-level refusals (the server's edge, before any route runs).
    case requestTimeout, headersTooLarge, tooManyConnections, overloaded
    /// Socket-level: a client that stopped reading, a frame over the size limit.
    case clientTooSlow, frameTooLarge
    /// File tools: an edit's text occurs nowhere / more than once; a move onto an existing path; a delete of a
    /// folder with entries.
    case editNoMatch, editAmbiguous, alreadyExists, folderNotEmpty
    /// The server is shutting down: nothing starts now; come back after its restart.
    case shuttingDown
    /// A code this build does not know.
    case other(String)

    private static let table: [(ErrorCode, String, Int)] = [
        (.invalidRequest, "INVALID_REQUEST", 400), (.unauthorized, "UNAUTHORIZED", 401),
        (.forbidden, "FORBIDDEN", 403), (.sessionNotFound, "SESSION_NOT_FOUND", 404),
        (.notFound, "NOT_FOUND", 404), (.methodNotAllowed, "METHOD_NOT_ALLOWED", 405),
        (.notReady, "NOT_READY", 409), (.payloadTooLarge, "PAYLOAD_TOO_LARGE", 413),
        (.pathOutsideWorkspace, "PATH_OUTSIDE_WORKSPACE", 403), (.rateLimited, "RATE_LIMITED", 429),
        (.execTimeout, "EXEC_TIMEOUT", 504), (.outputLimitExceeded, "OUTPUT_LIMIT_EXCEEDED", 422),
        (.imageUnavailable, "IMAGE_UNAVAILABLE", 503), (.createFailed, "CREATE_FAILED", 500),
        (.internalError, "INTERNAL", 500), (.serviceDisabled, "SERVICE_DISABLED", 503),
        (.requestTimeout, "REQUEST_TIMEOUT", 408), (.headersTooLarge, "HEADERS_TOO_LARGE", 431),
        (.tooManyConnections, "TOO_MANY_CONNECTIONS", 429), (.overloaded, "OVERLOADED", 503),
        (.clientTooSlow, "CLIENT_TOO_SLOW", 503), (.frameTooLarge, "FRAME_TOO_LARGE", 413),
        (.editNoMatch, "EDIT_NO_MATCH", 422), (.editAmbiguous, "EDIT_AMBIGUOUS", 422),
        (.alreadyExists, "ALREADY_EXISTS", 409), (.folderNotEmpty, "FOLDER_NOT_EMPTY", 409),
        (.shuttingDown, "SHUTTING_DOWN", 503),
    ]

    /// Parses a wire string.
    public init(rawValue: String) {
        self = Self.table.first { $0.1 == rawValue }?.0 ?? .other(rawValue)
    }

    /// The wire string, e.g. `SESSION_NOT_FOUND`.
    public var rawValue: String {
        if case .other(let s) = self { return s }
        return Self.table.first { $0.0 == self }?.1 ?? "INTERNAL"
    }

    /// The HTTP status that goes with the code.
    public var httpStatus: Int {
        if case .other = self { return 500 }
        return Self.table.first { $0.0 == self }?.2 ?? 500
    }

    /// The WebSocket close code that reports this error at connect time.
    public var closeCode: UInt16 {
        switch self {
        case .unauthorized: return CloseCode.unauthenticated
        case .forbidden: return CloseCode.forbidden
        case .sessionNotFound: return CloseCode.sessionNotFound
        case .notReady: return CloseCode.notReady
        case .invalidRequest, .pathOutsideWorkspace: return CloseCode.policyViolation
        case .frameTooLarge: return CloseCode.messageTooLarge
        case .clientTooSlow: return CloseCode.tryAgainLater
        case .shuttingDown: return CloseCode.goingAway
        default: return CloseCode.internalError
        }
    }

    /// Errors after which waiting or retrying cannot help.
    public var isRetryable: Bool {
        switch self {
        case .internalError, .imageUnavailable, .createFailed, .sessionNotFound, .unauthorized, .forbidden,
            .invalidRequest, .pathOutsideWorkspace, .methodNotAllowed, .notFound, .serviceDisabled, .headersTooLarge,
            .frameTooLarge, .editNoMatch, .editAmbiguous, .alreadyExists, .folderNotEmpty:
            return false
        default: return true
        }
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// WebSocket close codes used by the server (see docs/protocol.md).
public enum CloseCode {
    public static let normal: UInt16 = 1000
    public static let goingAway: UInt16 = 1001
    public static let policyViolation: UInt16 = 1008
    /// A frame over the server's size limit (1 MiB).
    public static let messageTooLarge: UInt16 = 1009
    public static let internalError: UInt16 = 1011
    /// The client stopped reading its output; it may reconnect and resume by offset.
    public static let tryAgainLater: UInt16 = 1013
    public static let unauthenticated: UInt16 = 4401
    public static let forbidden: UInt16 = 4403
    public static let sessionNotFound: UInt16 = 4404
    public static let notReady: UInt16 = 4409

    /// Close codes after which a client must not reconnect on its own.
    public static func isFinal(_ code: UInt16) -> Bool {
        code == normal || code == policyViolation || code == messageTooLarge || code == unauthenticated
            || code == forbidden || code == sessionNotFound
    }
}
