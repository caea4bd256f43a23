/// What the TUI stores in the session's layout document on the server (`PUT /sessions/{id}/layout`), so
/// that a reattach, from any terminal and even after the TUI was killed, gets the same windows back:
/// the layout tree, which remote terminal each pane shows and which file each viewer pane shows.
public struct SavedLayout: Codable, Equatable, Sendable {
    /// The format this TUI writes; a document of another version is ignored.
    public static let currentVersion = 1

    public var version: Int
    /// Windows, panes, sizes (split ratios), names, the active window and the focused pane.
    public var layout: SessionLayout
    /// Pane id (as a string) → the remote terminal it shows.
    public var terminals: [String: String]
    /// Pane id (as a string) → the workspace file a viewer pane shows.
    public var viewers: [String: String]

    /// A document of the current version.
    public init(layout: SessionLayout, terminals: [PaneID: String], viewers: [PaneID: String]) {
        self.version = Self.currentVersion
        self.layout = layout
        self.terminals = Dictionary(uniqueKeysWithValues: terminals.map { (String($0.key.value), $0.value) })
        self.viewers = Dictionary(uniqueKeysWithValues: viewers.map { (String($0.key.value), $0.value) })
    }

    /// The terminal of `pane`, if the document names one.
    public func terminal(of pane: PaneID) -> String? { terminals[String(pane.value)] }

    /// The viewer file of `pane`, if the document names one.
    public func viewer(of pane: PaneID) -> String? { viewers[String(pane.value)] }

    /// True when the document can be restored as it is: this version, a consistent layout (see
    /// ``SessionLayout/isConsistent``) and every pane either a terminal or a viewer.
    public var isRestorable: Bool {
        guard version == Self.currentVersion, layout.isConsistent else { return false }
        return layout.allPanes.allSatisfy { terminal(of: $0) != nil || viewer(of: $0) != nil }
    }
}

extension SessionLayout {
    /// True when a decoded layout keeps the invariants the model relies on: at least one window, the
    /// active and last windows exist, every window's focused pane is its own, pane ids are unique and below
    /// the id counter, and split ratios are within 0…1.
    public var isConsistent: Bool {
        guard !windows.isEmpty, windows.indices.contains(active) else { return false }
        if let last, !windows.indices.contains(last) { return false }
        let all = allPanes
        guard Set(all).count == all.count, all.allSatisfy({ $0.value >= 0 && $0.value < nextPaneValue }) else {
            return false
        }
        return windows.allSatisfy { $0.root.contains($0.focused) && $0.root.hasValidRatios }
    }
}

extension LayoutNode {
    /// True when every split's ratio is a finite number within 0…1.
    var hasValidRatios: Bool {
        switch self {
        case .pane: return true
        case .split(_, let ratio, let first, let second):
            return ratio.isFinite && (0...1).contains(ratio) && first.hasValidRatios && second.hasValidRatios
        }
    }
}
