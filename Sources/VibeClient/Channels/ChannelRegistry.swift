import Logging
import VibeProtocol

/// Identifies one logical socket: at most one live connection exists per key.
public struct ChannelKey: Hashable, Sendable, CustomStringConvertible {
    /// Which socket.
    public enum Kind: String, Sendable {
        /// `/container/{id}/terminal`.
        case terminal
        /// `/container/{id}/fs-events`.
        case fsEvents
        /// `/container/{id}/status`.
        case status
    }
    /// The server's base URL.
    public var server: String
    /// The session id.
    public var session: String
    /// Which socket.
    public var kind: Kind
    /// The terminal name (`nil` for fs-events).
    public var term: String?

    /// Creates a key.
    public init(server: String, session: String, kind: Kind, term: String? = nil) {
        self.server = server
        self.session = session
        self.kind = kind
        self.term = term
    }

    public var description: String {
        "\(server) \(session) \(kind.rawValue)" + (term.map { " \($0)" } ?? "")
    }
}

/// A channel the registry can hand out and shut down.
protocol RegisteredChannel: AnyObject, Sendable {
    /// Starts connecting (called once, when the registry makes the channel).
    func start() async
    func shutdown() async
}

/// Hands out one channel object per ``ChannelKey``: a second request for the same key joins the existing channel
/// (reference counted); the last ``TerminalChannel/close()`` / ``FSEventsChannel/close()`` really closes it.
/// A channel that closed for good (final close code) is forgotten, so the next request starts a fresh one.
public actor ChannelRegistry {
    /// The process-wide registry.
    public static let shared = ChannelRegistry()

    private struct Entry {
        var channel: any RegisteredChannel
        var references: Int
    }
    private var entries: [ChannelKey: Entry] = [:]

    /// Creates an empty registry.
    public init() {}

    /// Opens (or joins) the terminal `term` of `session`.
    ///
    /// - Parameters:
    ///   - api: the server (base URL and token).
    ///   - session: the session id.
    ///   - term: the terminal name (default `main`).
    ///   - cols: initial width (sent as `cols=`, and as a resize after every reconnect).
    ///   - rows: initial height.
    ///   - options: backoff, jitter, input buffer size, logger. Ignored when joining an existing channel.
    public func terminal(
        api: VibeAPI, session: String, term: String = Identifier.defaultTerminal, cols: Int = 80, rows: Int = 24,
        options: ChannelOptions = .init()
    ) async -> TerminalChannel {
        await terminal(api: api, session: session, term: term, size: TerminalSize(rows: rows, cols: cols), options: options)
    }

    /// The shared terminal channel; `size` nil makes a new channel an observer that never resizes the terminal
    /// (it takes the size the server reports in `attached`).
    public func terminal(
        api: VibeAPI, session: String, term: String, size: TerminalSize?, options: ChannelOptions = .init()
    ) async -> TerminalChannel {
        let key = ChannelKey(server: api.baseURL, session: session, kind: .terminal, term: term)
        return await join(key) { TerminalChannel(api: api, key: key, size: size, options: options, registry: self) }
    }

    /// Opens (or joins) the fs-events socket of `session`.
    public func fsEvents(api: VibeAPI, session: String, options: ChannelOptions = .init()) async -> FSEventsChannel {
        let key = ChannelKey(server: api.baseURL, session: session, kind: .fsEvents)
        return await join(key) { FSEventsChannel(api: api, key: key, options: options, registry: self) }
    }

    /// Opens or joins the status socket of `session`.
    public func status(api: VibeAPI, session: String, options: ChannelOptions = .init()) async -> StatusChannel {
        let key = ChannelKey(server: api.baseURL, session: session, kind: .status)
        return await join(key) { StatusChannel(api: api, key: key, options: options, registry: self) }
    }

    /// The channel of `key`, joined (one more reference) when it exists, else made by `make` and started.
    private func join<Channel: RegisteredChannel>(_ key: ChannelKey, make: () -> Channel) async -> Channel {
        if var entry = entries[key], let channel = entry.channel as? Channel {
            entry.references += 1
            entries[key] = entry
            return channel
        }
        let channel = make()
        entries[key] = Entry(channel: channel, references: 1)
        await channel.start()
        return channel
    }

    /// How many holders share the channel of `key` (0 when there is none).
    public func references(_ key: ChannelKey) -> Int { entries[key]?.references ?? 0 }

    /// Drops one reference; the last one shuts the channel down.
    func release(_ key: ChannelKey, _ channel: any RegisteredChannel) async {
        guard var entry = entries[key], entry.channel === channel else {
            await channel.shutdown()
            return
        }
        entry.references -= 1
        if entry.references > 0 {
            entries[key] = entry
            return
        }
        entries[key] = nil
        await channel.shutdown()
    }

    /// Forgets a channel that closed for good.
    func forget(_ key: ChannelKey, _ channel: any RegisteredChannel) {
        if let entry = entries[key], entry.channel === channel { entries[key] = nil }
    }
}

/// Settings of a reconnecting channel.
public struct ChannelOptions: Sendable {
    /// The reconnect backoff (default 250 ms doubling to 10 s, full jitter).
    public var backoff: BackoffPolicy
    /// The jitter source (inject a constant one in tests).
    public var random: JitterSource
    /// Most bytes of input kept while disconnected (default 1 MiB).
    public var inputBufferLimit: Int
    /// How long a 4409 waits for the session to be ready before retrying anyway.
    public var readyTimeout: Duration
    /// Logger for connection problems.
    public var logger: Logger
    /// A connection that got no first frame (`attached` / `fs_snapshot` or a close) in this time is dropped and
    /// retried.
    public var firstFrameTimeout: Duration
    /// How long an outage may last before the channel gives up and closes with
    /// ``DisconnectReason/gaveUp(after:last:)``; nil (the default) retries forever.
    public var reconnectFor: Duration?

    /// Creates options.
    public init(
        backoff: BackoffPolicy = .reconnect, random: JitterSource = .system, inputBufferLimit: Int = 1 << 20,
        readyTimeout: Duration = .seconds(30), logger: Logger = Logger(label: "vibe.client"),
        firstFrameTimeout: Duration = .seconds(5), reconnectFor: Duration? = nil
    ) {
        self.firstFrameTimeout = firstFrameTimeout
        self.reconnectFor = reconnectFor
        self.backoff = backoff
        self.random = random
        self.inputBufferLimit = inputBufferLimit
        self.readyTimeout = readyTimeout
        self.logger = logger
    }
}
