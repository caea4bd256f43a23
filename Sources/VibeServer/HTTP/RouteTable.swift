/// The path templates the server serves (`{x}` matches one segment), to answer 405 instead of 404
/// when a known path is called with the wrong method.
struct RouteTable: Sendable {
    private let templates: [[Substring]]

    init(_ templates: [String]) {
        self.templates = templates.map { $0.split(separator: "/") }
    }

    /// True when some template matches `path`.
    func hasPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        return templates.contains { t in
            t.count == parts.count && zip(t, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
    }
}
