/// A tmux-like layout tree: leaves are panes, inner nodes split their rectangle in two.
public indirect enum LayoutNode: Equatable, Sendable, Codable {
    /// A single pane filling the node's rectangle.
    case pane(PaneID)
    /// Two children side by side (`.horizontal`) or stacked (`.vertical`). `ratio` (0…1) is the share
    /// of the space, border excluded, given to `first`.
    case split(axis: SplitAxis, ratio: Double, first: LayoutNode, second: LayoutNode)

    /// Every pane, in reading order (first subtree before second). This is the `o` (next pane) order.
    public var panes: [PaneID] {
        var out: [PaneID] = []
        collectPanes(into: &out)
        return out
    }

    private func collectPanes(into out: inout [PaneID]) {
        switch self {
        case .pane(let id): out.append(id)
        case .split(_, _, let first, let second):
            first.collectPanes(into: &out)
            second.collectPanes(into: &out)
        }
    }

    /// True when the pane is a leaf of this tree.
    public func contains(_ pane: PaneID) -> Bool {
        switch self {
        case .pane(let id): return id == pane
        case .split(_, _, let first, let second): return first.contains(pane) || second.contains(pane)
        }
    }

    /// The first pane in reading order.
    public var firstPane: PaneID {
        switch self {
        case .pane(let id): return id
        case .split(_, _, let first, _): return first.firstPane
        }
    }

    /// Divides `size` cells along a split: one cell goes to the border, the rest by `ratio`.
    /// Each side keeps at least one cell when there is room for two; sizes never go negative.
    static func divide(_ size: Int, ratio: Double) -> (first: Int, second: Int) {
        let available = max(0, size - 1)
        let safeRatio = ratio.isFinite ? min(max(ratio, 0), 1) : 0.5
        var first = Int((Double(available) * safeRatio).rounded())
        if available >= 2 {
            first = min(max(first, 1), available - 1)
        } else {
            first = min(max(first, 0), available)
        }
        return (first, available - first)
    }

    /// The rectangles of the two children of a split over `rect`, and the border between them.
    static func childRects(axis: SplitAxis, ratio: Double, in rect: Rect) -> (Rect, Rect, border: Rect) {
        switch axis {
        case .horizontal:
            let (a, b) = divide(rect.cols, ratio: ratio)
            let first = Rect(row: rect.row, col: rect.col, rows: rect.rows, cols: a)
            let border = Rect(row: rect.row, col: rect.col + a, rows: rect.rows, cols: min(1, rect.cols))
            let second = Rect(row: rect.row, col: rect.col + a + 1, rows: rect.rows, cols: b)
            return (first, second, border)
        case .vertical:
            let (a, b) = divide(rect.rows, ratio: ratio)
            let first = Rect(row: rect.row, col: rect.col, rows: a, cols: rect.cols)
            let border = Rect(row: rect.row + a, col: rect.col, rows: min(1, rect.rows), cols: rect.cols)
            let second = Rect(row: rect.row + a + 1, col: rect.col, rows: b, cols: rect.cols)
            return (first, second, border)
        }
    }

    /// Appends each pane with its rectangle, in reading order.
    func frames(in rect: Rect, into out: inout [(PaneID, Rect)]) {
        switch self {
        case .pane(let id): out.append((id, rect))
        case .split(let axis, let ratio, let first, let second):
            let (a, b, _) = Self.childRects(axis: axis, ratio: ratio, in: rect)
            first.frames(in: a, into: &out)
            second.frames(in: b, into: &out)
        }
    }

    /// Appends every border rectangle (one cell thick) with its orientation.
    func borders(in rect: Rect, into out: inout [(BorderSegment.Orientation, Rect)]) {
        guard case .split(let axis, let ratio, let first, let second) = self else { return }
        let (a, b, border) = Self.childRects(axis: axis, ratio: ratio, in: rect)
        if !border.isEmpty {
            out.append((axis == .horizontal ? .vertical : .horizontal, border))
        }
        first.borders(in: a, into: &out)
        second.borders(in: b, into: &out)
    }

    /// Replaces the leaf `pane` with `replacement`. Returns nil when the pane is absent.
    func replacing(_ pane: PaneID, with replacement: LayoutNode) -> LayoutNode? {
        switch self {
        case .pane(let id):
            return id == pane ? replacement : nil
        case .split(let axis, let ratio, let first, let second):
            if let newFirst = first.replacing(pane, with: replacement) {
                return .split(axis: axis, ratio: ratio, first: newFirst, second: second)
            }
            if let newSecond = second.replacing(pane, with: replacement) {
                return .split(axis: axis, ratio: ratio, first: first, second: newSecond)
            }
            return nil
        }
    }

    /// Removes the leaf `pane`; its sibling takes the parent's place.
    /// Returns `.some(nil)` when the tree was just that pane, nil when the pane is absent.
    func removing(_ pane: PaneID) -> LayoutNode?? {
        switch self {
        case .pane(let id):
            return id == pane ? .some(nil) : nil
        case .split(let axis, let ratio, let first, let second):
            if let result = first.removing(pane) {
                guard let newFirst = result else { return .some(second) }
                return .some(.split(axis: axis, ratio: ratio, first: newFirst, second: second))
            }
            if let result = second.removing(pane) {
                guard let newSecond = result else { return .some(first) }
                return .some(.split(axis: axis, ratio: ratio, first: first, second: newSecond))
            }
            return nil
        }
    }
}
