import VibeProtocol

/// The live file tree beside the panes: built from an `fs_snapshot`, kept current by `fs_event`s,
/// with folder expansion, a selection, a scroll offset and recent-change highlights.
///
/// Entries live in a dictionary keyed by path, each folder keeping its children sorted (folders
/// first, then by name) so an event costs a binary search, not a rebuild. Visible rows are built
/// lazily and cached until the structure or the expansion changes. Fast with 50,000 entries.
public struct FileTreeModel: Sendable {
    /// How long a change stays highlighted.
    public var highlightWindow: Duration = .seconds(3)
    /// Folders that are open (the root always is).
    public internal(set) var expandedPaths: Set<String> = []
    /// The selected entry, if any.
    public internal(set) var selectedPath: String?
    /// First visible row shown at the top of the panel; see `scroll(toKeepSelectionVisibleIn:)`.
    public internal(set) var scrollOffset = 0
    /// True when the last snapshot said the server cut the tree short.
    public private(set) var truncated = false

    var entries: [String: FileTreeEntry] = ["": FileTreeEntry(name: "", isDir: true)]
    var cache = FileTreeRowCache()

    /// An empty tree.
    public init() {}

    /// A tree from a snapshot (`fs_snapshot`, or `GET …/fs/tree`).
    public init(snapshot: FileTree) {
        apply(snapshot: snapshot)
    }

    /// Number of entries, the root excluded.
    public var count: Int { entries.count - 1 }

    /// True when `path` exists in the tree.
    public func contains(_ path: String) -> Bool {
        guard let p = TreePath.normalize(path) else { return false }
        return entries[p] != nil
    }

    /// True for a folder, false for a file, nil when absent.
    public func isDirectory(_ path: String) -> Bool? {
        guard let p = TreePath.normalize(path) else { return nil }
        return entries[p]?.isDir
    }

    /// The names of a folder's children in display order ("" for the root).
    public func childNames(of path: String) -> [String] {
        let p = TreePath.normalize(path) ?? ""
        return entries[p]?.children.map(\.name) ?? []
    }

    // MARK: - Snapshots

    /// Replaces the whole tree. Expanded folders and the selection are kept by path (a selection
    /// that vanished moves to its nearest remaining folder). With `at`, entries that were not in
    /// the previous tree are highlighted as created — a burst of events the server coalesced into
    /// a snapshot still shows up.
    public mutating func apply(snapshot: FileTree, at now: ContinuousClock.Instant? = nil) {
        let old = entries
        let hadTree = old.count > 1
        var fresh: [String: FileTreeEntry] = [:]
        fresh.reserveCapacity(snapshot.root.count)
        fresh[""] = FileTreeEntry(name: "", isDir: true)
        var stack: [(node: FileNode, path: String)] = [(snapshot.root, "")]
        while let (node, path) = stack.popLast() {
            var keys: [FileTreeChildKey] = []
            for child in node.children ?? [] {
                let name = child.name.isEmpty || child.name.contains("/") ? TreePath.name(of: child.path) : child.name
                guard !name.isEmpty, name != ".", name != ".." else { continue }
                let childPath = TreePath.join(path, name)
                guard fresh[childPath] == nil else { continue }
                var entry = FileTreeEntry(name: name, isDir: child.isDir)
                if let previous = old[childPath] {
                    entry.changedAt = previous.changedAt
                    entry.changeKind = previous.changeKind
                    entry.descendantChangedAt = previous.descendantChangedAt
                } else if hadTree, let now {
                    entry.changedAt = now
                    entry.changeKind = .created
                }
                fresh[childPath] = entry
                keys.append(FileTreeChildKey(name: name, isDir: child.isDir))
                if child.isDir { stack.append((child, childPath)) }
            }
            keys.sort()
            fresh[path]?.children = keys
        }
        entries = fresh
        truncated = snapshot.truncated
        if hadTree, let now {
            for (path, entry) in fresh where entry.changedAt == now { markAncestors(of: path, at: now) }
        }
        expandedPaths = expandedPaths.filter { fresh[$0]?.isDir == true }
        repairSelection()
        invalidate()
    }

    // MARK: - Events

    /// Applies one `fs_event`. `created` adds the entry and any unknown parent folders; `modified`
    /// marks it (adding it if unknown); `deleted` removes it with its subtree; `renamed` moves the
    /// entry and its subtree from `oldPath`, keeping expansion and selection inside it (the folders
    /// above a moved selection are opened so it stays visible).
    public mutating func apply(_ event: FSEvent, at now: ContinuousClock.Instant) {
        guard let path = TreePath.normalize(event.path) else { return }
        switch event.kind {
        case .created, .modified:
            upsert(path, isDir: event.isDir)
            mark(path, event.kind, at: now)
        case .deleted:
            guard entries[path] != nil else { return }
            removeSubtree(path)
            markAncestors(of: path, at: now)
            repairSelection()
        case .renamed:
            if let old = event.oldPath.flatMap(TreePath.normalize), old != path, entries[old] != nil,
                !TreePath.isWithin(path, old)
            {
                move(old, to: path)
            } else {
                upsert(path, isDir: event.isDir)
            }
            mark(path, .renamed, at: now)
            repairSelection()
        }
        invalidate()
    }

    /// Applies events in order, all stamped `now`.
    public mutating func apply(_ events: some Sequence<FSEvent>, at now: ContinuousClock.Instant) {
        for event in events { apply(event, at: now) }
    }

    /// Adds `path` (and unknown parents as folders) or updates its kind.
    private mutating func upsert(_ path: String, isDir: Bool) {
        if let existing = entries[path] {
            if existing.isDir != isDir { setKind(path, isDir: isDir) }
            return
        }
        let parent = TreePath.parent(of: path)
        if entries[parent] == nil {
            upsert(parent, isDir: true)
        } else if entries[parent]?.isDir == false {
            setKind(parent, isDir: true)
        }
        let name = TreePath.name(of: path)
        entries[path] = FileTreeEntry(name: name, isDir: isDir)
        entries[parent]?.children.insertSorted(FileTreeChildKey(name: name, isDir: isDir))
    }

    /// Turns a file into a folder or back; a folder that becomes a file loses its children.
    private mutating func setKind(_ path: String, isDir: Bool) {
        guard let entry = entries[path], !path.isEmpty else { return }
        if !isDir {
            for child in entry.children { removeSubtree(TreePath.join(path, child.name)) }
            expandedPaths.remove(path)
        }
        let parent = TreePath.parent(of: path)
        entries[parent]?.children.removeSorted(FileTreeChildKey(name: entry.name, isDir: entry.isDir))
        entries[parent]?.children.insertSorted(FileTreeChildKey(name: entry.name, isDir: isDir))
        entries[path]?.isDir = isDir
    }

    /// Removes `path` and everything below it, and its expansion state.
    private mutating func removeSubtree(_ path: String) {
        guard let top = entries[path], !path.isEmpty else { return }
        entries[TreePath.parent(of: path)]?.children.removeSorted(FileTreeChildKey(name: top.name, isDir: top.isDir))
        var stack = [path]
        while let p = stack.popLast() {
            guard let entry = entries.removeValue(forKey: p) else { continue }
            if entry.isDir {
                expandedPaths.remove(p)
                for child in entry.children { stack.append(TreePath.join(p, child.name)) }
            }
        }
    }

    /// Moves the subtree at `old` to `new`, replacing whatever was at `new`.
    private mutating func move(_ old: String, to new: String) {
        guard let top = entries[old] else { return }
        var moved: [(suffix: Substring, entry: FileTreeEntry)] = []
        var stack = [old]
        while let p = stack.popLast() {
            guard let entry = entries[p] else { continue }
            moved.append((p.dropFirst(old.count), entry))
            for child in entry.children { stack.append(TreePath.join(p, child.name)) }
        }
        let wasExpanded = expandedPaths.filter { TreePath.isWithin($0, old) }
        removeSubtree(old)
        removeSubtree(new)
        let parent = TreePath.parent(of: new)
        if entries[parent] == nil {
            upsert(parent, isDir: true)
        } else if entries[parent]?.isDir == false {
            setKind(parent, isDir: true)
        }
        let name = TreePath.name(of: new)
        for (suffix, var entry) in moved {
            if suffix.isEmpty { entry.name = name }
            entries[new + suffix] = entry
        }
        entries[parent]?.children.insertSorted(FileTreeChildKey(name: name, isDir: top.isDir))
        for p in wasExpanded { expandedPaths.insert(new + p.dropFirst(old.count)) }
        if let selected = selectedPath, TreePath.isWithin(selected, old) {
            selectedPath = new + selected.dropFirst(old.count)
            var p = parent
            while !p.isEmpty {
                expandedPaths.insert(p)
                p = TreePath.parent(of: p)
            }
        }
    }

    private mutating func mark(_ path: String, _ kind: FSEventKind, at now: ContinuousClock.Instant) {
        entries[path]?.changedAt = now
        entries[path]?.changeKind = kind
        markAncestors(of: path, at: now)
    }

    private mutating func markAncestors(of path: String, at now: ContinuousClock.Instant) {
        var p = path
        while !p.isEmpty {
            p = TreePath.parent(of: p)
            entries[p]?.descendantChangedAt = now
        }
    }

    /// Call after any change to structure or expansion.
    mutating func invalidate() {
        cache = FileTreeRowCache()
    }

    /// Keeps the selection on an existing, visible entry: the nearest visible existing ancestor,
    /// or nothing.
    mutating func repairSelection() {
        guard var p = selectedPath else { return }
        while !p.isEmpty {
            if entries[p] != nil, isVisible(p) {
                selectedPath = p
                return
            }
            p = TreePath.parent(of: p)
        }
        selectedPath = nil
    }

    /// True when every folder above `path` is expanded.
    func isVisible(_ path: String) -> Bool {
        var p = TreePath.parent(of: path)
        while !p.isEmpty {
            if !expandedPaths.contains(p) { return false }
            p = TreePath.parent(of: p)
        }
        return true
    }
}
