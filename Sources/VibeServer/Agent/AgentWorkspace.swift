import Foundation
import Synchronization
import VibeProtocol

/// A session's workspace served by its agent, reached through a link the driver makes (an exec stream
/// into the container). The link is made on first use and again after it was lost; the agent keeps its
/// shells and rings meanwhile, so clients resume by offset with nothing lost.
public final class AgentWorkspace: Workspace {
    /// Makes a fresh link to the agent (the driver's engine call).
    public typealias Connector = @Sendable () async throws -> AgentLink

    private let connector: Connector
    private let linkGate = LinkGate()
    /// Keys, resizes and hang-ups of this workspace's terminals, resent after a lost link.
    let input = InputRelay()
    private let gone = Mutex(false)

    /// True once the connector reported that what serves this workspace is gone (``AgentWorkspaceGone``).
    public var isGone: Bool { gone.withLock { $0 } }
    let activityState = Mutex(ActivityState())

    struct ActivityState {
        var terminals: Set<String> = []
        var subscriptions: Set<Int> = []
        var lastActivity: Date?
    }

    public init(connector: @escaping Connector) { self.connector = connector }

    /// The open link, making a new one (once, for every caller waiting) when there is none.
    func link() async throws -> AgentLink {
        do {
            return try await linkGate.link(connector) { [self] link, names, taken in
                activityState.withLock { $0.terminals = Set(names) }
                input.relink(link, taken: taken)
            }
        } catch let error as AgentWorkspaceGone {
            gone.withLock { $0 = true }
            throw APIError(.notReady, "the session's workspace is gone (\(error.reason)); it is started again on the next open")
        }
    }

    public func exec(command: String, timeoutMs: Int, onChunk: @escaping @Sendable (ExecChunk) -> Void) async throws
        -> ExecOutcome
    {
        touch()
        defer { touch() }
        let call = AgentRequest.exec(command: command, timeoutMs: timeoutMs)
        guard case .exec(let outcome) = try await link().call(call, timeout: .milliseconds(timeoutMs) + .seconds(30), onOutput: onChunk)
        else { throw Self.unexpected }
        return outcome
    }

    public func terminal(named name: String, rows: Int, cols: Int) async throws
        -> (endpoint: any TerminalEndpoint, created: Bool)
    {
        let link = try await link()
        guard case .terminal(let created, let r, let c) = try await link.call(.openTerminal(name: name, rows: rows, cols: cols))
        else { throw Self.unexpected }
        activityState.withLock { $0.terminals.insert(name) }
        input.opened(name, created: created)
        return (RemoteTerminal(name: name, workspace: self, size: TerminalSize(rows: r, cols: c)), created)
    }

    public func tree() async throws -> FileTree {
        guard case .tree(let tree) = try await link().call(.tree) else { throw Self.unexpected }
        return tree
    }

    public func readFile(_ path: String) async throws -> FileContent {
        guard case .file(let file) = try await link().call(.readFile(path: path)) else { throw Self.unexpected }
        return file
    }

    public func writeFile(_ path: String, data: [UInt8]) async throws -> WriteFileResponse {
        guard case .written(let answer) = try await link().call(.writeFile(path: path, data: Data(data))) else {
            throw Self.unexpected
        }
        return answer
    }

    public func files(_ request: FileRequest) async throws -> FileAnswer {
        guard case .files(let answer) = try await link().call(.files(request)) else { throw Self.unexpected }
        return answer
    }

    public func usage(includeDisk: Bool) async throws -> ResourceUsage {
        guard case .usage(let usage) = try await link().call(.usage(includeDisk: includeDisk)) else { throw Self.unexpected }
        return usage
    }

    public func watcher() async throws -> any WorkspaceWatcher {
        RemoteWatcher(workspace: self, link: try await link())
    }

    /// Ends this server's link; the agent and its shells stay (a server restart re-links; deleting the
    /// session removes the container).
    public func stop(closeCode: UInt16, reason: String) async {
        input.unlink()
        await linkGate.close(code: closeCode, reason: reason)
    }

    public func activity() -> WorkspaceActivity {
        activityState.withLock {
            WorkspaceActivity(terminals: $0.terminals.count, clients: $0.subscriptions.count, lastActivity: $0.lastActivity)
        }
    }

    func touch() { activityState.withLock { $0.lastActivity = Date() } }

    static let unexpected = APIError(.internalError, "the workspace agent answered something unexpected")
}

/// Makes the link once for every caller waiting, and again after it was lost.
actor LinkGate {
    private var current: AgentLink?
    private var making: Task<AgentLink, any Error>?

    /// The open link or a new one; `onHello` runs for a new link before anyone can use it, with the
    /// agent's running terminals and the input bytes each took.
    func link(
        _ connector: @escaping AgentWorkspace.Connector,
        onHello: @escaping @Sendable (AgentLink, [String], [String: UInt64]) -> Void
    ) async throws -> AgentLink
    {
        if let current, current.isOpen { return current }
        if let making { return try await making.value }
        let task = Task { () throws -> AgentLink in
            let link = try await connector()
            guard case .hello(let version, let terminals, let taken) = try await link.call(.hello(version: VibeVersion.current)) else {
                link.close()
                throw AgentWorkspace.unexpected
            }
            guard version == VibeVersion.current else {
                link.close()
                throw APIError(
                    .createFailed,
                    "the workspace agent is vibe \(version), the server \(VibeVersion.current): rebuild the image (deploy/image/build.sh) and recreate the session")
            }
            onHello(link, terminals, taken ?? [:])
            return link
        }
        making = task
        defer { making = nil }
        let link = try await task.value
        current = link
        return link
    }

    func close(code: UInt16, reason: String) {
        current?.close(code: code, reason: reason)
        current = nil
    }
}

/// Thrown by a connector when what serves the workspace no longer exists (its container was removed).
public struct AgentWorkspaceGone: Error, Sendable {
    public let reason: String
    public init(reason: String) { self.reason = reason }
}
