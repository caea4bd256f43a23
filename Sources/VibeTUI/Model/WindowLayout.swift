/// One window: a layout tree of panes, which pane has the focus, and whether it is zoomed.
/// Pure geometry — the renderer asks for `frames(in:)` and `borders(in:)` and draws them.
public struct WindowLayout: Equatable, Sendable, Codable {
    /// Shown in the status bar; `renameWindow` changes it.
    public var name: String
    /// The pane tree.
    public private(set) var root: LayoutNode
    /// The pane that receives keys. Always a pane of `root`.
    public private(set) var focused: PaneID
    /// When true only the focused pane is shown, filling the window (tmux `z`).
    public var zoomed: Bool

    /// A window holding one pane.
    public init(name: String, pane: PaneID) {
        self.name = name
        self.root = .pane(pane)
        self.focused = pane
        self.zoomed = false
    }

    /// Every pane in reading order.
    public var panes: [PaneID] { root.panes }

    /// Number of panes.
    public var paneCount: Int { panes.count }

    // MARK: - Structure

    /// Splits `pane` in two along `axis`, the new pane taking the second half and the focus.
    /// Unzooms. Returns false (and changes nothing) when `pane` is not in this window.
    @discardableResult
    public mutating func split(_ pane: PaneID, axis: SplitAxis, newPane: PaneID) -> Bool {
        guard !root.contains(newPane) else { return false }
        let replacement = LayoutNode.split(axis: axis, ratio: 0.5, first: .pane(pane), second: .pane(newPane))
        guard let newRoot = root.replacing(pane, with: replacement) else { return false }
        root = newRoot
        focused = newPane
        zoomed = false
        return true
    }

    /// Closes `pane`; its sibling takes the freed space. If it had the focus, the pane before it in
    /// reading order (or the new first pane) takes it. Unzooms.
    /// Returns false when `pane` was the last pane — the window is then left unchanged and the
    /// caller should close the whole window. A pane not in this window changes nothing (true).
    @discardableResult
    public mutating func close(_ pane: PaneID) -> Bool {
        let before = panes
        guard let index = before.firstIndex(of: pane) else { return true }
        guard let result = root.removing(pane), let newRoot = result else { return false }
        root = newRoot
        zoomed = false
        if focused == pane {
            let after = newRoot.panes
            focused = index > 0 ? after[min(index - 1, after.count - 1)] : newRoot.firstPane
        }
        return true
    }

    // MARK: - Focus

    /// Gives the focus to `pane`. Returns false when it is not in this window.
    @discardableResult
    public mutating func focus(_ pane: PaneID) -> Bool {
        guard root.contains(pane) else { return false }
        focused = pane
        return true
    }

    /// Focuses the next pane in reading order, wrapping around (tmux `o`).
    public mutating func focusNext() { cycleFocus(by: 1) }

    /// Focuses the previous pane in reading order, wrapping around.
    public mutating func focusPrevious() { cycleFocus(by: -1) }

    private mutating func cycleFocus(by step: Int) {
        let all = panes
        guard let index = all.firstIndex(of: focused), !all.isEmpty else { return }
        focused = all[((index + step) % all.count + all.count) % all.count]
    }

    /// Focuses the nearest pane in `direction` from the focused one, by geometry in `rect`: the
    /// closest pane beyond the focused pane's edge that overlaps it across the other axis, the one
    /// overlapping most winning ties. Returns false (focus unchanged) when there is none.
    /// Works on the unzoomed layout; the zoom flag is kept.
    @discardableResult
    public mutating func focus(direction: Direction, in rect: Rect) -> Bool {
        let all = unzoomedFrames(in: rect)
        guard let current = all.first(where: { $0.0 == focused })?.1 else { return false }
        var best: (id: PaneID, distance: Int, overlap: Int)?
        for (id, frame) in all where id != focused {
            let distance: Int
            let overlap: Int
            switch direction {
            case .left: distance = current.col - frame.right
            case .right: distance = frame.col - current.right
            case .up: distance = current.row - frame.bottom
            case .down: distance = frame.row - current.bottom
            }
            switch direction.axis {
            case .horizontal: overlap = min(frame.bottom, current.bottom) - max(frame.row, current.row)
            case .vertical: overlap = min(frame.right, current.right) - max(frame.col, current.col)
            }
            guard distance >= 0, overlap > 0 || (current.isEmpty || frame.isEmpty) else { continue }
            if let b = best, (distance, -overlap) >= (b.distance, -b.overlap) { continue }
            best = (id, distance, overlap)
        }
        guard let target = best?.id else { return false }
        focused = target
        return true
    }

    /// The pane under a screen cell (mouse focus), nil on a border or outside. Respects zoom.
    public func pane(atRow row: Int, col: Int, in rect: Rect) -> PaneID? {
        frames(in: rect).first { $0.1.contains(row: row, col: col) }?.0
    }

    /// Toggles zoom (tmux `z`). Zooming a window with one pane does nothing.
    public mutating func toggleZoom() {
        zoomed = zoomed ? false : paneCount > 1
    }

    // MARK: - Geometry

    /// Each visible pane with its rectangle, in reading order. Between side-by-side panes a one-column
    /// vertical bar is left free, between stacked panes a one-row line (see `borders(in:)`).
    /// When zoomed, only the focused pane is returned and it fills `rect`.
    /// Tiny rectangles never crash: panes that do not fit get empty rectangles.
    public func frames(in rect: Rect) -> [(PaneID, Rect)] {
        if zoomed { return [(focused, rect)] }
        return unzoomedFrames(in: rect)
    }

    /// The border segments to draw between panes (none when zoomed or with a single pane).
    public func borders(in rect: Rect) -> [BorderSegment] {
        if zoomed { return [] }
        var raw: [(BorderSegment.Orientation, Rect)] = []
        root.borders(in: rect, into: &raw)
        let focusRect = unzoomedFrames(in: rect).first { $0.0 == focused }?.1
        return raw.map { orientation, r in
            let length = orientation == .vertical ? r.rows : r.cols
            let active = focusRect.map { Self.touches($0, border: r, orientation: orientation) } ?? false
            return BorderSegment(orientation: orientation, row: r.row, col: r.col, length: length, isActive: active)
        }
    }

    private static func touches(_ pane: Rect, border: Rect, orientation: BorderSegment.Orientation) -> Bool {
        guard !pane.isEmpty else { return false }
        switch orientation {
        case .vertical:
            let adjacent = pane.right == border.col || pane.col == border.right
            return adjacent && pane.row < border.bottom && border.row < pane.bottom
        case .horizontal:
            let adjacent = pane.bottom == border.row || pane.row == border.bottom
            return adjacent && pane.col < border.right && border.col < pane.right
        }
    }

    func unzoomedFrames(in rect: Rect) -> [(PaneID, Rect)] {
        var out: [(PaneID, Rect)] = []
        root.frames(in: rect, into: &out)
        return out
    }

    /// Moves a border of `pane` by `cells` in `direction` (tmux `resize-pane -L/-R/-U/-D`): the
    /// pane's right (bottom) border when it has one on that axis, else its left (top) border.
    /// Each side keeps at least one cell. Returns false when no border can move.
    @discardableResult
    public mutating func resize(_ pane: PaneID, direction: Direction, cells: Int, in rect: Rect) -> Bool {
        guard cells > 0, root.contains(pane) else { return false }
        let delta = direction == .right || direction == .down ? cells : -cells
        for side in [Side.first, .second] {
            if let newRoot = Self.adjusted(root, rect: rect, pane: pane, axis: direction.axis, delta: delta, side: side) {
                let changed = newRoot != root
                root = newRoot
                return changed
            }
        }
        return false
    }

    private enum Side { case first, second }

    /// Finds the innermost split on `axis` holding `pane` on `side` and moves its divider by `delta`.
    private static func adjusted(
        _ node: LayoutNode, rect: Rect, pane: PaneID, axis: SplitAxis, delta: Int, side: Side
    ) -> LayoutNode? {
        guard case .split(let ax, let ratio, let first, let second) = node else { return nil }
        let (a, b, _) = LayoutNode.childRects(axis: ax, ratio: ratio, in: rect)
        let inFirst = first.contains(pane)
        guard inFirst || second.contains(pane) else { return nil }
        if inFirst, let inner = adjusted(first, rect: a, pane: pane, axis: axis, delta: delta, side: side) {
            return .split(axis: ax, ratio: ratio, first: inner, second: second)
        }
        if !inFirst, let inner = adjusted(second, rect: b, pane: pane, axis: axis, delta: delta, side: side) {
            return .split(axis: ax, ratio: ratio, first: first, second: inner)
        }
        guard ax == axis, inFirst == (side == .first) else { return nil }
        let size = axis == .horizontal ? rect.cols : rect.rows
        let available = size - 1
        guard available >= 2 else { return nil }
        let current = LayoutNode.divide(size, ratio: ratio).first
        let target = min(max(current + delta, 1), available - 1)
        return .split(axis: ax, ratio: Double(target) / Double(available), first: first, second: second)
    }
}
