/// One node of a workspace tree (`fs/tree`, `fs_snapshot`).
public struct FileNode: Codable, Sendable, Equatable {
    public var name: String
    /// Relative to the workspace, `/`-separated; empty for the root.
    public var path: String
    public var isDir: Bool
    public var isSymlink: Bool?
    public var size: Int?
    public var children: [FileNode]?

    public init(
        name: String, path: String, isDir: Bool, isSymlink: Bool? = nil, size: Int? = nil,
        children: [FileNode]? = nil
    ) {
        self.name = name
        self.path = path
        self.isDir = isDir
        self.isSymlink = isSymlink
        self.size = size
        self.children = children
    }

    /// Number of nodes in this subtree, the root included.
    public var count: Int { 1 + (children?.reduce(0) { $0 + $1.count } ?? 0) }
}

/// Answer of `GET /sessions/{id}/fs/tree`, and payload of `fs_snapshot`.
public struct FileTree: Codable, Sendable, Equatable {
    public var ok: Bool?
    public var root: FileNode
    public var truncated: Bool
    public var count: Int?
    public init(root: FileNode, truncated: Bool) {
        self.ok = true
        self.root = root
        self.truncated = truncated
        self.count = root.count
    }
    /// Most entries a tree lists.
    public static let maxEntries = 50_000
}

/// How file content travels in JSON.
public enum FileEncoding: String, Codable, Sendable {
    case utf8, base64
}

/// Answer of `GET /sessions/{id}/fs/file`.
public struct FileContent: Codable, Sendable, Equatable {
    public var ok: Bool
    public var path: String
    public var size: Int
    public var encoding: FileEncoding
    public var content: String
    public init(path: String, size: Int, encoding: FileEncoding, content: String) {
        self.ok = true
        self.path = path
        self.size = size
        self.encoding = encoding
        self.content = content
    }
    /// Largest file read or written through the API.
    public static let maxSize = 8 << 20
}

/// Body of `PUT /sessions/{id}/fs/file`.
public struct WriteFileRequest: Codable, Sendable, Equatable {
    public var content: String
    public var encoding: FileEncoding?
    public init(content: String, encoding: FileEncoding? = nil) {
        self.content = content
        self.encoding = encoding
    }
}

/// Answer of `PUT /sessions/{id}/fs/file`.
public struct WriteFileResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var path: String
    public var size: Int
    public init(path: String, size: Int) {
        self.ok = true
        self.path = path
        self.size = size
    }
}

/// The kind of a file-system change.
public enum FSEventKind: String, Codable, Sendable {
    case created, modified, deleted, renamed
}

/// Payload of an `fs_event` envelope.
public struct FSEvent: Codable, Sendable, Equatable {
    public var path: String
    public var kind: FSEventKind
    public var isDir: Bool
    public var oldPath: String?
    public init(path: String, kind: FSEventKind, isDir: Bool, oldPath: String? = nil) {
        self.path = path
        self.kind = kind
        self.isDir = isDir
        self.oldPath = oldPath
    }
}
