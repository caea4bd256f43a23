import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

/// The docker driver's tests run against a real engine: `scripts/test` starts one (when none runs),
/// builds the workspace image and sets `VIBE_DOCKER_TESTS=1`. Without it they are not run; with it, a
/// missing engine or image fails them.
enum DockerTests {
    static var enabled: Bool { ProcessInfo.processInfo.environment["VIBE_DOCKER_TESTS"] == "1" }
    static var image: String { ProcessInfo.processInfo.environment["VIBE_IMAGE"] ?? DockerSettings.defaultImage }

    /// A fresh session id (labels are engine-wide, so every run uses its own).
    static func sessionID(_ prefix: String) -> String {
        "dk-\(prefix)-" + UUID().uuidString.prefix(8).lowercased()
    }

    /// A server with the docker driver on a data dir of its own, stopped (and its sessions deleted) after `body`.
    static func withServer(
        settings: DockerSettings = DockerSettings(image: image), idleSuspend: Duration? = nil,
        _ body: (VibeClient, EmbeddedServer, DockerDriver) async throws -> Void
    ) async throws {
        let dir = NSTemporaryDirectory() + "vibe-docker-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var logger = Logger(label: "docker-test")
        logger.logLevel = .critical
        let driver = DockerDriver(engine: try DockerEngine.fromEnvironment(), settings: settings, dataDir: dir, logger: logger)
        _ = try await driver.checkEngine()
        var config = ServerConfiguration(host: "127.0.0.1", port: 0, dataDir: dir)
        config.idleSuspend = idleSuspend
        let server = try await EmbeddedServer.start(configuration: config, driver: driver, logger: logger)
        let client = VibeClient(baseURL: server.baseURL, registry: ChannelRegistry(), readyWaiter: ReadyWaiter())
        var failure: (any Error)?
        do { try await body(client, server, driver) } catch { failure = error }
        for session in (try? await client.api.list()) ?? [] { _ = try? await client.api.delete(session.id) }
        await server.stop()
        try? FileManager.default.removeItem(atPath: dir)
        if let failure { throw failure }
    }

    /// Containers (any state) labelled for `id`.
    static func containers(_ id: String) async throws -> [DockerEngine.ContainerSummary] {
        try await DockerEngine.fromEnvironment().containers(label: DockerDriver.sessionLabel, value: id)
    }

    /// Volumes labelled for `id`.
    static func volumes(_ id: String) async throws -> [String] {
        try await DockerEngine.fromEnvironment().volumes(label: "\(DockerDriver.sessionLabel)=\(id)")
    }
}

/// The `vibe` binary this test run built (for tests that need a server process to kill).
enum BuiltBinary {
    static var vibe: String? {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent(".build/debug/vibe").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}

/// Plain HTTP calls for routes the client library has no method for.
enum TestHTTP {
    static func put(_ url: String, _ body: String) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }
}

/// `vibe serve` as a process of its own, so a test can kill it with SIGKILL and start another.
final class ServerProcess {
    let pid: pid_t
    let baseURL: String

    /// Starts `vibe serve ARGS` and waits (bounded) for its "listening on URL" line.
    init(_ arguments: [String], logFile: String) async throws {
        let binary = try #require(BuiltBinary.vibe)
        let argv = [binary, "serve"] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        FileManager.default.createFile(atPath: logFile, contents: nil)
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_APPEND, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        guard posix_spawn(&pid, binary, &actions, nil, cArgs, environ) == 0 else { throw ServerProcessError("cannot start vibe serve") }
        self.pid = pid
        var url: String?
        for _ in 0..<300 {
            let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").last(where: { $0.contains("listening on") }),
                let found = line.split(separator: " ").first(where: { $0.hasPrefix("http://") })
            {
                url = String(found)
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let url else {
            kill(pid, SIGKILL)
            throw ServerProcessError("vibe serve did not start")
        }
        baseURL = url
    }

    /// SIGKILL, then reaps it.
    func killHard() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// SIGTERM, then reaps it.
    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// The port of `baseURL`.
    var port: String { String(baseURL.split(separator: ":").last ?? "0") }
}

struct ServerProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Checks a terminal capture of `echo BEGIN-RUN; …echo L1…Ln…; echo END-OF-RUN`.
enum ResumeCheck {
    /// True when the output between BEGIN-RUN and END-OF-RUN is L1…L`count`, each once, in order; the
    /// error names the first difference (never the whole capture).
    static func linesExactlyOnce(_ text: String, count: Int) throws -> Bool {
        guard let begin = text.range(of: "BEGIN-RUN\r\n", options: .backwards),
            let end = text.range(of: "\nEND-OF-RUN\r\n", options: .backwards), begin.upperBound <= end.lowerBound
        else { throw ServerProcessError("no BEGIN-RUN … END-OF-RUN output") }
        let lines = text[begin.upperBound..<end.lowerBound].components(separatedBy: "\r\n")
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }.filter { !$0.isEmpty }
        let expected = (1...count).map { "L\($0)" }
        if lines == expected { return true }
        let index = zip(lines, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(lines.count, expected.count)
        throw ServerProcessError(
            "\(lines.count) lines for \(count); first difference at \(index): "
                + "got \(lines.dropFirst(index).first ?? "nothing"), expected \(expected.dropFirst(index).first ?? "nothing")")
    }
}
