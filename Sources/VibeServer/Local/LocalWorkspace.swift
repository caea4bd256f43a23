import Foundation
import Synchronization
import VibeProtocol

/// A session's folder on this machine with its terminals and watcher.
final class LocalWorkspace: Workspace {
    let id: String
    let root: String
    let shell: [String]
    let limits: ShellLimits
    private let paths: WorkspacePath
    /// Runs this workspace's file tools one after another, off the cooperative pool (a long grep holds up
    /// only this session's file tools, never a socket's bytes).
    private let fileQueue: DispatchQueue
    private let state = Mutex<State>(State())

    private struct State {
        var terminals: [String: TerminalHub] = [:]
        /// Terminals whose shell is being started; a second open of the name joins the first.
        var starting: [String: Task<TerminalHub, any Error>] = [:]
        var watcher: InotifyWatcher?
        var stopped = false
    }

    init(id: String, root: String, shell: [String], limits: ShellLimits = ShellLimits()) {
        self.id = id
        self.root = root
        self.shell = shell
        self.limits = limits
        self.paths = WorkspacePath(root: root)
        self.fileQueue = DispatchQueue(label: "vibe.files.\(id)")
    }

    /// The environment of shells and commands: the server's, minus vibe's secrets
    /// (``AuthSecret/secretEnvironmentNames``, whatever the server did with them at start) and the outer
    /// multiplexer's variables, plus TERM and the session id.
    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in AuthSecret.secretEnvironmentNames.union(["TMUX", "TMUX_PANE", "COLUMNS", "LINES", "STY"]) {
            env.removeValue(forKey: key)
        }
        env["TERM"] = "xterm-256color"
        env["COLORTERM"] = "truecolor"
        env["VIBE_SESSION"] = id
        if env["LANG"] == nil && env["LC_ALL"] == nil { env["LANG"] = "C.UTF-8" }
        if let shell = shell.first { env["SHELL"] = shell }
        return env
    }

    func exec(command: String, timeoutMs: Int, onChunk: @escaping @Sendable (ExecChunk) -> Void) async throws
        -> ExecOutcome
    {
        try await ExecRunner.run(
            command: command, cwd: root, environment: environment, limits: limits, timeoutMs: timeoutMs,
            onChunk: onChunk)
    }

    func terminal(named name: String, rows: Int, cols: Int) async throws
        -> (endpoint: any TerminalEndpoint, created: Bool)
    {
        enum Found {
            case running(TerminalHub)
            case starting(Task<TerminalHub, any Error>, first: Bool)
        }
        let found = try state.withLock { s -> Found in
            guard !s.stopped else { throw APIError(.notReady, "session is stopping") }
            if let hub = s.terminals[name] { return .running(hub) }
            if let task = s.starting[name] { return .starting(task, first: false) }
            let task = Task { try await self.startTerminal(name, rows: rows, cols: cols) }
            s.starting[name] = task
            return .starting(task, first: true)
        }
        switch found {
        case .running(let hub): return (hub, false)
        case .starting(let task, let first): return (try await task.value, first)
        }
    }

    /// Starts the shell of terminal `name` off the cooperative pool and registers it, unless the workspace
    /// stopped meanwhile or the shell already ended.
    private func startTerminal(_ name: String, rows: Int, cols: Int) async throws -> TerminalHub {
        let hub: TerminalHub
        do {
            hub = try await TerminalHub.start(
                name: name, argv: shell, environment: environment, cwd: root, rows: rows, cols: cols, limits: limits
            ) { [weak self] ended in
                self?.state.withLock { s in
                    if s.terminals[ended.name] === ended { s.terminals[ended.name] = nil }
                }
            }
        } catch {
            state.withLock { _ = $0.starting.removeValue(forKey: name) }
            throw APIError(.internalError, "cannot start the shell \(shell.joined(separator: " ")): \(error.localizedDescription)")
        }
        let stopped = state.withLock { s -> Bool in
            s.starting[name] = nil
            // The exit of a shell that ended already found nothing to remove: do not register it.
            if !s.stopped && !hub.hasExited { s.terminals[name] = hub }
            return s.stopped
        }
        if stopped {
            hub.terminate(closeCode: CloseCode.goingAway, reason: "session is stopping")
            throw APIError(.notReady, "session is stopping")
        }
        return hub
    }

    /// Names of the running terminals.
    var terminalNames: [String] { state.withLock { Array($0.terminals.keys).sorted() } }

    /// Each running terminal's count of input bytes taken.
    var inputTaken: [String: UInt64] {
        state.withLock { $0.terminals }.mapValues(\.inputTaken)
    }

    /// The running terminal `name`, if any (never starts one).
    func existingTerminal(_ name: String) -> TerminalHub? { state.withLock { $0.terminals[name] } }

    func tree() -> FileTree { FileTreeBuilder.build(root: paths.realRoot) }

    func readFile(_ path: String) throws -> FileContent {
        let full = try paths.resolve(path)
        var st = stat()
        guard stat(full, &st) == 0 else { throw APIError(.notFound, "no such file: \(path)") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw APIError(.invalidRequest, "not a regular file: \(path)") }
        guard Int(st.st_size) <= FileContent.maxSize else {
            throw APIError(.payloadTooLarge, "file is \(st.st_size) bytes; the limit is \(FileContent.maxSize)")
        }
        guard let data = FileManager.default.contents(atPath: full) else {
            throw APIError(.notFound, "cannot read: \(path)")
        }
        if let text = String(data: data, encoding: .utf8) {
            return FileContent(path: path, size: data.count, encoding: .utf8, content: text)
        }
        return FileContent(path: path, size: data.count, encoding: .base64, content: data.base64EncodedString())
    }

    func writeFile(_ path: String, data: [UInt8]) throws -> WriteFileResponse {
        let full = try paths.resolve(path)
        try paths.checkWritable(full, name: path)
        let parent = (full as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            // Re-check after creating folders: a racing symlink must not carry the write outside.
            _ = try paths.resolve(path)
            try Data(data).write(to: URL(fileURLWithPath: full), options: .atomic)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.internalError, "cannot write \(path): \(error.localizedDescription)")
        }
        return WriteFileResponse(path: path, size: data.count)
    }

    func files(_ request: FileRequest) async throws -> FileAnswer {
        let files = WorkspaceFiles(paths: paths)
        return try await withCheckedThrowingContinuation { continuation in
            fileQueue.async { continuation.resume(with: Result { try files.perform(request) }) }
        }
    }

    func usage(includeDisk: Bool) async throws -> ResourceUsage {
        let (id, root) = (self.id, paths.realRoot)
        return try await withCheckedThrowingContinuation { continuation in
            fileQueue.async {
                var usage = SessionProcesses.usage(session: id)
                if includeDisk { usage.diskBytes = DiskUsage.bytes(of: root) }
                continuation.resume(returning: usage)
            }
        }
    }

    func watcher() throws -> any WorkspaceWatcher {
        try state.withLock { s in
            if let w = s.watcher { return w }
            let w = try InotifyWatcher(root: paths.realRoot)
            s.watcher = w
            return w
        }
    }

    func activity() -> WorkspaceActivity {
        let (hubs, watcher) = state.withLock { (Array($0.terminals.values), $0.watcher) }
        let clients = hubs.reduce(0) { $0 + $1.subscriberCount } + (watcher?.subscriberCount ?? 0)
        return WorkspaceActivity(
            terminals: hubs.count, clients: clients, lastActivity: hubs.compactMap(\.lastActivity).max())
    }

    /// Closes every terminal socket with `code` while the shells keep running (test hook, see `TestHooks`).
    func disconnectTerminalSubscribers(code: UInt16, reason: String) {
        let hubs = state.withLock { Array($0.terminals.values) }
        for hub in hubs { hub.disconnectSubscribers(code: code, reason: reason) }
    }

    func stop(closeCode: UInt16, reason: String) async {
        let (hubs, watcher) = state.withLock { s in
            s.stopped = true
            defer {
                s.terminals.removeAll()
                s.watcher = nil
            }
            return (Array(s.terminals.values), s.watcher)
        }
        for hub in hubs { hub.terminate(closeCode: closeCode, reason: reason) }
        watcher?.stop()
    }
}
