import Foundation

/// What the user's server publishes in `server.json` (0600): enough for a client to reach it.
struct ServerFile: Codable, Equatable {
    /// The server's program version; a client of another version does not talk to it.
    var version: String
    var pid: Int32
    var port: Int
    /// The bearer token for every route and socket.
    var token: String
    var startedAt: String

    /// `http://127.0.0.1:PORT`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Reads the file; nil when it is missing or not ours to understand.
    static func read(_ path: String) -> ServerFile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(ServerFile.self, from: data)
    }

    /// Writes the file atomically with mode 0600.
    func write(_ path: String) throws {
        let temp = path + ".\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError(message: "vibe: cannot write \(temp)", exitCode: VibeExit.failure) }
        let bytes = Array(try JSONEncoder().encode(self))
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count, rename(temp, path) == 0 else {
            unlink(temp)
            throw CLIError(message: "vibe: cannot write \(path)", exitCode: VibeExit.failure)
        }
    }
}
