import Foundation

/// A text frame the client sends on a socket: `{"type":…,"payload":…,"timestamp":ms}` (docs/protocol.md).
///
/// One case per type; decoded once, straight into its payload. Switch over it without a `default`, so adding a
/// frame shows every place that must handle it.
public enum ClientFrame: Sendable, Equatable {
    /// `hello`: the client's first frame on any socket, sent as soon as its connection is up; the server holds
    /// its own first frame until it arrives (or a short grace passes). No payload.
    case hello
    /// `terminal_input`: text typed into the terminal (binary frames carry raw bytes).
    case terminalInput(TerminalInput)
    /// `terminal_resize`: the new PTY size.
    case terminalResize(TerminalSize)
    /// `terminal_kill`: hang up the PTY; the shell's exit follows.
    case terminalKill
    /// `ping`: answered by a `pong` carrying the same payload, whatever it is.
    case ping(JSONValue?)
    /// A type this build does not know (the server answers an `error` frame and keeps the socket).
    case unknown(type: String)

    /// The wire name of the frame's type.
    public var type: String {
        switch self {
        case .hello: return "hello"
        case .terminalInput: return "terminal_input"
        case .terminalResize: return "terminal_resize"
        case .terminalKill: return "terminal_kill"
        case .ping: return "ping"
        case .unknown(let type): return type
        }
    }

    /// Decodes a text frame.
    /// - Throws: ``FrameError/malformed`` when it is not a JSON object with a string `type`,
    ///   ``FrameError/badPayload(type:)`` when the payload does not fit the type.
    public static func decode(_ text: String) throws(FrameError) -> ClientFrame { try FrameCodec.decode(text) }

    /// The text frame, stamped with `timestamp` (milliseconds since the epoch).
    public func encoded(timestamp: Int64 = FrameClock.now()) -> String {
        switch self {
        case .terminalInput(let input): return FrameCodec.encode(type, input, timestamp)
        case .terminalResize(let size): return FrameCodec.encode(type, size, timestamp)
        case .hello, .terminalKill, .unknown: return FrameCodec.encode(type, JSONValue?.none, timestamp)
        case .ping(let payload): return FrameCodec.encode(type, payload, timestamp)
        }
    }
}

/// A text frame the server sends on a socket. Decoded once; switch over it without a `default`.
public enum ServerFrame: Sendable, Equatable {
    /// `attached`: the first frame on a terminal socket.
    case attached(TerminalAttached)
    /// `reset`: the asked offset was gone; what follows starts at the given offset.
    case reset(TerminalReset)
    /// `pong`: the answer to a `ping`, with its payload.
    case pong(JSONValue?)
    /// `error`: a frame was refused (the socket stays open).
    case error(EnvelopeErrorPayload)
    /// `exit`: the shell exited; a close follows.
    case exit(TerminalExit)
    /// `terminal_output`: output, on a terminal socket opened with `encoding=json`.
    case terminalOutput(TerminalOutput)
    /// `fs_snapshot`: the whole tree (first on every fs-events connection).
    case fsSnapshot(FileTree)
    /// `fs_event`: one coalesced change.
    case fsEvent(FSEvent)
    /// `session_status`: the session's status (first on a status socket, then on every change).
    case sessionStatus(SessionStatus)
    /// `env_status`: what the workspace uses (status socket, every 2 s while ready).
    case envStatus(EnvStatus)
    /// `log`: one line of the session's logs (logs socket).
    case log(LogEntry)
    /// A type this build does not know (clients ignore it).
    case unknown(type: String)

    /// The wire name of the frame's type.
    public var type: String {
        switch self {
        case .attached: return "attached"
        case .reset: return "reset"
        case .pong: return "pong"
        case .error: return "error"
        case .exit: return "exit"
        case .terminalOutput: return "terminal_output"
        case .fsSnapshot: return "fs_snapshot"
        case .fsEvent: return "fs_event"
        case .sessionStatus: return "session_status"
        case .envStatus: return "env_status"
        case .log: return "log"
        case .unknown(let type): return type
        }
    }

    /// Decodes a text frame (see ``ClientFrame/decode(_:)`` for the errors).
    public static func decode(_ text: String) throws(FrameError) -> ServerFrame { try FrameCodec.decode(text) }

    /// The text frame, stamped with `timestamp` (milliseconds since the epoch).
    public func encoded(timestamp: Int64 = FrameClock.now()) -> String {
        switch self {
        case .attached(let p): return FrameCodec.encode(type, p, timestamp)
        case .reset(let p): return FrameCodec.encode(type, p, timestamp)
        case .pong(let p): return FrameCodec.encode(type, p, timestamp)
        case .error(let p): return FrameCodec.encode(type, p, timestamp)
        case .exit(let p): return FrameCodec.encode(type, p, timestamp)
        case .terminalOutput(let p): return FrameCodec.encode(type, p, timestamp)
        case .fsSnapshot(let p): return FrameCodec.encode(type, p, timestamp)
        case .fsEvent(let p): return FrameCodec.encode(type, p, timestamp)
        case .sessionStatus(let p): return FrameCodec.encode(type, p, timestamp)
        case .envStatus(let p): return FrameCodec.encode(type, p, timestamp)
        case .log(let p): return FrameCodec.encode(type, p, timestamp)
        case .unknown: return FrameCodec.encode(type, JSONValue?.none, timestamp)
        }
    }
}

extension ClientFrame: Decodable {
    /// Reads the type, then the payload that type carries (one pass).
    public init(from decoder: any Decoder) throws {
        let frame = try FrameCodec.Envelope(decoder)
        switch frame.type {
        case "hello": self = .hello
        case "terminal_input": self = .terminalInput(try frame.payload(TerminalInput.self))
        case "terminal_resize": self = .terminalResize(try frame.payload(TerminalSize.self))
        case "terminal_kill": self = .terminalKill
        case "ping": self = .ping(try frame.optionalPayload(JSONValue.self))
        default: self = .unknown(type: frame.type)
        }
    }
}

extension ServerFrame: Decodable {
    /// Reads the type, then the payload that type carries (one pass).
    public init(from decoder: any Decoder) throws {
        let frame = try FrameCodec.Envelope(decoder)
        switch frame.type {
        case "attached": self = .attached(try frame.payload(TerminalAttached.self))
        case "reset": self = .reset(try frame.payload(TerminalReset.self))
        case "pong": self = .pong(try frame.optionalPayload(JSONValue.self))
        case "error": self = .error(try frame.payload(EnvelopeErrorPayload.self))
        case "exit": self = .exit(try frame.payload(TerminalExit.self))
        case "terminal_output": self = .terminalOutput(try frame.payload(TerminalOutput.self))
        case "fs_snapshot": self = .fsSnapshot(try frame.payload(FileTree.self))
        case "fs_event": self = .fsEvent(try frame.payload(FSEvent.self))
        case "session_status": self = .sessionStatus(try frame.payload(SessionStatus.self))
        case "env_status": self = .envStatus(try frame.payload(EnvStatus.self))
        case "log": self = .log(try frame.payload(LogEntry.self))
        default: self = .unknown(type: frame.type)
        }
    }
}

/// Why a text frame could not be read.
public enum FrameError: Error, Sendable, Equatable {
    /// Not a JSON object with a string `type`.
    case malformed
    /// The payload does not fit the frame's type.
    case badPayload(type: String)
}

/// The frames' clock.
public enum FrameClock {
    /// Milliseconds since the epoch.
    public static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}

/// Reads and writes the envelope around every payload, `{"type":…,"payload":…,"timestamp":ms}`, in one pass:
/// the type is read, then the payload is decoded straight from the same container.
enum FrameCodec {
    enum Keys: String, CodingKey { case type, payload, timestamp }

    /// An envelope being decoded: its type, and its payload read on demand as the type says.
    struct Envelope {
        let type: String
        private let container: KeyedDecodingContainer<Keys>

        init(_ decoder: any Decoder) throws {
            do {
                container = try decoder.container(keyedBy: Keys.self)
                type = try container.decode(String.self, forKey: .type)
            } catch {
                throw FrameError.malformed
            }
        }

        func payload<P: Decodable>(_: P.Type) throws(FrameError) -> P {
            do { return try container.decode(P.self, forKey: .payload) } catch { throw .badPayload(type: type) }
        }

        func optionalPayload<P: Decodable>(_: P.Type) throws(FrameError) -> P? {
            do { return try container.decodeIfPresent(P.self, forKey: .payload) } catch {
                throw .badPayload(type: type)
            }
        }
    }

    /// Decodes a frame from a text message.
    static func decode<F: Decodable>(_ text: String) throws(FrameError) -> F {
        do {
            return try JSONDecoder().decode(F.self, from: Data(text.utf8))
        } catch let error as FrameError {
            throw error
        } catch {
            throw .malformed
        }
    }

    private struct Out<P: Encodable>: Encodable {
        let type: String
        let payload: P?
        let timestamp: Int64
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(type, forKey: .type)
            try c.encode(payload, forKey: .payload)
            try c.encode(timestamp, forKey: .timestamp)
        }
    }

    /// The text frame of `type` with `payload` (`null` when nil).
    static func encode<P: Encodable>(_ type: String, _ payload: P?, _ timestamp: Int64) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        guard let data = try? encoder.encode(Out(type: type, payload: payload, timestamp: timestamp)) else {
            // Every payload type here encodes; a failure would be a bug, answered as a frame without payload.
            return "{\"type\":\"\(type)\",\"payload\":null,\"timestamp\":\(timestamp)}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Any JSON value: the opaque payload of `ping`/`pong`.
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}
