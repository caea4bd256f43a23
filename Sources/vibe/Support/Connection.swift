import Foundation
import Logging
import VibeClient
import VibeServer

/// A client connected to the chosen server, or to an embedded one started for this command.
struct Connection {
    let client: VibeClient
    let embedded: EmbeddedServer?

    /// Connects to `--server`, or starts the embedded server (local driver, data under
    /// `~/.local/share/vibe/embedded`, JSON logs in `embedded.log` there).
    static func open(_ options: GlobalOptions) async throws -> Connection {
        if let url = options.serverURL {
            return Connection(client: VibeClient(baseURL: url, token: options.bearerToken), embedded: nil)
        }
        let dataDir = DataDirectory.embedded
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let logger = Logger(label: "vibe.embedded") { label in
            JSONLogHandler(label: label, level: .info, output: FileLogOutput.shared(path: dataDir + "/embedded.log"))
        }
        let server = try await EmbeddedServer.start(
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, dataDir: dataDir), logger: logger)
        return Connection(client: VibeClient(baseURL: server.baseURL, token: nil), embedded: server)
    }

    /// Stops the embedded server, if any.
    func close() async {
        await embedded?.stop()
    }

    /// Runs `body` with a connection and closes it afterwards, whatever happens.
    static func with<T>(_ options: GlobalOptions, _ body: (Connection) async throws -> T) async throws -> T {
        let connection = try await open(options)
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }
}

/// Appends log lines to a file (the embedded server must not draw over the user's terminal).
enum FileLogOutput {
    static func shared(path: String) -> @Sendable (String) -> Void {
        let handle: FileHandle? = {
            if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
            let h = FileHandle(forWritingAtPath: path)
            _ = try? h?.seekToEnd()
            return h
        }()
        nonisolated(unsafe) let h = handle
        return { line in h?.write(Data((line + "\n").utf8)) }
    }
}
