import VibeProtocol

/// The entry point: the HTTP API, ready waits and deduplicated reconnecting channels of one server.
///
/// ```swift
/// let client = VibeClient(baseURL: "http://127.0.0.1:8000", token: nil)
/// _ = try await client.api.create(id: "s1")
/// _ = try await client.waitReady("s1")
/// let term = await client.terminal("s1", cols: 120, rows: 40)
/// for await event in term.events() { … }
/// ```
public struct VibeClient: Sendable {
    /// The HTTP API.
    public let api: VibeAPI
    /// Where channels are deduplicated (default: process-wide).
    public let registry: ChannelRegistry
    /// Where ready waits are deduplicated (default: process-wide).
    public let readyWaiter: ReadyWaiter
    /// Options for channels this client opens.
    public var channelOptions: ChannelOptions

    /// Creates a client.
    public init(
        baseURL: String, token: String? = nil, registry: ChannelRegistry = .shared,
        readyWaiter: ReadyWaiter = .shared, channelOptions: ChannelOptions = .init()
    ) {
        self.api = VibeAPI(baseURL: baseURL, token: token)
        self.registry = registry
        self.readyWaiter = readyWaiter
        self.channelOptions = channelOptions
    }

    /// Waits until `session` is ready (see ``ReadyWaiter/waitReady(api:session:timeout:interval:)``).
    public func waitReady(
        _ session: String, timeout: Duration = .seconds(30), interval: Duration = .milliseconds(300)
    ) async throws -> SessionStatus {
        try await readyWaiter.waitReady(api: api, session: session, timeout: timeout, interval: interval)
    }

    /// Streams the progress of a ready wait (see ``ReadyWaiter/watch(api:session:timeout:interval:)``).
    public func watchReady(
        _ session: String, timeout: Duration = .seconds(30), interval: Duration = .milliseconds(300)
    ) async -> AsyncStream<ReadyProgress> {
        await readyWaiter.watch(api: api, session: session, timeout: timeout, interval: interval)
    }

    /// Opens or joins the terminal `term` of `session`.
    public func terminal(
        _ session: String, term: String = Identifier.defaultTerminal, cols: Int = 80, rows: Int = 24
    ) async -> TerminalChannel {
        await registry.terminal(api: api, session: session, term: term, cols: cols, rows: rows, options: channelOptions)
    }

    /// Opens or joins the status socket of `session` (state changes, CPU and memory).
    public func status(_ session: String) async -> StatusChannel {
        await registry.status(api: api, session: session, options: channelOptions)
    }

    /// Opens or joins the fs-events socket of `session`.
    public func fsEvents(_ session: String) async -> FSEventsChannel {
        await registry.fsEvents(api: api, session: session, options: channelOptions)
    }
}
