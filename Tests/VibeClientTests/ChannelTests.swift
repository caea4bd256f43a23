import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import Testing
import VibeClient
import VibeProtocol

@Suite struct ChannelTests {
    /// A fake terminal socket: counts upgrades, records each `offset=` query, sends `attached` and `hello`;
    /// the first connection is then dropped with 1011, later ones stay open and echo input.
    func terminalRoute(_ router: Router<BasicWebSocketRequestContext>, upgrades: Counter) {
        router.ws("/api/vibecoding/container/{id}/terminal") { _, _ in
            .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let n = await upgrades.next()
            let offset = UInt64(context.request.uri.queryParameters.get("offset") ?? "0") ?? 0
            await upgrades.record("offset=\(offset)")
            let attached = ServerFrame.attached(
                TerminalAttached(term: "main", offset: offset, created: n == 1, cols: 80, rows: 24))
            try await outbound.write(.text(attached.encoded()))
            if offset == 0 { try await outbound.write(.binary(ByteBuffer(string: "hello"))) }
            if n == 1 {
                try await outbound.close(.unexpectedServerError, reason: nil)
                return
            }
            for try await message in inbound.messages(maxSize: 1 << 20) {
                if case .binary(let buffer) = message {
                    try await outbound.write(.binary(buffer))
                } else if case .text(let text) = message, let frame = try? ClientFrame.decode(text) {
                    await upgrades.record(frame.type)
                    if case .ping(let payload) = frame {
                        try await outbound.write(.text(ServerFrame.pong(payload).encoded()))
                    }
                }
            }
        }
    }

    @Test func sameKeyJoinsOneSocketAndResumesAtTheOffset() async throws {
        let upgrades = Counter()
        try await withWSServer({ router in terminalRoute(router, upgrades: upgrades) }) { base in
            let registry = ChannelRegistry()
            let options = ChannelOptions(random: .constant(0), firstFrameTimeout: .seconds(1))
            let api = VibeAPI(baseURL: base)
            let a = await registry.terminal(api: api, session: "s1", cols: 100, rows: 30, options: options)
            let b = await registry.terminal(api: api, session: "s1", options: options)
            #expect(a === b)
            #expect(await registry.references(a.key) == 2)

            let events = a.connectionEvents()
            let output = a.events()
            // The first connection drops after "hello"; the second resumes at offset 5.
            _ = try await first(events) { event in
                if case .outageEnded(recovered: true, _) = event { return true }
                return false
            }
            // Normally exactly ["offset=0", "offset=5"]; under load the client library occasionally loses the
            // frames sent right behind the upgrade answer, and the first-frame watchdog retries at offset 0.
            let offsets = await upgrades.log.filter { $0.hasPrefix("offset=") }
            #expect(offsets.first == "offset=0")
            #expect(offsets.allSatisfy { $0 == "offset=0" || $0 == "offset=5" })
            let connections = await upgrades.value

            // Input goes out after the reconnect and is echoed once.
            try await a.send(Array("x".utf8))
            let collected = try await outputBytes(output, until: Array("hellox".utf8).count)
            #expect(collected == Array("hellox".utf8))
            #expect(await a.outputOffset == 6)
            let rtt = try await a.ping()
            #expect(rtt > .zero)
            #expect(a.pingLatency.snapshot().count == 1)
            #expect(await upgrades.log.contains("terminal_resize"))

            await b.close()
            #expect(await registry.references(a.key) == 1)
            #expect(a.state == .connected)
            await a.close()
            #expect(await registry.references(a.key) == 0)
            if case .closed = a.state {} else { Issue.record("expected closed, got \(a.state)") }
            #expect(await upgrades.value == connections)
        }
    }

    @Test func finalCloseCodeStopsReconnecting() async throws {
        let upgrades = Counter()
        try await withWSServer({ router in
            router.ws("/api/vibecoding/container/{id}/fs-events") { _, _ in
                .upgrade([:])
            } onUpgrade: { _, outbound, _ in
                await upgrades.next()
                try await outbound.close(
                    .unknown(CloseCode.sessionNotFound),
                    reason: CloseReason(error: .sessionNotFound, message: "no such session").encoded())
            }
        }) { base in
            let channel = await ChannelRegistry().fsEvents(
                api: VibeAPI(baseURL: base), session: "nope", options: ChannelOptions(random: .constant(0), firstFrameTimeout: .seconds(1)))
            let closed = try await first(channel.states()) { if case .closed = $0 { true } else { false } }
            #expect(closed == .closed(.closed(code: 4404, error: .sessionNotFound, message: "no such session")))
            #expect(await upgrades.value >= 1)
        }
    }

    @Test func fsEventsDeliverSnapshotThenEvents() async throws {
        try await withWSServer({ router in
            router.ws("/api/vibecoding/container/{id}/fs-events") { _, _ in
                .upgrade([:])
            } onUpgrade: { inbound, outbound, _ in
                let tree = FileTree(root: FileNode(name: "", path: "", isDir: true, children: []), truncated: false)
                try await outbound.write(.text(ServerFrame.fsSnapshot(tree).encoded()))
                let event = FSEvent(path: "a.txt", kind: .created, isDir: false)
                try await outbound.write(.text(ServerFrame.fsEvent(event).encoded()))
                for try await _ in inbound.messages(maxSize: 1 << 16) {}
            }
        }) { base in
            let channel = await ChannelRegistry().fsEvents(api: VibeAPI(baseURL: base), session: "s1")
            let event = try await first(channel.events()) { if case .event = $0 { true } else { false } }
            #expect(event == .event(FSEvent(path: "a.txt", kind: .created, isDir: false)))
            await channel.close()
        }
    }

    @Test func inputBufferIsBoundedWhileDisconnected() async throws {
        // Nothing listens: the channel stays disconnected, so input is buffered.
        let registry = ChannelRegistry()
        let channel = await registry.terminal(
            api: VibeAPI(baseURL: "http://127.0.0.1:1"), session: "s1",
            options: ChannelOptions(random: .constant(1), inputBufferLimit: 10))
        try await channel.send(Array("12345678".utf8))
        await #expect(throws: VibeClientError.inputBufferFull(capacity: 10, buffered: 8, attempted: 3)) {
            try await channel.send(Array("abc".utf8))
        }
        #expect(await channel.bufferedInputBytes == 8)
        try await channel.send(Array("ab".utf8))
        #expect(await channel.bufferedInputBytes == 10)
        await channel.close()
    }
}

/// Concatenates output bytes until at least `count` arrived (bounded wait).
func outputBytes(_ stream: AsyncStream<TerminalChannelEvent>, until count: Int) async throws -> [UInt8] {
    try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
        group.addTask {
            var bytes: [UInt8] = []
            for await event in stream {
                if case .output(let chunk) = event { bytes += chunk }
                if bytes.count >= count { return bytes }
            }
            return bytes
        }
        group.addTask {
            try await Task.sleep(for: .seconds(10))
            return nil
        }
        defer { group.cancelAll() }
        guard let result = try await group.next(), let bytes = result else { throw TestFailure("no output in time") }
        return bytes
    }
}
