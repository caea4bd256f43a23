import ArgumentParser
import Foundation
import VibeClient
import VibeProtocol

/// `vibe bench fs`: how fast a file change reaches a client's tree: one save (written on the disk, seen as an
/// `fs_event` by a client of the fs-events socket), and a burst of files (written, then the client's tree holds
/// them all).
struct BenchFSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fs",
        abstract: "File write → event at the client (p50/p99), and a burst of files → the client's tree matches the disk.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Single saves to time (one every 150 ms, as a person saves).") var saves = 200
    @Option(help: "Files in the burst.") var burst = 10_000

    func run() async throws {
        try await reporting {
            try await Connection.with(global) { c in
                let id = "bench-fs-\(UUID().uuidString.prefix(6).lowercased())"
                _ = try await c.client.api.create(id: id)
                let status = try await c.client.waitReady(id)
                guard let root = status.workspace, FileManager.default.fileExists(atPath: root) else {
                    throw CLIError(
                        message: "bench fs: the workspace must be a folder on this machine (the local driver)",
                        exitCode: VibeExit.usage)
                }
                let tree = ClientTree()
                let channel = await c.client.fsEvents(id)
                let reader = Task { for await message in channel.events() { await tree.apply(message) } }
                defer { reader.cancel() }
                try await tree.waitUntil(timeout: .seconds(10)) { _, snapshots in snapshots > 0 }
                let single = try await timeSaves(root: root, tree: tree)
                let (fromStart, fromEnd) = try await timeBurst(root: root, tree: tree)
                await channel.close()
                _ = try? await c.client.api.delete(id)
                let report = FSBenchReport(
                    machine: MachineFacts.collect(), saves: saves, save: Percentiles(single), burst: burst,
                    burstFromFirstWriteMs: fromStart, burstFromLastWriteMs: fromEnd)
                if global.json { Output.json(report) } else { print(report.markdown) }
            }
        }
    }

    private func timeSaves(root: String, tree: ClientTree) async throws -> LatencySnapshot {
        let recorder = LatencyRecorder()
        for i in 0..<saves {
            let name = "save-\(i).txt"
            let start = ContinuousClock.now
            // A plain write (open, write, close), as `echo > file` or an editor writing in place does.
            try Data("saved \(i)\n".utf8).write(to: URL(fileURLWithPath: root + "/" + name))
            try await tree.waitUntil(timeout: .seconds(10)) { paths, _ in paths.contains(name) }
            recorder.record(ContinuousClock.now - start)
            try await Task.sleep(for: .milliseconds(150))
        }
        return recorder.snapshot()
    }

    private func timeBurst(root: String, tree: ClientTree) async throws -> (fromStart: Int, fromEnd: Int) {
        try FileManager.default.createDirectory(atPath: root + "/burst", withIntermediateDirectories: true)
        try await tree.waitUntil(timeout: .seconds(10)) { paths, _ in paths.contains("burst") }
        let start = ContinuousClock.now
        for i in 0..<burst {
            FileManager.default.createFile(atPath: root + "/burst/f\(i)", contents: nil)
        }
        let written = ContinuousClock.now
        let expected = Set((0..<burst).map { "burst/f\($0)" })
        try await tree.waitUntil(timeout: .seconds(60)) { paths, _ in expected.isSubset(of: paths) }
        let done = ContinuousClock.now
        return (Int((done - start).milliseconds), Int((done - written).milliseconds))
    }
}

/// A client's view of the tree from the fs-events socket: snapshots replace it, events change it.
actor ClientTree {
    private(set) var paths: Set<String> = []
    private(set) var snapshots = 0

    func apply(_ message: FSEventsMessage) {
        switch message {
        case .snapshot(let tree):
            snapshots += 1
            paths = []
            add(tree.root)
        case .event(let event):
            switch event.kind {
            case .created, .modified: paths.insert(event.path)
            case .deleted: paths.remove(event.path)
            case .renamed:
                if let old = event.oldPath { paths.remove(old) }
                paths.insert(event.path)
            }
        }
    }

    private func add(_ node: FileNode) {
        if !node.path.isEmpty { paths.insert(node.path) }
        for child in node.children ?? [] { add(child) }
    }

    /// Polls `condition` on the paths and the snapshot count (every ms) until it holds, or throws after `timeout`.
    func waitUntil(timeout: Duration, _ condition: (Set<String>, Int) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(paths, snapshots) {
            guard ContinuousClock.now < deadline else {
                throw CLIError(message: "bench fs: the client's tree did not catch up in \(timeout)", exitCode: VibeExit.notReady)
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}

/// What `vibe bench fs` prints.
struct FSBenchReport: Encodable {
    var machine: MachineFacts
    var saves: Int
    var save: Percentiles
    var burst: Int
    var burstFromFirstWriteMs: Int
    var burstFromLastWriteMs: Int

    var markdown: String {
        """
        Machine: \(machine.line)

        | measure | p50 ms | p95 ms | p99 ms | max ms | target |
        |---|---|---|---|---|---|
        | one save → fs_event at the client (\(saves) saves, 150 ms apart) | \(Percentiles.ms(save.p50)) | \(Percentiles.ms(save.p95)) | \(Percentiles.ms(save.p99)) | \(Percentiles.ms(save.max)) | p50 ≤ 20 |

        | burst of \(burst) files | ms |
        |---|---|
        | first write → the client's tree holds them all | \(burstFromFirstWriteMs) |
        | last write → the client's tree holds them all | \(burstFromLastWriteMs) (target ≤ 1000) |
        """
    }
}

extension Duration {
    /// Whole milliseconds.
    fileprivate var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
