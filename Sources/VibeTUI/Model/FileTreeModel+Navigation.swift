import VibeProtocol

/// Expansion, visible rows, selection and scrolling.
extension FileTreeModel {
    // MARK: - Expansion

    /// True for an open folder (the root always is).
    public func isExpanded(_ path: String) -> Bool {
        guard let p = TreePath.normalize(path) else { return true }
        return expandedPaths.contains(p)
    }

    /// Opens a folder and every folder above it. Returns false for a file or an unknown path.
    @discardableResult
    public mutating func expand(_ path: String) -> Bool {
        guard let p = TreePath.normalize(path), entries[p]?.isDir == true else { return false }
        var q = p
        while !q.isEmpty {
            expandedPaths.insert(q)
            q = TreePath.parent(of: q)
        }
        invalidate()
        return true
    }

    /// Closes a folder; a selection inside it moves to the folder. Returns false for a file or an
    /// unknown path.
    @discardableResult
    public mutating func collapse(_ path: String) -> Bool {
        guard let p = TreePath.normalize(path), entries[p]?.isDir == true else { return false }
        expandedPaths.remove(p)
        if let selected = selectedPath, selected != p, TreePath.isWithin(selected, p) { selectedPath = p }
        invalidate()
        return true
    }

    /// Opens a closed folder or closes an open one. Returns false for a file or an unknown path.
    @discardableResult
    public mutating func toggle(_ path: String) -> Bool {
        isExpanded(path) ? collapse(path) : expand(path)
    }

    // MARK: - Rows

    /// Every visible row, top to bottom. `now` decides which changes are still highlighted.
    public func visibleRows(now: ContinuousClock.Instant) -> [FileTreeRow] {
        let rows = cachedRows().rows
        return rows.indices.map { row(rows[$0], now: now) }
    }

    /// Visible rows `offset ..< offset + count` (clamped) — what a panel of `count` lines shows.
    public func visibleRows(from offset: Int, count: Int, now: ContinuousClock.Instant) -> [FileTreeRow] {
        let rows = cachedRows().rows
        let start = min(max(0, offset), rows.count)
        let end = min(rows.count, start + max(0, count))
        return (start..<end).map { row(rows[$0], now: now) }
    }

    /// Number of visible rows.
    public var visibleRowCount: Int { cachedRows().rows.count }

    /// Row index of the selection among the visible rows.
    public var selectedRowIndex: Int? {
        guard let selectedPath else { return nil }
        return cachedRows().index[selectedPath]
    }

    private func row(_ cached: FileTreeCachedRow, now: ContinuousClock.Instant) -> FileTreeRow {
        let entry = entries[cached.path]
        let recent = { (t: ContinuousClock.Instant?) in t.map { now - $0 < highlightWindow } ?? false }
        return FileTreeRow(
            depth: cached.depth, name: cached.name, path: cached.path, isDir: cached.isDir,
            isExpanded: cached.isExpanded, isSelected: cached.path == selectedPath,
            changedRecently: recent(entry?.changedAt), changeKind: entry?.changeKind,
            containsRecentChange: cached.isDir && recent(entry?.descendantChangedAt))
    }

    func cachedRows() -> (rows: [FileTreeCachedRow], index: [String: Int]) {
        cache.get { buildRows() }
    }

    private func buildRows() -> [FileTreeCachedRow] {
        var out: [FileTreeCachedRow] = []
        var stack: [(path: String, depth: Int)] = []
        func push(childrenOf path: String, depth: Int) {
            guard let children = entries[path]?.children else { return }
            for key in children.reversed() { stack.append((TreePath.join(path, key.name), depth)) }
        }
        push(childrenOf: "", depth: 0)
        while let (path, depth) = stack.popLast() {
            guard let entry = entries[path] else { continue }
            let open = entry.isDir && expandedPaths.contains(path)
            out.append(FileTreeCachedRow(depth: depth, name: entry.name, path: path, isDir: entry.isDir, isExpanded: open))
            if open { push(childrenOf: path, depth: depth + 1) }
        }
        return out
    }

    // MARK: - Selection

    /// Selects `path`, opening the folders above it. Returns false for an unknown path.
    @discardableResult
    public mutating func select(path: String) -> Bool {
        guard let p = TreePath.normalize(path), entries[p] != nil else { return false }
        let parent = TreePath.parent(of: p)
        if !parent.isEmpty, !isVisible(p) { expand(parent) }
        selectedPath = p
        return true
    }

    /// Clears the selection.
    public mutating func clearSelection() { selectedPath = nil }

    /// Moves the selection `delta` rows down (negative: up), stopping at the ends. With nothing
    /// selected, selects the first row (or the last when moving up).
    public mutating func moveSelection(by delta: Int) {
        let rows = cachedRows()
        guard !rows.rows.isEmpty else { return }
        guard let current = selectedPath.flatMap({ rows.index[$0] }) else {
            selectedPath = delta < 0 ? rows.rows[rows.rows.count - 1].path : rows.rows[0].path
            return
        }
        let target = min(max(0, current + delta), rows.rows.count - 1)
        selectedPath = rows.rows[target].path
    }

    /// Selects the first visible row.
    public mutating func selectFirst() {
        selectedPath = cachedRows().rows.first?.path
    }

    /// Selects the last visible row.
    public mutating func selectLast() {
        selectedPath = cachedRows().rows.last?.path
    }

    /// Selects the folder holding the selection. Returns false at the top level.
    @discardableResult
    public mutating func selectParent() -> Bool {
        guard let selectedPath else { return false }
        let parent = TreePath.parent(of: selectedPath)
        guard !parent.isEmpty else { return false }
        self.selectedPath = parent
        return true
    }

    /// Moves the selection up by `rows` (a page: the panel height).
    public mutating func pageUp(_ rows: Int) { moveSelection(by: -max(1, rows)) }

    /// Moves the selection down by `rows` (a page: the panel height).
    public mutating func pageDown(_ rows: Int) { moveSelection(by: max(1, rows)) }

    // MARK: - Scrolling

    /// Adjusts `scrollOffset` so the selected row is among the `height` rows shown, scrolling as
    /// little as possible, and so no empty space is left below the last row.
    public mutating func scroll(toKeepSelectionVisibleIn height: Int) {
        let count = visibleRowCount
        guard height > 0 else {
            scrollOffset = 0
            return
        }
        var offset = scrollOffset
        if let index = selectedRowIndex {
            if index < offset { offset = index }
            if index >= offset + height { offset = index - height + 1 }
        }
        scrollOffset = max(0, min(offset, count - height))
    }

    /// Scrolls by `delta` rows (mouse wheel), clamped to the rows there are for `height` lines.
    public mutating func scroll(by delta: Int, height: Int) {
        scrollOffset = max(0, min(scrollOffset + delta, visibleRowCount - max(1, height)))
    }
}
