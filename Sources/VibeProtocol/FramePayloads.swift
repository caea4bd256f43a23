import Foundation

// The payloads of the socket frames (``ClientFrame``, ``ServerFrame``).

/// `terminal_input` payload.
public struct TerminalInput: Codable, Sendable, Equatable {
    public var data: String
    public init(data: String) { self.data = data }
}

/// `terminal_resize` payload.
public struct TerminalSize: Codable, Sendable, Equatable {
    public var rows: Int
    public var cols: Int
    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }
    /// True when both sides are within ``limits``.
    public var isValid: Bool { problem == nil }

    /// Rows and columns a terminal may have.
    public static let limits = 1...1000

    /// What is wrong with this size, naming the field (nil when nothing is).
    public var problem: String? {
        if !Self.limits.contains(cols) { return "cols must be from 1 to 1000 (got \(cols))" }
        if !Self.limits.contains(rows) { return "rows must be from 1 to 1000 (got \(rows))" }
        return nil
    }
}

/// `attached` payload: always the first server frame on a terminal socket.
public struct TerminalAttached: Codable, Sendable, Equatable {
    public var term: String
    /// Offset of the first output byte that follows.
    public var offset: UInt64
    public var created: Bool
    public var cols: Int
    public var rows: Int
    /// Input bytes this server has taken from this client (the `client=` of the socket URL) since it first
    /// counted it; absent when the URL named no client or the server did not know it (counting starts now).
    /// A reconnecting client resends what it sent beyond this; see docs/protocol.md.
    public var input: UInt64?
    /// The output offset when the client attached: the bytes from `offset` up to here were produced before
    /// (the replay), so a client that has received them has caught up with the terminal. Absent from servers
    /// before this field.
    public var end: UInt64?
    public init(
        term: String, offset: UInt64, created: Bool, cols: Int, rows: Int, input: UInt64? = nil, end: UInt64? = nil
    ) {
        self.term = term
        self.offset = offset
        self.created = created
        self.cols = cols
        self.rows = rows
        self.input = input
        self.end = end
    }
}

/// `terminal_output` payload (terminal sockets opened with `encoding=json`): output bytes from `offset` on, as
/// UTF-8 text in `data`, or, when they are not UTF-8, in `base64`.
public struct TerminalOutput: Codable, Sendable, Equatable {
    public var offset: UInt64
    public var data: String?
    public var base64: String?

    /// The envelope for `bytes` starting at `offset`: text when they are UTF-8, else base64.
    public init(offset: UInt64, bytes: [UInt8]) {
        self.offset = offset
        if let text = String(validating: bytes, as: UTF8.self) {
            data = text
        } else {
            base64 = Data(bytes).base64EncodedString()
        }
    }

    /// The output bytes this envelope carries.
    public var bytes: [UInt8] {
        if let data { return Array(data.utf8) }
        return base64.flatMap { Data(base64Encoded: $0) }.map(Array.init) ?? []
    }
}

/// `reset` payload: what follows starts at `offset`; redraw from scratch.
public struct TerminalReset: Codable, Sendable, Equatable {
    public var offset: UInt64
    public init(offset: UInt64) { self.offset = offset }
}

/// `exit` payload.
public struct TerminalExit: Codable, Sendable, Equatable {
    public var code: Int32
    public init(code: Int32) { self.code = code }
}

/// `error` envelope payload.
public struct EnvelopeErrorPayload: Codable, Sendable, Equatable {
    public var code: ErrorCode
    public var message: String
    public init(code: ErrorCode, message: String) {
        self.code = code
        self.message = message
    }
}

/// The JSON close reason of a socket closed at connect time (kept under 123 bytes).
public struct CloseReason: Codable, Sendable, Equatable {
    public var ok: Bool
    public var error: ErrorCode
    public var message: String
    public init(error: ErrorCode, message: String) {
        self.ok = false
        self.error = error
        self.message = message
    }

    /// The encoded reason, with the message shortened to fit the 123-byte limit.
    public func encoded() -> String {
        var msg = message
        while true {
            let body = CloseReason(error: error, message: msg)
            if let data = try? JSONEncoder().encode(body), data.count <= 123,
                let s = String(data: data, encoding: .utf8)
            {
                return s
            }
            if msg.isEmpty { return "{\"ok\":false,\"error\":\"\(error.rawValue)\"}" }
            msg.removeLast(max(1, msg.count / 4))
        }
    }
}
