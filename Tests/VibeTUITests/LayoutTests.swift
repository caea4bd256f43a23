import Testing
@testable import VibeTUI

@Suite struct LayoutTests {
    let screen = Rect(row: 0, col: 0, rows: 24, cols: 81)

    @Test func singlePaneFillsTheRect() {
        let w = WindowLayout(name: "0", pane: PaneID(0))
        #expect(w.frames(in: screen).map(\.1) == [screen])
        #expect(w.borders(in: screen).isEmpty)
    }

    @Test func sideBySideLeavesAVerticalBar() {
        var w = WindowLayout(name: "0", pane: PaneID(0))
        let ok1 = w.split(PaneID(0), axis: .horizontal, newPane: PaneID(1))
        #expect(ok1)
        #expect(w.focused == PaneID(1))
        let frames = w.frames(in: screen)
        #expect(frames.map(\.0) == [PaneID(0), PaneID(1)])
        #expect(frames[0].1 == Rect(row: 0, col: 0, rows: 24, cols: 40))
        #expect(frames[1].1 == Rect(row: 0, col: 41, rows: 24, cols: 40))
        let borders = w.borders(in: screen)
        #expect(borders == [BorderSegment(orientation: .vertical, row: 0, col: 40, length: 24, isActive: true)])
    }

    @Test func stackedLeavesAHorizontalLine() {
        var w = WindowLayout(name: "0", pane: PaneID(0))
        w.split(PaneID(0), axis: .vertical, newPane: PaneID(1))
        let frames = w.frames(in: Rect(row: 1, col: 0, rows: 21, cols: 80))
        #expect(frames[0].1 == Rect(row: 1, col: 0, rows: 10, cols: 80))
        #expect(frames[1].1 == Rect(row: 12, col: 0, rows: 10, cols: 80))
        #expect(w.borders(in: Rect(row: 1, col: 0, rows: 21, cols: 80)).first?.orientation == .horizontal)
    }

    /// 0 | 1 over 2 — the typical three-pane layout.
    func threePanes() -> WindowLayout {
        var w = WindowLayout(name: "0", pane: PaneID(0))
        w.split(PaneID(0), axis: .horizontal, newPane: PaneID(1))
        w.split(PaneID(1), axis: .vertical, newPane: PaneID(2))
        return w
    }

    @Test func framesNeverOverlapAndBordersSeparateThem() {
        let w = threePanes()
        let frames = w.frames(in: screen)
        var covered = Set<[Int]>()
        for (_, r) in frames {
            for row in r.row..<r.bottom {
                for col in r.col..<r.right { #expect(covered.insert([row, col]).inserted) }
            }
        }
        var borderCells = 0
        for b in w.borders(in: screen) {
            borderCells += b.length
        }
        #expect(covered.count + borderCells == screen.rows * screen.cols)
    }

    @Test func focusCyclesAndMovesByGeometry() {
        var w = threePanes()
        #expect(w.focused == PaneID(2))
        w.focusNext()
        #expect(w.focused == PaneID(0))
        w.focusPrevious()
        #expect(w.focused == PaneID(2))
        let ok2 = w.focus(direction: .up, in: screen)
        #expect(ok2)
        #expect(w.focused == PaneID(1))
        let ok3 = w.focus(direction: .left, in: screen)
        #expect(ok3)
        #expect(w.focused == PaneID(0))
        let ok4 = w.focus(direction: .left, in: screen)
        #expect(!ok4)
        let ok5 = w.focus(direction: .right, in: screen)
        #expect(ok5)
        #expect(w.focused == PaneID(1))
        let ok6 = w.focus(direction: .down, in: screen)
        #expect(ok6)
        #expect(w.focused == PaneID(2))
    }

    @Test func mouseHitTesting() {
        let w = threePanes()
        #expect(w.pane(atRow: 5, col: 5, in: screen) == PaneID(0))
        #expect(w.pane(atRow: 5, col: 40, in: screen) == nil)
        #expect(w.pane(atRow: 2, col: 60, in: screen) == PaneID(1))
        #expect(w.pane(atRow: 20, col: 60, in: screen) == PaneID(2))
        #expect(w.pane(atRow: 30, col: 5, in: screen) == nil)
    }

    @Test func zoomShowsOnlyTheFocusedPane() {
        var w = threePanes()
        w.toggleZoom()
        #expect(w.zoomed)
        #expect(w.frames(in: screen).map(\.0) == [PaneID(2)])
        #expect(w.frames(in: screen)[0].1 == screen)
        #expect(w.borders(in: screen).isEmpty)
        w.split(PaneID(2), axis: .horizontal, newPane: PaneID(3))
        #expect(!w.zoomed)
    }

    @Test func closeGivesSpaceToSibling() {
        var w = threePanes()
        let ok7 = w.close(PaneID(1))
        #expect(ok7)
        #expect(w.panes == [PaneID(0), PaneID(2)])
        let ok8 = w.close(PaneID(2))
        #expect(ok8)
        #expect(w.focused == PaneID(0))
        #expect(w.root == .pane(PaneID(0)))
        let ok9 = w.close(PaneID(0))
        #expect(!ok9)
        #expect(w.panes == [PaneID(0)])
    }

    @Test func resizeMovesTheDivider() {
        var w = WindowLayout(name: "0", pane: PaneID(0))
        w.split(PaneID(0), axis: .horizontal, newPane: PaneID(1))
        let ok10 = w.resize(PaneID(0), direction: .right, cells: 5, in: screen)
        #expect(ok10)
        #expect(w.frames(in: screen)[0].1.cols == 45)
        let ok11 = w.resize(PaneID(1), direction: .left, cells: 10, in: screen)
        #expect(ok11)
        #expect(w.frames(in: screen)[0].1.cols == 35)
        w.resize(PaneID(0), direction: .right, cells: 1000, in: screen)
        #expect(w.frames(in: screen)[1].1.cols == 1)
        let ok12 = w.resize(PaneID(0), direction: .up, cells: 1, in: screen)
        #expect(!ok12)
    }

    @Test func tinyAndNegativeRectsDoNotCrash() {
        var w = threePanes()
        w.split(PaneID(0), axis: .vertical, newPane: PaneID(3))
        for rows in -2...3 {
            for cols in -2...3 {
                let r = Rect(row: 0, col: 0, rows: rows, cols: cols)
                let frames = w.frames(in: r)
                #expect(frames.count == 4)
                #expect(frames.allSatisfy { $0.1.rows >= 0 && $0.1.cols >= 0 })
                _ = w.borders(in: r)
                _ = w.pane(atRow: 0, col: 0, in: r)
                var copy = w
                copy.focus(direction: .left, in: r)
                copy.resize(PaneID(0), direction: .down, cells: 3, in: r)
            }
        }
    }

    @Test func sessionWindowsAndUniquePaneIDs() {
        var s = SessionLayout()
        let a = s.splitFocused(axis: .horizontal)
        let b = s.newWindow(name: "logs")
        #expect(s.active == 1)
        let c = s.splitFocused(axis: .vertical)
        #expect(Set([PaneID(0), a, b, c]).count == 4)
        s.nextWindow()
        #expect(s.active == 0)
        s.previousWindow()
        #expect(s.active == 1)
        let ok13 = s.selectLast()
        #expect(ok13)
        #expect(s.active == 0)
        let ok14 = s.rename(to: "main")
        #expect(ok14)
        #expect(s.windows[0].name == "main")
        let ok15 = s.select(7)
        #expect(!ok15)
        let ok16 = s.closePane(b) == .closedPane
        #expect(ok16)
        let ok17 = s.closePane(c) == .closedWindow
        #expect(ok17)
        #expect(s.windows.count == 1)
        let ok18 = s.closeWindow() == nil
        #expect(ok18)
        let ok19 = s.closePane(a) == .closedPane
        #expect(ok19)
        let ok20 = s.closePane(PaneID(0)) == .lastPane
        #expect(ok20)
        let d = s.newWindow()
        #expect(d.value > c.value)
    }
}
