import Foundation
import VibeProtocol
import WSClient

/// What the fs-events socket delivers.
public enum FSEventsMessage: Sendable, Equatable {
    /// The whole tree: first on every (re)connect, and after bursts or overflows. Replace your model with it.
    case snapshot(FileTree)
    /// One coalesced change.
    case event(FSEvent)
}

/// A reconnecting file-events socket (`/container/{id}/fs-events`).
///
/// Every reconnect starts with a fresh ``FSEventsMessage/snapshot(_:)`` (the server sends it), so no change is missed.
/// Obtain one from ``ChannelRegistry/fsEvents(api:session:options:)`` or ``VibeClient``.
public actor FSEventsChannel: RegisteredChannel {
    /// The channel's identity.
    public nonisolated let key: ChannelKey

    private let api: VibeAPI
    private let options: ChannelOptions
    private weak var registry: ChannelRegistry?
    private let tracker = ChannelStateTracker()
    private let output = Broadcast<FSEventsMessage>(replayLast: false, backlogLimit: 4096)
    private var socket: ReconnectingSocket?

    init(api: VibeAPI, key: ChannelKey, options: ChannelOptions, registry: ChannelRegistry?) {
        self.api = api
        self.key = key
        self.options = options
        self.registry = registry
    }

    /// Snapshots and events. Messages that arrived before the first subscriber are kept for it (up to 4096).
    public nonisolated func events() -> AsyncStream<FSEventsMessage> { output.subscribe() }

    /// Connection states plus one `outageStarted`/`outageEnded` pair per outage. Events before the first subscriber
    /// are kept for it (up to 256).
    public nonisolated func connectionEvents() -> AsyncStream<ChannelEvent> { tracker.events.subscribe() }

    /// Connection states only; starts with the current one.
    public nonisolated func states() -> AsyncStream<ChannelState> { tracker.states.subscribe() }

    /// The current connection state.
    public nonisolated var state: ChannelState { tracker.current }

    /// Detaches this holder; the last one closes the socket for good.
    public func close() async {
        if let registry {
            await registry.release(key, self)
        } else {
            await shutdown()
        }
    }

    func shutdown() async {
        await socket?.close()
    }

    func start() {
        guard socket == nil else { return }
        let api = self.api
        let session = key.session
        let readyTimeout = options.readyTimeout
        let url = api.socketURL(path: Routes.fsEvents(VibeAPI.segment(session)), query: [])
        let hooks = SocketHooks(
            makeURL: { url },
            onMessage: { [weak self] message in await self?.handle(message) },
            onConnected: { _ in },
            onDisconnect: {},
            waitReady: { try await SessionResumer.waitReady(api: api, session: session, timeout: readyTimeout) },
            onFinalClose: { [weak self] _ in await self?.finalClose() })
        let socket = ReconnectingSocket(
            tracker: tracker, backoff: Backoff(policy: options.backoff, random: options.random), hooks: hooks,
            logger: options.logger, firstFrameTimeout: options.firstFrameTimeout, reconnectFor: options.reconnectFor)
        self.socket = socket
        Task { await socket.start() }
    }

    private func handle(_ message: WebSocketMessage) {
        guard case .text(let text) = message, let frame = try? ServerFrame.decode(text) else { return }
        switch frame {
        case .fsSnapshot(let tree): output.yield(.snapshot(tree))
        case .fsEvent(let event): output.yield(.event(event))
        case .attached, .reset, .pong, .error, .exit, .terminalOutput, .sessionStatus, .envStatus, .log, .unknown: break
        }
    }

    private func finalClose() async {
        output.finish()
        await registry?.forget(key, self)
    }
}
