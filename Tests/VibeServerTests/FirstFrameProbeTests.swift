import Foundation
import Logging
import Synchronization
import Testing
import VibeClient
import VibeProtocol
import WSClient

@Suite("First frame after upgrade")
struct FirstFrameProbeTests {
    @Test func everyConnectionGetsItsFirstFrame() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let url = server.embedded.baseURL.replacingOccurrences(of: "http://", with: "ws://") + Routes.terminal(id)
            var logger = Logger(label: "probe")
            logger.logLevel = .critical
            var missing = 0
            for _ in 0..<40 {
                let got = Mutex(false)
                let task = Task {
                    _ = try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
                        // Speak first (docs/protocol.md): the server's first frame waits for it.
                        try await outbound.write(.text(ClientFrame.hello.encoded()))
                        var it = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                        if let _ = try await it.next() { got.withLock { $0 = true } }
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                }
                for _ in 0..<200 where !got.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(50)) }
                if !got.withLock({ $0 }) { missing += 1 }
                task.cancel()
            }
            #expect(missing == 0, "connections without a first frame: \(missing)")
        }
    }
}

/// The first frame after the upgrade is the one a client library may lose while it switches from HTTP (see
/// `ClientSpeaksFirst`). Without the channel's first-frame watchdog, every connect must get it.
@Suite("First frame, without the watchdog")
struct FirstFrameWithoutWatchdogTests {
    @Test func everyChannelConnectGetsItsFirstFrame() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            var client = server.client
            client.channelOptions = ChannelOptions(firstFrameTimeout: .seconds(600))
            var silent = 0
            for round in 0..<100 {
                let registry = ChannelRegistry()
                let term = await registry.terminal(api: client.api, session: id, term: "t\(round % 4)", options: client.channelOptions)
                if !(await eventually(attempts: 200) { term.state == .connected }) { silent += 1 }
                await term.close()
            }
            #expect(silent == 0, "\(silent) connects never got their first frame")
        }
    }
}
