// Wire types of the file tools (docs/protocol.md, "File tools"): list, edit, delete, move, glob, grep.

/// What a folder entry is.
public enum EntryType: String, Codable, Sendable {
    case file, dir, symlink, other
}

/// One entry of `fs/list`.
public struct DirectoryEntry: Codable, Sendable, Equatable {
    public var name: String
    public var type: EntryType
    /// Bytes, for files.
    public var size: Int?
    /// Last modification, ISO 8601 in UTC.
    public var mtime: String?
    /// Where a symlink points (as written in the link).
    public var target: String?

    public init(name: String, type: EntryType, size: Int? = nil, mtime: String? = nil, target: String? = nil) {
        self.name = name
        self.type = type
        self.size = size
        self.mtime = mtime
        self.target = target
    }
}

/// Answer of `GET /sessions/{id}/fs/list`.
public struct DirectoryListing: Codable, Sendable, Equatable {
    public var ok: Bool
    /// The folder, relative to the workspace (empty for the workspace itself).
    public var path: String
    public var entries: [DirectoryEntry]
    public var truncated: Bool

    public init(path: String, entries: [DirectoryEntry], truncated: Bool) {
        self.ok = true
        self.path = path
        self.entries = entries
        self.truncated = truncated
    }
    /// Most entries a listing holds.
    public static let maxEntries = 10_000
}

/// Body of `POST /sessions/{id}/fs/edit`.
public struct EditFileRequest: Codable, Sendable, Equatable {
    public var path: String
    /// The exact text to replace (not empty).
    public var old: String
    public var new: String
    /// Replace every occurrence instead of requiring exactly one.
    public var replaceAll: Bool?

    public init(path: String, old: String, new: String, replaceAll: Bool? = nil) {
        self.path = path
        self.old = old
        self.new = new
        self.replaceAll = replaceAll
    }
}

/// Answer of `POST /sessions/{id}/fs/edit`.
public struct EditFileResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var path: String
    public var replacements: Int
    /// The change as a unified diff (`--- a/PATH`, `+++ b/PATH`, 3 lines of context).
    public var diff: String

    public init(path: String, replacements: Int, diff: String) {
        self.ok = true
        self.path = path
        self.replacements = replacements
        self.diff = diff
    }
}

/// Body of `POST /sessions/{id}/fs/delete`.
public struct DeletePathRequest: Codable, Sendable, Equatable {
    public var path: String
    /// Delete a folder with everything in it.
    public var recursive: Bool?

    public init(path: String, recursive: Bool? = nil) {
        self.path = path
        self.recursive = recursive
    }
}

/// Answer of `POST /sessions/{id}/fs/delete`.
public struct DeletePathResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var path: String
    /// Entries removed, the path itself included.
    public var deleted: Int

    public init(path: String, deleted: Int) {
        self.ok = true
        self.path = path
        self.deleted = deleted
    }
}

/// Body of `POST /sessions/{id}/fs/move`.
public struct MovePathRequest: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    /// Replace an existing destination (a file, or an empty folder by a folder).
    public var overwrite: Bool?

    public init(from: String, to: String, overwrite: Bool? = nil) {
        self.from = from
        self.to = to
        self.overwrite = overwrite
    }
}

/// Answer of `POST /sessions/{id}/fs/move`.
public struct MovePathResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.ok = true
        self.from = from
        self.to = to
    }
}

/// Query of `GET /sessions/{id}/fs/glob`.
public struct GlobQuery: Codable, Sendable, Equatable {
    public var pattern: String
    /// The folder searched (nil: the workspace).
    public var path: String?
    public var limit: Int

    public init(pattern: String, path: String? = nil, limit: Int = GlobQuery.defaultLimit) {
        self.pattern = pattern
        self.path = path
        self.limit = limit
    }
    public static let defaultLimit = 1_000
    public static let maxLimit = 10_000
    /// Most entries one walk visits.
    public static let maxVisited = 100_000
}

/// Answer of `GET /sessions/{id}/fs/glob`.
public struct GlobResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var pattern: String
    /// Matching paths relative to the workspace, sorted.
    public var paths: [String]
    public var truncated: Bool

    public init(pattern: String, paths: [String], truncated: Bool) {
        self.ok = true
        self.pattern = pattern
        self.paths = paths
        self.truncated = truncated
    }
}

/// Query of `GET /sessions/{id}/fs/grep`.
public struct GrepQuery: Codable, Sendable, Equatable {
    /// A regular expression (ICU syntax).
    public var pattern: String
    /// A folder or one file (nil: the workspace).
    public var path: String?
    /// Only files whose path matches this glob.
    public var glob: String?
    /// Lines of context before and after each match.
    public var context: Int
    public var ignoreCase: Bool
    /// Most matching lines.
    public var limit: Int

    public init(
        pattern: String, path: String? = nil, glob: String? = nil, context: Int = 0, ignoreCase: Bool = false,
        limit: Int = GrepQuery.defaultLimit
    ) {
        self.pattern = pattern
        self.path = path
        self.glob = glob
        self.context = context
        self.ignoreCase = ignoreCase
        self.limit = limit
    }
    public static let defaultLimit = 200
    public static let maxLimit = 2_000
    public static let maxContext = 10
    /// Longest line text kept (bytes); longer lines are cut.
    public static let maxLineBytes = 2_000
    /// Most line text in one answer (bytes).
    public static let maxAnswerBytes = 1 << 20
    /// Files larger than this are skipped.
    public static let maxFileBytes = 8 << 20
}

/// One matching line of `fs/grep`.
public struct GrepMatch: Codable, Sendable, Equatable {
    public var path: String
    /// Counted from 1.
    public var line: Int
    public var text: String
    public var before: [String]?
    public var after: [String]?

    public init(path: String, line: Int, text: String, before: [String]? = nil, after: [String]? = nil) {
        self.path = path
        self.line = line
        self.text = text
        self.before = before
        self.after = after
    }
}

/// Answer of `GET /sessions/{id}/fs/grep`.
public struct GrepResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var pattern: String
    public var matches: [GrepMatch]
    /// Files searched.
    public var files: Int
    public var truncated: Bool

    public init(pattern: String, matches: [GrepMatch], files: Int, truncated: Bool) {
        self.ok = true
        self.pattern = pattern
        self.matches = matches
        self.files = files
        self.truncated = truncated
    }
}
