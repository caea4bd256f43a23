import Foundation
import VibeProtocol
import WSClient

/// What the status socket delivers.
public enum StatusMessage: Sendable, Equatable {
    /// The session's status: first on every (re)connect, then on every change of state.
    case status(SessionStatus)
    /// What the workspace uses, every 2 s while the session is ready.
    case env(EnvStatus)
}

/// A reconnecting status socket (`/container/{id}/status`): the session's state as it changes and its CPU,
/// memory, processes and disk. Watching never resumes a suspended session. Obtain one from
/// ``ChannelRegistry/status(api:session:options:)`` or ``VibeClient/status(_:)``.
public actor StatusChannel: RegisteredChannel {
    /// The channel's identity.
    public nonisolated let key: ChannelKey

    private let api: VibeAPI
    private let options: ChannelOptions
    private weak var registry: ChannelRegistry?
    private let tracker = ChannelStateTracker()
    private let output = Broadcast<StatusMessage>(replayLast: true, backlogLimit: 256)
    private var socket: ReconnectingSocket?

    init(api: VibeAPI, key: ChannelKey, options: ChannelOptions, registry: ChannelRegistry?) {
        self.api = api
        self.key = key
        self.options = options
        self.registry = registry
    }

    /// Status and usage messages; a late subscriber first gets the latest one.
    public nonisolated func messages() -> AsyncStream<StatusMessage> { output.subscribe() }

    /// Connection states plus one `outageStarted`/`outageEnded` pair per outage.
    public nonisolated func connectionEvents() -> AsyncStream<ChannelEvent> { tracker.events.subscribe() }

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
        let url = api.socketURL(path: Routes.statusSocket(VibeAPI.segment(key.session)), query: [])
        let hooks = SocketHooks(
            makeURL: { url },
            onMessage: { [weak self] message in await self?.handle(message) },
            onConnected: { _ in },
            onDisconnect: {},
            waitReady: {},
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
        case .sessionStatus(let status): output.yield(.status(status))
        case .envStatus(let env): output.yield(.env(env))
        case .attached, .reset, .pong, .error, .exit, .terminalOutput, .fsSnapshot, .fsEvent, .log, .unknown: break
        }
    }

    private func finalClose() async {
        output.finish()
        await registry?.forget(key, self)
    }
}
