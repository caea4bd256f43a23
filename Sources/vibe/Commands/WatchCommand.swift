import ArgumentParser
import Foundation
import VibeClient
import VibeProtocol

/// `vibe watch ID`: file events as JSON lines.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print a session's file events as JSON lines (a snapshot line first, and after each reconnect).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id.") var id: String
    @Flag(help: "Print only change events, not snapshots.") var eventsOnly = false

    func run() async throws {
        try await reporting {
            try await Connection.with(global) { c in
                try await SessionOpener.ensureReady(c, id)
                let channel = await c.client.fsEvents(id)
                let states = Task {
                    for await event in channel.connectionEvents() {
                        if case .state(.closed(let reason)) = event {
                            Output.error("vibe: watch closed: \(reason)")
                            return
                        }
                    }
                }
                for await message in channel.events() {
                    switch message {
                    case .snapshot(let tree):
                        if !eventsOnly { Output.json(WatchLine(type: "snapshot", count: tree.root.count - 1, truncated: tree.truncated)) }
                    case .event(let e):
                        Output.json(WatchLine(type: "event", path: e.path, kind: e.kind.rawValue, isDir: e.isDir, oldPath: e.oldPath))
                    }
                }
                states.cancel()
            }
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
