import Foundation
import Synchronization

/// The hand-off from async tasks to the UI thread: a locked array plus a self-pipe that wakes `poll()`.
final class EventQueue: Sendable {
    private struct State {
        var events: [UIEvent] = []
        var signalled = false
        /// The pane whose next output is the echo of keys just typed into it.
        var echoPane: PaneID?
    }
    private let state = Mutex(State())
    /// Output from ``State/echoPane`` arrived since the last drain.
    private let echoArrived = Atomic<Bool>(false)
    /// Read end of the wake-up pipe (poll it for POLLIN).
    let wakeFD: Int32
    private let writeFD: Int32

    /// Creates the queue and its pipe (non-blocking, close-on-exec).
    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw OpenFailure(code: "PIPE", message: "cannot create a pipe: errno \(errno)") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(wakeFD)
        close(writeFD)
    }

    /// Queues an event and wakes the UI thread (one pipe byte per batch, not per event).
    func post(_ event: UIEvent) {
        let wake = state.withLock { s -> Bool in
            if case .output(let pane, _) = event, pane == s.echoPane { echoArrived.store(true, ordering: .relaxed) }
            s.events.append(event)
            defer { s.signalled = true }
            return !s.signalled
        }
        if wake {
            var byte: UInt8 = 1
            _ = write(writeFD, &byte, 1)
        }
    }

    /// Keys were typed into `pane` (nil: the echo came or was drawn): its next output is awaited (UI thread).
    func awaitEcho(from pane: PaneID?) {
        state.withLock { $0.echoPane = pane }
    }

    /// True when the awaited echo has arrived and is not drained yet: the UI thread stops feeding a flood
    /// to draw it.
    var hasEcho: Bool { echoArrived.load(ordering: .relaxed) }

    /// Takes every queued event (UI thread) and empties the pipe.
    func drain() -> [UIEvent] {
        var buffer = [UInt8](repeating: 0, count: 64)
        while buffer.withUnsafeMutableBytes({ read(wakeFD, $0.baseAddress, $0.count) }) > 0 {}
        echoArrived.store(false, ordering: .relaxed)
        return state.withLock { s in
            s.signalled = false
            defer { s.events.removeAll(keepingCapacity: true) }
            return s.events
        }
    }
}
