import VibeProtocol

/// One line of the file tree panel, as the renderer draws it.
public struct FileTreeRow: Equatable, Sendable {
    /// Nesting level; the workspace root's children are at 0.
    public var depth: Int
    /// Last path component.
    public var name: String
    /// Workspace-relative, `/`-separated.
    public var path: String
    /// True for folders.
    public var isDir: Bool
    /// True for an open folder.
    public var isExpanded: Bool
    /// True for the selected row.
    public var isSelected: Bool
    /// True when this entry changed within the highlight window (3 s by default).
    public var changedRecently: Bool
    /// How it last changed (`created`, `modified`, `renamed`), for colouring; nil if it never did
    /// while the model watched.
    public var changeKind: FSEventKind?
    /// True for a folder when something below it changed within the highlight window — useful to
    /// mark a collapsed folder.
    public var containsRecentChange: Bool

    /// A row.
    public init(
        depth: Int, name: String, path: String, isDir: Bool, isExpanded: Bool, isSelected: Bool,
        changedRecently: Bool, changeKind: FSEventKind?, containsRecentChange: Bool
    ) {
        self.depth = depth
        self.name = name
        self.path = path
        self.isDir = isDir
        self.isExpanded = isExpanded
        self.isSelected = isSelected
        self.changedRecently = changedRecently
        self.changeKind = changeKind
        self.containsRecentChange = containsRecentChange
    }
}
