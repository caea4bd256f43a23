import Foundation
import Synchronization
import VibeProtocol

/// A terminal of a workspace agent, as the terminal socket sees it. Keys, resizes and hang-ups go through
/// the workspace's ``InputRelay`` in order; each attach is a subscription on the current link whose events
/// become the socket's.
final class RemoteTerminal: TerminalEndpoint {
    let name: String
    private let workspace: AgentWorkspace
    private let state: Mutex<State>

    private struct State {
        var size: TerminalSize
        /// Attachment id → (link, subscription).
        var attachments: [UUID: (AgentLink, Int)] = [:]
    }

    init(name: String, workspace: AgentWorkspace, size: TerminalSize) {
        self.name = name
        self.workspace = workspace
        self.state = Mutex(State(size: size))
    }

    func attach(offset: UInt64, created: Bool, sink: (any TerminalOutputSink)?) async throws -> TerminalAttachment {
        let link = try await workspace.link()
        let (sub, agentEvents) = link.subscribe()
        let reply: AgentReply
        do {
            reply = try await link.call(.attachTerminal(sub: sub, name: name, offset: offset, created: created))
        } catch {
            link.unsubscribe(sub)
            throw error
        }
        guard case .attached(let attached, let reset, let replay) = reply else {
            link.unsubscribe(sub)
            throw AgentWorkspace.unexpected
        }
        let id = UUID()
        state.withLock { $0.attachments[id] = (link, sub) }
        workspace.activityState.withLock { _ = $0.subscriptions.insert(sub) }
        let (events, continuation) = AsyncStream<TerminalHubEvent>.makeStream()
        let workspace = self.workspace
        let name = self.name
        Task {
            relay: for await event in agentEvents {
                switch event {
                case .output(_, let data):
                    workspace.touch()
                    if let sink {
                        // Too far behind: the events end without a reason and the client resumes by offset.
                        if !sink.take(Array(data)) { break relay }
                    } else {
                        continuation.yield(.output(Array(data)))
                    }
                case .exit(_, let code):
                    workspace.activityState.withLock { _ = $0.terminals.remove(name) }
                    continuation.yield(.exit(code))
                case .closed(_, let code, let reason):
                    continuation.yield(.closed(code: code, reason: reason))
                case .execOutput, .signal:
                    continue
                }
            }
            workspace.activityState.withLock { _ = $0.subscriptions.remove(sub) }
            continuation.finish()
        }
        return TerminalAttachment(id: id, attached: attached, reset: reset, replay: Array(replay), events: events)
    }

    func detach(_ id: UUID) {
        guard let (link, sub) = state.withLock({ $0.attachments.removeValue(forKey: id) }) else { return }
        link.post(.detachTerminal(sub: sub))
        link.unsubscribe(sub)
        workspace.activityState.withLock { _ = $0.subscriptions.remove(sub) }
    }

    func write(_ bytes: [UInt8]) {
        workspace.touch()
        workspace.input.write(bytes, to: name)
    }

    func resize(rows: Int, cols: Int) {
        state.withLock { $0.size = TerminalSize(rows: rows, cols: cols) }
        workspace.input.post(.resize(name: name, rows: rows, cols: cols))
    }

    var size: TerminalSize { state.withLock { $0.size } }

    func hangUp() { workspace.input.post(.hangUp(name: name)) }
}

/// The agent's change watcher, one subscription per fs-events socket.
final class RemoteWatcher: WorkspaceWatcher {
    private let workspace: AgentWorkspace
    private let link: AgentLink
    private let subs = Mutex<[UUID: Int]>([:])

    init(workspace: AgentWorkspace, link: AgentLink) {
        self.workspace = workspace
        self.link = link
    }

    func subscribe() -> (UUID, AsyncStream<WatchSignal>) {
        let (sub, events) = link.subscribe()
        let id = UUID()
        subs.withLock { $0[id] = sub }
        // Watch subscriptions are clients too (idle suspend must not stop a session someone watches).
        workspace.activityState.withLock { _ = $0.subscriptions.insert(-sub) }
        link.post(.watch(sub: sub))
        let (stream, continuation) = AsyncStream<WatchSignal>.makeStream(bufferingPolicy: .bufferingOldest(4096))
        let workspace = self.workspace
        Task {
            for await event in events {
                if case .signal(_, let signal) = event { continuation.yield(signal) }
                if case .closed = event { break }
            }
            workspace.activityState.withLock { _ = $0.subscriptions.remove(-sub) }
            continuation.finish()
        }
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) {
        guard let sub = subs.withLock({ $0.removeValue(forKey: id) }) else { return }
        link.post(.unwatch(sub: sub))
        link.unsubscribe(sub)
        workspace.activityState.withLock { _ = $0.subscriptions.remove(-sub) }
    }

    var subscriberCount: Int { subs.withLock { $0.count } }
}
