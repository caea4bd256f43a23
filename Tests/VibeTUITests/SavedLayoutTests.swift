import Foundation
import Testing
import VibeProtocol
@testable import VibeTUI

@Suite struct SavedLayoutTests {
    /// Two windows: the first split side by side then stacked, renamed, resized, focus on pane 0; the
    /// second holds a viewer.
    func sample() -> (SessionLayout, [PaneID: String], [PaneID: String]) {
        var layout = SessionLayout()
        let right = layout.splitFocused(axis: .horizontal)
        let below = layout.splitFocused(axis: .vertical)
        layout.rename(to: "build")
        _ = layout.activeWindow.resize(right, direction: .left, cells: 6, in: Rect(row: 0, col: 0, rows: 30, cols: 101))
        layout.activeWindow.focus(PaneID(0))
        let viewer = layout.newWindow(name: "docs")
        layout.select(0)
        let terminals = [PaneID(0): "w0p0", right: "w0p1", below: "w0p2"]
        return (layout, terminals, [viewer: "README.md"])
    }

    @Test func roundTripsThroughJSONExactly() throws {
        let (layout, terminals, viewers) = sample()
        let saved = SavedLayout(layout: layout, terminals: terminals, viewers: viewers)
        let data = try JSONEncoder().encode(saved)
        let back = try JSONDecoder().decode(SavedLayout.self, from: data)
        #expect(back == saved)
        #expect(back.isRestorable)
        #expect(back.layout.windows.map(\.name) == ["build", "docs"])
        #expect(back.layout.activeWindow.focused == PaneID(0))
        #expect(back.layout.activeWindow.panes.count == 3)
        #expect(back.terminal(of: PaneID(2)) == "w0p2")
        #expect(back.viewer(of: PaneID(3)) == "README.md")
        var next = back.layout
        #expect(next.makePaneID() == PaneID(4), "new panes never reuse a restored pane's id")
    }

    @Test func aDocumentThatCannotBeRestoredIsRejected() throws {
        let (layout, terminals, viewers) = sample()
        var missingPane = SavedLayout(layout: layout, terminals: terminals, viewers: [:])
        #expect(!missingPane.isRestorable, "the viewer pane has nothing to show")
        missingPane = SavedLayout(layout: layout, terminals: terminals, viewers: viewers)
        missingPane.version = 99
        #expect(!missingPane.isRestorable)
        // Hand-edited JSON: the active window does not exist, or a ratio is out of range.
        var json = try JSONSerialization.jsonObject(
            with: JSONEncoder().encode(SavedLayout(layout: layout, terminals: terminals, viewers: viewers)))
            as? [String: Any] ?? [:]
        var inner = json["layout"] as? [String: Any] ?? [:]
        inner["active"] = 7
        json["layout"] = inner
        let bad = try JSONDecoder().decode(SavedLayout.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(!bad.isRestorable)
        let ratio = #"{"version":1,"terminals":{"0":"a","1":"b"},"viewers":{},"layout":{"active":0,"nextPaneValue":2,"windows":[{"name":"0","focused":0,"zoomed":false,"root":{"split":{"axis":"horizontal","ratio":3,"first":{"pane":{"_0":0}},"second":{"pane":{"_0":1}}}}}]}}"#
        let outOfRange = try JSONDecoder().decode(SavedLayout.self, from: Data(ratio.utf8))
        #expect(!outOfRange.isRestorable)
    }
}

@Suite struct SessionChooserTests {
    func status(_ id: String, terminals: Int, workspace: String) -> SessionStatus {
        var s = SessionStatus(id: id, state: .ready, template: "default", createdAt: "2026-12-01T00:00:00Z")
        s.terminals = terminals
        s.workspace = workspace
        return s
    }

    @Test func selectsTheCurrentSessionAndWrapsAround() {
        var chooser = SessionChooser(current: "b")
        #expect(chooser.lines() == ["listing sessions…"])
        chooser.load(.success([status("a", terminals: 1, workspace: "/a"), status("b", terminals: 2, workspace: "/b")]))
        #expect(chooser.selectedID == "b")
        #expect(chooser.lines() == ["   a  ready     1 term  /a", ">* b  ready     2 terms  /b"])
        chooser.move(by: 1)
        #expect(chooser.selectedID == "a")
        chooser.move(by: -1)
        #expect(chooser.selectedID == "b")
    }

    @Test func showsWhyTheListFailed() {
        var chooser = SessionChooser(current: nil)
        chooser.load(.failure(OpenFailure(code: "TRANSPORT", message: "connection refused")))
        #expect(chooser.lines() == ["cannot list sessions: TRANSPORT: connection refused"])
        #expect(chooser.selectedID == nil)
    }
}
