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

    /// Stops every task and closes the fs-events socket.
    func stop() async {
        let all = tasks.withLock { t -> [Task<Void, Never>] in
            defer { t.removeAll() }
            return t
        }
        for t in all { t.cancel() }
        if let channel = fsChannel.withLock({ $0 }) { await channel.close() }
    }

    private func track(_ task: Task<Void, Never>) {
        tasks.withLock { $0.append(task) }
    }
}
