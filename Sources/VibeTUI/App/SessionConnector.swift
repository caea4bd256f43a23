import Foundation
import Synchronization
import VibeClient
import VibeProtocol

/// The async side of the TUI: opens the session, streams ready progress, loads the tree, follows
/// fs events and reads files. Everything it learns goes to the UI thread through the `EventQueue`.
final class SessionConnector: Sendable {
    let client: VibeClient
    private let queue: EventQueue
    private let opener: @Sendable () async throws -> String
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let fsChannel = Mutex<FSEventsChannel?>(nil)
    private let statusChannel = Mutex<StatusChannel?>(nil)
    private let layoutSaver = Mutex<(sink: AsyncStream<SavedLayout>.Continuation, task: Task<Void, Never>)?>(nil)

    /// - Parameter opener: creates or opens the session and returns its id (called again on retry).
    init(client: VibeClient, queue: EventQueue, opener: @escaping @Sendable () async throws -> String) {
        self.client = client
        self.queue = queue
        self.opener = opener
    }

    /// Opens the session and streams its ready progress (the UI calls this again for a retry).
    func open() {
        let (client, queue, opener) = (self.client, self.queue, self.opener)
        track(Task {
            do {
                let id = try await opener()
                queue.post(.sessionOpened(id))
                for await progress in await client.watchReady(id, timeout: .seconds(120)) {
                    if progress.state == .ready {
                        // The stored layout decides which panes open, so it comes before the ready event.
                        queue.post(.layoutRestored(try? await client.api.layout(id, as: SavedLayout.self)))
                    }
                    queue.post(.readyProgress(progress))
                    if progress.state.isTerminal { break }
                }
            } catch {
                queue.post(.openFailed(OpenFailure(error)))
            }
        })
    }

    /// Loads the tree, then follows the fs-events socket.
    func followFiles(session: String) {
        let (client, queue) = (self.client, self.queue)
        track(Task { [self] in
            if let tree = try? await client.api.tree(session) { queue.post(.tree(tree)) }
            let channel = await client.fsEvents(session)
            fsChannel.withLock { $0 = channel }
            let connection = Task {
                for await event in channel.connectionEvents() { queue.post(.fsConnection(event)) }
            }
            for await message in channel.events() { queue.post(.fs(message)) }
            connection.cancel()
        })
    }

    /// Follows the status socket for the workspace's CPU and memory.
    func followUsage(session: String) {
        let (client, queue) = (self.client, self.queue)
        track(Task { [self] in
            let channel = await client.status(session)
            statusChannel.withLock { $0 = channel }
            for await message in channel.messages() {
                if case .env(let env) = message { queue.post(.env(env)) }
            }
        })
    }

    /// Stores `layout` as the session's layout document. Saves run one at a time in order; while one runs
    /// only the newest waiting layout is kept.
    func saveLayout(_ layout: SavedLayout, session: String) {
        let client = self.client
        layoutSaver.withLock { saver in
            if saver == nil {
                let (stream, sink) = AsyncStream<SavedLayout>.makeStream(bufferingPolicy: .bufferingNewest(1))
                let task = Task {
                    for await doc in stream { _ = try? await client.api.storeLayout(session, doc) }
                }
                saver = (sink, task)
            }
            saver?.sink.yield(layout)
        }
    }

    /// Fetches the server's sessions for the chooser.
    func listSessions() {
        let (client, queue) = (self.client, self.queue)
        track(Task {
            do {
                queue.post(.sessions(.success(try await client.api.list())))
            } catch {
                queue.post(.sessions(.failure(OpenFailure(error))))
            }
        })
    }

    /// Reads a file for the viewer.
    func readFile(session: String, path: String) {
        let (client, queue) = (self.client, self.queue)
        track(Task {
            do {
                let file = try await client.api.readFile(session, path: path)
                let text: String
                if file.encoding == .utf8 {
                    text = file.content
                } else {
                    text = "(binary file, \(file.size) bytes)"
                }
                queue.post(.fileLoaded(path: path, text: .success(text)))
            } catch {
                queue.post(.fileLoaded(path: path, text: .failure(OpenFailure(error))))
            }
        })
    }

    /// True when the fs-events socket is connected.
    var fsConnected: Bool {
        guard let channel = fsChannel.withLock({ $0 }) else { return false }
        return channel.state == .connected
    }

    /// Stops every task and closes the fs-events socket; a layout save still waiting is written first.
    func stop() async {
        if let saver = layoutSaver.withLock({ s -> (sink: AsyncStream<SavedLayout>.Continuation, task: Task<Void, Never>)? in
            defer { s = nil }
            return s
        }) {
            saver.sink.finish()
            await saver.task.value
        }
        let all = tasks.withLock { t -> [Task<Void, Never>] in
            defer { t.removeAll() }
            return t
        }
        for t in all { t.cancel() }
        if let channel = fsChannel.withLock({ $0 }) { await channel.close() }
        if let channel = statusChannel.withLock({ $0 }) { await channel.close() }
    }

    private func track(_ task: Task<Void, Never>) {
        tasks.withLock { $0.append(task) }
    }
}
