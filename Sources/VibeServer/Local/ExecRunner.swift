import CPTY
import Foundation
import VibeProtocol

/// A piece of a running command's output.
public enum ExecChunk: Sendable {
    case stdout([UInt8])
    case stderr([UInt8])
}

/// How a command ended.
public struct ExecOutcome: Sendable, Codable, Equatable {
    public enum Ending: String, Sendable, Equatable, Codable { case exited, timedOut, outputLimit }
    public var exitCode: Int32
    public var ending: Ending
    public var durationMs: Int
}

/// Runs `/bin/sh -c COMMAND` in a folder with a timeout and a per-stream output cap.
///
/// The command gets its own process group so a timeout kills everything it started.
enum ExecRunner {
    /// Runs the command on a dedicated thread, calling `onChunk` as output arrives.
    static func run(
        command: String, cwd: String, environment: [String: String], limits: ShellLimits, timeoutMs: Int,
        outputCap: Int = ExecRequest.outputCap, onChunk: @escaping @Sendable (ExecChunk) -> Void
    ) async throws -> ExecOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    with: Result {
                        try runBlocking(
                            command: command, cwd: cwd, environment: environment, limits: limits,
                            timeoutMs: timeoutMs, outputCap: outputCap, onChunk: onChunk)
                    })
            }
            thread.name = "exec"
            thread.start()
        }
    }

    private static func runBlocking(
        command: String, cwd: String, environment: [String: String], limits: ShellLimits, timeoutMs: Int,
        outputCap: Int, onChunk: @Sendable (ExecChunk) -> Void
    ) throws -> ExecOutcome {
        let started = DispatchTime.now()
        var outFD: Int32 = -1
        var errFD: Int32 = -1
        let env = environment.map { "\($0.key)=\($0.value)" }
        var cLimits = limits.cLimits
        let pid = withCStringArray(["/bin/sh", "-c", command]) { argv in
            withCStringArray(env) { envp in cpty_spawn_piped("/bin/sh", argv, envp, cwd, &outFD, &errFD, &cLimits) }
        }
        guard pid > 0 else { throw POSIXError.current("spawn /bin/sh") }
        let deadline = started.uptimeNanoseconds + UInt64(max(timeoutMs, 1)) * 1_000_000
        var open = [outFD, errFD]
        var produced = [outFD: 0, errFD: 0]
        var ending = ExecOutcome.Ending.exited
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var status: Int32 = 0
        var reaped = false
        while !open.isEmpty {
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= deadline {
                ending = .timedOut
                break
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let waitMs = Int32(min((deadline - now) / 1_000_000 + 1, 1000))
            let ready = poll(&fds, nfds_t(fds.count), waitMs)
            if ready < 0 && errno != EINTR { break }
            for p in fds where p.revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    let allowed = max(0, outputCap - (produced[p.fd] ?? 0))
                    let chunk = Array(buffer[0..<min(n, allowed)])
                    produced[p.fd, default: 0] += n
                    if !chunk.isEmpty { onChunk(p.fd == outFD ? .stdout(chunk) : .stderr(chunk)) }
                    if n > allowed { ending = .outputLimit }
                } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                    open.removeAll { $0 == p.fd }
                }
            }
            if ending == .outputLimit { break }
            // The shell is gone but a background child may hold the pipes: stop once they are drained.
            if ready == 0, waitpid(pid, &status, WNOHANG) == pid {
                reaped = true
                break
            }
        }
        if ending != .exited { kill(-pid, SIGKILL) }
        close(outFD)
        close(errFD)
        if !reaped {
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        let ms = Int((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
        return ExecOutcome(exitCode: cpty_exit_code(status), ending: ending, durationMs: ms)
    }
}
