/// Answer of `GET /sessions/{id}/layout`: the document the last `PUT` stored (nil before the first).
///
/// The server keeps the document opaque; each client decodes it as its own `Layout` type.
public struct LayoutAnswer<Layout: Codable & Sendable>: Codable, Sendable {
    public var ok: Bool
    public var layout: Layout?
    public init(layout: Layout?) {
        self.ok = true
        self.layout = layout
    }
}

/// Answer of `PUT /sessions/{id}/layout`.
public struct LayoutStored: Codable, Sendable, Equatable {
    public var ok: Bool
    /// Bytes stored.
    public var size: Int
    public init(size: Int) {
        self.ok = true
        self.size = size
    }
}

/// Limits of the layout document.
public enum SessionLayoutLimits {
    /// Largest layout document the server keeps.
    public static let maxBytes = 64 << 10
}

