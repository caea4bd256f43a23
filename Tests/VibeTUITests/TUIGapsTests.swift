import Testing
import VibeProtocol
import TerminalEmulator
import VibeClient
@testable import VibeTUI

@Suite struct ThemePaletteTests {
    let theme = Theme.builtinDefault

    @Test func fewColoursKeepTheTerminalsOwn() {
        for colors in [0, 8, 16, 88] {
            let p = ThemePalette(theme: theme, colors: colors, canChangeColor: true)
            #expect(p.mode == .terminal)
            #expect(p.index(.default, foreground: true) == -1)
            #expect(p.index(.default, foreground: false) == -1)
            #expect(p.index(.palette(1), foreground: true) == ColorMapper.index(.palette(1), colors: colors))
            #expect(p.definitions.isEmpty)
        }
    }

    @Test func with256ColoursTheThemeMapsToTheNearestCubeOrGrey() {
        let p = ThemePalette(theme: theme, colors: 256, canChangeColor: true)
        #expect(p.mode == .nearest)
        #expect(p.definitions.isEmpty)
        for (i, rgb) in theme.palette.enumerated() {
            let index = p.index(.palette(UInt8(i)), foreground: true)
            #expect(index == Int32(ColorMapper.nearest256(rgb.r, rgb.g, rgb.b)))
            #expect(index >= 16, "never the terminal's own basics")
        }
        let fg = theme.foreground
        let bg = theme.background
        #expect(p.index(.default, foreground: true) == Int32(ColorMapper.nearest256(fg.r, fg.g, fg.b)))
        #expect(p.index(.default, foreground: false) == Int32(ColorMapper.nearest256(bg.r, bg.g, bg.b)))
        // Palette 16…255 and truecolor are not the theme's business.
        #expect(p.index(.palette(200), foreground: true) == 200)
        #expect(p.index(.rgb(255, 0, 0), foreground: true) == 196)
    }

    @Test func pureColoursMapToTheObviousEntries() {
        var t = theme
        t.normal[1] = RGB(255, 0, 0)
        t.bright[7] = RGB(255, 255, 255)
        t.background = RGB(0, 0, 0)
        let p = ThemePalette(theme: t, colors: 256, canChangeColor: false)
        #expect(p.index(.palette(1), foreground: true) == 196)
        #expect(p.index(.palette(15), foreground: true) == 231)
        #expect(p.index(.default, foreground: false) == 16)
    }

    @Test func redefinableTerminalsGetExactColoursPastThe256() {
        let p = ThemePalette(theme: theme, colors: 32_768, canChangeColor: true)
        #expect(p.mode == .redefined(firstSlot: 256))
        #expect(p.definitions.count == 18)
        #expect(p.definitions.first?.slot == 256)
        #expect(p.definitions.first?.color == theme.normal[0])
        #expect(p.index(.palette(9), foreground: true) == 265)
        #expect(p.index(.default, foreground: true) == 272)
        #expect(p.index(.default, foreground: false) == 273)
        #expect(p.definitions[16].color == theme.foreground)
        #expect(p.definitions[17].color == theme.background)
        // Without can_change_color the same terminal falls back to the nearest entries.
        #expect(ThemePalette(theme: theme, colors: 32_768, canChangeColor: false).mode == .nearest)
    }

    @Test func cursesLevelsScaleTo1000() {
        #expect(ThemePalette.cursesLevel(0) == 0)
        #expect(ThemePalette.cursesLevel(255) == 1000)
        #expect(ThemePalette.cursesLevel(128) == 502)
    }
}

@Suite struct HelpViewTests {
    let entries = KeyBindings.defaults.helpLines()

    @Test func everyBindingIsReachableAt80x24() {
        let rows = 23
        var seen = Set<String>()
        var scroll = 0
        var page = HelpView.page(entries: entries, prefix: "C-b", rows: rows, cols: 80, scroll: scroll)
        #expect(page.lines.count <= rows - HelpView.chromeRows, "the box fits the screen")
        #expect(page.maxScroll > 0)
        for _ in 0...entries.count {
            for line in page.lines { seen.insert(line) }
            if scroll >= page.maxScroll { break }
            scroll += page.visible
            page = HelpView.page(entries: entries, prefix: "C-b", rows: rows, cols: 80, scroll: scroll)
        }
        for entry in entries {
            #expect(seen.contains { $0.hasPrefix(entry.keys) && $0.hasSuffix(entry.description) }, "\(entry)")
        }
    }

    @Test func scrollIsClampedAndShownInTheFooter() {
        let page = HelpView.page(entries: entries, prefix: "C-b", rows: 23, cols: 80, scroll: 10_000)
        #expect(page.scroll == page.maxScroll)
        #expect(page.footer.contains("of \(entries.count)"))
    }

    @Test func tallScreensShowOneColumnAndWideOnesTwo() {
        let tall = HelpView.page(entries: entries, prefix: "C-b", rows: 60, cols: 80, scroll: 0)
        #expect(tall.maxScroll == 0)
        #expect(tall.lines.count == entries.count + 2)
        let wide = HelpView.page(entries: entries, prefix: "C-b", rows: 30, cols: 200, scroll: 0)
        #expect(wide.maxScroll == 0)
        #expect(wide.lines.count == (entries.count + 1) / 2 + 2)
        #expect(wide.lines.contains { $0.contains("Split the pane side by side") })
        #expect(wide.lines.contains { $0.contains("Quit: leave the TUI") })
    }

    @Test func tinyScreensDoNotTrap() {
        let page = HelpView.page(entries: entries, prefix: "C-b", rows: 2, cols: 2, scroll: 3)
        #expect(page.visible >= 1)
        #expect(page.scroll <= page.maxScroll)
    }
}

@Suite struct HUDHistogramTests {
    @Test func oneLinePerBucketAndAnOpenEndedLast() {
        let counts: [UInt64] = [0, 1, 4, 0, 0, 0, 0, 0, 2]
        let lines = HUD.histogram(counts, bounds: HUD.bucketsMicros, width: 10)
        #expect(lines.count == HUD.bucketsMicros.count + 1)
        #expect(lines[0].contains("≤ 1.0 ms"))
        #expect(lines[2].contains("██████████ 4"))
        #expect(lines[8].contains("> 200 ms"))
        #expect(lines[8].hasSuffix(" 2"))
    }

    @Test func hudShowsTheHistogramFromTheRecorder() {
        let recorder = LatencyRecorder()
        for us: UInt64 in [500, 1500, 3000, 3000, 70_000, 400_000] { recorder.record(microseconds: us) }
        let counts = recorder.distribution(bucketsMicros: HUD.bucketsMicros)
        #expect(counts == [1, 1, 2, 0, 0, 0, 1, 0, 1])
        var info = StatusInfo(
            session: "s", state: "ready", windows: [], terminalConnected: true, fsConnected: true,
            echo: recorder.snapshot(), ping: .empty, readyMs: 10, reconnects: 0, message: nil)
        info.echoDistribution = counts
        let lines = HUD.lines(info)
        #expect(lines.contains { $0.contains("≤ 5.0 ms") && $0.hasSuffix(" 2") })
        #expect(lines.count <= 21, "fits an 80x24 screen")
    }
}

@Suite struct StatusBarFitTests {
    @Test func dropsTheLeastUsefulItemsFirst() {
        let info = StatusInfo(
            session: "project-470600fea1d9b35d", state: "ready", windows: [(0, "0", true)], terminalConnected: true,
            fsConnected: true,
            echo: LatencySnapshot(count: 3, p50: 7000, p95: 23_000, p99: 23_000, min: 1, max: 23_000, mean: 3),
            ping: LatencySnapshot(count: 1, p50: 1400, p95: 1400, p99: 1400, min: 1, max: 1400, mean: 1), readyMs: 1507,
            reconnects: 0, message: nil)
        let full = StatusBar.fittedRight(info, leftWidth: 30, width: 200)
        #expect(full.contains("ready 1507ms") && full.contains("ping"))
        let narrow = StatusBar.fittedRight(info, leftWidth: 36, width: 80)
        #expect(narrow.contains("term● fs●"))
        #expect(narrow.contains("echo 7.0/23/23ms"))
        #expect(!narrow.contains("ready"))
        #expect(36 + narrow.displayWidth + 1 <= 80)
        #expect(StatusBar.fittedRight(info, leftWidth: 78, width: 80) == "")
    }

    @Test func showsTheWorkspacesCPUAndMemoryBeforePingAndReady() {
        var info = StatusInfo(
            session: "s", state: "ready", windows: [(0, "0", true)], terminalConnected: true, fsConnected: true,
            echo: .empty, ping: .empty, readyMs: 1507, reconnects: 0, message: nil)
        info.env = EnvStatus(cpu: 12.4, memoryBytes: 220 << 20, memoryLimitBytes: 1 << 30, pids: 7, diskBytes: 3 << 20)
        let full = StatusBar.fittedRight(info, leftWidth: 10, width: 200)
        #expect(full.contains("cpu 12% mem 220M/1.0G"))
        let tight = StatusBar.fittedRight(info, leftWidth: 10, width: 62)
        #expect(tight.contains("cpu 12%") && !tight.contains("ready"), "\(tight)")
        let hud = HUD.lines(info)
        #expect(hud.last == "workspace: cpu 12.4%  mem 220M of 1.0G  pids 7  disk 3.0M")
    }
}

@Suite struct ClosePaneTextTests {
    @Test func closePaneSaysItEndsTheShell() {
        #expect(TUIAction.closePane.summary.contains("ends its shell"))
        #expect(TUIAction.closePane.summary.contains("y/n"))
    }
}

@Suite struct FloodBacklogTests {
    @Test func manySmallChunksComeOutInOrder() {
        var backlog = OutputBacklog()
        var expected: [UInt8] = []
        for i in 0..<5000 {
            let chunk = [UInt8(i % 251), UInt8((i / 251) % 251), 10]
            backlog.append(chunk)
            expected += chunk
        }
        var out: [UInt8] = []
        while !backlog.isEmpty { backlog.take(upTo: 1000) { out += $0 } }
        #expect(out == expected)
        #expect(backlog.count == 0)
        backlog.append([1, 2, 3])
        backlog.take(upTo: 2) { out = Array($0) }
        #expect(out == [1, 2])
        #expect(backlog.count == 1)
    }
}
