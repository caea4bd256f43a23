/// All windows of a session, which one is active, and the pane-id counter that keeps pane ids
/// unique across windows.
public struct SessionLayout: Equatable, Sendable, Codable {
    /// The windows, in status-bar order. Never empty.
    public private(set) var windows: [WindowLayout]
    /// Index of the shown window in `windows`.
    public private(set) var active: Int
    /// Index of the previously shown window (tmux `l`), if it still exists.
    public private(set) var last: Int?
    /// The next pane id to hand out.
    public private(set) var nextPaneValue: Int

    /// A session with one window holding one pane (`PaneID(0)`).
    public init(firstWindowName: String = "0") {
        windows = [WindowLayout(name: firstWindowName, pane: PaneID(0))]
        active = 0
        last = nil
        nextPaneValue = 1
    }

    /// The shown window.
    public var activeWindow: WindowLayout {
        get { windows[active] }
        set { windows[active] = newValue }
    }

    /// The focused pane of the shown window.
    public var focusedPane: PaneID { windows[active].focused }

    /// Every pane of every window.
    public var allPanes: [PaneID] { windows.flatMap(\.panes) }

    /// Index of the window holding `pane`.
    public func windowIndex(containing pane: PaneID) -> Int? {
        windows.firstIndex { $0.root.contains(pane) }
    }

    /// Hands out a fresh pane id.
    public mutating func makePaneID() -> PaneID {
        defer { nextPaneValue += 1 }
        return PaneID(nextPaneValue)
    }

    // MARK: - Windows

    /// Appends a window with one new pane and shows it. `name` defaults to its index.
    /// Returns the new pane.
    @discardableResult
    public mutating func newWindow(name: String? = nil) -> PaneID {
        let pane = makePaneID()
        windows.append(WindowLayout(name: name ?? String(windows.count), pane: pane))
        show(windows.count - 1)
        return pane
    }

    /// Shows the next window, wrapping around.
    public mutating func nextWindow() { show((active + 1) % windows.count) }

    /// Shows the previous window, wrapping around.
    public mutating func previousWindow() { show((active - 1 + windows.count) % windows.count) }

    /// Shows window `index`. Returns false when there is no such window.
    @discardableResult
    public mutating func select(_ index: Int) -> Bool {
        guard windows.indices.contains(index) else { return false }
        show(index)
        return true
    }

    /// Shows the previously shown window (tmux `l`). Returns false when there is none.
    @discardableResult
    public mutating func selectLast() -> Bool {
        guard let last, windows.indices.contains(last), last != active else { return false }
        show(last)
        return true
    }

    private mutating func show(_ index: Int) {
        if index != active { last = active }
        active = index
    }

    /// Renames window `index` (the active one by default). Returns false when there is no such window.
    @discardableResult
    public mutating func rename(_ index: Int? = nil, to name: String) -> Bool {
        let i = index ?? active
        guard windows.indices.contains(i) else { return false }
        windows[i].name = name
        return true
    }

    /// Closes window `index` (the active one by default) and returns its panes, for the caller to
    /// close their terminals. Returns nil — and closes nothing — for the last window or a bad index.
    @discardableResult
    public mutating func closeWindow(_ index: Int? = nil) -> [PaneID]? {
        let i = index ?? active
        guard windows.indices.contains(i), windows.count > 1 else { return nil }
        let removed = windows.remove(at: i).panes
        if let l = last { last = l == i ? nil : (l > i ? l - 1 : l) }
        if active > i || active == windows.count { active -= 1 }
        if last == active { last = nil }
        return removed
    }

    // MARK: - Panes

    /// What `closePane` did.
    public enum ClosePaneResult: Equatable, Sendable {
        /// The pane was removed from its window.
        case closedPane
        /// The pane was its window's last one; the window was closed too.
        case closedWindow
        /// The pane was the session's last one; nothing changed — the caller should end the session.
        case lastPane
        /// No window holds that pane.
        case notFound
    }

    /// Splits the focused pane of the active window along `axis`; returns the new pane.
    @discardableResult
    public mutating func splitFocused(axis: SplitAxis) -> PaneID {
        let pane = makePaneID()
        windows[active].split(windows[active].focused, axis: axis, newPane: pane)
        return pane
    }

    /// Closes `pane` wherever it is; an emptied window is closed as well.
    @discardableResult
    public mutating func closePane(_ pane: PaneID) -> ClosePaneResult {
        guard let index = windowIndex(containing: pane) else { return .notFound }
        if windows[index].close(pane) { return .closedPane }
        return closeWindow(index) == nil ? .lastPane : .closedWindow
    }
}
