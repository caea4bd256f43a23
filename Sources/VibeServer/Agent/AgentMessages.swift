import Foundation
import VibeProtocol

// The link between the server and a workspace agent (docs/protocol.md, "Workspace agent link"): one JSON
// object per line each way. A line that does not decode is dropped, so a line cut short when a link
// broke can never desynchronise the next one.

/// What the server asks an agent. Each call carries an id its reply repeats.
enum AgentRequest: Codable, Sendable, Equatable {
    /// First call on a link: the agent answers with its version.
    case hello(version: String)
    /// Starts terminal `name` if needed (`created` in the reply says whether it did).
    case openTerminal(name: String, rows: Int, cols: Int)
    /// Subscribes `sub` to terminal `name` from `offset` (reply: the attachment's first part).
    case attachTerminal(sub: Int, name: String, offset: UInt64, created: Bool)
    case detachTerminal(sub: Int)
    /// Keys for terminal `name`; `offset` is where `data` starts in everything the server sent to that
    /// terminal, so the agent skips what it took already when keys are sent again after a lost link.
    case input(name: String, data: Data, offset: UInt64?)
    case resize(name: String, rows: Int, cols: Int)
    case hangUp(name: String)
    /// Runs a command; its output comes as `execOutput` events with this call's id.
    case exec(command: String, timeoutMs: Int)
    case tree
    case readFile(path: String)
    case writeFile(path: String, data: Data)
    /// A file tool: list, edit, delete, move, glob, grep.
    case files(FileRequest)
    /// What the workspace uses (the container's cgroup).
    case usage(includeDisk: Bool)
    /// Subscribes `sub` to the workspace's change signals.
    case watch(sub: Int)
    case unwatch(sub: Int)
}

/// One line from the server.
struct AgentCall: Codable, Sendable, Equatable {
    var id: Int
    var request: AgentRequest
}

/// What an agent answers to a call.
enum AgentReply: Codable, Sendable, Equatable {
    /// `inputTaken`: each running terminal's count of input bytes taken (optional so that an older agent still
    /// decodes, and is refused by the version check with a clear message).
    case hello(version: String, terminals: [String], inputTaken: [String: UInt64]?)
    case terminal(created: Bool, rows: Int, cols: Int)
    case attached(TerminalAttached, reset: Bool, replay: Data)
    case exec(ExecOutcome)
    case tree(FileTree)
    case file(FileContent)
    case written(WriteFileResponse)
    case files(FileAnswer)
    case usage(ResourceUsage)
    case done
}

/// What an agent sends without being asked, for a subscription or a running call.
enum AgentEvent: Codable, Sendable, Equatable {
    case output(sub: Int, data: Data)
    case exit(sub: Int, code: Int32)
    case closed(sub: Int, code: UInt16, reason: String)
    case execOutput(id: Int, stderr: Bool, data: Data)
    case signal(sub: Int, WatchSignal)
}

/// One line from an agent.
enum AgentMessage: Codable, Sendable, Equatable {
    case reply(id: Int, AgentReply)
    /// `occurrences`: for edit failures, how many times the text occurs.
    case failure(id: Int, code: ErrorCode, message: String, occurrences: Int?)
    case event(AgentEvent)
}

/// Encodes and decodes link lines.
enum AgentLine {
    static let encoder = JSONEncoder()

    /// `value` as one line (with its newline).
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        guard var bytes = try? encoder.encode(value).map({ $0 }) else { return [] }
        bytes.append(0x0A)
        return bytes
    }

    static func decode<T: Decodable>(_ type: T.Type, _ line: [UInt8]) -> T? {
        try? JSONDecoder().decode(T.self, from: Data(line))
    }
}

/// Splits a byte stream into lines, bounding how much a line without its end may hold.
struct LineSplitter {
    /// Longest line kept (a longer one is dropped whole): a file of 8 MiB in base64, or an edit's two texts of
    /// 8 MiB each, JSON-escaped, with room to spare.
    static let maxLine = 40 << 20
    private var pending: [UInt8] = []
    private var discarding = false

    /// The complete lines in `bytes` (with what came before them), without their newlines.
    mutating func feed(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            if discarding {
                discarding = false
            } else {
                pending.append(contentsOf: bytes[start..<newline])
                lines.append(pending)
            }
            pending.removeAll(keepingCapacity: true)
            start = newline + 1
        }
        if !discarding {
            pending.append(contentsOf: bytes[start...])
            if pending.count > Self.maxLine {
                pending = []
                discarding = true
            }
        }
        return lines
    }
}
