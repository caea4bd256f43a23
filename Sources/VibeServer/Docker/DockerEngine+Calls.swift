import Foundation
import NIOCore
import VibeProtocol

/// The engine calls the docker driver makes, one method each, typed both ways.
extension DockerEngine {
    struct Version: Decodable, Sendable {
        var Version: String
        var ApiVersion: String
    }

    struct ContainerSummary: Decodable, Sendable {
        var Id: String
        var State: String
        var Labels: [String: String]?
    }

    struct ContainerState: Decodable, Sendable {
        var Running: Bool
        var Status: String
    }

    struct ContainerInfo: Decodable, Sendable {
        var Id: String
        var State: ContainerState
    }

    struct Created: Decodable, Sendable { var Id: String }

    struct ExecInfo: Decodable, Sendable {
        var Running: Bool
        var ExitCode: Int?
    }

    /// `GET /version`.
    func version() async throws -> Version {
        try await call(.GET, "/version", timeout: .seconds(5)).decode(Version.self)
    }

    /// Containers (running or not) carrying `label=value`.
    func containers(label: String, value: String) async throws -> [ContainerSummary] {
        let filters = #"{"label":["\#(label)=\#(value)"]}"#
        return try await call(.GET, "/containers/json", query: [("all", "1"), ("filters", filters)])
            .decode([ContainerSummary].self)
    }

    /// Containers carrying `label` at all (any value).
    func containers(label: String) async throws -> [ContainerSummary] {
        let filters = #"{"label":["\#(label)"]}"#
        return try await call(.GET, "/containers/json", query: [("all", "1"), ("filters", filters)])
            .decode([ContainerSummary].self)
    }

    func inspectContainer(_ id: String) async throws -> ContainerInfo? {
        let answer = try await call(.GET, "/containers/\(id)/json", expect: [200, 404])
        return answer.status == 404 ? nil : try answer.decode(ContainerInfo.self)
    }

    /// True when the image is present.
    func imageExists(_ name: String) async throws -> Bool {
        try await call(.GET, "/images/\(name)/json", expect: [200, 404]).status == 200
    }

    /// Pulls `name` (`repo:tag`); throws when no registry has it.
    func pullImage(_ name: String) async throws {
        // The tag follows the last `:` after the last `/` (`host:5000/repo:tag`).
        let slash = name.lastIndex(of: "/") ?? name.startIndex
        let colon = name[slash...].lastIndex(of: ":")
        let repository = colon.map { String(name[..<$0]) } ?? name
        let tag = colon.map { String(name[name.index(after: $0)...]) } ?? "latest"
        let answer = try await call(
            .POST, "/images/create", query: [("fromImage", repository), ("tag", tag)],
            expect: [200, 404, 500], timeout: .seconds(300))
        // The engine reports pull failures inside a 200 stream as {"error":…}; either way, check the image.
        guard answer.status == 200, try await imageExists(name) else {
            throw DockerError.engine(status: answer.status, message: answer.message, call: "pull \(name)")
        }
    }

    struct VolumeSpec: Encodable, Sendable {
        var Name: String
        var Labels: [String: String]
    }

    /// Creates the named volume (a no-op when it exists).
    func createVolume(_ name: String, labels: [String: String]) async throws {
        _ = try await call(.POST, "/volumes/create", json: VolumeSpec(Name: name, Labels: labels), expect: [200, 201])
    }

    func removeVolume(_ name: String) async throws {
        _ = try await call(.DELETE, "/volumes/\(name)", expect: [204, 404])
    }

    struct VolumeList: Decodable, Sendable {
        struct Volume: Decodable, Sendable { var Name: String }
        var Volumes: [Volume]?
    }

    /// Names of the volumes carrying `label`.
    func volumes(label: String) async throws -> [String] {
        let filters = #"{"label":["\#(label)"]}"#
        return try await call(.GET, "/volumes", query: [("filters", filters)]).decode(VolumeList.self).Volumes?.map(\.Name) ?? []
    }

    struct NetworkSpec: Encodable, Sendable {
        var Name: String
        var Driver = "bridge"
        var Labels: [String: String]
        var Options: [String: String]
    }

    /// Creates the bridge network `name` when missing: sessions on it cannot reach one another.
    /// Creates the network `name` unless it exists. The engine does not refuse a second network of the same name
    /// (which then makes the name ambiguous), so creations in this process are serialised.
    func ensureNetwork(_ name: String) async throws {
        try await NetworkCreations.shared.once(name) { try await createNetworkIfMissing(name) }
    }

    private func createNetworkIfMissing(_ name: String) async throws {
        if try await call(.GET, "/networks/\(name)", expect: [200, 404]).status == 200 { return }
        let spec = NetworkSpec(
            Name: name, Labels: ["vibe.network": "1"],
            Options: ["com.docker.network.bridge.enable_icc": "false"])
        _ = try await call(.POST, "/networks/create", json: spec, expect: [201, 409])
    }

    func createContainer(name: String, spec: ContainerSpec) async throws -> String {
        try await call(.POST, "/containers/create", query: [("name", name)], json: spec, expect: [201]).decode(Created.self).Id
    }

    func startContainer(_ id: String) async throws {
        _ = try await call(.POST, "/containers/\(id)/start", expect: [204, 304])
    }

    func stopContainer(_ id: String, seconds: Int = 2) async throws {
        _ = try await call(.POST, "/containers/\(id)/stop", query: [("t", String(seconds))], expect: [204, 304, 404])
    }

    func removeContainer(_ id: String) async throws {
        _ = try await call(.DELETE, "/containers/\(id)", query: [("force", "1"), ("v", "1")], expect: [204, 404])
    }

    struct ExecSpec: Encodable, Sendable {
        var Cmd: [String]
        var User: String?
        var AttachStdin: Bool
        var AttachStdout = true
        var AttachStderr = true
        var Tty = false
    }

    /// Creates an exec of `cmd` in the container; start it with `runExec` or `DockerExecTransport`.
    func createExec(_ container: String, cmd: [String], user: String? = nil, stdin: Bool = false) async throws -> String {
        try await call(
            .POST, "/containers/\(container)/exec", json: ExecSpec(Cmd: cmd, User: user, AttachStdin: stdin), expect: [201]
        ).decode(Created.self).Id
    }

    struct ExecStart: Encodable, Sendable {
        var Detach = false
        var Tty = false
    }

    /// Runs an exec to its end: its exit code and output (stdout and stderr together).
    func runExec(_ container: String, cmd: [String], user: String? = nil) async throws -> (code: Int, output: String) {
        let id = try await createExec(container, cmd: cmd, user: user)
        let answer = try await call(.POST, "/exec/\(id)/start", json: ExecStart(), expect: [200])
        let info = try await call(.GET, "/exec/\(id)/json").decode(ExecInfo.self)
        return (info.ExitCode ?? -1, String(decoding: DockerStreamDemux.payloads(answer.body), as: UTF8.self))
    }
}

/// What `POST /containers/create` takes (the fields the driver sets).
struct ContainerSpec: Encodable, Sendable {
    var Image: String
    var Cmd: [String]
    var User: String
    var WorkingDir: String
    var Env: [String]
    var Labels: [String: String]
    var Tty = false
    var OpenStdin = false
    var HostConfig: HostSpec

    struct HostSpec: Encodable, Sendable {
        var Init = true
        var NanoCpus: Int64
        var Memory: Int64
        var PidsLimit: Int64
        var CapDrop = ["ALL"]
        var CapAdd: [String]
        var SecurityOpt = ["no-new-privileges"]
        var Binds: [String]
        var NetworkMode: String
    }
}

/// Splits the engine's multiplexed stream (8-byte headers: stream, 0, 0, 0, size big-endian) into payloads.
struct DockerStreamDemux {
    private var pending: [UInt8] = []

    /// The payloads of whole frames in `bytes` (plus what came before): stream 1 is stdout, 2 stderr.
    mutating func feed(_ bytes: [UInt8]) -> [(stream: UInt8, payload: [UInt8])] {
        pending.append(contentsOf: bytes)
        var frames: [(UInt8, [UInt8])] = []
        var start = 0
        while pending.count - start >= 8 {
            let size = pending[(start + 4)..<(start + 8)].reduce(0) { $0 << 8 | Int($1) }
            guard pending.count - start - 8 >= size else { break }
            frames.append((pending[start], Array(pending[(start + 8)..<(start + 8 + size)])))
            start += 8 + size
        }
        pending.removeFirst(start)
        return frames
    }

    /// Every payload of a complete stream, concatenated.
    static func payloads(_ data: Data) -> [UInt8] {
        var demux = DockerStreamDemux()
        return demux.feed(Array(data)).flatMap(\.payload)
    }
}

/// One creation of each network per process: concurrent callers wait for the same attempt (a failed one is
/// tried again by the next caller).
actor NetworkCreations {
    static let shared = NetworkCreations()
    private var attempts: [String: Task<Void, any Error>] = [:]

    func once(_ name: String, _ create: @escaping @Sendable () async throws -> Void) async throws {
        let attempt = attempts[name] ?? Task { try await create() }
        attempts[name] = attempt
        do {
            try await attempt.value
        } catch {
            attempts[name] = nil
            throw error
        }
    }
}
