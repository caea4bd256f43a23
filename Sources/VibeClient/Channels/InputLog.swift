import WSClient

/// The input a terminal channel has handed to connections, kept until the server's count shows it arrived.
///
/// Positions count input bytes (binary frames' bytes, `terminal_input` text's UTF-8 bytes) in the order sent.
/// The server counts what it took from this client since it first knew it (``TerminalAttached/input``); `base`
/// is this log's position when that counting began. On a reconnect the frames past `base + input` are sent
/// again, so input lost with a dropped connection (in a dying writer, or on the wire) is delivered exactly once.
struct InputLog {
    struct Entry {
        var start: UInt64
        var frame: WebSocketOutboundWriter.OutboundFrame
        var bytes: Int
    }
    /// Input bytes handed to connections so far.
    private(set) var sent: UInt64 = 0
    private var base: UInt64 = 0
    /// Kept frames are `entries[head...]`; dropping the oldest moves `head` (compacted now and then), so
    /// recording a keystroke stays O(1) when the log is full.
    private var entries: [Entry] = []
    private var head = 0
    private var entryBytes = 0
    /// Most bytes kept for resending (older frames are assumed delivered).
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Records a frame handed to a connection.
    mutating func record(_ frame: WebSocketOutboundWriter.OutboundFrame, bytes: Int) {
        guard bytes > 0 else { return }
        entries.append(Entry(start: sent, frame: frame, bytes: bytes))
        entryBytes += bytes
        sent += UInt64(bytes)
        while entryBytes > limit, head < entries.count {
            entryBytes -= entries[head].bytes
            head += 1
        }
        if head > 1024, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }

    /// Applies the server's count from an `attached` frame; returns the frames to send again, in order.
    /// `received` nil: the server did not know this client (or was not asked): it has counted nothing yet,
    /// and nothing is resent.
    mutating func resume(received: UInt64?) -> [Entry] {
        guard let received else {
            base = sent
            clear()
            return []
        }
        let position = base + received
        let kept = entries[head...].filter { $0.start >= position }
        entries = kept
        head = 0
        entryBytes = kept.reduce(0) { $0 + $1.bytes }
        return kept
    }

    /// The shell is new: nothing sent before counts any more.
    mutating func forget() {
        base = sent
        clear()
    }

    private mutating func clear() {
        entries = []
        head = 0
        entryBytes = 0
    }
}
