import Synchronization
import VibeClient

/// The UI thread's handle on one pane's remote terminal. Commands are queued in order to a single
/// task that owns the `TerminalChannel`, so keystrokes and resizes reach the server in the order typed.
final class PaneLink: Sendable {
    enum Command: Sendable {
        case send([UInt8])
        case resize(cols: Int, rows: Int)
        case kill
    }

    private let commands: AsyncStream<Command>.Continuation
    private let channelBox = Mutex<TerminalChannel?>(nil)
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// The remote terminal's name (`w0p1`).
    let term: String

    /// Opens (or joins) terminal `term` of `session` and forwards its events to `queue` tagged with `pane`.
    init(client: VibeClient, session: String, term: String, pane: PaneID, cols: Int, rows: Int, queue: EventQueue) {
        self.term = term
        let (stream, continuation) = AsyncStream<Command>.makeStream()
        commands = continuation
        let work = Task { [self] in
            let channel = await client.terminal(session, term: term, cols: max(1, cols), rows: max(1, rows))
            channelBox.withLock { $0 = channel }
            let outputs = Task {
                for await event in channel.events() {
                    switch event {
                    case .attached(let attached): queue.post(.attached(pane, created: attached.created))
                    case .output(let bytes): queue.post(.output(pane, bytes))
                    case .reset: queue.post(.reset(pane))
                    case .shellReplaced(let dropped): queue.post(.shellReplaced(pane, droppedInputBytes: dropped))
                    case .exit(let code): queue.post(.exited(pane, code))
                    case .error(let code, let message): queue.post(.paneError(pane, "\(code.rawValue): \(message)"))
                    }
                }
            }
            let connection = Task {
                for await event in channel.connectionEvents() { queue.post(.connection(pane, event)) }
            }
            let pings = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(3))
                    _ = try? await channel.ping()
                }
            }
            for await command in stream {
                switch command {
                case .send(let bytes): try? await channel.send(bytes)
                case .resize(let cols, let rows): try? await channel.resize(cols: cols, rows: rows)
                case .kill: try? await channel.kill()
                }
            }
            pings.cancel()
            outputs.cancel()
            connection.cancel()
            await channel.close()
        }
        task.withLock { $0 = work }
    }

    /// The channel once it is open (its latency recorders and state are read by the status bar).
    var channel: TerminalChannel? { channelBox.withLock { $0 } }

    /// Queues input bytes.
    func send(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        commands.yield(.send(bytes))
    }

    /// Queues a resize (sizes are clamped to 1…1000).
    func resize(cols: Int, rows: Int) {
        commands.yield(.resize(cols: min(1000, max(1, cols)), rows: min(1000, max(1, rows))))
    }

    /// Queues a request to end the remote shell (`terminal_kill`); its exit then arrives as an event.
    func kill() {
        commands.yield(.kill)
    }

    /// Stops forwarding and closes the channel once queued input is sent. The remote shell keeps running.
    func close() {
        commands.finish()
    }

    /// Waits until the channel is closed (after `close()`).
    func closed() async {
        let t = task.withLock { $0 }
        await t?.value
    }
}
