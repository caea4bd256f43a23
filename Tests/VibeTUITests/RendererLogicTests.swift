import TerminalEmulator
import Testing
import VibeClient
@testable import VibeTUI

@Suite struct ColorMapperTests {
    @Test func defaultStaysDefault() {
        #expect(ColorMapper.index(.default, colors: 256) == -1)
        #expect(ColorMapper.index(.default, colors: 8) == -1)
    }

    @Test func paletteWith256Colours() {
        #expect(ColorMapper.index(.palette(196), colors: 256) == 196)
        #expect(ColorMapper.index(.palette(9), colors: 256) == 9)
    }

    @Test func paletteDownsampled() {
        #expect(ColorMapper.index(.palette(9), colors: 16) == 9)
        #expect(ColorMapper.index(.palette(9), colors: 8) == 1)
        #expect(ColorMapper.index(.palette(196), colors: 16) == 9)
        #expect(ColorMapper.index(.palette(21), colors: 8) == 4)
    }

    @Test func truecolorToNearest() {
        #expect(ColorMapper.index(.rgb(255, 0, 0), colors: 256) == 196)
        #expect(ColorMapper.index(.rgb(128, 128, 128), colors: 256) == 244)
        #expect(ColorMapper.index(.rgb(0, 0, 0), colors: 256) == 16)
        #expect(ColorMapper.index(.rgb(250, 10, 10), colors: 8) == 1)
    }

    @Test func pairCacheAllocatesOnceAndStartsOver() {
        var cache = ColorPairCache(capacity: 2)
        var defined: [Int32] = []
        let a = cache.pair(fg: 1, bg: -1) { p, _, _ in defined.append(p) }
        let b = cache.pair(fg: 1, bg: -1) { p, _, _ in defined.append(p) }
        #expect(a == b)
        #expect(cache.pair(fg: -1, bg: -1) { _, _, _ in } == 0)
        _ = cache.pair(fg: 2, bg: 3) { p, _, _ in defined.append(p) }
        #expect(cache.generation == 0)
        let c = cache.pair(fg: 4, bg: 5) { p, _, _ in defined.append(p) }
        #expect(cache.generation == 1)
        #expect(c == 1)
        #expect(defined == [1, 2, 1])
    }
}

@Suite struct FramePacerTests {
    @Test func coalescesToOneFramePerInterval() {
        var pacer = FramePacer(interval: .milliseconds(16))
        let t0 = ContinuousClock.now
        #expect(pacer.isDue(at: t0))
        pacer.didDraw(at: t0)
        #expect(!pacer.isDue(at: t0 + .milliseconds(5)))
        #expect(pacer.millisecondsUntilDue(at: t0 + .milliseconds(5)) == 11)
        #expect(pacer.isDue(at: t0 + .milliseconds(16)))
        #expect(pacer.millisecondsUntilDue(at: t0 + .milliseconds(40)) == 0)
    }

    /// An echo is drawn at once right after a regular frame, but the regular frame after it waits: the
    /// reserve is paid back before the flood is drawn again.
    @Test func anEchoDrawsAtOnceAndThePaneAfterItWaits() {
        var pacer = FramePacer(interval: .milliseconds(16))
        let t0 = ContinuousClock.now
        pacer.didDraw(at: t0)
        let echo = t0 + .milliseconds(2)
        #expect(!pacer.isDue(at: echo))
        #expect(pacer.isDue(at: echo, urgent: true))
        #expect(pacer.millisecondsUntilDue(at: echo, urgent: true) == 0)
        pacer.didDraw(at: echo)
        #expect(!pacer.isDue(at: echo + .milliseconds(16)))
        #expect(pacer.isDue(at: echo + .milliseconds(30)))
    }

    /// Drawing whenever allowed for a second, with echoes asked for every millisecond or never, draws at most 60
    /// frames plus the two banked at the start.
    @Test(arguments: [false, true]) func neverMoreThanSixtyFramesASecond(urgent: Bool) {
        var pacer = FramePacer()
        let t0 = ContinuousClock.now
        var frames = 0
        for ms in 0..<1000 {
            let now = t0 + .milliseconds(ms)
            if pacer.isDue(at: now, urgent: urgent) {
                pacer.didDraw(at: now)
                frames += 1
            }
        }
        #expect(frames <= 62)
        #expect(frames >= 55)
    }
}

@Suite struct OutputBacklogTests {
    @Test func feedsInBoundedSlicesInOrder() {
        var backlog = OutputBacklog()
        backlog.append([1, 2, 3])
        backlog.append([4, 5])
        var out: [UInt8] = []
        backlog.take(upTo: 4) { out += $0 }
        #expect(out == [1, 2, 3, 4])
        #expect(backlog.count == 1)
        backlog.take(upTo: 10) { out += $0 }
        #expect(out == [1, 2, 3, 4, 5])
        #expect(backlog.isEmpty)
    }
}

struct FakeLines: LineSource {
    var lines: [String]
    var lineCount: Int { lines.count }
    func text(ofLine line: Int) -> String { lines[line] }
}

@Suite struct CopyModeTests {
    let source = FakeLines(lines: ["alpha one", "beta two", "gamma three", "delta four", "$ prompt"])

    @Test func selectAndCopyAcrossLines() {
        var copy = CopyMode(source: source, rows: 2, cols: 20, cursorRow: 1, cursorCol: 0)
        #expect(copy.top == 3)
        #expect(copy.cursor == TextPosition(line: 4, col: 0))
        _ = copy.handle(.up, [], source)
        _ = copy.handle(.character("v"), [], source)
        _ = copy.handle(.up, [], source)
        _ = copy.handle(.character("l"), [], source)
        #expect(copy.top == 2)
        #expect(copy.handle(.enter, [], source) == .copy("amma three\nd"))
        var c2 = CopyMode(source: source, rows: 5, cols: 20, cursorRow: 1, cursorCol: 5)
        _ = c2.handle(.character(" "), [], source)
        _ = c2.handle(.character("$"), [], source)
        #expect(c2.handle(.enter, [], source) == .copy("two"))
    }

    @Test func searchBackwardAndRepeat() {
        var copy = CopyMode(source: source, rows: 2, cols: 20, cursorRow: 1, cursorCol: 0)
        _ = copy.handle(.character("/"), [], source)
        for c in "t".unicodeScalars { _ = copy.handle(.character(c), [], source) }
        _ = copy.handle(.enter, [], source)
        #expect(copy.cursor == TextPosition(line: 3, col: 3))
        _ = copy.handle(.character("n"), [], source)
        #expect(copy.cursor == TextPosition(line: 2, col: 6))
        #expect(copy.top == 2)
    }

    @Test func leaveWithQOrEscape() {
        var copy = CopyMode(source: source, rows: 2, cols: 20, cursorRow: 0, cursorCol: 0)
        #expect(copy.handle(.character("q"), [], source) == .exit)
        #expect(copy.handle(.escape, [], source) == .exit)
    }

    @Test func sliceByDisplayColumns() {
        #expect(CopyMode.slice("a漢b", fromCol: 1, toCol: 2) == "漢")
        #expect(CopyMode.columns(of: "b", in: "a漢b") == [3])
    }
}

@Suite struct ChromeTextTests {
    @Test func statusBarShowsSocketsAndLatency() {
        let info = StatusInfo(
            session: "s1", state: "ready", windows: [(0, "0", false), (1, "edit", true)], terminalConnected: true,
            fsConnected: false,
            echo: LatencySnapshot(count: 3, p50: 1200, p95: 4000, p99: 12_000, min: 1000, max: 12_000, mean: 3),
            ping: .empty, readyMs: 25, reconnects: 2, message: nil)
        let (left, right) = StatusBar.parts(info)
        #expect(left.contains("s1 [ready]"))
        #expect(left.contains("1:edit*"))
        #expect(right.contains("term● fs○"))
        #expect(right.contains("echo 1.2/4.0/12ms"))
        #expect(right.contains("ready 25ms"))
        #expect(right.contains("reconn 2"))
    }

    @Test func hudComparesWithTargets() {
        let over = LatencySnapshot(count: 1, p50: 60_000, p95: 60_000, p99: 60_000, min: 1, max: 60_000, mean: 1)
        #expect(HUD.block("echo", over, targetUs: HUD.echoTargetUs)[0].contains("OVER TARGET"))
        #expect(HUD.bar(5, scale: 10, width: 10) == "█████·····")
    }

    @Test func outageBannerCountsDown() {
        let now = ContinuousClock.now
        var banner = OutageBanner(reason: "connection lost", since: now)
        banner.retryAt = now + .milliseconds(2500)
        #expect(banner.text(now: now).contains("reconnecting in 3 s"))
        banner.attempt = 2
        #expect(banner.text(now: now).contains("attempt 2"))
        #expect(banner.text(now: now + .seconds(7)).hasPrefix("connection lost 7 s ago"))
        #expect(banner.text(now: now + .seconds(125)).hasPrefix("connection lost 2 min 05 s ago"))
        #expect(OutageBanner.elapsed(.seconds(3720)) == "1 h 02 min")
    }

    @Test func gateShowsErrorOnceWithKeys() {
        let lines = ReadyGateView.lines(
            session: "s1", progress: nil, failure: OpenFailure(code: "CREATE_FAILED", message: "disk full", requestID: "r-1"))
        #expect(lines.filter { $0.contains("CREATE_FAILED") }.count == 1)
        #expect(lines.contains("request id: r-1"))
        #expect(lines.contains { $0.contains("r  retry") })
    }
}
