import Foundation

/// The UI thread's loop: `poll()` on stdin and the event queue's wake-up pipe, decode keys, apply
/// queued events, feed emulators (bounded per frame) and draw at most 60 frames per second (``FramePacer``).
struct UILoop {
    let controller: AppController
    let queue: EventQueue
    private var decoder = InputDecoder()
    private var pacer = FramePacer()
    private var lastTick = ContinuousClock.now
    private var needsFrame = true
    /// Frames drawn so far (written to `settings.statsFile` when set).
    private var frames = 0
    private let started = ContinuousClock.now
    /// How often the chrome refreshes on its own (latency numbers, banner countdown, tree highlights).
    private static let tick: Duration = .milliseconds(500)

    init(controller: AppController, queue: EventQueue) {
        self.controller = controller
        self.queue = queue
    }

    /// Runs until the controller sets `exit`.
    mutating func run() -> TUIExit {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while controller.exit == nil {
            let now = ContinuousClock.now
            var timeout = 500
            if controller.holdsSynchronizedPane { needsFrame = true }
            if needsFrame || controller.hasBacklog {
                timeout = pacer.millisecondsUntilDue(at: now, urgent: controller.urgentFrame)
            }
            if decoder.hasPending { timeout = min(timeout, 25) }
            var fds = [
                pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                pollfd(fd: queue.wakeFD, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, Int32(timeout))
            if ready < 0, errno != EINTR { return .inputClosed }
            if ready > 0, fds[0].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN) { return .inputClosed }
                if n > 0 {
                    let inputs = decoder.feed(Array(buffer[0..<n]))
                    controller.passThroughInputs = 0
                    for event in inputs { controller.handle(event) }
                    // Keys typed into a pane change nothing on screen: drawing a frame for them would
                    // only make their echo wait for the next frame slot.
                    if controller.passThroughInputs < inputs.count || decoder.hasPending { needsFrame = true }
                }
            } else if ready == 0, decoder.hasPending {
                for event in decoder.flush() { controller.handle(event) }
                needsFrame = true
            }
            let events = queue.drain()
            for event in events { controller.apply(event) }
            if !events.isEmpty { needsFrame = true }
            let after = ContinuousClock.now
            if after - lastTick >= Self.tick {
                lastTick = after
                writeStats(now: after)
                controller.chromeDirty = true
                needsFrame = true
            }
            if needsFrame || controller.hasBacklog, pacer.isDue(at: after, urgent: controller.urgentFrame) {
                if controller.urgentFrame {
                    controller.urgentFrame = false
                    controller.typedSinceFrame = false
                    queue.awaitEcho(from: nil)
                }
                _ = controller.pump { [queue] in queue.hasEcho || Self.keyWaiting() }
                controller.render(now: after)
                pacer.didDraw(at: after)
                needsFrame = false
                frames += 1
            }
        }
        writeStats(now: .now)
        return controller.exit ?? .quit
    }

    /// True when a key waits on stdin (checked between slices of a flood being fed).
    private static func keyWaiting() -> Bool {
        var fd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, 0) > 0
    }

    /// Rewrites the stats file (`frames N`, `elapsed_ms M`) when one is configured.
    private func writeStats(now: ContinuousClock.Instant) {
        guard let path = controller.settings.statsFile else { return }
        let elapsed = now - started
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        let text = "frames \(frames)\nelapsed_ms \(ms)\n"
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
