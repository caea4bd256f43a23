import VibeProtocol

extension VibeAPI {

    /// `GET …/fs/list?path=P`: one folder (nil: the workspace).
    public func listFolder(_ id: String, path: String? = nil) async throws -> DirectoryListing {
        try await send(
            .GET, Routes.fsTool(Self.segment(id), "list"), query: path.map { [("path", $0)] } ?? [],
            as: DirectoryListing.self)
    }

    /// `POST …/fs/edit`: replaces exact text; `EDIT_NO_MATCH` / `EDIT_AMBIGUOUS` say how often it occurs.
    public func editFile(_ id: String, _ edit: EditFileRequest) async throws -> EditFileResponse {
        try await send(.POST, Routes.fsTool(Self.segment(id), "edit"), body: edit, as: EditFileResponse.self)
    }

    /// `POST …/fs/delete`.
    public func deletePath(_ id: String, path: String, recursive: Bool = false) async throws -> DeletePathResponse {
        try await send(
            .POST, Routes.fsTool(Self.segment(id), "delete"), body: DeletePathRequest(path: path, recursive: recursive),
            as: DeletePathResponse.self)
    }

    /// `POST …/fs/move`.
    public func movePath(_ id: String, from: String, to: String, overwrite: Bool = false) async throws
        -> MovePathResponse
    {
        try await send(
            .POST, Routes.fsTool(Self.segment(id), "move"), body: MovePathRequest(from: from, to: to, overwrite: overwrite),
            as: MovePathResponse.self)
    }

    /// `GET …/fs/glob`.
    public func glob(_ id: String, _ query: GlobQuery) async throws -> GlobResponse {
        var q = [("pattern", query.pattern), ("limit", String(query.limit))]
        if let path = query.path { q.append(("path", path)) }
        return try await send(.GET, Routes.fsTool(Self.segment(id), "glob"), query: q, as: GlobResponse.self)
    }

    /// `GET …/fs/grep`.
    public func grep(_ id: String, _ query: GrepQuery) async throws -> GrepResponse {
        var q = [
            ("pattern", query.pattern), ("limit", String(query.limit)), ("context", String(query.context)),
            ("ignoreCase", query.ignoreCase ? "1" : "0"),
        ]
        if let path = query.path { q.append(("path", path)) }
        if let glob = query.glob { q.append(("glob", glob)) }
        return try await send(.GET, Routes.fsTool(Self.segment(id), "grep"), query: q, as: GrepResponse.self)
    }
}
