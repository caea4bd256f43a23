import ArgumentParser
import Foundation
import Synchronization
import VibeClient
import VibeProtocol
import VibeScript

/// `vibe control ID`: a session terminal as JSON lines, commands on stdin and events on stdout (docs/scripting.md),
/// the programmable face for other languages, like tmux's control mode.
struct ControlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "control",
        abstract: "Drive a session's terminal with JSON lines: commands on stdin, replies and events on stdout.",
        discussion: """
            Commands: {"id":1,"cmd":"send","keys":["ls","Enter"]} (or "text":"…"), {"cmd":"expect","pattern":"…",\
            "regex":false,"on":"screen","timeout":10}, {"cmd":"capture","format":"text","scrollback":0}, \
            {"cmd":"wait-quiet","ms":300,"timeout":10}, {"cmd":"wait-exit","timeout":10}, {"cmd":"close"}. Each gets \
            one reply line with its id: {"id":1,"ok":true,…} or {"id":1,"ok":false,"error":"TIMED_OUT",…}. Events: \
            {"event":"attached"|"output"|"screen"|"exit"|"outage"|"reconnected"|"closed",…}. Ends on close, at the \
            end of stdin, or when the connection is lost for good ("closed" event, exit 7).
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reconnect: ReconnectOptions
    @OptionGroup var target: ScriptTarget
    @Flag(help: "Leave out output events (keep screen, exit and connection events).") var noOutput = false

    func run() async throws {
        try await reporting {
            try await target.with(global, reconnect) { terminal in
                let out = LineWriter()
                let events = await terminal.events()
                let (size, offset) = (await terminal.size, await terminal.outputOffset)
                out.write(ControlEvent(event: "attached", cols: size.cols, rows: size.rows, offset: offset))
                let noOutput = self.noOutput
                let forward = Task {
                    var chunker = UTF8Chunker()
                    for await event in events {
                        switch event {
                        case .attached(let cols, let rows, let offset):
                            out.write(ControlEvent(event: "attached", cols: cols, rows: rows, offset: offset))
                        case .output(let bytes):
                            let text = chunker.text(bytes)
                            if !noOutput, !text.isEmpty { out.write(ControlEvent(event: "output", data: text)) }
                        case .screen(let rows): out.write(ControlEvent(event: "screen", rows: rows))
                        case .exit(let code): out.write(ControlEvent(event: "exit", code: code))
                        }
                    }
                }
                let (inputs, feed) = AsyncStream<ControlInput>.makeStream()
                let connection = Task {
                    for await event in terminal.connectionEvents() {
                        switch event {
                        case .outageStarted(let reason): out.write(ControlEvent(event: "outage", reason: "\(reason)"))
                        case .outageEnded(true, _): out.write(ControlEvent(event: "reconnected"))
                        case .state(.closed(.closed(code: CloseCode.normal, _, _))):
                            // The shell exited (its `exit` event said so): commands still get answers.
                            return
                        case .state(.closed(let reason)) where reason != .closedByClient:
                            feed.yield(.lost("\(reason)"))
                            return
                        default: continue
                        }
                    }
                }
                StandardInputLines.start(into: feed)
                defer {
                    forward.cancel()
                    connection.cancel()
                }
                let session = ControlSession(terminal: terminal, out: out)
                loop: for await input in inputs {
                    switch input {
                    case .line(let line):
                        if await session.handle(line) == .close { break loop }
                    case .end:
                        break loop
                    case .lost(let reason):
                        out.write(ControlEvent(event: "closed", reason: reason))
                        throw CLIError(message: "vibe: control: the connection closed: \(reason)", exitCode: VibeExit.unreachable)
                    }
                }
            }
        }
    }
}

/// Runs control commands one at a time.
struct ControlSession {
    let terminal: ScriptedTerminal
    let out: LineWriter

    enum Next { case more, close }

    func handle(_ line: String) async -> Next {
        guard !line.allSatisfy(\.isWhitespace) else { return .more }
        guard let command = try? JSONDecoder().decode(ControlCommandLine.self, from: Data(line.utf8)) else {
            out.write(ControlReply(id: nil, ok: false, error: "INVALID_REQUEST", message: "not a command object: \(line.prefix(80))"))
            return .more
        }
        var reply = ControlReply(id: command.id, ok: true)
        do {
            switch command.cmd {
            case "send":
                if let text = command.text {
                    try await terminal.send(text: text)
                } else {
                    try await terminal.send(keys: command.keys ?? [], literal: false)
                }
            case "expect":
                guard let source = command.pattern else { throw ControlProblem("expect needs a pattern") }
                let pattern = command.regex == true ? try ScreenPattern(regex: source) : ScreenPattern(text: source)
                guard let scope = ExpectScope(rawValue: command.on ?? "screen") else { throw ControlProblem("on is screen, line or stream") }
                reply.match = try await terminal.expect(pattern, in: scope, timeout: Self.seconds(command.timeout))
            case "capture":
                guard let format = CaptureFormat(rawValue: command.format ?? "text") else { throw ControlProblem("format is text, dump or json") }
                reply.screen = await terminal.capture(format, scrollback: max(0, command.scrollback ?? 0))
            case "wait-quiet":
                try await terminal.waitForQuiet(.milliseconds(max(1, command.ms ?? 300)), timeout: Self.seconds(command.timeout))
            case "wait-exit":
                reply.code = try await terminal.waitForExit(timeout: Self.seconds(command.timeout))
            case "close":
                out.write(reply)
                return .close
            default:
                throw ControlProblem("unknown cmd \(command.cmd) (send, expect, capture, wait-quiet, wait-exit, close)")
            }
        } catch let error as ScriptError {
            reply = ControlReply(id: command.id, ok: false, error: Self.code(error), message: error.description, screen: error.screen)
        } catch {
            reply = ControlReply(id: command.id, ok: false, error: "INVALID_REQUEST", message: "\(error)")
        }
        out.write(reply)
        return .more
    }

    private static func seconds(_ value: Double?) -> Duration {
        .milliseconds(Int64(max(0, min(value ?? 10, 86_400)) * 1000))
    }

    private static func code(_ error: ScriptError) -> String {
        switch error {
        case .timedOut: return "TIMED_OUT"
        case .exited: return "EXITED"
        case .closed: return "CLOSED"
        case .badPattern: return "INVALID_REQUEST"
        case .sendFailed: return "SEND_FAILED"
        }
    }
}

struct ControlProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One command line of `vibe control`.
struct ControlCommandLine: Decodable {
    let id: Int?
    let cmd: String
    let keys: [String]?
    let text: String?
    let pattern: String?
    let regex: Bool?
    let on: String?
    let timeout: Double?
    let format: String?
    let scrollback: Int?
    let ms: Int?
}

/// The reply to one command.
struct ControlReply: Encodable {
    let id: Int?
    let ok: Bool
    var error: String?
    var message: String?
    var screen: String?
    var match: ScreenMatch?
    var code: Int32?
}

/// An event line.
struct ControlEvent: Encodable {
    let event: String
    /// `attached`: the terminal's size and the offset output resumes from.
    var size: TerminalSize?
    var offset: UInt64?
    /// `output`: the text (escape sequences included).
    var data: String?
    /// `screen`: the rows the output changed.
    var rows: [Int]?
    /// `exit`: the shell's code.
    var code: Int32?
    /// `outage`: why the connection dropped.
    var reason: String?

    init(event: String) { self.event = event }

    init(event: String, cols: Int, rows: Int, offset: UInt64) {
        self.event = event
        self.size = TerminalSize(rows: rows, cols: cols)
        self.offset = offset
    }

    init(event: String, data: String) {
        self.event = event
        self.data = data
    }

    init(event: String, rows: [Int]) {
        self.event = event
        self.rows = rows
    }

    init(event: String, code: Int32) {
        self.event = event
        self.code = code
    }

    init(event: String, reason: String) {
        self.event = event
        self.reason = reason
    }
}

/// Writes whole JSON lines to stdout from any task.
final class LineWriter: Sendable {
    private let lock = Mutex(())

    func write<T: Encodable>(_ value: T) {
        guard let data = try? Output.encoder.encode(value) else { return }
        lock.withLock { _ in
            FileHandle.standardOutput.write(data + Data([0x0A]))
        }
    }
}

/// What the control loop takes: a command line, the end of stdin, or the connection lost for good.
enum ControlInput: Sendable {
    case line(String)
    case end
    case lost(String)
}

/// Standard input as lines, read on a thread of its own.
enum StandardInputLines {
    static func start(into feed: AsyncStream<ControlInput>.Continuation) {
        let thread = Thread {
            while let line = readLine(strippingNewline: true) { feed.yield(.line(line)) }
            feed.yield(.end)
        }
        thread.name = "control-stdin"
        thread.start()
    }
}
