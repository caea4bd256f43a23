import ArgumentParser
import Foundation
import VibeClient
import VibeProtocol

/// `vibe watch ID`: file events as JSON lines.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print a session's file events as JSON lines (a snapshot line first, and after each reconnect).",
        discussion: """
            Reconnects when the connection drops; after --reconnect-for (default 60s) without the server it \
            exits 7 with the last error.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reconnect: ReconnectOptions
    @Argument(help: "Session id.") var id: String
    @Flag(help: "Print only change events, not snapshots.") var eventsOnly = false

    func run() async throws {
        try await reporting {
            try await Connection.with(global) { c in
                let client = try c.client.reconnecting(reconnect, default: .seconds(60))
                try await SessionOpener.ensureReady(c, id)
                let channel = await client.fsEvents(id)
                let states = Task { () -> DisconnectReason? in
                    for await event in channel.connectionEvents() {
                        if case .state(.closed(let reason)) = event { return reason }
                    }
                    return nil
                }
                for await message in channel.events() {
                    switch message {
                    case .snapshot(let tree):
                        if !eventsOnly { Output.json(WatchLine(type: "snapshot", count: tree.root.count - 1, truncated: tree.truncated)) }
                    case .event(let e):
                        Output.json(WatchLine(type: "event", path: e.path, kind: e.kind.rawValue, isDir: e.isDir, oldPath: e.oldPath))
                    }
                }
                if let reason = await states.value, reason != .closedByClient {
                    throw CLIError(message: "vibe: watch closed: \(reason)", exitCode: Self.exitCode(reason))
                }
            }
        }
    }
}

extension WatchCommand {
    /// The exit code of a watch that ended for `reason`.
    static func exitCode(_ reason: DisconnectReason) -> Int32 {
        switch reason {
        case .closed(_, let error?, _): return Output.exitCode(error)
        case .sessionFailed(let code): return Output.exitCode(code)
        default: return VibeExit.unreachable
        }
    }
}

/// One line of `vibe watch`.
struct WatchLine: Encodable {
    var type: String
    var path: String?
    var kind: String?
    var isDir: Bool?
    var oldPath: String?
    var count: Int?
    var truncated: Bool?
}
