import CPTY
import Foundation
import VibeClient
import VibeProtocol

/// One way of typing a key into bash and seeing its echo.
protocol EchoPeer: AnyObject {
    var name: String { get }
    /// Ctrl-U, then waits until the line is quiet (keeps readline's line short).
    func clearLine() async throws
    /// Types `a` and returns how long its echo took.
    func typeKey() async throws -> Duration
    func close() async
}

/// vibe through its client library (`TerminalChannel`): what the TUI and scripts see.
final class VibeLibraryEchoPeer: EchoPeer, @unchecked Sendable {
    let name = "vibe, library client (TerminalChannel)"
    private let client: VibeClient
    private let id: String
    private let term: TerminalChannel
    private let probe: EchoProbe

    private init(client: VibeClient, id: String, term: TerminalChannel) {
        self.client = client
        self.id = id
        self.term = term
        self.probe = EchoProbe(events: term.events())
    }

    static func open(_ client: VibeClient) async throws -> VibeLibraryEchoPeer {
        let id = try await BenchSession.create(client, prefix: "bench-echo")
        let peer = VibeLibraryEchoPeer(client: client, id: id, term: await client.terminal(id))
        try await peer.probe.waitForOutput(containing: nil)
        return peer
    }

    func clearLine() async throws {
        try await term.send([0x15])
        try await probe.waitForOutput(containing: nil, settle: true)
    }

    func typeKey() async throws -> Duration {
        let start = ContinuousClock.now
        try await term.send([UInt8(ascii: "a")])
        try await probe.waitForOutput(containing: "a")
        return ContinuousClock.now - start
    }

    func close() async {
        await term.close()
        _ = try? await client.api.delete(id)
    }
}

/// Creates a ready session for a bench.
enum BenchSession {
    static func create(_ client: VibeClient, prefix: String) async throws -> String {
        let id = "\(prefix)-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await client.api.create(id: id)
        _ = try await client.waitReady(id)
        return id
    }
}

/// A terminal server driven through `BlockingWebSocket`: vibe's terminal socket (binary frames) or terminado's
/// (JSON text frames). The same client for every server, so the figures compare servers.
final class WebSocketEchoPeer: EchoPeer {
    /// How a server frames terminal input and output.
    enum Framing {
        /// vibe: input and output as binary frames; text frames are control envelopes.
        case binary
        /// terminado: `["stdin", s]` in, `["stdout", s]` out, as JSON text frames.
        case terminado
    }

    let name: String
    private let socket: BlockingWebSocket
    private let framing: Framing
    private let onClose: () async -> Void

    init(name: String, url: String, framing: Framing, onClose: @escaping () async -> Void) throws {
        self.name = name
        self.framing = framing
        self.onClose = onClose
        socket = try BlockingWebSocket(url: url)
        guard try nextOutput(timeoutMs: 10_000) != nil else {
            throw CLIError(message: "bench: no prompt from \(name)", exitCode: VibeExit.failure)
        }
        try settle(ms: 300)
    }

    func clearLine() async throws {
        try send([0x15])
        try settle(ms: 20)
    }

    func typeKey() async throws -> Duration {
        let start = ContinuousClock.now
        try send([UInt8(ascii: "a")])
        while true {
            guard let output = try nextOutput(timeoutMs: 2000) else { break }
            if output.contains(UInt8(ascii: "a")) { break }
        }
        return ContinuousClock.now - start
    }

    func close() async {
        socket.close()
        await onClose()
    }

    private func send(_ bytes: [UInt8]) throws {
        switch framing {
        case .binary:
            try socket.send(bytes)
        case .terminado:
            let json = try JSONSerialization.data(withJSONObject: ["stdin", String(decoding: bytes, as: UTF8.self)])
            try socket.send(Array(json), text: true)
        }
    }

    /// Reads frames until one carries terminal output; nil when nothing came in time.
    private func nextOutput(timeoutMs: Int32) throws -> [UInt8]? {
        while let frame = try socket.receive(timeoutMs: timeoutMs) {
            switch framing {
            case .binary where frame.isBinary:
                return frame.payload
            case .terminado where frame.isText:
                if let message = try? JSONSerialization.jsonObject(with: Data(frame.payload)) as? [Any],
                    message.first as? String == "stdout", let text = message.last as? String
                {
                    return Array(text.utf8)
                }
            default:
                continue
            }
        }
        return nil
    }

    private func settle(ms: Int32) throws {
        while try socket.receive(timeoutMs: ms) != nil {}
    }
}

/// terminado (Python, tornado) serving bash on loopback, started for the bench's run.
final class TerminadoServer {
    private let process = Process()
    let url: String

    /// Starts it; throws when python3 or its `terminado` package is missing.
    init() throws {
        let script = """
            import sys, tornado.web, tornado.ioloop, tornado.httpserver, tornado.netutil, terminado
            manager = terminado.SingleTermManager(shell_command=["bash", "--norc", "--noprofile", "-i"])
            app = tornado.web.Application([(r"/websocket", terminado.TermSocket, {"term_manager": manager})])
            sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
            tornado.httpserver.HTTPServer(app).add_sockets(sockets)
            print(sockets[0].getsockname()[1], flush=True)
            tornado.ioloop.IOLoop.current().start()
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        var environment = ProcessInfo.processInfo.environment
        environment["PS1"] = "$ "
        process.environment = environment
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard let port = Int(try stdout.firstLine()) else {
            process.terminate()
            throw CLIError(
                message: "bench: terminado did not start (pip install terminado tornado)", exitCode: VibeExit.failure)
        }
        url = "ws://127.0.0.1:\(port)/websocket"
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
    }
}

/// The floor: bash on a PTY of this process, no server, no network.
final class LocalPTYPeer: EchoPeer {
    let name = "bare local PTY (the floor)"
    private var master: Int32 = -1
    private let pid: pid_t
    private var buffer = [UInt8](repeating: 0, count: 4096)

    init() throws {
        var fd: Int32 = -1
        let env = ["TERM=xterm-256color", "PS1=$ ", "PATH=/usr/bin:/bin", "HOME=/tmp"]
        pid = cStringArray(["/bin/bash", "--norc", "--noprofile", "-i"]) { a in
            cStringArray(env) { e in cpty_spawn("/bin/bash", a, e, "/tmp", &fd, 24, 80, 0) }
        }
        master = fd
        guard pid > 0 else { throw CLIError(message: "bench: cannot spawn bash", exitCode: VibeExit.failure) }
        drain(ms: 300)
    }

    private func drain(ms: Int32) {
        var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while poll(&p, 1, ms) > 0 { _ = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) } }
    }

    func clearLine() async throws {
        var ctrlU: UInt8 = 0x15
        _ = write(master, &ctrlU, 1)
        drain(ms: 20)
    }

    func typeKey() async throws -> Duration {
        var key = UInt8(ascii: "a")
        let start = ContinuousClock.now
        _ = write(master, &key, 1)
        var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while poll(&p, 1, 2000) > 0 {
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n <= 0 || buffer[0..<n].contains(key) { break }
        }
        return ContinuousClock.now - start
    }

    func close() async {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        Foundation.close(master)
    }
}
