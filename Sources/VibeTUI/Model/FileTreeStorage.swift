import Foundation
import VibeProtocol

/// One entry of `FileTreeModel`, keyed by its path.
struct FileTreeEntry: Sendable {
    var name: String
    var isDir: Bool
    /// Sorted: folders first, then by case-folded name.
    var children: [FileTreeChildKey] = []
    var changedAt: ContinuousClock.Instant?
    var changeKind: FSEventKind?
    var descendantChangedAt: ContinuousClock.Instant?
}

/// Sort key of a child inside its folder: folders first, then case-insensitive name, then exact name.
struct FileTreeChildKey: Comparable, Sendable {
    var isDir: Bool
    var folded: String
    var name: String

    init(name: String, isDir: Bool) {
        self.isDir = isDir
        self.folded = name.lowercased()
        self.name = name
    }

    static func < (a: Self, b: Self) -> Bool {
        if a.isDir != b.isDir { return a.isDir }
        if a.folded != b.folded { return a.folded < b.folded }
        return a.name < b.name
    }
}

extension Array where Element == FileTreeChildKey {
    /// First index whose element is not less than `key` (binary search).
    func lowerBound(_ key: FileTreeChildKey) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Inserts `key` in order unless an equal key is present.
    mutating func insertSorted(_ key: FileTreeChildKey) {
        let i = lowerBound(key)
        if i < count, self[i] == key { return }
        insert(key, at: i)
    }

    /// Removes `key` if present.
    mutating func removeSorted(_ key: FileTreeChildKey) {
        let i = lowerBound(key)
        if i < count, self[i] == key { remove(at: i) }
    }
}

/// A visible row without the parts that change without restructuring (selection, highlight).
struct FileTreeCachedRow: Sendable {
    var depth: Int
    var name: String
    var path: String
    var isDir: Bool
    var isExpanded: Bool
}

/// Lazily built visible rows. Every structural change replaces the box, so copies of a model never
/// see each other's rows; filling it is locked so a model shared read-only stays safe.
final class FileTreeRowCache: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [FileTreeCachedRow]?
    private var index: [String: Int] = [:]

    /// The rows and the path → row index map, built by `build` on first use.
    func get(_ build: () -> [FileTreeCachedRow]) -> (rows: [FileTreeCachedRow], index: [String: Int]) {
        lock.lock()
        defer { lock.unlock() }
        if let rows { return (rows, index) }
        let built = build()
        var map: [String: Int] = [:]
        map.reserveCapacity(built.count)
        for (i, row) in built.enumerated() { map[row.path] = i }
        rows = built
        index = map
        return (built, map)
    }
}

/// Path helpers: workspace paths are relative and `/`-separated; "" is the root.
enum TreePath {
    /// Drops empty and `.` components; nil for paths with `..` or for the root.
    static func normalize(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." { return nil }
            parts.append(part)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// The folder holding `path` ("" for a top-level entry).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// The last component.
    static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `parent/name`, or `name` at the root.
    static func join(_ parent: String, _ name: String) -> String {
        parent.isEmpty ? name : parent + "/" + name
    }

    /// True when `path` is `ancestor` or lies below it.
    static func isWithin(_ path: String, _ ancestor: String) -> Bool {
        path == ancestor || (path.hasPrefix(ancestor) && path.dropFirst(ancestor.count).first == "/")
    }
}
