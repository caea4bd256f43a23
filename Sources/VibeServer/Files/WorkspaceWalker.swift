import Foundation

/// Walks a folder of a workspace depth first in name order, never following symlinks and (unless asked)
/// never entering `.git`, visiting at most a given number of entries.
struct WorkspaceWalker {
    /// What the walk found at one path.
    struct Entry {
        /// Relative to the folder walked, as segments.
        var segments: [String]
        var absolute: String
        var isDirectory: Bool
        var isSymlink: Bool
        var isRegular: Bool
        var size: Int
    }

    let maxVisited: Int
    /// Whether `.git` folders are walked too (never for the file tools; disk usage counts them).
    var entersGit = false

    init(maxVisited: Int) { self.maxVisited = maxVisited }

    /// Walks `root` (absolute). `descend` says whether to enter a folder; `visit` sees every entry and returns
    /// false to stop. Returns true when the walk stopped early (the visit limit, or `visit`).
    func walk(_ root: String, descend: ([String]) -> Bool, visit: (Entry) -> Bool) -> Bool {
        var visited = 0
        var stack: [(absolute: String, segments: [String])] = [(root, [])]
        while let folder = stack.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.absolute) else { continue }
            var folders: [(String, [String])] = []
            for name in names.sorted() {
                visited += 1
                if visited > maxVisited { return true }
                let absolute = folder.absolute + "/" + name
                var st = stat()
                guard lstat(absolute, &st) == 0 else { continue }
                let type = st.st_mode & S_IFMT
                let entry = Entry(
                    segments: folder.segments + [name], absolute: absolute, isDirectory: type == S_IFDIR,
                    isSymlink: type == S_IFLNK, isRegular: type == S_IFREG, size: Int(st.st_size))
                guard visit(entry) else { return true }
                if entry.isDirectory, entersGit || name != ".git", descend(entry.segments) {
                    folders.append((absolute, entry.segments))
                }
            }
            // Reversed so that the first folder by name is walked first.
            stack.append(contentsOf: folders.reversed())
        }
        return false
    }
}
