import Foundation
import Logging
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

/// A client that comes back to a new shell (the server restarted meanwhile) must never type the old shell's
/// input into it, and must say so.
@Suite("Resume safety")
struct ResumeSafetyTests {
    @Test func inputTypedForAShellThatIsGoneIsDroppedWithANotice() async throws {
        let first = try await TestServer.start()
        let id = try await first.readySession()
        let term = await first.client.terminal(id)
        let out = OutputCollector()
        await out.start(term)
        try await term.sendText("echo FIRST-$((6*7))\r")
        #expect(await eventually { await out.text.contains("FIRST-42") })
        let port = try #require(URL(string: first.embedded.baseURL)?.port)

        // The server stops (its sessions are suspended, their shells end); the client keeps trying. The registry
        // is shut down first and in full: on a loaded machine the service group's grace may cut it short.
        await first.embedded.server.registry.shutdown()
        await first.embedded.stop()
        let old = VibeAPI(baseURL: first.embedded.baseURL)
        #expect(await eventually(attempts: 400) { (try? await old.health()) == nil })
        #expect(await eventually { term.state != .connected })
        let typed = "echo TYPED-$((6*7))\r"
        try await term.sendText(typed)
        #expect(await term.bufferedInputBytes == typed.utf8.count)

        // The server comes back on the same port; the session is resumed with a new shell.
        var config = first.embedded.server.configuration
        config.port = port
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let second = try await EmbeddedServer.start(configuration: config, logger: logger)
        let replaced = await eventually(attempts: 600) { await out.replaced.count == 1 }
        let seen = await out.text
        #expect(replaced, "\(term.state) \(seen.suffix(300).debugDescription)")
        #expect(await out.replaced == [typed.utf8.count])
        #expect(await term.bufferedInputBytes == 0)

        // The new shell works, and never saw the input typed for the old one.
        try await term.sendText("echo AFTER-$((6*7))\r")
        #expect(await eventually { await out.text.contains("AFTER-42") })
        #expect(!(await out.text.contains("TYPED-42")))
        #expect(await out.replaced.count == 1)
        await term.close()
        await out.stop()
        await second.stop()
        try? FileManager.default.removeItem(atPath: first.dataDir)
    }

    @Test func inputTypedWhileTheSameShellLivesIsDelivered() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let term = await server.client.terminal(id)
            let out = OutputCollector()
            await out.start(term)
            try await term.sendText("echo UP\r")
            let up = await eventually { await out.text.contains("\rUP\r\n") }
            let seen = await out.text
            #expect(up, "\(seen.debugDescription) \(term.state)")
            let ws = try await server.embedded.server.registry.workspace(id: id, owner: nil)
            let hub = try #require(try await ws.terminal(named: "main", rows: 24, cols: 80).endpoint as? TerminalHub)
            hub.disconnectSubscribers(code: CloseCode.internalError, reason: "test cut")
            try await term.sendText("echo KEPT-$((6*7))\r")
            #expect(await eventually { await out.text.contains("KEPT-42") })
            #expect(await out.replaced.isEmpty)
            await term.close()
            await out.stop()
        }
    }
}
