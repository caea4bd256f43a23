import Foundation
import VibeProtocol

/// Confines caller-supplied relative paths to a workspace folder.
///
/// Refuses absolute paths, `..` components, and anything whose real location (symlinks followed)
/// is outside the workspace's real location.
struct WorkspacePath: Sendable {
    /// The workspace folder with symlinks resolved.
    let realRoot: String

    init(root: String) {
        self.realRoot = Self.realPath(root) ?? root
    }

    /// The absolute path for `relative`, checked to stay inside the workspace.
    /// The file itself need not exist (for writes); its existing ancestors must be inside.
    func resolve(_ relative: String) throws(APIError) -> String {
        let clean = try clean(relative).joined(separator: "/")
        guard !clean.isEmpty else { throw APIError(.invalidRequest, "path names the workspace itself") }
        let full = realRoot + "/" + clean
        // Find the deepest existing ancestor (or the path itself) and check where it really is.
        var probe = full
        while true {
            if let real = Self.realPath(probe) {
                guard isInside(real) else {
                    throw APIError(.pathOutsideWorkspace, "path leaves the workspace through a symlink: \(relative)")
                }
                break
            }
            var isLink = stat()
            if lstat(probe, &isLink) == 0 {
                // A dangling symlink: refuse, its target could be created outside later.
                throw APIError(.pathOutsideWorkspace, "dangling symlink: \(relative)")
            }
            guard let slash = probe.lastIndex(of: "/"), probe.count > realRoot.count else { break }
            probe = String(probe[..<slash])
        }
        return full
    }

    /// The folder `relative` names (nil, empty or `.`: the workspace itself), checked like ``resolve(_:)``.
    func resolveFolder(_ relative: String?) throws(APIError) -> String {
        guard let relative, !relative.isEmpty else { return realRoot }
        if !relative.hasPrefix("/"), relative.split(separator: "/").allSatisfy({ $0 == "." }) { return realRoot }
        return try resolve(relative)
    }

    /// The absolute path for `relative` with only its parent folder checked: for calls that act on a
    /// symlink itself rather than on what it points to (delete, move), so a link that points outside the
    /// workspace can still be removed or renamed. The parent comes with its symlinks resolved.
    func resolveEntry(_ relative: String) throws(APIError) -> String {
        let parts = try clean(relative)
        guard let name = parts.last else { throw APIError(.invalidRequest, "path names the workspace itself") }
        let parent = parts.dropLast().joined(separator: "/")
        let folder = parent.isEmpty ? realRoot : try resolve(parent)
        let realFolder = Self.realPath(folder) ?? folder
        return realFolder + "/" + name
    }

    /// The segments of a relative path without `.`; refuses empty, absolute and `..` paths.
    private func clean(_ relative: String) throws(APIError) -> [Substring] {
        guard !relative.isEmpty, !relative.contains("\0") else {
            throw APIError(.invalidRequest, "path must be a non-empty relative path")
        }
        guard !relative.hasPrefix("/") else {
            throw APIError(.pathOutsideWorkspace, "absolute paths are not allowed: \(relative)")
        }
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.contains("..") else {
            throw APIError(.pathOutsideWorkspace, "'..' is not allowed: \(relative)")
        }
        return parts.filter { $0 != "." }
    }

    /// Checks that `full` (an absolute path from ``resolve(_:)``) can be written as a file: it is not a folder,
    /// and its nearest existing ancestor is a folder (not a file that would have to hold it).
    func checkWritable(_ full: String, name: String) throws(APIError) {
        var st = stat()
        if stat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw APIError(.invalidRequest, "\(name) is a folder")
        }
        try checkParentFolders(full, name: name)
    }

    /// Checks that the nearest existing ancestor of `full` is a folder.
    func checkParentFolders(_ full: String, name: String) throws(APIError) {
        var probe = (full as NSString).deletingLastPathComponent
        var st = stat()
        while probe.count > realRoot.count, stat(probe, &st) != 0 {
            probe = (probe as NSString).deletingLastPathComponent
        }
        if stat(probe, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR {
            throw APIError(.invalidRequest, "a parent of \(name) is a file, not a folder")
        }
    }

    /// The workspace-relative form of an absolute path inside it.
    func relative(_ absolute: String) -> String {
        if absolute == realRoot { return "" }
        if absolute.hasPrefix(realRoot + "/") { return String(absolute.dropFirst(realRoot.count + 1)) }
        return absolute
    }

    private func isInside(_ real: String) -> Bool {
        real == realRoot || real.hasPrefix(realRoot == "/" ? "/" : realRoot + "/")
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
