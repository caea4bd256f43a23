import Foundation
import Logging
import Synchronization
import VibeProtocol

/// Sessions in containers: one container per session (label `vibe.session=ID`), a named volume at
/// `/workspace` kept across restarts, limits, an isolated network, and the workspace agent (`vibe agent
/// serve`) as the container's process. The server reaches the agent through an engine exec of `vibe agent
/// link`; the agent owns the terminals, exec, files and fs-events, so a server restart loses nothing.
public final class DockerDriver: SessionDriver {
    public let name = "docker"
    public let engine: DockerEngine
    public let settings: DockerSettings
    /// Where session records live (`sessions/ID/session.json`, as for the local driver).
    public let dataDir: String
    private let logger: Logger
    private let workspaces = Mutex<[String: AgentWorkspace]>([:])
    /// Start, suspend and remove of one session never overlap.
    private let serializer = KeyedSerializer()

    static let sessionLabel = "vibe.session"
    static let agentSocket = "/tmp/vibe-agent.sock"

    public init(engine: DockerEngine, settings: DockerSettings, dataDir: String, logger: Logger) {
        self.engine = engine
        self.settings = settings
        self.dataDir = dataDir
        self.logger = logger
    }

    /// Checks that an engine answers with an API we speak; the reason in words when not.
    public func checkEngine() async throws -> String {
        let version = try await engine.version()
        guard version.ApiVersion.compare(DockerEngine.apiVersion, options: .numeric) != .orderedAscending else {
            throw DockerError.unreachable(
                "the Docker engine at \(engine.address) speaks API \(version.ApiVersion); vibe needs \(DockerEngine.apiVersion) or later")
        }
        return "Docker \(version.Version) (API \(version.ApiVersion)) at \(engine.address)"
    }

    static func containerName(_ id: String) -> String { "vibe-\(id)" }
    static func volumeName(_ id: String) -> String { "vibe-\(id)" }
    private func sessionDir(_ id: String) -> String { dataDir + "/sessions/" + id }

    public func start(_ record: SessionRecord, steps: StepTimer) async throws -> any Workspace {
        try await serializer.run(record.id) { try await self.startNow(record, steps: steps) }
    }

    private func startNow(_ record: SessionRecord, steps: StepTimer) async throws -> any Workspace {
        do {
            let container = try await ensureContainer(record, steps: steps)
            try await waitForAgent(container)
            steps.mark("ready_wait")
            let workspace = AgentWorkspace { [engine, logger] in
                let exec: String
                do {
                    exec = try await engine.createExec(container, cmd: ["/usr/local/bin/vibe", "agent", "link"], stdin: true)
                } catch let error as DockerError where error.status == 404 || error.status == 409 {
                    // The container was removed or stopped behind the server's back: the session starts again.
                    throw AgentWorkspaceGone(reason: "\(error)")
                }
                let transport = try await DockerExecTransport.open(engine: engine, execID: exec) { bytes in
                    logger.warning("agent link: \(String(decoding: bytes, as: UTF8.self))", metadata: ["session_id": "\(record.id)"])
                }
                return AgentLink(transport: transport)
            }
            workspaces.withLock { $0[record.id] = workspace }
            return workspace
        } catch let error as DockerError {
            throw APIError(.createFailed, "\(error)")
        }
    }

    /// The steps before the agent answers: reuse or start a labelled container, else ensure the image,
    /// the volume and the network, then create and start one.
    private func ensureContainer(_ record: SessionRecord, steps: StepTimer) async throws -> String {
        try saveRecord(record)
        let existing = try await engine.containers(label: Self.sessionLabel, value: record.id)
        steps.mark("existing_container_check")
        if let found = existing.first {
            if found.State == "running" { return found.Id }
            do {
                try await engine.startContainer(found.Id)
                steps.mark("container_start")
                return found.Id
            } catch {
                // A container that will not start again (its image changed, it failed before) is replaced;
                // the files are on the volume, which stays.
                logger.warning(
                    "replacing a container that would not start: \(error)",
                    metadata: ["session_id": "\(record.id)", "event": "container.replace"])
                try await engine.removeContainer(found.Id)
            }
        }
        if try await !engine.imageExists(settings.image) {
            do { try await engine.pullImage(settings.image) } catch {
                throw APIError(
                    .imageUnavailable,
                    "image \(settings.image) is missing and could not be pulled; build it with deploy/image/build.sh")
            }
        }
        steps.mark("image_ensure")
        let labels = [Self.sessionLabel: record.id]
        try await engine.createVolume(Self.volumeName(record.id), labels: labels)
        steps.mark("volume_ensure")
        let network = settings.network ?? DockerSettings.defaultNetwork
        if settings.network == nil { try await engine.ensureNetwork(network) }
        let id: String
        do {
            id = try await engine.createContainer(name: Self.containerName(record.id), spec: containerSpec(record.id, network: network))
        } catch let error as DockerError where error.status == 409 {
            // A racing create of the same session won: use its container.
            guard let raced = try await engine.containers(label: Self.sessionLabel, value: record.id).first else { throw error }
            id = raced.Id
        }
        steps.mark("container_create")
        try await engine.startContainer(id)
        steps.mark("container_start")
        return id
    }

    /// The container of session `id`: the agent as its process, as user `dev` in `/workspace` on the session's
    /// volume, with the limits, the capabilities a shell needs and no new privileges.
    func containerSpec(_ id: String, network: String) -> ContainerSpec {
        ContainerSpec(
            Image: settings.image,
            Cmd: ["/usr/local/bin/vibe", "agent", "serve", "--session", id],
            User: "dev", WorkingDir: "/workspace",
            Env: ["VIBE_SESSION=\(id)", "TERM=xterm-256color", "LANG=C.UTF-8", "SHELL=/bin/bash"],
            Labels: [Self.sessionLabel: id],
            HostConfig: .init(
                NanoCpus: settings.nanoCPUs, Memory: settings.memoryBytes, PidsLimit: settings.pidsLimit,
                CapAdd: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "SETGID", "SETUID"],
                Binds: ["\(Self.volumeName(id)):/workspace"], NetworkMode: network))
    }

    /// What the engine alone takes to do a session's work — volume, create, start, then the same probe
    /// until the agent answers — with no server in the way; the container is removed afterwards. The peer
    /// of `vibe bench --driver docker`.
    public func measureRawEngineReady(id: String) async throws -> Duration {
        let network = settings.network ?? DockerSettings.defaultNetwork
        if settings.network == nil { try await engine.ensureNetwork(network) }
        let start = ContinuousClock.now
        try await engine.createVolume(Self.volumeName(id), labels: [Self.sessionLabel: id])
        let container = try await engine.createContainer(name: Self.containerName(id), spec: containerSpec(id, network: network))
        try await engine.startContainer(container)
        try await waitForAgent(container)
        let elapsed = ContinuousClock.now - start
        try await engine.removeContainer(container)
        try await engine.removeVolume(Self.volumeName(id))
        return elapsed
    }

    /// Probes every 100 ms until the agent's socket is there; fails after the deadline with the probe's output.
    private func waitForAgent(_ container: String) async throws {
        let deadline = ContinuousClock.now + settings.readyTimeout
        var last = ""
        while ContinuousClock.now < deadline {
            let probe = try await engine.runExec(container, cmd: ["test", "-S", Self.agentSocket])
            if probe.code == 0 { return }
            last = "exit \(probe.code) \(probe.output)"
            if let info = try await engine.inspectContainer(container), !info.State.Running {
                throw APIError(.createFailed, "the container stopped (\(info.State.Status)) before its agent was ready")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw APIError(.createFailed, "the workspace agent was not ready after \(settings.readyTimeout): probe \(last)")
    }

    public func remove(_ record: SessionRecord) async throws {
        try await serializer.run(record.id) { try await self.removeNow(record) }
    }

    private func removeNow(_ record: SessionRecord) async throws {
        let workspace = workspaces.withLock { $0.removeValue(forKey: record.id) }
        await workspace?.stop(closeCode: CloseCode.normal, reason: "session deleted")
        for container in try await engine.containers(label: Self.sessionLabel, value: record.id) {
            try await engine.removeContainer(container.Id)
        }
        try await engine.removeVolume(Self.volumeName(record.id))
        try? FileManager.default.removeItem(atPath: sessionDir(record.id))
    }

    /// Stops the session's container (idle suspend); the volume stays, `start` resumes it.
    public func suspend(_ record: SessionRecord) async throws {
        try await serializer.run(record.id) { try await self.suspendNow(record) }
    }

    private func suspendNow(_ record: SessionRecord) async throws {
        let workspace = workspaces.withLock { $0.removeValue(forKey: record.id) }
        await workspace?.stop(closeCode: CloseCode.goingAway, reason: "session suspended")
        for container in try await engine.containers(label: Self.sessionLabel, value: record.id) {
            try await engine.stopContainer(container.Id)
        }
    }

    public func persistedSessions() -> [SessionRecord] {
        let dir = dataDir + "/sessions"
        guard let ids = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return ids.compactMap { id in
            guard let data = FileManager.default.contents(atPath: sessionDir(id) + "/session.json") else { return nil }
            return try? JSONDecoder().decode(SessionRecord.self, from: data)
        }
    }

    /// False once a link found the session's container gone or stopped (removed behind the server's back);
    /// the registry then starts the session again (a new container on the same volume).
    public func workspaceExists(_ record: SessionRecord) -> Bool {
        workspaces.withLock { $0[record.id] }.map { !$0.isGone } ?? true
    }

    public func containerLogs(_ record: SessionRecord, tail: Int, follow: Bool) -> AsyncThrowingStream<LogEntry, any Error>? {
        engine.logs(Self.containerName(record.id), tail: tail, follow: follow)
    }

    public func workspaceLocation(_ record: SessionRecord) -> String? { "/workspace (volume \(Self.volumeName(record.id)))" }

    private func saveRecord(_ record: SessionRecord) throws {
        do {
            try FileManager.default.createDirectory(atPath: sessionDir(record.id), withIntermediateDirectories: true)
            try JSONEncoder().encode(record).write(to: URL(fileURLWithPath: sessionDir(record.id) + "/session.json"))
        } catch {
            throw APIError(.createFailed, "cannot record session \(record.id): \(error.localizedDescription)")
        }
    }
}
