import Foundation
import Testing
import VibeClient
import VibeProtocol

/// Real connection cuts (Tests/StandIns/chaos_proxy.py resets every connection through it, 50 times at random
/// moments) between a client and a real server: nothing typed or printed is lost or doubled, a channel never
/// has two live sockets, and every outage is reported once.
@Suite("Fault injection")
struct FaultInjectionTests {
    /// Fast reconnects so 50 cuts fit in a few seconds.
    static let options = ChannelOptions(
        backoff: BackoffPolicy(initial: .milliseconds(20), maximum: .milliseconds(200)), firstFrameTimeout: .seconds(5))

    @Test func terminalOutputAndInputSurviveFiftyResets() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let proxy = try ChaosProxy.start(target: server.embedded.port, cuts: 50, minMs: 60, maxMs: 250)
            defer { proxy.stop() }
            var client = VibeClient(baseURL: proxy.baseURL, registry: ChannelRegistry(), readyWaiter: ReadyWaiter())
            client.channelOptions = Self.options
            let printer = await client.terminal(id, term: "seq")
            let typist = await client.terminal(id, term: "typist")
            let printed = OutputCollector()
            await printed.start(printer)
            let outages = OutageCounter(printer.connectionEvents())
            let count = 3000
            try await printer.sendText("for i in $(seq 1 \(count)); do echo S$i; sleep 0.001; done; echo SEQ-DONE\r")
            try await typist.sendText(": > /tmp/vibe-chaos-\(id)\r")
            proxy.go()
            let commands = 120
            for k in 1...commands {
                try await typist.sendText("echo C\(k) >> /tmp/vibe-chaos-\(id)\r")
                try await Task.sleep(for: .milliseconds(25))
            }
            try await typist.sendText("echo TYPIST-DONE\r")
            #expect(await eventually(attempts: 1200) { proxy.status()?.done == true })

            // Every printed line exactly once, in order.
            #expect(await eventually(attempts: 1200) { await printed.text.contains("\nSEQ-DONE\r\n") })
            let text = await printed.text
            // What is left of each line after its last carriage return (the first follows the shell's own "\r").
            let lines = text.components(separatedBy: "\r\n").map { $0.split(separator: "\r").last.map(String.init) ?? "" }
                .filter { $0.hasPrefix("S") && Int($0.dropFirst()) != nil }
            #expect(lines == (1...count).map { "S\($0)" }, "got \(lines.count) lines, first out of place: \(Self.firstDifference(lines, count))")
            #expect(await printed.resets == 0)

            // Every typed command ran exactly once, in order.
            let log = "/tmp/vibe-chaos-\(id)"
            #expect(await eventually(attempts: 600) {
                (try? String(contentsOfFile: log, encoding: .utf8))?.contains("C\(commands)\n") == true
            })
            let ran = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(ran == (1...commands).map { "C\($0)" }, "ran \(ran.count) commands")
            try? FileManager.default.removeItem(atPath: log)

            // One socket per channel at a time; one outage per cut that hit the channel.
            let status = try #require(proxy.status())
            #expect(status.cutsThatHit > 10)
            for (path, most) in status.maxLive where path.contains("/terminal") || path.contains("/fs-events") {
                #expect(most == 1, "\(path) had \(most) live sockets at once")
            }
            let (started, ended) = await outages.counts()
            #expect(started >= 1 && started <= status.cutsThatHit, "\(started) outages for \(status.cutsThatHit) cuts")
            #expect(ended == started, "\(started) outages started, \(ended) ended")
            await printer.close()
            await typist.close()
            await printed.stop()
        }
    }

    @Test func fileTreeEqualsTheDirectoryAfterABurstDuringResets() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let proxy = try ChaosProxy.start(target: server.embedded.port, cuts: 20, minMs: 60, maxMs: 250)
            defer { proxy.stop() }
            var client = VibeClient(baseURL: proxy.baseURL, registry: ChannelRegistry(), readyWaiter: ReadyWaiter())
            client.channelOptions = Self.options
            let channel = await client.fsEvents(id)
            let fs = FSCollector()
            await fs.start(channel)
            #expect(await eventually { await fs.snapshots.count >= 1 })
            proxy.go()
            // Written through the server directly (not the proxy), while the proxy cuts the client's socket.
            _ = try await server.client.api.exec(
                id, command: "mkdir -p burst/a burst/b && for i in $(seq 1 1000); do : > burst/a/f$i; : > burst/b/g$i; done")
            _ = try await server.client.api.exec(id, command: "rm burst/a/f1 burst/a/f2 && mv burst/b/g3 burst/moved")
            #expect(await eventually(attempts: 1200) { proxy.status()?.done == true })
            let listing = try await server.client.api.exec(id, command: "find . -mindepth 1 | sed 's,^\\./,,' | sort")
            let expected = Set(listing.stdout.split(separator: "\n").map(String.init))
            #expect(expected.count > 2000)
            let converged = await eventually(attempts: 600) { await fs.paths == expected }
            let got = await fs.paths
            #expect(
                converged,
                "tree has \(got.count) paths, directory \(expected.count); missing \(expected.subtracting(got).sorted().prefix(5)), extra \(got.subtracting(expected).sorted().prefix(5))")
            await channel.close()
            await fs.stop()
        }
    }

    static func firstDifference(_ lines: [String], _ count: Int) -> String {
        for (i, line) in lines.enumerated() where line != "S\(i + 1)" { return "#\(i + 1) is \(line)" }
        return lines.count == count ? "none" : "ends after \(lines.count)"
    }
}

/// Counts a channel's outage starts and ends.
actor OutageCounter {
    private var started = 0
    private var ended = 0

    init(_ events: AsyncStream<ChannelEvent>) {
        Task { await self.run(events) }
    }

    private func run(_ events: AsyncStream<ChannelEvent>) async {
        for await event in events {
            switch event {
            case .outageStarted: started += 1
            case .outageEnded(recovered: true, _): ended += 1
            default: break
            }
        }
    }

    func counts() -> (started: Int, ended: Int) { (started, ended) }
}

/// `Tests/StandIns/chaos_proxy.py`, a real process between the client and the server.
final class ChaosProxy: Sendable {
    struct Status: Decodable {
        var cuts: Int
        var cutsThatHit: Int
        var maxLive: [String: Int]
        var accepted: Int
        var done: Bool
    }

    let baseURL: String
    private let process: Process
    private let control: FileHandle
    private let statusPath: String

    private init(baseURL: String, process: Process, control: FileHandle, statusPath: String) {
        self.baseURL = baseURL
        self.process = process
        self.control = control
        self.statusPath = statusPath
    }

    static func start(target: Int, cuts: Int, minMs: Int, maxMs: Int) throws -> ChaosProxy {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("StandIns/chaos_proxy.py")
        let statusPath = NSTemporaryDirectory() + "vibe-chaos-" + UUID().uuidString + ".json"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", script.path, String(target), statusPath, "--cuts", String(cuts), "--min-ms", String(minMs),
            "--max-ms", String(maxMs),
        ]
        let out = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardInput = input
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw ServerProcessError("chaos proxy exited before printing its port") }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ServerProcessError("chaos proxy said \(text)")
        }
        return ChaosProxy(
            baseURL: "http://127.0.0.1:\(port)", process: process, control: input.fileHandleForWriting,
            statusPath: statusPath)
    }

    /// Starts the cuts.
    func go() { control.write(Data("go\n".utf8)) }

    /// The proxy's last status.
    func status() -> Status? {
        guard let data = FileManager.default.contents(atPath: statusPath) else { return nil }
        return try? JSONDecoder().decode(Status.self, from: data)
    }

    /// Stops the process (SIGKILL: a test process may hand its children an ignored SIGTERM).
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: statusPath)
    }
}
