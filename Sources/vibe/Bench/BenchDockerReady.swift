import Foundation
import Logging
import VibeClient
import VibeProtocol
import VibeServer

/// `vibe bench --driver docker`: session ready as a client sees it (create → status ready, polled every
/// 2 ms) on a server with the docker driver, beside the raw engine doing the same work (volume, create,
/// start, probe until the agent answers), rounds interleaved, warm image.
enum BenchDockerReady {
    static func run(sessions: Int, image: String) async throws -> DockerReadyReport {
        let dir = NSTemporaryDirectory() + "vibe-bench-docker-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let driver = DockerDriver(
            engine: try DockerEngine.fromEnvironment(), settings: DockerSettings(image: image), dataDir: dir, logger: logger)
        let engine = try await driver.checkEngine()
        let server = try await EmbeddedServer.start(
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, dataDir: dir, createBurst: 1000, createPerSecond: 1000),
            driver: driver, logger: logger)
        let client = VibeClient(baseURL: server.baseURL)
        let vibe = LatencyRecorder()
        let raw = LatencyRecorder()
        let prefix = "bench-\(UUID().uuidString.prefix(6).lowercased())"
        do {
            for i in 0..<sessions {
                vibe.record(try await readyAsSeen(client, id: "\(prefix)-v\(i)"))
                raw.record(try await driver.measureRawEngineReady(id: "\(prefix)-r\(i)"))
            }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        return DockerReadyReport(
            machine: MachineFacts.collect(), engine: engine, image: image, sessions: sessions,
            vibe: Percentiles(vibe.snapshot()), rawEngine: Percentiles(raw.snapshot()))
    }

    /// Create → ready as the client sees it; the session is deleted afterwards (container and volume).
    private static func readyAsSeen(_ client: VibeClient, id: String) async throws -> Duration {
        let start = ContinuousClock.now
        var status = try await client.api.create(id: id)
        while !status.ready {
            if status.state == .failed {
                throw CLIError(
                    message: "bench: session \(id) failed: \(status.error?.rawValue ?? "?") \(status.message ?? "")",
                    exitCode: VibeExit.sessionFailed)
            }
            try await Task.sleep(for: .milliseconds(2))
            status = try await client.api.status(id)
        }
        let elapsed = ContinuousClock.now - start
        _ = try await client.api.delete(id)
        return elapsed
    }
}

/// The figures of one `vibe bench --driver docker` run.
struct DockerReadyReport: Encodable {
    var machine: MachineFacts
    var engine: String
    var image: String
    var sessions: Int
    var vibe: Percentiles
    var rawEngine: Percentiles

    var markdown: String {
        func ms(_ us: UInt64) -> String { String(format: "%.0f", Double(us) / 1000) }
        func ratio(_ a: UInt64, _ b: UInt64) -> String { b == 0 ? "?" : String(format: "%.2f×", Double(a) / Double(b)) }
        return """
            Machine: \(machine.line)
            \(engine), image \(image) (warm); \(sessions) sessions each, rounds interleaved.

            | session ready | n | p50 ms | p95 ms | max ms |
            |---|---|---|---|---|
            | vibe (create → ready as the client sees it) | \(vibe.count) | \(ms(vibe.p50)) | \(ms(vibe.p95)) | \(ms(vibe.max)) |
            | peer: raw engine calls (volume, create, start, probe) | \(rawEngine.count) | \(ms(rawEngine.p50)) | \(ms(rawEngine.p95)) | \(ms(rawEngine.max)) |
            | ratio | | \(ratio(vibe.p50, rawEngine.p50)) | \(ratio(vibe.p95, rawEngine.p95)) | |
            """
    }
}
