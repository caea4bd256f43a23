import CPTY
import Foundation

/// The workspace agent process (`vibe agent serve`, inside a session's container): owns the session's
/// workspace — PTYs with their output rings, exec, files, the inotify watcher — and serves links to it on
/// a unix socket. A link is one byte stream from a server (`vibe agent link` relays an engine exec stream to
/// the socket); links come and go, the workspace stays.
public enum AgentHost {
    /// Where the agent listens inside its container.
    public static let defaultSocket = "/tmp/vibe-agent.sock"

    /// Serves `root` with `shell` on `socketPath` until accepting fails (accepts on a thread of its own).
    public static func serve(root: String, shell: [String], socketPath: String, sessionID: String) async throws {
        signal(SIGPIPE, SIG_IGN)
        let listener = cpty_unix_listen(socketPath)
        guard listener >= 0 else {
            throw APIError(.internalError, "cannot listen on \(socketPath): \(String(cString: strerror(errno)))")
        }
        let workspace = LocalWorkspace(id: sessionID, root: root, shell: shell)
        FileHandle.standardError.write(Data("vibe agent: serving \(root) on \(socketPath)\n".utf8))
        let (failures, failure) = AsyncStream<String>.makeStream()
        let thread = Thread {
            while true {
                let fd = cpty_unix_accept(listener)
                guard fd >= 0 else {
                    failure.yield("accept failed: \(String(cString: strerror(errno)))")
                    return
                }
                let service = AgentService(workspace: workspace, output: fd)
                Task {
                    await service.run(input: fd)
                    close(fd)
                }
            }
        }
        thread.name = "agent-accept"
        thread.start()
        for await reason in failures { throw APIError(.internalError, reason) }
    }

    /// Relays this process's stdin to the agent's socket and the socket to stdout until either ends
    /// (`vibe agent link`: what a server runs through the engine to reach the agent).
    public static func link(socketPath: String) throws -> Never {
        signal(SIGPIPE, SIG_IGN)
        let fd = cpty_unix_connect(socketPath)
        guard fd >= 0 else {
            throw APIError(.notReady, "no agent at \(socketPath): \(String(cString: strerror(errno)))")
        }
        let done = DispatchSemaphore(value: 0)
        for (from, to) in [(Int32(0), fd), (fd, Int32(1))] {
            let thread = Thread {
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
                    if n < 0, errno == EINTR { continue }
                    if n <= 0 { break }
                    var offset = 0
                    while offset < n {
                        let w = buffer.withUnsafeBytes { write(to, $0.baseAddress! + offset, n - offset) }
                        if w < 0, errno == EINTR { continue }
                        if w <= 0 { break }
                        offset += w
                    }
                    if offset < n { break }
                }
                done.signal()
            }
            thread.start()
        }
        done.wait()
        exit(0)
    }
}
