import Foundation

/// The type tags of text-frame envelopes.
public enum EnvelopeType {
    // client → server
    public static let terminalInput = "terminal_input"
    public static let terminalResize = "terminal_resize"
    public static let terminalKill = "terminal_kill"
    public static let ping = "ping"
    // server → client
    public static let attached = "attached"
    public static let reset = "reset"
    public static let pong = "pong"
    public static let error = "error"
    public static let exit = "exit"
    public static let fsSnapshot = "fs_snapshot"
    public static let fsEvent = "fs_event"
}

/// A text frame: `{"type":…,"payload":…,"timestamp":ms}`.
///
/// The payload is kept as raw JSON so each side decodes only the types it knows.
public struct Envelope: Sendable {
    public var type: String
    public var payload: Data?
    public var timestamp: Int64

    /// Builds an envelope around an encodable payload.
    public init<P: Encodable>(type: String, payload: P, timestamp: Int64 = Envelope.now()) throws {
        self.type = type
        self.payload = try JSONEncoder().encode(payload)
        self.timestamp = timestamp
    }

    /// Builds an envelope with no payload.
    public init(type: String, timestamp: Int64 = Envelope.now()) {
        self.type = type
        self.payload = nil
        self.timestamp = timestamp
    }

    /// Milliseconds since the epoch.
    public static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// Decodes an envelope from a text frame; throws on malformed JSON or a missing `type`.
    public static func decode(_ text: String) throws -> Envelope {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let type = object["type"] as? String
        else { throw EnvelopeError.malformed }
        var payload: Data?
        if let p = object["payload"], !(p is NSNull) {
            guard let data = try? JSONSerialization.data(withJSONObject: p, options: [.fragmentsAllowed]) else {
                throw EnvelopeError.malformed
            }
            payload = data
        }
        let ts = (object["timestamp"] as? NSNumber)?.int64Value ?? 0
        return Envelope(type: type, rawPayload: payload, timestamp: ts)
    }

    private init(type: String, rawPayload: Data?, timestamp: Int64) {
        self.type = type
        self.payload = rawPayload
        self.timestamp = timestamp
    }

    /// Decodes the payload as `P`.
    public func decodePayload<P: Decodable>(_: P.Type) throws -> P {
        guard let payload else { throw EnvelopeError.missingPayload }
        return try JSONDecoder().decode(P.self, from: payload)
    }

    /// The text frame for this envelope.
    public func encoded() -> String {
        let payloadText = payload.flatMap { String(data: $0, encoding: .utf8) } ?? "null"
        let typeText = (try? JSONEncoder().encode(type)).flatMap { String(data: $0, encoding: .utf8) } ?? "\"\""
        return "{\"type\":\(typeText),\"payload\":\(payloadText),\"timestamp\":\(timestamp)}"
    }
}

/// Why an envelope could not be read.
public enum EnvelopeError: Error, Sendable {
    case malformed, missingPayload
}

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
    /// True when both sides are within 1…1000.
    public var isValid: Bool { (1...1000).contains(rows) && (1...1000).contains(cols) }
}

/// `attached` payload: always the first server frame on a terminal socket.
public struct TerminalAttached: Codable, Sendable, Equatable {
    public var term: String
    /// Offset of the first output byte that follows.
    public var offset: UInt64
    public var created: Bool
    public var cols: Int
    public var rows: Int
    public init(term: String, offset: UInt64, created: Bool, cols: Int, rows: Int) {
        self.term = term
        self.offset = offset
        self.created = created
        self.cols = cols
        self.rows = rows
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
