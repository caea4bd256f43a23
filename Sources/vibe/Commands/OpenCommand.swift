import ArgumentParser
import Foundation
import VibeClient
import VibeProtocol
import VibeTUI

/// `vibe` / `vibe open [ID]`: the full-screen TUI — file tree and remote terminal panes.
struct OpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the TUI on a session (the default command: bare `vibe` opens this folder's session).",
        discussion: """
            Without an argument, the session of the current folder is reattached, or created on the folder \
            itself, on your own background server (started when none runs; sessions outlive the TUI). \
            The argument is a session id or a folder (anything with a /, or . and ..). With --server, a \
            session named after the folder is opened on that server. --new always starts a fresh session. \
            Prefix C-b then ? lists the keys; C-b d detaches (shells keep running), C-b s switches \
            sessions, C-b q quits (ends the session's shells).
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id or folder (default: the current folder's session).") var id: String?
    @Flag(help: "Always start a new session.") var new = false
    @Option(help: "Workspace folder (default: the current folder).") var workspace: String?
    @Option(help: "Theme name or path (overrides config.toml).") var theme: String?
    @Option(help: "Config file (default: $VIBE_CONFIG, else ~/.config/vibe/config.toml).") var config: String?

    func run() async throws {
        try await reporting {
            try? FileManager.default.createDirectory(atPath: DataDirectory.base, withIntermediateDirectories: true)
            let config = try loadConfig()
            var options = global
            if options.serverURL == nil, let server = config.server { options.server = server }
            if options.bearerToken == nil, let token = config.token { options.token = token }
            let connection = try await Connection.open(options)
            let settings = TUISettings(
                bindings: config.keys, editor: config.editor, scrollback: config.scrollback,
                treeWidth: config.treeWidth, treeVisible: config.treeVisible,
                clipboardFile: DataDirectory.base + "/clipboard.txt", logFile: DataDirectory.base + "/tui.log",
                theme: try loadTheme(config.theme),
                statsFile: ProcessInfo.processInfo.environment["VIBE_TUI_STATS"].flatMap { $0.isEmpty ? nil : $0 })
            var target = try await initialTarget(connection)
            var fresh = new
            while true {
                let opener = makeOpener(connection, target: target, fresh: fresh)
                let end = try await TUIApp.run(client: connection.client, settings: settings, opener: opener)
                if case .switchSession(let other) = end {
                    target = SessionTarget(id: other, folder: nil)
                    fresh = false
                    continue
                }
                try await report(end, connection: connection, target: target)
                if case .shellExited(let code) = end, code != 0 { throw ArgumentParser.ExitCode(code) }
                return
            }
        }
    }

    /// The session the command names: its argument (an id or a folder), else `--workspace` or this folder.
    private func initialTarget(_ connection: Connection) async throws -> SessionTarget {
        if let id { return try await SessionTarget.resolve(id, api: connection.client.api) }
        return try SessionTarget.folder(workspace ?? FileManager.default.currentDirectoryPath)
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

    /// How the session is opened (called again when the user retries from the TUI). On the user's server
    /// a folder target is opened on the folder itself; elsewhere the folder only names the session.
    private func makeOpener(_ connection: Connection, target: SessionTarget, fresh: Bool)
        -> @Sendable () async throws -> String
    {
        let api = connection.client.api
        let folder = connection.opensHostFolders ? target.folder : nil
        let id = fresh ? FolderSessionID.fresh(from: target.id) : target.id
        return {
            if fresh { return try await api.create(id: id, folder: folder).id }
            return try await api.open(id, folder: folder).id
        }
    }

    /// Says how the TUI ended and how to come back; quit ends the session's shells.
    private func report(_ end: TUIExit, connection: Connection, target: SessionTarget) async throws {
        let back = target.folder.map { _ in "run `vibe` in this folder" } ?? "run `vibe open \(target.id)`"
        switch end {
        case .quit:
            _ = try? await connection.client.api.delete(target.id)
            Output.error("vibe: quit; the session's shells were ended (its files are kept)")
        case .detached:
            Output.error("vibe: detached from \(target.id); its shells keep running (\(back) to reattach, `vibe ls` lists sessions)")
        case .shellExited(let code): Output.error("vibe: the last shell exited (\(code))")
        case .inputClosed: Output.error("vibe: the terminal closed; the session keeps running (\(back) to reattach)")
        case .switchSession: break
        }
    }
}
