import Foundation
import Synchronization
import VibeProtocol

/// The default driver (your own server's): each session is a folder under the data dir (or a host folder
/// the user opened), terminals are local PTYs, change events come from inotify.
public final class LocalDriver: SessionDriver {
    public let name = "local"
    /// Where `sessions/ID/{session.json,workspace}` live.
    public let dataDir: String
    /// The shell command for terminals; nil picks `$SHELL`, else bash, else sh.
    let shell: [String]?
    /// Limits of every shell and command the driver starts.
    let limits: ShellLimits
    private let workspaces = Mutex<[String: LocalWorkspace]>([:])

    /// Creates a driver storing sessions under `dataDir`; `shell` overrides the login shell; `limits` bound
    /// what its shells and commands may use.
    public init(dataDir: String, shell: [String]? = nil, limits: ShellLimits = ShellLimits()) {
        self.dataDir = dataDir
        self.shell = shell
        self.limits = limits
    }

    private var sessionsDir: String { dataDir + "/sessions" }
    private func sessionDir(_ id: String) -> String { sessionsDir + "/" + id }
    private func workspacePath(_ record: SessionRecord) -> String {
        record.hostPath ?? sessionDir(record.id) + "/workspace"
    }

    public func start(_ record: SessionRecord, steps: StepTimer) async throws -> any Workspace {
        let path = workspacePath(record)
        if let existing = workspaces.withLock({ $0[record.id] }) {
            if workspaceExists(record) { return existing }
            // The folder vanished under a running workspace: stop it and build a fresh one.
            workspaces.withLock { _ = $0.removeValue(forKey: record.id) }
            await existing.stop(closeCode: CloseCode.goingAway, reason: "workspace recreated")
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: sessionDir(record.id), withIntermediateDirectories: true)
            try JSONEncoder().encode(record).write(to: URL(fileURLWithPath: sessionDir(record.id) + "/session.json"))
        } catch {
            throw APIError(.createFailed, "cannot create workspace \(path): \(error.localizedDescription)")
        }
        steps.mark("workspace")
        let shellArgv = shell ?? Self.defaultShell()
        guard let program = shellArgv.first, Self.isExecutable(program) else {
            throw APIError(.createFailed, "no usable shell (tried \(shellArgv.first ?? "nothing"))")
        }
        steps.mark("probe")
        let workspace = LocalWorkspace(id: record.id, root: path, shell: shellArgv, limits: limits)
        return workspaces.withLock { w in
            if let raced = w[record.id] { return raced }
            w[record.id] = workspace
            return workspace
        }
    }

    public func remove(_ record: SessionRecord) async throws {
        let ws = workspaces.withLock { $0.removeValue(forKey: record.id) }
        await ws?.stop(closeCode: CloseCode.normal, reason: "session deleted")
        // A host folder the user opened is the user's: only our own metadata goes.
        try? FileManager.default.removeItem(atPath: sessionDir(record.id))
    }

    /// Ends the session's shells and forgets its workspace (idle suspend); the folder stays and `start`
    /// makes a fresh workspace on it.
    public func suspend(_ record: SessionRecord) async throws {
        let ws = workspaces.withLock { $0.removeValue(forKey: record.id) }
        await ws?.stop(closeCode: CloseCode.goingAway, reason: "session suspended")
    }

    /// Closes every terminal socket of every workspace with `code`; shells keep running (test hook).
    func disconnectAllTerminals(code: UInt16, reason: String) {
        for workspace in workspaces.withLock({ Array($0.values) }) {
            workspace.disconnectTerminalSubscribers(code: code, reason: reason)
        }
    }

    /// Forgets a running workspace without deleting it (server shutdown).
    func detachAll() -> [LocalWorkspace] {
        workspaces.withLock { w in
            defer { w.removeAll() }
            return Array(w.values)
        }
    }

    public func persistedSessions() -> [SessionRecord] {
        guard let ids = try? FileManager.default.contentsOfDirectory(atPath: sessionsDir) else { return [] }
        return ids.compactMap { id in
            guard let data = FileManager.default.contents(atPath: sessionDir(id) + "/session.json") else { return nil }
            return try? JSONDecoder().decode(SessionRecord.self, from: data)
        }
    }

    public func workspaceLocation(_ record: SessionRecord) -> String? { workspacePath(record) }

    public func workspaceExists(_ record: SessionRecord) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: workspacePath(record), isDirectory: &isDir) && isDir.boolValue
    }

    /// `$SHELL`, else bash, else sh.
    static func defaultShell() -> [String] {
        if let s = ProcessInfo.processInfo.environment["SHELL"], !s.isEmpty, isExecutable(s) { return [s] }
        for candidate in ["/bin/bash", "/usr/bin/bash", "/bin/sh"] where isExecutable(candidate) { return [candidate] }
        return ["/bin/sh"]
    }

    static func isExecutable(_ path: String) -> Bool {
        if path.contains("/") { return access(path, X_OK) == 0 }
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return dirs.contains { access("\($0)/\(path)", X_OK) == 0 }
    }
}
