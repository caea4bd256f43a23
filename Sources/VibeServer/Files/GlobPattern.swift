import Foundation
import VibeProtocol

/// A path glob (docs/protocol.md, `fs/glob`): `*`, `?` and `[…]` within one segment (`fnmatch(3)`), `**`
/// for any number of segments; a pattern without `/` matches names at any depth.
struct GlobPattern: Sendable {
    private enum Segment: Sendable, Equatable {
        case anyDepth
        case name(String)
    }

    private let segments: [Segment]

    init(_ pattern: String) throws(APIError) {
        guard !pattern.isEmpty, !pattern.contains("\0"), pattern.utf8.count <= 4096 else {
            throw APIError(.invalidRequest, "pattern must be a non-empty glob of at most 4096 bytes")
        }
        guard !pattern.hasPrefix("/") else {
            throw APIError(.pathOutsideWorkspace, "a glob is relative to the folder searched: \(pattern)")
        }
        var parts = pattern.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !parts.contains("..") else { throw APIError(.pathOutsideWorkspace, "'..' is not allowed: \(pattern)") }
        if !pattern.contains("/") { parts.insert("**", at: 0) }
        var segments: [Segment] = []
        for part in parts {
            let segment: Segment = part == "**" ? .anyDepth : .name(String(part))
            // `**/**` is the same as `**`.
            if segment == .anyDepth, segments.last == .anyDepth { continue }
            segments.append(segment)
        }
        guard !segments.isEmpty else { throw APIError(.invalidRequest, "pattern matches nothing: \(pattern)") }
        self.segments = segments
    }

    /// True when the path (its segments) matches the whole pattern.
    func matches(_ path: [String]) -> Bool {
        states(after: path).contains(segments.count)
    }

    /// True when something below the folder `path` could still match (the walk descends only then).
    func mayMatch(below path: [String]) -> Bool {
        states(after: path).contains { $0 < segments.count }
    }

    /// The pattern positions reachable after consuming `path`'s segments (a small NFA: `**` loops).
    private func states(after path: [String]) -> Set<Int> {
        var current = closure([0])
        for name in path {
            var next = Set<Int>()
            for state in current where state < segments.count {
                switch segments[state] {
                case .anyDepth: next.insert(state)
                case .name(let glob): if Self.fnmatch(glob, name) { next.insert(state + 1) }
                }
            }
            current = closure(next)
            if current.isEmpty { break }
        }
        return current
    }

    /// Adds the positions after each `**` (it may match no segment at all).
    private func closure(_ states: Set<Int>) -> Set<Int> {
        var result = states
        var stack = Array(states)
        while let state = stack.popLast() {
            if state < segments.count, segments[state] == .anyDepth, !result.contains(state + 1) {
                result.insert(state + 1)
                stack.append(state + 1)
            }
        }
        return result
    }

    private static func fnmatch(_ glob: String, _ name: String) -> Bool {
        Foundation.fnmatch(glob, name, 0) == 0
    }
}
