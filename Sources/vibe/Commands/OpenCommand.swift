import ArgumentParser
import Foundation
import Logging
import VibeClient
import VibeProtocol
import VibeServer
import VibeTUI

/// `vibe` / `vibe open [ID]`: the full-screen TUI — file tree and remote terminal panes.
struct OpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the TUI on a session (the default command: bare `vibe` opens this folder's session).",
        discussion: """
            Without an id, the session of the current folder is created or reopened; with the embedded \
            server (no --server) the folder itself is the workspace. With --server and no id, a session \
            named after the folder is opened on that server. --new always starts a fresh session. \
            Prefix C-b then ? lists the keys; C-b q quits, C-b d detaches.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id (default: the current folder's session).") var id: String?
    @Flag(help: "Always start a new session.") var new = false
    @Option(help: "Workspace folder for the embedded server (default: the current folder).") var workspace: String?
    @Option(help: "Theme name or path (overrides config.toml).") var theme: String?
    @Option(help: "Config file (default: $VIBE_CONFIG, else ~/.config/vibe/config.toml).") var config: String?

    func run() async throws {
        try await reporting {
            let folder = try workspaceFolder()
            try? FileManager.default.createDirectory(atPath: DataDirectory.base, withIntermediateDirectories: true)
            let config = try loadConfig()
            var options = global
            if options.serverURL == nil, let server = config.server { options.server = server }
            if options.bearerToken == nil, let token = config.token { options.token = token }
            let connection = try await openConnection(options)
            let settings = TUISettings(
                bindings: config.keys, editor: config.editor, scrollback: config.scrollback,
                treeWidth: config.treeWidth, treeVisible: config.treeVisible,
                clipboardFile: DataDirectory.base + "/clipboard.txt", logFile: DataDirectory.base + "/tui.log",
                theme: try loadTheme(config.theme),
                statsFile: ProcessInfo.processInfo.environment["VIBE_TUI_STATS"].flatMap { $0.isEmpty ? nil : $0 })
            let opener = makeOpener(connection, folder: folder)
            let end: TUIExit
            do {
                end = try await TUIApp.run(client: connection.client, settings: settings, opener: opener)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
            report(end, embedded: connection.embedded != nil)
            if case .shellExited(let code) = end, code != 0 { throw ArgumentParser.ExitCode(code) }
        }
    }

    /// `Connection.open`, except that with the embedded server and `VIBE_TEST_READY_DELAY_MS` set (tests
    /// only: the end-to-end suite uses it to see the ready gate) every session start waits that long first.
    private func openConnection(_ options: GlobalOptions) async throws -> Connection {
        let delay = ProcessInfo.processInfo.environment["VIBE_TEST_READY_DELAY_MS"].flatMap(Int.init) ?? 0
        guard options.serverURL == nil, delay > 0 else { return try await Connection.open(options) }
        let dataDir = DataDirectory.embedded
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let logger = Logger(label: "vibe.embedded") { label in
            JSONLogHandler(label: label, level: .info, output: FileLogOutput.shared(path: dataDir + "/embedded.log"))
        }
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, dataDir: dataDir)
        let driver = DelayedStartDriver(
            base: LocalDriver(dataDir: dataDir, shell: configuration.shell), delay: .milliseconds(delay))
        let server = try await EmbeddedServer.start(configuration: configuration, driver: driver, logger: logger)
        return Connection(client: VibeClient(baseURL: server.baseURL, token: nil), embedded: server)
    }

    /// config.toml, the environment and the flags, merged; warnings go to stderr before the screen is taken.
    private func loadConfig() throws -> TUIConfig {
        let flags = ConfigFlags(theme: theme, configPath: config)
        do {
            let loaded = try TUIConfig.load(flags: flags)
            for warning in loaded.warnings { Output.error("vibe: \(loaded.path ?? "config"): \(warning)") }
            return loaded.config
        } catch {
            throw CLIError(message: "vibe: \(error)", exitCode: VibeExit.usage)
        }
    }

    private func loadTheme(_ name: String) throws -> Theme {
        do {
            return try Theme.load(name, searchPaths: Theme.searchPaths())
        } catch {
            if name == "default" { return .builtinDefault }
            throw CLIError(message: "vibe: \(error)", exitCode: VibeExit.usage)
        }
    }

    private func workspaceFolder() throws -> String {
        let path = workspace ?? FileManager.default.currentDirectoryPath
        let url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else {
            throw CLIError(message: "vibe: \(url.path) is not a folder", exitCode: VibeExit.usage)
        }
        return url.path
    }

    /// How the session is opened (called again when the user retries from the TUI).
    private func makeOpener(_ connection: Connection, folder: String) -> @Sendable () async throws -> String {
        let (id, new, client) = (self.id, self.new, connection.client)
        let registry = connection.embedded?.server.registry
        return {
            if let registry {
                do {
                    let hostPath = id == nil ? folder : nil
                    var sessionID = id ?? FolderSessionID.make(for: folder)
                    if new { sessionID = FolderSessionID.fresh(from: FolderSessionID.make(for: folder)) }
                    // The local driver writes session.json into sessions/ID, which it only creates for
                    // workspaces of its own; with a host folder it must already exist.
                    try? FileManager.default.createDirectory(
                        atPath: DataDirectory.embedded + "/sessions/" + sessionID, withIntermediateDirectories: true)
                    if new { return try await registry.create(id: sessionID, template: nil, owner: nil, hostPath: hostPath).id }
                    return try await registry.open(id: sessionID, template: nil, owner: nil, hostPath: hostPath).id
                } catch let error as APIError {
                    throw OpenFailure(code: error.code.rawValue, message: error.message)
                }
            }
            if new { return try await client.api.create(id: nil).id }
            return try await client.api.open(id ?? FolderSessionID.make(for: folder)).id
        }
    }

    private func report(_ end: TUIExit, embedded: Bool) {
        switch end {
        case .quit:
            Output.error(embedded ? "vibe: quit; the embedded server stopped with it" : "vibe: quit")
        case .detached:
            if embedded {
                Output.error(
                    "vibe: detached. The embedded server runs inside this process, so it stopped too; "
                        + "run `vibe serve` and `vibe --server URL` to keep sessions running after you leave.")
            } else {
                Output.error("vibe: detached; the session keeps running on the server (`vibe open ID` resumes)")
            }
        case .shellExited(let code): Output.error("vibe: the last shell exited (\(code))")
        case .inputClosed: Output.error("vibe: the terminal closed")
        }
    }
}

/// Test-only (`VIBE_TEST_READY_DELAY_MS`): the local driver, with every session start delayed, so the
/// ready gate stays on screen long enough for the end-to-end tests to see it. Production never sets it.
struct DelayedStartDriver: SessionDriver {
    let base: LocalDriver
    let delay: Duration

    var name: String { base.name }

    func start(_ record: SessionRecord, steps: StepTimer) async throws -> any Workspace {
        try await Task.sleep(for: delay)
        return try await base.start(record, steps: steps)
    }

    func remove(_ record: SessionRecord) async throws { try await base.remove(record) }
    func persistedSessions() -> [SessionRecord] { base.persistedSessions() }
    func workspaceExists(_ record: SessionRecord) -> Bool { base.workspaceExists(record) }
}

/// The stable session id of a folder: `<name>-<hash>` from the folder's absolute path.
enum FolderSessionID {
    static func make(for path: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let base = (path as NSString).lastPathComponent
        var name = String(base.map { allowed.contains($0) ? $0 : "-" }.prefix(40))
        while name.first == "." || name.first == "-" { name.removeFirst() }
        if name.isEmpty { name = "root" }
        let id = name + "-" + String(hash, radix: 16).leftPadded(to: 16)
        return Identifier.isValidSessionID(id) ? id : "folder-" + String(hash, radix: 16)
    }

    /// A new id for another session of the same folder (`--new`): the folder id plus a random suffix.
    static func fresh(from base: String) -> String {
        String(base.prefix(57)) + "-" + String(UInt32.random(in: 0..<UInt32.max), radix: 16).leftPadded(to: 6).suffix(6)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
