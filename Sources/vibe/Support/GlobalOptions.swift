import ArgumentParser
import Foundation

/// Options every client command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Server URL (env VIBE_SERVER). Without one, an embedded server runs in-process.")
    var server: String?

    @Option(name: .long, help: "Bearer token (env VIBE_TOKEN).")
    var token: String?

    @Flag(name: .long, help: "Machine-readable JSON output.")
    var json = false

    @Option(name: .long, help: "Without --server: your server's driver, local (default) or docker (env VIBE_DRIVER).")
    var driver: String?

    /// The user server's driver from the flag or the environment.
    var userServerDriver: UserServerDriver {
        get throws {
            let name = driver ?? ProcessInfo.processInfo.environment["VIBE_DRIVER"] ?? "local"
            guard let parsed = UserServerDriver(rawValue: name) else {
                throw CLIError(message: "vibe: --driver is local or docker, not \(name)", exitCode: VibeExit.usage)
            }
            return parsed
        }
    }

    /// The server URL from the flag or the environment, nil for the embedded default.
    var serverURL: String? {
        let value = server ?? ProcessInfo.processInfo.environment["VIBE_SERVER"]
        guard let value, !value.isEmpty else { return nil }
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }

    /// The token from the flag or the environment.
    var bearerToken: String? {
        let value = token ?? ProcessInfo.processInfo.environment["VIBE_TOKEN"]
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
