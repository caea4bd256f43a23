/// The path templates the server serves (`{x}` matches one segment), to answer 405 instead of 404
/// when a known path is called with the wrong method.
struct RouteTable: Sendable {
    private let templates: [[Substring]]

    init(_ templates: [String]) {
        self.templates = templates.map { $0.split(separator: "/") }
    }

    /// True when some template matches `path`.
    func hasPath(_ path: String) -> Bool { template(for: path) != nil }

    /// The template `path` matches (`/api/vibecoding/sessions/{id}/exec`), for labels that must not hold ids.
    func template(for path: String) -> String? {
        let parts = path.split(separator: "/")
        return templates.first { t in
            t.count == parts.count && zip(t, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.map { "/" + $0.joined(separator: "/") }
    }
}
