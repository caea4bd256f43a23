import Foundation
import VibeClient

/// A client connected to the chosen server: `--server URL`, or the user's own background server
/// (started first when none runs; see ``UserServer``).
struct Connection {
    let client: VibeClient
    /// True for the user's own server: sessions outlive every client.
    let isUserServer: Bool
    /// True when a folder can be opened as the workspace itself (the user's local-driver server).
    var opensHostFolders = false

    /// Connects to `--server`, or to the user's server.
    static func open(_ options: GlobalOptions) async throws -> Connection {
        if let url = options.serverURL {
            return Connection(client: VibeClient(baseURL: url, token: options.bearerToken), isUserServer: false)
        }
        let driver = try options.userServerDriver
        let server = try await UserServer.connect(driver)
        return Connection(
            client: VibeClient(baseURL: server.baseURL, token: server.token), isUserServer: true,
            opensHostFolders: driver == .local)
    }

    /// Runs `body` with a connection.
    static func with<T>(_ options: GlobalOptions, _ body: (Connection) async throws -> T) async throws -> T {
        try await body(try await open(options))
    }
}
