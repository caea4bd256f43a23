import Foundation
import Logging
import Synchronization
import Testing
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
                        var it = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                        if let _ = try await it.next() { got.withLock { $0 = true } }
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                }
                for _ in 0..<40 where !got.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(50)) }
                if !got.withLock({ $0 }) { missing += 1 }
                task.cancel()
            }
            #expect(missing == 0, "connections without a first frame: \(missing)")
        }
    }
}
