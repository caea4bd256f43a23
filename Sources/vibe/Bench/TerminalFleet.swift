import Foundation

/// Many terminal sockets of a vibe server driven from one thread with `poll(2)`, so that a thousand of them cost
/// the bench one thread, not a thousand tasks.
final class TerminalFleet {
    private var sockets: [BlockingWebSocket] = []
    /// Whether each terminal has printed anything yet (its prompt).
    private(set) var printed: [Bool] = []
    /// Bytes of output received in all.
    private(set) var bytesReceived = 0

    var count: Int { sockets.count }
    var printedCount: Int { printed.lazy.filter { $0 }.count }

    /// Connects one socket per URL, in order.
    init(urls: [String]) throws {
        sockets.reserveCapacity(urls.count)
        for url in urls {
            sockets.append(try BlockingWebSocket(url: url))
            printed.append(false)
        }
    }

    /// Sends `bytes` as terminal input to terminal `index`.
    func type(_ bytes: [UInt8], into index: Int) throws {
        try sockets[index].send(bytes)
    }

    /// Waits up to `timeoutMs` for any socket to be readable, reads every readable one, and calls `output` with each
    /// terminal output frame (binary frames; text frames are control envelopes).
    func pump(timeoutMs: Int32, output: (Int, [UInt8]) -> Void = { _, _ in }) throws {
        var fds = sockets.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        let ready = poll(&fds, nfds_t(fds.count), timeoutMs)
        guard ready > 0 else { return }
        for (index, entry) in fds.enumerated() where entry.revents != 0 {
            for frame in try sockets[index].readFrames() where frame.isBinary {
                printed[index] = true
                bytesReceived += frame.payload.count
                output(index, frame.payload)
            }
        }
    }

    /// Reads until every terminal has printed or `deadline` passes; returns how many printed.
    func waitForPrompts(deadline: ContinuousClock.Instant) throws -> Int {
        while printedCount < count && ContinuousClock.now < deadline { try pump(timeoutMs: 50) }
        return printedCount
    }

    /// Keeps reading (so no socket's output backs up) for `duration`.
    func drain(for duration: Duration) throws {
        let end = ContinuousClock.now + duration
        while ContinuousClock.now < end { try pump(timeoutMs: 20) }
    }

    /// Closes every socket.
    func close() {
        for socket in sockets { socket.close() }
        sockets.removeAll()
    }
}
