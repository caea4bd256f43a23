import Foundation
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

@Suite("Status and logs sockets")
struct StreamSocketsTests {
    @Test func theStatusSocketFollowsStateAndReportsUsage() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let api = server.client.api
            // A process of the session's that keeps running (its own session, so exec does not wait for it).
            _ = try await api.exec(id, command: "setsid sh -c 'sleep 60' >/dev/null 2>&1 < /dev/null &")
            _ = try await api.writeFile(id, path: "big.bin", data: Data(repeating: 7, count: 300_000))
            let channel = await server.client.status(id)
            let seen = MessageLog<StatusMessage>()
            let reader = Task { for await message in channel.messages() { await seen.add(message) } }
            #expect(await eventually(attempts: 400) { await seen.contains { Self.state($0) == .ready } })
            #expect(await eventually(attempts: 400) { await seen.first(Self.env) != nil })
            let env = try #require(await seen.first(Self.env))
            #expect(env.pids >= 1, "the sleep runs with VIBE_SESSION=\(id)")
            #expect(env.memoryBytes > 0)
            #expect(env.cpu >= 0)
            #expect((env.diskBytes ?? 0) >= 300_000, "disk counts the workspace's files")
            _ = try await api.suspend(id)
            #expect(await eventually(attempts: 200) { await seen.contains { Self.state($0) == .suspended } })
            #expect(try await api.status(id).state == .suspended, "watching does not resume it")
            reader.cancel()
            await channel.close()
            let missing = try await server.rawSocketClose(Routes.statusSocket("no-such-session"))
            #expect(missing.code == 4404)
        }
    }

    @Test func theLogsSocketTailsTheServersEventsAndFollowsNewOnes() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let api = server.client.api
            _ = try await api.exec(id, command: "echo hi")
            var history: [LogEntry] = []
            for try await line in api.logs(id, tail: 100, follow: false) { history.append(line) }
            let texts = history.map(\.line)
            #expect(texts.first?.hasPrefix("starting the workspace") == true, "\(texts)")
            #expect(texts.contains { $0.hasPrefix("ready in ") })
            #expect(texts.contains { $0.hasPrefix("exec \"echo hi\": exit 0 in ") && $0.hasSuffix(" ms") })
            #expect(history.allSatisfy { $0.stream == .events && $0.time.hasSuffix("Z") })
            let lastTwo = try await collect(api.logs(id, tail: 2, follow: false))
            #expect(lastTwo.count == 2 && lastTwo.last?.line.hasPrefix("exec \"echo hi\"") == true)

            #expect(try await collect(api.logs(id, tail: 0, follow: false)).isEmpty, "tail=0 sends no history")
            // The history line arrives once the follower is subscribed (tail and subscription are taken together).
            let follower = LogFollower(api.logs(id, tail: 1, follow: true))
            #expect(await eventually { await follower.lines.count == 1 })
            _ = try await api.exec(id, command: "exit 3")
            #expect(await eventually(attempts: 200) { await follower.lines.contains { $0.line.hasPrefix("exec \"exit 3\": exit 3 in ") } })
            #expect(await follower.lines.count == 2)
            follower.stop()

            do {
                _ = try await collect(api.logs(id, tail: 99_999, follow: false))
                Issue.record("a tail over the limit was taken")
            } catch {
                let server = (error as? VibeClientError)?.serverError
                #expect(server?.code == .invalidRequest && server?.message.hasPrefix("tail ") == true)
            }
        }
    }

    private static func state(_ message: StatusMessage) -> SessionState? {
        guard case .status(let status) = message else { return nil }
        return status.state
    }

    private static func env(_ message: StatusMessage) -> EnvStatus? {
        guard case .env(let env) = message else { return nil }
        return env
    }

    @Test func cpuPercentComesFromTheCPUTimeBetweenSamples() {
        var meter = UsageMeter()
        let start = ContinuousClock.now
        #expect(meter.wantsDisk)
        #expect(meter.add(ResourceUsage(cpuNanos: 5_000_000_000, memoryBytes: 10, memoryLimitBytes: nil, pids: 1, diskBytes: 99), at: start) == nil)
        #expect(!meter.wantsDisk)
        // 1 s of CPU in 2 s of time: 50 %; the disk figure is kept from the sample that measured it.
        let env = meter.add(
            ResourceUsage(cpuNanos: 6_000_000_000, memoryBytes: 20, memoryLimitBytes: 1 << 30, pids: 3), at: start + .seconds(2))
        #expect(env == EnvStatus(cpu: 50, memoryBytes: 20, memoryLimitBytes: 1 << 30, pids: 3, diskBytes: 99))
    }
}

/// Messages seen so far, for polling.
actor MessageLog<Message: Sendable> {
    private(set) var all: [Message] = []
    func add(_ message: Message) { all.append(message) }
    func contains(_ match: (Message) -> Bool) -> Bool { all.contains(where: match) }
    func first<T>(_ pick: (Message) -> T?) -> T? { all.lazy.compactMap(pick).first }
}

/// Reads a logs stream in the background.
final class LogFollower: Sendable {
    private let log = MessageLog<LogEntry>()
    private let task: Task<Void, Never>

    init(_ stream: AsyncThrowingStream<LogEntry, any Error>) {
        let log = self.log
        task = Task { do { for try await line in stream { await log.add(line) } } catch {} }
    }

    var lines: [LogEntry] { get async { await log.all } }
    func stop() { task.cancel() }
}

private func collect(_ stream: AsyncThrowingStream<LogEntry, any Error>) async throws -> [LogEntry] {
    var lines: [LogEntry] = []
    for try await line in stream { lines.append(line) }
    return lines
}
