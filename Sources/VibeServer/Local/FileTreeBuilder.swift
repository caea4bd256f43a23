import Foundation
import VibeProtocol

/// Reads a folder into a ``FileNode`` tree: folders first, then by name; symlinks listed, not followed.
enum FileTreeBuilder {
    /// Builds the tree of `root`, stopping after `limit` entries.
    static func build(root: String, limit: Int = FileTree.maxEntries) -> FileTree {
        var budget = limit
        var truncated = false
        let children = listChildren(of: root, relative: "", budget: &budget, truncated: &truncated)
        return FileTree(root: FileNode(name: "", path: "", isDir: true, children: children), truncated: truncated)
    }

    private static func listChildren(of dir: String, relative: String, budget: inout Int, truncated: inout Bool)
        -> [FileNode]
    {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        var entries: [(name: String, isDir: Bool, isLink: Bool, size: Int)] = []
        for name in names {
            var st = stat()
            guard lstat(dir + "/" + name, &st) == 0 else { continue }
            let mode = st.st_mode & S_IFMT
            entries.append((name, mode == S_IFDIR, mode == S_IFLNK, Int(st.st_size)))
        }
        entries.sort { a, b in a.isDir != b.isDir ? a.isDir : a.name < b.name }
        var nodes: [FileNode] = []
        for e in entries {
            guard budget > 0 else {
                truncated = true
                break
            }
            budget -= 1
            let path = relative.isEmpty ? e.name : relative + "/" + e.name
            if e.isDir {
                let kids = listChildren(of: dir + "/" + e.name, relative: path, budget: &budget, truncated: &truncated)
                nodes.append(FileNode(name: e.name, path: path, isDir: true, children: kids))
            } else {
                nodes.append(
                    FileNode(name: e.name, path: path, isDir: false, isSymlink: e.isLink ? true : nil, size: e.size))
            }
        }
        return nodes
    }
}
