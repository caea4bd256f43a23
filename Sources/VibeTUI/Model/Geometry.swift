/// Identifies one terminal pane. Unique across every window of a session (see `SessionLayout`).
public struct PaneID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The raw number; `SessionLayout` hands them out from a counter.
    public var value: Int

    /// Wraps a raw number.
    public init(_ value: Int) { self.value = value }

    /// Coded as the bare number.
    public init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(Int.self) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }

    public static func < (lhs: PaneID, rhs: PaneID) -> Bool { lhs.value < rhs.value }

    /// `%N`, the way tmux names panes.
    public var description: String { "%\(value)" }
}

/// A rectangle of terminal cells. Sizes are never negative: the initializer clamps them to 0.
public struct Rect: Equatable, Sendable, CustomStringConvertible {
    /// Top row, 0-based.
    public var row: Int
    /// Left column, 0-based.
    public var col: Int
    /// Height in cells.
    public var rows: Int
    /// Width in cells.
    public var cols: Int

    /// A rectangle; negative sizes become 0.
    public init(row: Int, col: Int, rows: Int, cols: Int) {
        self.row = row
        self.col = col
        self.rows = max(0, rows)
        self.cols = max(0, cols)
    }

    /// True when the rectangle covers no cell.
    public var isEmpty: Bool { rows == 0 || cols == 0 }

    /// One past the last row.
    public var bottom: Int { row + rows }

    /// One past the last column.
    public var right: Int { col + cols }

    /// True when the cell lies inside the rectangle.
    public func contains(row r: Int, col c: Int) -> Bool {
        r >= row && r < bottom && c >= col && c < right
    }

    public var description: String { "\(cols)x\(rows)@\(row),\(col)" }
}

/// How a split divides its space.
public enum SplitAxis: String, Sendable, Equatable, CaseIterable, Codable {
    /// Side by side, a vertical bar between them (tmux `%`, `split-window -h`).
    case horizontal
    /// Stacked, a horizontal line between them (tmux `"`, `split-window -v`).
    case vertical
}

/// A direction on screen, for focus moves and resizes.
public enum Direction: String, Sendable, Equatable, CaseIterable {
    case up, down, left, right

    /// The split axis along which this direction moves.
    var axis: SplitAxis { self == .left || self == .right ? .horizontal : .vertical }
}

/// A one-cell-thick border line the renderer draws between two panes.
public struct BorderSegment: Equatable, Sendable {
    /// Which way the line runs.
    public enum Orientation: Sendable, Equatable {
        /// A vertical bar (`│`) between side-by-side panes: `length` rows starting at (`row`, `col`).
        case vertical
        /// A horizontal line (`─`) between stacked panes: `length` columns starting at (`row`, `col`).
        case horizontal
    }

    /// Which way the line runs.
    public var orientation: Orientation
    /// First cell of the line.
    public var row: Int
    /// First cell of the line.
    public var col: Int
    /// Number of cells.
    public var length: Int
    /// True when the focused pane touches this segment (draw it in the active border colour).
    public var isActive: Bool

    /// A segment.
    public init(orientation: Orientation, row: Int, col: Int, length: Int, isActive: Bool) {
        self.orientation = orientation
        self.row = row
        self.col = col
        self.length = length
        self.isActive = isActive
    }
}
