import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket
import VibeProtocol

/// `/container/{id}/fs-events`: a fresh snapshot, then coalesced change events.
struct FSEventsSocket {
    let server: ServerContext
    /// Length of a coalescing window.
    static let window: Duration = .milliseconds(50)

    func handle(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<SocketRequestContext>
    ) async throws {
        try await InboundQueue.serveListener(inbound: inbound, outbound: outbound) { queue in
            try await serve(queue, outbound: outbound, context: context)
        }
    }

    private func serve(
        _ queue: InboundQueue, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<SocketRequestContext>
    ) async throws {
        let firstWord = queue.firstWord
        guard
            let (workspace, _) = try await SocketGate(server: server).admit(
                request: context.request, sessionID: context.requestContext.parameters.get("id"), outbound: outbound,
                firstWord: firstWord)
        else { return }
        let watcher: any WorkspaceWatcher
        do {
            watcher = try await workspace.watcher()
        } catch {
            await firstWord.wait()
            try await SocketGate.close(outbound, APIError(.internalError, "cannot watch the workspace"))
            return
        }
        // Subscribe before the snapshot so no change falls between them.
        let (subscription, signals) = watcher.subscribe()
        defer { watcher.unsubscribe(subscription) }

        await firstWord.wait()
        try await sendSnapshot(workspace, outbound)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await forward(signals, workspace: workspace, outbound: outbound) }
            group.addTask { await queue.answerPings(outbound: outbound) }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    private func forward(
        _ signals: AsyncStream<WatchSignal>, workspace: any Workspace, outbound: WebSocketOutboundWriter
    ) async throws {
        let batches = WindowedSignals(signals, window: Self.window)
        for await batch in batches {
            var coalescer = FSEventCoalescer()
            for s in batch { coalescer.add(s) }
            switch coalescer.drain() {
            case .snapshot:
                try await sendSnapshot(workspace, outbound)
            case .events(let events):
                for event in events {
                    try await outbound.write(.text(ServerFrame.fsEvent(event).encoded()))
                }
            }
        }
        try await outbound.close(.goingAway, reason: "watcher stopped")
    }

    private func sendSnapshot(_ workspace: any Workspace, _ outbound: WebSocketOutboundWriter) async throws {
        let tree = try await workspace.tree()
        var snapshot = FileTree(root: tree.root, truncated: tree.truncated)
        snapshot.ok = nil
        try await outbound.write(.text(ServerFrame.fsSnapshot(snapshot).encoded()))
    }
}

/// Groups a signal stream into windows: the first signal opens a window that collects everything
/// arriving within `window` (extended while signals keep coming); memory stays bounded because at
/// most ``SignalBuffer/limit`` signals are kept per window.
struct WindowedSignals: AsyncSequence {
    typealias Element = [WatchSignal]
    let base: AsyncStream<WatchSignal>
    let window: Duration

    init(_ base: AsyncStream<WatchSignal>, window: Duration) {
        self.base = base
        self.window = window
    }

    func makeAsyncIterator() -> Iterator { Iterator(base: base, window: window) }

    struct Iterator: AsyncIteratorProtocol {
        let base: AsyncStream<WatchSignal>
        let window: Duration
        private let buffer = SignalBuffer()
        private var pump: Task<Void, Never>?
        /// When the last window was handed out: after a quiet period (two windows) the next change goes out
        /// after only ``leadingGather``, without waiting for a window to fill (a single save reaches the client in
        /// about 10 ms).
        private var lastTaken: ContinuousClock.Instant?
        /// How long the first change after a quiet period waits for the rest of its save.
        static let leadingGather: Duration = .milliseconds(8)

        init(base: AsyncStream<WatchSignal>, window: Duration) {
            self.base = base
            self.window = window
        }

        mutating func next() async -> [WatchSignal]? {
            if pump == nil {
                let buffer = self.buffer
                let base = self.base
                pump = Task {
                    for await s in base { await buffer.add(s) }
                    await buffer.finish()
                }
            }
            guard await buffer.waitForFirst() else { return nil }
            if lastTaken.map({ ContinuousClock.now - $0 >= window * 2 }) ?? true {
                // Leading edge: a moment for the rest of one save (an editor's temporary file and its rename,
                // the write and close after the create) to join it, then out.
                try? await Task.sleep(for: Self.leadingGather)
                lastTaken = .now
                return await buffer.take()
            }
            // Debounce: while signals keep arriving, extend the window (up to 10 windows), so a
            // burst is folded into a few large windows (which become snapshots) instead of many small ones.
            var seen = await buffer.received
            for _ in 0..<10 {
                try? await Task.sleep(for: window)
                let now = await buffer.received
                if now == seen { break }
                seen = now
            }
            lastTaken = .now
            return await buffer.take()
        }
    }
}

/// The signals of the current window, folded as they arrive so a burst cannot grow memory:
/// past the coalescer's limit only an overflow marker is kept.
actor SignalBuffer {
    private var items: [WatchSignal] = []
    private var overflowed = false
    /// Signals added so far (including folded ones), to tell a quiet window from a busy one.
    private(set) var received = 0
    private var finished = false
    private var waiter: CheckedContinuation<Bool, Never>?
    static let limit = 1024

    func add(_ s: WatchSignal) {
        received += 1
        if overflowed { return }
        if items.count >= Self.limit || s == .overflow {
            items = [.overflow]
            overflowed = true
        } else {
            items.append(s)
        }
        waiter?.resume(returning: true)
        waiter = nil
    }

    func finish() {
        finished = true
        waiter?.resume(returning: !items.isEmpty)
        waiter = nil
    }

    /// Waits until the window has something; false when the stream ended empty.
    func waitForFirst() async -> Bool {
        if !items.isEmpty { return true }
        if finished || Task.isCancelled { return false }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { waiter = $0 }
        } onCancel: {
            Task { await self.cancelWait() }
        }
    }

    private func cancelWait() {
        finished = true
        waiter?.resume(returning: false)
        waiter = nil
    }

    func take() -> [WatchSignal] {
        defer {
            items.removeAll(keepingCapacity: true)
            overflowed = false
        }
        return items
    }
}
