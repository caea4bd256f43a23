import Foundation
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

@Suite("Terminal socket")
struct TerminalSocketTests {
    @Test func echoThroughARealPTY() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let term = await server.client.terminal(id, cols: 80, rows: 24)
            let out = OutputCollector()
            await out.start(term)
            try await term.sendText("echo hel''lo\r")
            #expect(await eventually { await out.text.contains("hello\r\n") })
            let rtt = try await term.ping()
            #expect(rtt > .zero)
            await term.close()
            await out.stop()
        }
    }

    /// Input goes straight to the PTY while it has room and queues behind earlier input when it has not: 600 KB
    /// sent in pieces, far more than a PTY buffers, plus keys typed after it, reach the shell whole and in order.
    @Test func inputBeyondWhatThePTYBuffersArrivesWholeAndInOrder() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let term = await server.client.terminal(id, cols: 80, rows: 24)
            let out = OutputCollector()
            await out.start(term)
            let pieces = 20
            let pieceSize = 30_000
            // Non-canonical: no line-length limit, every byte goes to `head` as it comes.
            try await term.sendText(
                "stty -icanon -echo; echo READY; head -c \(pieces * pieceSize + 3) > got.txt; stty sane; echo TOOK-$((6 * 7))\r")
            #expect(await eventually { await out.text.contains("READY\r\n") })
            let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
            var sent: [UInt8] = []
            for piece in 0..<pieces {
                let bytes = (0..<pieceSize).map { letters[($0 * 7 + piece) % letters.count] }
                sent += bytes
                try await term.send(bytes)
            }
            for key in Array("xyz".utf8) { try await term.send([key]) }
            sent += Array("xyz".utf8)
            // "TOOK-42" is the output of `echo`, not the echo of the typed command line.
            #expect(await eventually(attempts: 600) { await out.text.contains("TOOK-42\r\n") })
            let got = try await server.client.api.readFileData(id, path: "got.txt")
            #expect(got.count == sent.count)
            let firstDifference = zip(got, sent).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(firstDifference == nil, "the shell got the input out of order from byte \(firstDifference ?? -1)")
            await term.close()
            await out.stop()
        }
    }

    @Test func resizeReachesThePTY() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let term = await server.client.terminal(id, cols: 100, rows: 30)
            let out = OutputCollector()
            await out.start(term)
            try await term.sendText("stty size\r")
            #expect(await eventually { await out.text.contains("30 100") })
            try await term.resize(cols: 132, rows: 43)
            try await term.sendText("stty size\r")
            #expect(await eventually { await out.text.contains("43 132") })
            await term.close()
            await out.stop()
        }
    }

    @Test func serverCutMidOutputResumesWithEveryByteExactlyOnce() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let term = await server.client.terminal(id)
            let out = OutputCollector()
            await out.start(term)
            let count = 20_000
            try await term.sendText("echo BEGIN-RUN; for i in $(seq 1 \(count)); do echo L$i; done; echo END-OF-RUN\r")
            let ws = try await server.embedded.server.registry.workspace(id: id, owner: nil)
            let hub = try #require(try await ws.terminal(named: "main", rows: 24, cols: 80).endpoint as? TerminalHub)
            // Cut every attached socket three times while the output flows.
            for _ in 0..<3 {
                #expect(await eventually { hub.subscriberCount == 1 })
                try await Task.sleep(for: .milliseconds(100))
                hub.disconnectSubscribers(code: CloseCode.internalError, reason: "test cut")
            }
            // "\nEND-OF-RUN" is the output line, not the echo of the typed command.
            let done = await eventually(attempts: 600) { await out.text.contains("\nEND-OF-RUN\r\n") }
            let text = await out.text
            #expect(done, "state \(term.state), \(text.utf8.count) bytes, ends \(String(text.suffix(120)).debugDescription)")
            let body = try #require(text.components(separatedBy: "BEGIN-RUN\r\n").last)
            let lines = body.components(separatedBy: "\r\n").filter { $0.hasPrefix("L") }
            let expected = (1...count).map { "L\($0)" }
            let firstMismatch = zip(lines, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            let offset = await term.outputOffset
            let got = Set(lines)
            let missing = expected.filter { !got.contains($0) }
            #expect(
                lines.count == count,
                "got \(lines.count) lines; missing \(missing.count) from \(missing.first ?? "-") to \(missing.last ?? "-"); \(text.utf8.count) bytes, offset \(offset); \(String(text.suffix(200)).debugDescription)")
            #expect(firstMismatch == nil, "first mismatch at line \(firstMismatch ?? -1)")
            #expect(await out.resets == 0)
            await term.close()
            await out.stop()
        }
    }

    @Test func twoConnectCallsShareOneSocket() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            async let a = server.client.terminal(id)
            async let b = server.client.terminal(id)
            let (first, second) = await (a, b)
            #expect(first === second)
            let ws = try await server.embedded.server.registry.workspace(id: id, owner: nil)
            let hub = try #require(try await ws.terminal(named: "main", rows: 24, cols: 80).endpoint as? TerminalHub)
            #expect(await eventually { hub.subscriberCount == 1 })
            try await Task.sleep(for: .milliseconds(200))
            #expect(hub.subscriberCount == 1)
            await first.close()
            await second.close()
        }
    }

    @Test func namedTerminalsAreSeparateAndOutliveTheSocket() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let a = await server.client.terminal(id, term: "one")
            let outA = OutputCollector()
            await outA.start(a)
            try await a.sendText("export MARK=first; echo set-$MARK\r")
            #expect(await eventually { await outA.text.contains("set-first") })
            await a.close()
            await outA.stop()
            // A new client on the same name finds the same shell and its history replayed.
            let again = server.client(token: nil)
            let b = await again.terminal(id, term: "one")
            let outB = OutputCollector()
            await outB.start(b)
            #expect(await eventually { await outB.text.contains("set-first") })
            try await b.sendText("echo still-$MARK\r")
            #expect(await eventually { await outB.text.contains("still-first") })
            let other = await again.terminal(id, term: "two")
            let outC = OutputCollector()
            await outC.start(other)
            try await other.sendText("echo other-${MARK:-unset}\r")
            #expect(await eventually { await outC.text.contains("other-unset") })
            await b.close()
            await other.close()
            await outB.stop()
            await outC.stop()
        }
    }

    @Test func shellExitEndsTheChannelWithItsCode() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let term = await server.client.terminal(id, term: "short")
            let out = OutputCollector()
            await out.start(term)
            try await term.sendText("exit 5\r")
            #expect(await eventually { await out.exitCode == 5 })
            await out.stop()
        }
    }
}

@Suite("Terminal kill")
struct TerminalKillTests {
    @Test func terminalKillEnvelopeEndsTheShellForEveryClient() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let term = await server.client.terminal(id, term: "doomed")
            let watcher = await server.client(token: nil).terminal(id, term: "doomed")
            let out = OutputCollector()
            let seen = OutputCollector()
            await out.start(term)
            await seen.start(watcher)
            try await term.sendText("echo alive\r")
            let sawAlive = await eventually { await seen.text.contains("alive") }
            let seenText = await seen.text
            #expect(sawAlive, "the second client sees the first one's typing: \(seenText.debugDescription)")
            try await term.kill()
            #expect(await eventually { await out.exitCode == 129 })
            #expect(await eventually { await seen.exitCode == 129 })
        }
    }
}
