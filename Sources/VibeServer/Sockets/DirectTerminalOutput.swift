import NIOCore
import NIOWebSocket
import Synchronization
import VibeProtocol

/// A terminal socket's output path without a task in between: the terminal hands each chunk over on its reader
/// thread, and it is framed and written onto the socket's connection right there (the one hop left is to the
/// connection's event loop).
///
/// Chunks that arrive before ``start(from:replay:)`` (while the socket sends `attached`) are held, so the replay
/// and the live output follow `attached` in order. At most ``limit`` written chunks may wait for the connection; a
/// client further behind is cut off (its socket closes with 1013) and resumes by offset. The socket writes its
/// other frames (envelopes, the close) through hummingbird-websocket's writer; both reach the event loop in the
/// order they were handed over.
final class DirectTerminalOutput: TerminalOutputSink {
    /// Most written chunks waiting for the connection: as many as a terminal queues for any subscriber.
    static let limit = TerminalHub.subscriberQueueLimit
    /// Largest frame of the replay.
    static let replayChunk = 64 << 10

    private struct State {
        /// Chunks taken before the start; nil once started.
        var held: [[UInt8]]? = []
        var framer: OutputFramer
    }
    private let state: Mutex<State>
    private let waiting = Atomic<Int>(0)
    private let channel: any Channel
    private let echo: EchoClock

    /// Output for `channel`, as binary frames or (`json`) `terminal_output` envelopes.
    init(channel: any Channel, json: Bool, echo: EchoClock) {
        self.channel = channel
        self.echo = echo
        state = Mutex(State(framer: OutputFramer(json: json, offset: 0)))
    }

    func take(_ bytes: [UInt8]) -> Bool {
        state.withLock { s in
            guard s.held == nil else {
                s.held?.append(bytes)
                return (s.held?.count ?? 0) <= Self.limit
            }
            return send(s.framer.frame(bytes))
        }
    }

    /// Writes `replay` (the output from byte `offset` on), then what was held, and from then on every chunk as it
    /// comes. Call it once `attached` (and `reset`) are on their way.
    func start(from offset: UInt64, replay: [UInt8]) {
        state.withLock { s in
            s.framer = OutputFramer(json: s.framer.json, offset: offset)
            var rest = replay[...]
            while !rest.isEmpty {
                let chunk = rest.prefix(Self.replayChunk)
                rest = rest.dropFirst(chunk.count)
                _ = send(s.framer.frame(Array(chunk)), printed: false)
            }
            for chunk in s.held ?? [] { _ = send(s.framer.frame(chunk)) }
            s.held = nil
        }
    }

    /// Writes what the JSON framer still holds back (an incomplete UTF-8 character) before the shell's `exit`.
    func finish() {
        state.withLock { s in _ = send(s.framer.finish(), printed: false) }
    }

    /// Writes `frame` (nil: nothing to write); false when too many writes are waiting.
    private func send(_ frame: WebSocketFrame?, printed: Bool = true) -> Bool {
        guard let frame else { return true }
        let behind = waiting.add(1, ordering: .relaxed).newValue
        channel.writeAndFlush(frame).whenComplete { _ in self.waiting.subtract(1, ordering: .relaxed) }
        if printed { echo.printed() }
        return behind <= Self.limit
    }
}

/// Turns output into frames: binary frames as they come, or (`encoding=json`) `terminal_output` envelopes
/// whose text never splits a UTF-8 character (an incomplete one waits for the next chunk) and whose offsets
/// count the bytes before them.
struct OutputFramer {
    let json: Bool
    private var offset: UInt64
    private var chunker = UTF8Chunker()

    init(json: Bool, offset: UInt64) {
        self.json = json
        self.offset = offset
    }

    /// The frame for `bytes`, nil when they are all held back.
    mutating func frame(_ bytes: [UInt8]) -> WebSocketFrame? {
        guard json else { return WebSocketFrame(fin: true, opcode: .binary, data: ByteBuffer(bytes: bytes)) }
        return envelope(chunker.bytes(bytes))
    }

    /// The frame for what is still held back (before the shell's `exit`).
    mutating func finish() -> WebSocketFrame? {
        json ? envelope(chunker.flushBytes()) : nil
    }

    private mutating func envelope(_ bytes: [UInt8]) -> WebSocketFrame? {
        guard !bytes.isEmpty else { return nil }
        defer { offset += UInt64(bytes.count) }
        let text = ServerFrame.terminalOutput(TerminalOutput(offset: offset, bytes: bytes)).encoded()
        return WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text))
    }
}
