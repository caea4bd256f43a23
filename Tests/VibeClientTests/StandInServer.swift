import Foundation

/// A stand-in backend from `Tests/StandIns/standin.py`: a real process on a loopback port, speaking HTTP the way
/// backends vibe was not written with do (minimal status shapes, HTML error pages, frames bundled with the 101).
final class StandInServer: Sendable {
    let baseURL: String
    private let process: Process

    private init(baseURL: String, process: Process) {
        self.baseURL = baseURL
        self.process = process
    }

    /// Starts `standin.py MODE` and waits for its port.
    static func start(_ mode: String) throws -> StandInServer {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("StandIns/standin.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, mode]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw TestFailure("stand-in \(mode) exited before printing its port") }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw TestFailure("stand-in \(mode) said \(text)")
        }
        return StandInServer(baseURL: "http://127.0.0.1:\(port)", process: process)
    }

    /// Stops the process (SIGKILL: a test process may hand its children an ignored SIGTERM).
    func stop() { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// Runs `body` against a stand-in in `mode`, stopping it afterwards.
    static func with<T>(_ mode: String, _ body: (StandInServer) async throws -> T) async throws -> T {
        let server = try start(mode)
        defer { server.stop() }
        return try await body(server)
    }
}
