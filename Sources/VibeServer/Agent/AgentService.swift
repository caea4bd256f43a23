import Foundation
import Synchronization
import VibeProtocol

/// The agent side of one link: answers the server's calls against the agent's workspace and streams the
/// output of the terminals and watches the server subscribed to. The workspace outlives the link: when
/// the link ends, only this link's subscriptions go; shells, rings and the watcher stay for the next one.
final class AgentService: Sendable {
    private let workspace: LocalWorkspace
    private let writer: LinkWriter
    private let subscriptions = Mutex<[Int: Subscription]>([:])
    private let calls: AsyncStream<AgentCall>.Continuation
    private let callStream: AsyncStream<AgentCall>

    private enum Subscription {
        case terminal(TerminalHub, UUID, Task<Void, Never>)
        case watch(any WorkspaceWatcher, UUID, Task<Void, Never>)
    }

    init(workspace: LocalWorkspace, output: Int32) {
        self.workspace = workspace
        self.writer = LinkWriter(fd: output)
        (callStream, calls) = AsyncStream<AgentCall>.makeStream()
    }

    /// Serves the link until `input` ends (blocks on its own tasks; returns when the link is over).
    func run(input: Int32) async {
        let calls = self.calls
        LinkReader.start(
            fd: input, name: "agent-link",
            onLine: { line in
                if let call = AgentLine.decode(AgentCall.self, line) { calls.yield(call) }
            },
            onEnd: { calls.finish() })
        for await call in callStream {
            await handle(call)
        }
        let all = subscriptions.withLock { s in
            defer { s.removeAll() }
            return Array(s.values)
        }
        for subscription in all { end(subscription) }
    }

    private func send(_ message: AgentMessage) { writer.write(AgentLine.encode(message)) }

    private func handle(_ call: AgentCall) async {
        do {
            switch call.request {
            case .exec(let command, let timeoutMs):
                // Commands run beside the link: a long one must not hold up keys or other calls.
                Task {
                    do {
                        let outcome = try await workspace.exec(command: command, timeoutMs: timeoutMs) { [self] chunk in
                            switch chunk {
                            case .stdout(let b): send(.event(.execOutput(id: call.id, stderr: false, data: Data(b))))
                            case .stderr(let b): send(.event(.execOutput(id: call.id, stderr: true, data: Data(b))))
                            }
                        }
                        send(.reply(id: call.id, .exec(outcome)))
                    } catch {
                        fail(call.id, error)
                    }
                }
            case .attachTerminal(let sub, let name, let offset, let created):
                let hub = try hub(name)
                let attachment = hub.attach(offset: offset, created: created, sink: nil)
                // The reply (with the replay) goes out before the forwarding starts: output follows it.
                send(.reply(id: call.id, .attached(attachment.attached, reset: attachment.reset, replay: Data(attachment.replay))))
                let task = Task { [self] in
                    for await event in attachment.events {
                        switch event {
                        case .output(let bytes): send(.event(.output(sub: sub, data: Data(bytes))))
                        case .exit(let code):
                            send(.event(.exit(sub: sub, code: code)))
                            return
                        case .closed(let code, let reason):
                            send(.event(.closed(sub: sub, code: code, reason: reason)))
                            return
                        }
                    }
                    // The hub cut this subscriber off (it fell behind): the client resumes by offset.
                    if !Task.isCancelled {
                        send(.event(.closed(sub: sub, code: CloseCode.internalError, reason: "fell behind; resume by offset")))
                    }
                }
                subscriptions.withLock { $0[sub] = .terminal(hub, attachment.id, task) }
            default:
                send(.reply(id: call.id, try await answer(call.request)))
            }
        } catch {
            fail(call.id, error)
        }
    }

    private func fail(_ id: Int, _ error: any Error) {
        let api = error as? APIError ?? APIError(.internalError, "\(error)")
        send(.failure(id: id, code: api.code, message: api.message, occurrences: api.occurrences))
    }

    private func answer(_ request: AgentRequest) async throws -> AgentReply {
        switch request {
        case .hello:
            return .hello(version: VibeVersion.current, terminals: workspace.terminalNames, inputTaken: workspace.inputTaken)
        case .openTerminal(let name, let rows, let cols):
            // An existing terminal keeps its size: the server resizes it when the client asked for a size.
            let (endpoint, created) = try await workspace.terminal(named: name, rows: rows, cols: cols)
            return .terminal(created: created, rows: endpoint.size.rows, cols: endpoint.size.cols)
        case .detachTerminal(let sub), .unwatch(let sub):
            if let subscription = subscriptions.withLock({ $0.removeValue(forKey: sub) }) { end(subscription) }
            return .done
        case .input(let name, let data, let offset):
            try hub(name).write(Array(data), from: offset)
            return .done
        case .resize(let name, let rows, let cols):
            try hub(name).resize(rows: rows, cols: cols)
            return .done
        case .hangUp(let name):
            try hub(name).hangUp()
            return .done
        case .exec, .attachTerminal:
            return .done  // handled in `handle`
        case .tree:
            return .tree(workspace.tree())
        case .readFile(let path):
            return .file(try workspace.readFile(path))
        case .writeFile(let path, let data):
            return .written(try workspace.writeFile(path, data: Array(data)))
        case .files(let request):
            return .files(try await workspace.files(request))
        case .usage(let includeDisk):
            // Inside a container its cgroup counts everything in it; the process scan is the fallback.
            var usage = try await workspace.usage(includeDisk: includeDisk)
            if let cgroup = CgroupUsage.read() {
                usage.cpuNanos = cgroup.cpuNanos
                usage.memoryBytes = cgroup.memoryBytes
                usage.memoryLimitBytes = cgroup.memoryLimitBytes
                usage.pids = cgroup.pids
            }
            return .usage(usage)
        case .watch(let sub):
            let watcher = try workspace.watcher()
            let (id, stream) = watcher.subscribe()
            let task = Task { [self] in
                for await signal in stream { send(.event(.signal(sub: sub, signal))) }
                send(.event(.closed(sub: sub, code: CloseCode.goingAway, reason: "watcher stopped")))
            }
            subscriptions.withLock { $0[sub] = .watch(watcher, id, task) }
            return .done
        }
    }

    private func hub(_ name: String) throws -> TerminalHub {
        guard let hub = workspace.existingTerminal(name) else {
            throw APIError(.notFound, "no terminal \(name)")
        }
        return hub
    }

    private func end(_ subscription: Subscription) {
        switch subscription {
        case .terminal(let hub, let id, let task):
            hub.detach(id)
            task.cancel()
        case .watch(let watcher, let id, let task):
            watcher.unsubscribe(id)
            task.cancel()
        }
    }
}
