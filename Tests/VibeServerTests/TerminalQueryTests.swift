import Foundation
import Logging
import NIOCore
import Testing
import VibeProtocol
import WSClient
@testable import VibeServer

/// The terminal socket's query and resize checks, against a real server: a wrong value closes with 1008 and a
/// reason naming the field; a client without a size never resizes a shared terminal.
@Suite("Terminal socket validation")
struct TerminalQueryTests {
    @Test func everyWrongQueryValueIsRefusedNamingItsField() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let cases: [(query: String, field: String)] = [
                ("cols=abc&rows=24", "cols"), ("cols=80&rows=x", "rows"), ("cols=0&rows=24", "cols"),
                ("cols=80&rows=1001", "rows"), ("cols=80", "rows"), ("rows=24", "cols"),
                ("offset=-1", "offset"), ("offset=abc", "offset"), ("offset=1180591620717411303424", "offset"),
                ("term=../x", "term"), ("term=", "term"), ("client=%20bad", "client"), ("encoding=xml", "encoding"),
            ]
            for (query, field) in cases {
                let close = try await server.rawSocketClose(Routes.terminal(id) + "?" + query)
                #expect(close.code == 1008, "\(query)")
                let reason = try #require(close.reason.map { Data($0.utf8) }, "\(query)")
                let decoded = try JSONDecoder().decode(CloseReason.self, from: reason)
                #expect(decoded.error == .invalidRequest, "\(query)")
                #expect(decoded.message.hasPrefix(field + " "), "\(query): \(decoded.message)")
            }
        }
    }

    @Test func aClientWithoutASizeLeavesTheTerminalsSizeAlone() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let owner = try await firstFrames(server, Routes.terminal(id) + "?cols=100&rows=30", count: 1)
            guard case .attached(let first) = owner.first else {
                Issue.record("no attached frame: \(owner)")
                return
            }
            #expect(first.cols == 100 && first.rows == 30 && first.created)
            let observer = try await firstFrames(server, Routes.terminal(id), count: 1)
            guard case .attached(let seen) = observer.first else {
                Issue.record("no attached frame: \(observer)")
                return
            }
            #expect(seen.cols == 100 && seen.rows == 30 && !seen.created)
            let next = try await firstFrames(server, Routes.terminal(id) + "?cols=90&rows=20", count: 1)
            guard case .attached(let resized) = next.first else {
                Issue.record("no attached frame: \(next)")
                return
            }
            #expect(resized.cols == 90 && resized.rows == 20)
        }
    }

    @Test func aResizeOutOfRangeIsAnErrorNamingTheField() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let resize = #"{"type":"terminal_resize","payload":{"rows":24,"cols":0}}"#
            let frames = try await firstFrames(server, Routes.terminal(id) + "?cols=80&rows=24", count: 2, send: [resize])
            guard frames.count == 2, case .attached = frames[0] else {
                Issue.record("attached must come first: \(frames)")
                return
            }
            #expect(frames[1] == .error(EnvelopeErrorPayload(code: .invalidRequest, message: "cols must be from 1 to 1000 (got 0)")))
        }
    }

    /// Connects, says hello (then `send`), and returns the first `count` text frames the server sends.
    private func firstFrames(_ server: TestServer, _ path: String, count: Int, send: [String] = []) async throws -> [ServerFrame] {
        let url = server.embedded.baseURL.replacingOccurrences(of: "http://", with: "ws://") + path
        var logger = Logger(label: "raw-ws")
        logger.logLevel = .critical
        let frames = FrameBox()
        let quiet = logger
        _ = try await bounded("the first frames of \(path)") {
            try await WebSocketClient.connect(url: url, logger: quiet) { inbound, outbound, _ in
                try await outbound.write(.text(ClientFrame.hello.encoded()))
                for text in send { try await outbound.write(.text(text)) }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message, let frame = try? ServerFrame.decode(text) else { continue }
                    if await frames.add(frame) >= count { break }
                }
            }
        }
        return await frames.all
    }
}

private actor FrameBox {
    private(set) var all: [ServerFrame] = []
    func add(_ frame: ServerFrame) -> Int {
        all.append(frame)
        return all.count
    }
}

@Suite("Terminal socket close")
struct TerminalSocketCloseTests {
    @Test func keysSentJustBeforeTheClientClosesReachTheShell() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let url = server.embedded.baseURL.replacingOccurrences(of: "http://", with: "ws://") + Routes.terminal(id)
            var logger = Logger(label: "raw-ws")
            logger.logLevel = .critical
            let quiet = logger
            for round in 1...5 {
                _ = try await bounded("round \(round)") {
                    try await WebSocketClient.connect(url: url, logger: quiet) { _, outbound, _ in
                        try await outbound.write(.text(ClientFrame.hello.encoded()))
                        try await outbound.write(.binary(ByteBuffer(string: "echo round-\(round) >> last.txt\r")))
                        // Returning closes the socket at once, right behind the keys.
                    }
                }
            }
            let want = (1...5).map { "round-\($0)\n" }.joined()
            let arrived = await eventually { (try? await server.client.api.exec(id, command: "cat last.txt").stdout) == want }
            let got = try? await server.client.api.exec(id, command: "cat last.txt").stdout
            #expect(arrived, "last.txt: \(got.debugDescription)")
        }
    }
}

@Suite("Terminal socket, JSON output")
struct TerminalJSONOutputTests {
    @Test func outputComesAsEnvelopesWithOffsetsTextAndBase64() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let url = server.embedded.baseURL.replacingOccurrences(of: "http://", with: "ws://") + Routes.terminal(id)
                + "?encoding=json&cols=80&rows=24"
            var logger = Logger(label: "raw-ws")
            logger.logLevel = .critical
            let seen = FrameBox()
            let binary = FrameBox()
            let quiet = logger
            _ = try await bounded("the JSON-output socket") {
            try await WebSocketClient.connect(url: url, logger: quiet) { inbound, outbound, _ in
                try await outbound.write(.text(ClientFrame.hello.encoded()))
                // "é" as UTF-8, then a byte that is not UTF-8 at all, printed by the shell.
                try await outbound.write(.text(ClientFrame.terminalInput(TerminalInput(data: "printf 'caf\\303\\251 \\377 E''ND\\n'; exit 3\r")).encoded()))
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    switch message {
                    case .binary: _ = await binary.add(.unknown(type: "binary"))
                    case .text(let text):
                        guard let frame = try? ServerFrame.decode(text) else { continue }
                        _ = await seen.add(frame)
                        if case .exit = frame { return }
                    }
                }
            }
            }
            #expect(await binary.all.isEmpty, "no binary frames with encoding=json")
            var next: UInt64 = 0
            var bytes: [UInt8] = []
            var sawBase64 = false
            for frame in await seen.all {
                guard case .terminalOutput(let output) = frame else { continue }
                #expect(output.offset == next, "offsets count the bytes before")
                next = output.offset + UInt64(output.bytes.count)
                bytes += output.bytes
                if output.base64 != nil { sawBase64 = true } else { #expect(output.data != nil) }
            }
            let wanted: [UInt8] = Array("caf".utf8) + [0xC3, 0xA9, 0x20, 0xFF] + Array(" END\r\n".utf8)
            #expect(bytes.indices.contains { Array(bytes[$0...].prefix(wanted.count)) == wanted }, "the printed bytes, exactly")
            #expect(sawBase64, "the byte that is not UTF-8 came base64-encoded")
            #expect(await seen.all.last == .exit(TerminalExit(code: 3)))
        }
    }

    @Test func aCharacterSplitAcrossChunksIsNeverSplitAcrossEnvelopes() {
        var chunker = UTF8Chunker()
        let e = Array("é".utf8)
        #expect(chunker.bytes(Array("a".utf8) + [e[0]]) == Array("a".utf8))
        #expect(chunker.bytes([e[1]] + Array("b".utf8)) == e + Array("b".utf8))
        let kanji = Array("日".utf8)
        #expect(chunker.bytes([kanji[0], kanji[1]]).isEmpty)
        #expect(chunker.flushBytes() == [kanji[0], kanji[1]])
        #expect(chunker.bytes([0xFF]) == [0xFF], "a byte that starts nothing is not held back")
    }
}

@Suite("Pings on every socket")
struct PingTests {
    @Test func bothSocketsAnswerPingWithThePayloadUnchanged() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let base = server.embedded.baseURL.replacingOccurrences(of: "http://", with: "ws://")
            let payload = JSONValue.object(["id": .number(7), "sentAt": .string("client clock 12:00")])
            for path in [Routes.fsEvents(id), Routes.terminal(id) + "?cols=80&rows=24"] {
                let frames = try await Self.pingAfterFirstFrame(url: base + path, payload: payload)
                #expect(frames.last == .pong(payload), "\(path): \(frames)")
            }
        }
    }

    /// Says hello, pings once the first frame is in, and returns the frames up to the pong (at most 20 s: a
    /// socket that never answers fails the test instead of hanging it).
    private static func pingAfterFirstFrame(url: String, payload: JSONValue) async throws -> [ServerFrame] {
        let seen = FrameBox()
        _ = try await bounded("a ping on \(url)", limit: .seconds(20)) {
            var logger = Logger(label: "raw-ws")
            logger.logLevel = .critical
            return try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
                try await outbound.write(.text(ClientFrame.hello.encoded()))
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message, let frame = try? ServerFrame.decode(text) else { continue }
                    if case .pong = frame {
                        _ = await seen.add(frame)
                        return
                    }
                    if await seen.add(frame) == 1 { try await outbound.write(.text(ClientFrame.ping(payload).encoded())) }
                }
            }
        }
        return await seen.all
    }
}
