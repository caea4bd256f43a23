import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket
import VibeProtocol

/// `/container/{id}/status`: the session's status now and on every change (`session_status`), and what its
/// workspace uses every 2 s while it is ready (`env_status`). Watching never resumes a suspended session.
struct StatusSocket {
    let server: ServerContext
    /// How often the session's state is looked at.
    static let statusPoll: Duration = .milliseconds(250)
    /// How often `env_status` goes out.
    static let envInterval: Duration = .seconds(2)
    /// Disk usage is measured every this many `env_status` (30 s).
    static let diskEvery = 15

    func handle(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<SocketRequestContext>
    ) async throws {
        try await InboundQueue.serveListener(inbound: inbound, outbound: outbound) { queue in
            try await serve(queue, outbound: outbound, context: context)
        }
    }

    private func serve(
        _ queue: InboundQueue, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<SocketRequestContext>
    ) async throws {
        guard
            let (id, subject) = try await SocketGate(server: server).admitWatcher(
                request: context.request, sessionID: context.requestContext.parameters.get("id"), outbound: outbound,
                firstWord: queue.firstWord)
        else { return }
        await queue.firstWord.wait()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await follow(id, subject: subject, outbound: outbound) }
            group.addTask { await queue.answerPings(outbound: outbound) }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    private func follow(_ id: String, subject: String?, outbound: WebSocketOutboundWriter) async throws {
        var last: SessionStatus?
        var meter = UsageMeter()
        var nextSample = ContinuousClock.now
        while !Task.isCancelled {
            let status: SessionStatus
            do {
                status = try await server.registry.status(id: id, owner: subject)
            } catch {
                try await SocketGate.close(outbound, APIError(.sessionNotFound, "session \(id) was deleted"))
                return
            }
            if last.map({ !Self.sameState($0, status) }) ?? true {
                try await outbound.write(.text(ServerFrame.sessionStatus(status).encoded()))
                last = status
            }
            if status.state != .ready {
                meter = UsageMeter()
            } else if ContinuousClock.now >= nextSample {
                nextSample = ContinuousClock.now + Self.envInterval
                if let workspace = try? await server.registry.workspace(id: id, owner: subject),
                    let usage = try? await workspace.usage(includeDisk: meter.wantsDisk),
                    let env = meter.add(usage)
                {
                    try await outbound.write(.text(ServerFrame.envStatus(env).encoded()))
                }
            }
            try await Task.sleep(for: Self.statusPoll)
        }
    }

    /// Changes worth a `session_status`: not the activity fields, which move with every keystroke.
    private static func sameState(_ a: SessionStatus, _ b: SessionStatus) -> Bool {
        a.state == b.state && a.error == b.error && a.message == b.message && a.readyMs == b.readyMs
            && a.steps == b.steps && a.terminals == b.terminals
    }
}

/// Turns usage samples into `env_status`: CPU percent from the CPU time between two samples; disk measured
/// every ``StatusSocket/diskEvery`` samples and repeated between.
struct UsageMeter {
    private var previous: (cpuNanos: UInt64, at: ContinuousClock.Instant)?
    private var samples = 0
    private var disk: Int?

    /// Whether the next sample should measure disk usage.
    var wantsDisk: Bool { samples % StatusSocket.diskEvery == 0 }

    /// The payload for a new sample; nil for the first one (it only sets the baseline).
    mutating func add(_ usage: ResourceUsage, at now: ContinuousClock.Instant = .now) -> EnvStatus? {
        samples += 1
        if let bytes = usage.diskBytes { disk = bytes }
        defer { previous = (usage.cpuNanos, now) }
        guard let previous else { return nil }
        let elapsed = Double((now - previous.at).components.attoseconds) / 1e9 + Double((now - previous.at).components.seconds) * 1e9
        let used = usage.cpuNanos >= previous.cpuNanos ? Double(usage.cpuNanos - previous.cpuNanos) : 0
        let percent = elapsed > 0 ? (used / elapsed * 1000).rounded() / 10 : 0
        return EnvStatus(
            cpu: percent, memoryBytes: usage.memoryBytes, memoryLimitBytes: usage.memoryLimitBytes, pids: usage.pids,
            diskBytes: disk)
    }
}
