import Foundation
import Testing
import VibeProtocol
@testable import VibeServer
import VibeClient

@Suite("Server building blocks")
struct ServerUnitTests {
    @Test func outputRingKeepsTheTailAndAnswersOffsets() {
        var ring = OutputRing(capacity: 8)
        ring.append(Array("hello".utf8))
        #expect(ring.bytes(from: 0) == Array("hello".utf8))
        #expect(ring.bytes(from: 3) == Array("lo".utf8))
        ring.append(Array(" world".utf8))  // 11 bytes ever, 8 kept
        #expect(ring.endOffset == 11)
        #expect(ring.startOffset == 3)
        #expect(ring.bytes(from: 2) == nil)  // fell out
        #expect(ring.bytes(from: 3) == Array("lo world".utf8))
        #expect(ring.bytes(from: 11) == [])
        #expect(ring.bytes(from: 12) == nil)  // beyond the end
        ring.append(Array(repeating: UInt8(ascii: "x"), count: 20))
        #expect(ring.bytes(from: ring.startOffset) == Array(repeating: UInt8(ascii: "x"), count: 8))
    }

    @Test func coalescerFoldsPerPath() {
        var c = FSEventCoalescer(maxEvents: 10)
        c.add(.event(FSEvent(path: "a", kind: .created, isDir: false)))
        c.add(.event(FSEvent(path: "a", kind: .modified, isDir: false)))
        c.add(.event(FSEvent(path: "b", kind: .created, isDir: false)))
        c.add(.event(FSEvent(path: "b", kind: .deleted, isDir: false)))
        c.add(.event(FSEvent(path: "c", kind: .deleted, isDir: false)))
        c.add(.event(FSEvent(path: "c", kind: .created, isDir: false)))
        c.add(.event(FSEvent(path: "b", kind: .created, isDir: false)))
        c.add(.event(FSEvent(path: "d", kind: .renamed, isDir: true, oldPath: "e")))
        #expect(
            c.drain()
                == .events([
                    FSEvent(path: "a", kind: .created, isDir: false),
                    FSEvent(path: "b", kind: .created, isDir: false),
                    FSEvent(path: "c", kind: .modified, isDir: false),
                    FSEvent(path: "d", kind: .renamed, isDir: true, oldPath: "e"),
                ]))
        #expect(c.isEmpty)
    }

    @Test func coalescerTurnsBurstsAndOverflowIntoSnapshots() {
        var burst = FSEventCoalescer(maxEvents: 256)
        for i in 0..<10_000 { burst.add(.event(FSEvent(path: "f\(i)", kind: .created, isDir: false))) }
        #expect(burst.drain() == .snapshot)
        var overflow = FSEventCoalescer()
        overflow.add(.event(FSEvent(path: "x", kind: .created, isDir: false)))
        overflow.add(.overflow)
        #expect(overflow.drain() == .snapshot)
    }

    @Test func workspacePathsAreConfined() throws {
        let root = NSTemporaryDirectory() + "ws-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/inside", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/out", withDestinationPath: "/etc")
        try FileManager.default.createSymbolicLink(atPath: root + "/in", withDestinationPath: root + "/inside")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let paths = WorkspacePath(root: root)
        #expect(try paths.resolve("inside/new.txt").hasSuffix("/inside/new.txt"))
        #expect(try paths.resolve("in/file").hasSuffix("/in/file"))
        #expect(try paths.resolve("./a/./b").hasSuffix("/a/b"))
        for bad in ["../x", "inside/../../x", "/etc/passwd", "out/passwd", "out"] {
            #expect(throws: APIError.self) { try paths.resolve(bad) }
            do { _ = try paths.resolve(bad) } catch { #expect(error.code == .pathOutsideWorkspace, "\(bad)") }
        }
        #expect(throws: APIError.self) { try paths.resolve("") }
    }

    @Test func routeTableTellsKnownPathsFromUnknown() {
        let table = VibeServer.routeTable
        #expect(table.hasPath("/api/vibecoding/sessions/abc/exec"))
        #expect(table.hasPath("/healthz"))
        #expect(!table.hasPath("/api/vibecoding/sessions/abc/nope"))
        #expect(!table.hasPath("/"))
    }

    @Test func streamingUTF8HoldsBackSplitCharacters() {
        let decoder = StreamingUTF8()
        let bytes = Array("añ€😀".utf8)
        var out = ""
        for b in bytes { out += decoder.decode([b], stream: 1) }
        #expect(out == "añ€😀")
        #expect(decoder.decode([0xFF], stream: 2) == "\u{FFFD}")
    }

    @Test func rateLimiterRefusesPastTheBurst() async {
        let limiter = RateLimiter(burst: 3, perSecond: 0.001)
        #expect(await limiter.take("a") == nil)
        #expect(await limiter.take("a") == nil)
        #expect(await limiter.take("a") == nil)
        #expect(await limiter.take("a") != nil)
        #expect(await limiter.take("b") == nil)
    }

    @Test func closeReasonsFitTheWebSocketLimit() throws {
        let long = CloseReason(error: .sessionNotFound, message: String(repeating: "é", count: 400)).encoded()
        #expect(long.utf8.count <= 123)
        let decoded = try JSONDecoder().decode(CloseReason.self, from: Data(long.utf8))
        #expect(decoded.error == .sessionNotFound)
    }

    @Test func framesRejectGarbageWithoutCrashing() throws {
        for text in ["", "{", "[]", "{\"type\":1}", "{\"payload\":{}}", String(repeating: "[", count: 10_000)] {
            #expect(throws: FrameError.malformed) { try ClientFrame.decode(text) }
            #expect(throws: FrameError.malformed) { try ServerFrame.decode(text) }
        }
        #expect(throws: FrameError.badPayload(type: "terminal_resize")) {
            try ClientFrame.decode("{\"type\":\"terminal_resize\",\"payload\":{\"rows\":\"x\"}}")
        }
        #expect(throws: FrameError.badPayload(type: "attached")) { try ServerFrame.decode("{\"type\":\"attached\"}") }
        #expect(try ClientFrame.decode("{\"type\":\"ping\",\"payload\":{\"id\":3}}") == .ping(.object(["id": .number(3)])))
        #expect(try ClientFrame.decode("{\"type\":\"ping\"}") == .ping(nil))
        #expect(try ClientFrame.decode("{\"type\":\"later\",\"payload\":[1]}") == .unknown(type: "later"))
    }

    @Test func framesRoundTripThroughTheirText() throws {
        let client: [ClientFrame] = [
            .terminalInput(TerminalInput(data: "ls\r")), .terminalResize(TerminalSize(rows: 40, cols: 120)),
            .terminalKill, .ping(.object(["id": .number(7), "tag": .string("a/b")])),
        ]
        for frame in client { #expect(try ClientFrame.decode(frame.encoded()) == frame) }
        let server: [ServerFrame] = [
            .attached(TerminalAttached(term: "main", offset: 9, created: true, cols: 80, rows: 24)),
            .reset(TerminalReset(offset: 3)), .pong(nil), .exit(TerminalExit(code: 2)),
            .error(EnvelopeErrorPayload(code: .invalidRequest, message: "no")),
            .fsEvent(FSEvent(path: "a.txt", kind: .created, isDir: false)),
        ]
        for frame in server { #expect(try ServerFrame.decode(frame.encoded()) == frame) }
        // The wire shape other clients rely on.
        let wire = try JSONSerialization.jsonObject(with: Data(ClientFrame.terminalKill.encoded(timestamp: 5).utf8))
        let fields = try #require(wire as? [String: Any])
        #expect(fields["type"] as? String == "terminal_kill")
        #expect(fields["payload"] is NSNull)
        #expect((fields["timestamp"] as? NSNumber)?.int64Value == 5)
    }
}

@Suite("Latency distribution")
struct LatencyDistributionTests {
    @Test func bucketsCountSamplesByUpperBound() {
        let r = LatencyRecorder()
        for us: UInt64 in [100, 200, 900, 1000, 1500, 60_000] { r.record(microseconds: us) }
        let counts = r.distribution(bucketsMicros: [500, 1000, 50_000])
        #expect(counts == [2, 2, 1, 1])
        #expect(counts.reduce(0, +) == r.snapshot().count)
    }

    /// A snapshot is kept between samples; a new sample or a reset is seen at once.
    @Test func snapshotFollowsNewSamplesAndResets() {
        let r = LatencyRecorder()
        r.record(microseconds: 1000)
        #expect(r.snapshot().max == 1000)
        #expect(r.snapshot() == r.snapshot())
        r.record(microseconds: 5000)
        #expect(r.snapshot().count == 2)
        #expect(r.snapshot().max >= 4990)
        r.reset()
        #expect(r.snapshot().count == 0)
        r.record(microseconds: 300)
        r.record(microseconds: 300)
        #expect(r.snapshot().count == 2)
        #expect(r.snapshot().max < 400)
    }
}
