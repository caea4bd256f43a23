import CPTY
import Foundation
import VibeClient
import VibeProtocol

/// The user's own background server, as a client finds it and, when none runs, starts it (like tmux's
/// server): one per user, reached on loopback with the token from `server.json`, sessions kept alive
/// after every client has left.
enum UserServer {
    /// How long a client waits for a server it started (or saw starting) to answer.
    static let startTimeout: Duration = .seconds(15)

    /// The running server, or nil when none runs (a stale `server.json` is then ignored).
    /// Throws when one runs with another version.
    static func find(_ dir: RuntimeDirectory) throws -> ServerFile? {
        guard let file = try running(dir) else { return nil }
        guard file.version == VibeVersion.current else { throw versionMismatch(file.version) }
        return file
    }

    /// The running server of any version, nil when none runs (its lock is free, or it has not published
    /// `server.json` yet).
    static func running(_ dir: RuntimeDirectory) throws -> ServerFile? {
        guard isRunning(dir) else { return nil }
        guard let file = ServerFile.read(dir.serverFile), kill(file.pid, 0) == 0 || errno == EPERM else {
            return nil
        }
        return file
    }

    /// True while some process holds the server lock.
    static func isRunning(_ dir: RuntimeDirectory) -> Bool {
        guard let lock = try? FileLock(path: dir.serverLock) else { return false }
        return !lock.tryLock()
    }

    /// The running server, starting one first when none runs. Two clients racing here start one.
    static func connect(_ driver: UserServerDriver = .local) async throws -> ServerFile {
        let dir = try RuntimeDirectory.prepare().forDriver(driver)
        if let file = try await answering(dir) { return file }
        let starter = try FileLock(path: dir.startLock)
        starter.lock()
        if let file = try await answering(dir) { return file }
        if ServerFile.read(dir.serverFile) != nil { unlink(dir.serverFile) }
        try launch(driver)
        let deadline = ContinuousClock.now + startTimeout
        while ContinuousClock.now < deadline {
            if let file = try await answering(dir) { return file }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CLIError(
            message: "vibe: the vibe server did not start within \(startTimeout); see \(StateDirectory.serverLog(driver))",
            exitCode: VibeExit.unreachable)
    }

    /// `find`, plus a `/healthz` answer of the same version (a server still starting is waited for
    /// while it holds its lock).
    private static func answering(_ dir: RuntimeDirectory) async throws -> ServerFile? {
        guard let file = try find(dir) else { return nil }
        let api = VibeAPI(baseURL: file.baseURL, token: file.token, timeout: .seconds(5))
        guard let health = try? await api.health() else { return nil }
        guard health.version == VibeVersion.current else { throw versionMismatch(health.version) }
        return file
    }

    /// Starts `vibe daemon` from this very executable, detached from the terminal, logging to the state folder.
    private static func launch(_ driver: UserServerDriver) throws {
        try FileManager.default.createDirectory(atPath: StateDirectory.path, withIntermediateDirectories: true)
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let command = driver == .local ? "daemon" : "daemon-" + driver.rawValue
        guard cpty_spawn_daemon(executable, command, StateDirectory.serverLog(driver)) == 0 else {
            throw CLIError(
                message: "vibe: cannot start the vibe server: \(String(cString: strerror(errno)))",
                exitCode: VibeExit.failure)
        }
    }

    static func versionMismatch(_ other: String) -> CLIError {
        CLIError(
            message: "vibe: the running vibe server is version \(other), this vibe is \(VibeVersion.current); "
                + "run `vibe kill-server` (it ends the server's shells) and try again",
            exitCode: VibeExit.unreachable)
    }
}
