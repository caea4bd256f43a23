import Foundation
import Synchronization
import VibeProtocol

/// What the registry remembers about a session across restarts.
public struct SessionRecord: Codable, Sendable, Equatable {
    public var id: String
    /// The JWT subject that created it; nil when the server runs open.
    public var owner: String?
    public var template: String
    public var createdAt: String
    /// A host folder used as the workspace (embedded mode only; never settable over HTTP).
    public var hostPath: String?

    public init(id: String, owner: String?, template: String, createdAt: String, hostPath: String? = nil) {
        self.id = id
        self.owner = owner
        self.template = template
        self.createdAt = createdAt
        self.hostPath = hostPath
    }
}

/// Collects per-step timings while a driver starts a workspace (safe to mark from any task).
public final class StepTimer: Sendable {
    private let state = Mutex<(steps: [StepTiming], last: ContinuousClock.Instant)>(([], .now))

    public init() {}

    /// Marks the end of a step named `name` (its duration runs from the previous mark).
    public func mark(_ name: String) {
        let now = ContinuousClock.now
        state.withLock { s in
            s.steps.append(StepTiming(name: name, ms: Int((now - s.last).milliseconds)))
            s.last = now
        }
    }

    /// The steps so far.
    public var timings: [StepTiming] { state.withLock { $0.steps } }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

/// The seam between the session registry and where workspaces live (local folder, Docker container).
///
/// Routes talk only to the registry and to ``Workspace``; a new driver plugs in here.
public protocol SessionDriver: Sendable {
    /// `local`, `docker`, …
    var name: String { get }
    /// Creates or resumes the workspace of `record`. Throws ``APIError`` with `CREATE_FAILED`,
    /// `IMAGE_UNAVAILABLE`, … when it cannot.
    func start(_ record: SessionRecord, steps: StepTimer) async throws -> any Workspace
    /// Deletes what `start` made (never a host folder the user opened).
    func remove(_ record: SessionRecord) async throws
    /// Sessions that exist from an earlier run, to list as `suspended`.
    func persistedSessions() -> [SessionRecord]
    /// True while the workspace of `record` still exists (open re-creates it otherwise).
    func workspaceExists(_ record: SessionRecord) -> Bool
    /// Where the shells of `record` start, as this machine sees it (nil when the driver cannot say).
    func workspaceLocation(_ record: SessionRecord) -> String?
    /// Stops what keeps an idle session's workspace running (its container), keeping its files; `start`
    /// resumes it.
    func suspend(_ record: SessionRecord) async throws
    /// The workspace's own output (its container's stdout and stderr): the last `tail` lines, then (with
    /// `follow`) new ones; nil for a driver without one.
    func containerLogs(_ record: SessionRecord, tail: Int, follow: Bool) -> AsyncThrowingStream<LogEntry, any Error>?
}

extension SessionDriver {
    /// Drivers without idle suspend do nothing more than the registry does (stop the workspace's sockets).
    public func suspend(_ record: SessionRecord) async throws {}

    /// Drivers without a container have no output of their own.
    public func containerLogs(_ record: SessionRecord, tail: Int, follow: Bool) -> AsyncThrowingStream<LogEntry, any Error>? {
        nil
    }
}

/// What a running workspace is doing, for listings (`vibe ls`).
public struct WorkspaceActivity: Sendable, Equatable {
    /// Running terminals.
    public var terminals: Int
    /// Attached terminal and fs-events sockets.
    public var clients: Int
    /// Last terminal input or output, if any.
    public var lastActivity: Date?

    public init(terminals: Int, clients: Int, lastActivity: Date?) {
        self.terminals = terminals
        self.clients = clients
        self.lastActivity = lastActivity
    }
}

/// A ready session's workspace: terminals, exec, files and change events — on this machine
/// (``LocalWorkspace``) or behind a workspace agent's link (``AgentWorkspace``).
public protocol Workspace: Sendable {
    /// Runs a shell command, streaming its output through `onChunk`.
    func exec(command: String, timeoutMs: Int, onChunk: @escaping @Sendable (ExecChunk) -> Void) async throws
        -> ExecOutcome
    /// The named terminal, started with the given size if it does not exist yet.
    func terminal(named: String, rows: Int, cols: Int) async throws -> (endpoint: any TerminalEndpoint, created: Bool)
    /// The workspace as a tree.
    func tree() async throws -> FileTree
    /// Reads a file (path relative to the workspace).
    func readFile(_ path: String) async throws -> FileContent
    /// Writes a file atomically, creating parent folders.
    func writeFile(_ path: String, data: [UInt8]) async throws -> WriteFileResponse
    /// Runs a file tool (list, edit, delete, move, glob, grep), confined to the workspace.
    func files(_ request: FileRequest) async throws -> FileAnswer
    /// What the workspace uses now (its processes, or its container's cgroup); `includeDisk` also measures
    /// its files (a walk: ask for it now and then, not every time).
    func usage(includeDisk: Bool) async throws -> ResourceUsage
    /// The change watcher of the whole workspace (shared by every fs-events socket).
    func watcher() async throws -> any WorkspaceWatcher
    /// Ends terminals and watchers with `closeCode` (1000 deleted, 1001 shutdown).
    func stop(closeCode: UInt16, reason: String) async
    /// Terminals, attached clients and the last terminal activity.
    func activity() -> WorkspaceActivity
}

/// One named terminal as a socket sees it: a PTY of this process (``TerminalHub``) or one in a workspace agent.
public protocol TerminalEndpoint: Sendable {
    /// Registers a subscriber from output offset `offset`; `created` is echoed in `attached`. With a `sink`, live
    /// output goes to it as soon as it is read, on the endpoint's own thread or task, and the attachment's
    /// `events` carry only the end (exit or close); without one, `events` carry the output too.
    func attach(offset: UInt64, created: Bool, sink: (any TerminalOutputSink)?) async throws -> TerminalAttachment
    /// Removes a subscriber (its socket closed).
    func detach(_ id: UUID)
    /// Sends input to the shell.
    func write(_ bytes: [UInt8])
    /// Resizes the PTY; the most recent resize from any client wins.
    func resize(rows: Int, cols: Int)
    /// Current size.
    var size: TerminalSize { get }
    /// Hangs up the PTY (SIGHUP to the shell); its exit then reaches every client.
    func hangUp()
}

extension TerminalEndpoint {
    /// Registers a subscriber whose output arrives in its `events`.
    func attach(offset: UInt64, created: Bool) async throws -> TerminalAttachment {
        try await attach(offset: offset, created: created, sink: nil)
    }
}

/// Takes a terminal's live output where it is read, without a hop to the subscriber's task: a terminal socket
/// writes it onto its connection from there (``DirectTerminalOutput``).
public protocol TerminalOutputSink: AnyObject, Sendable {
    /// Takes the next chunk of output, in order; must not block. False when the subscriber has fallen too far
    /// behind: it is then cut off (its `events` end without a reason) and resumes by offset.
    func take(_ bytes: [UInt8]) -> Bool
}

/// A source of workspace change signals with many subscribers.
public protocol WorkspaceWatcher: Sendable {
    func subscribe() -> (UUID, AsyncStream<WatchSignal>)
    func unsubscribe(_ id: UUID)
    /// Current subscribers (attached fs-events sockets).
    var subscriberCount: Int { get }
}

