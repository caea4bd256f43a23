import VibeProtocol

/// A file tool call, as routes make it and as it crosses the agent link.
public enum FileRequest: Codable, Sendable, Equatable {
    /// One folder (nil or empty: the workspace).
    case list(path: String?)
    case edit(EditFileRequest)
    case delete(DeletePathRequest)
    case move(MovePathRequest)
    case glob(GlobQuery)
    case grep(GrepQuery)
}

/// The answer to a ``FileRequest`` (the case matches the request's).
public enum FileAnswer: Codable, Sendable, Equatable {
    case listing(DirectoryListing)
    case edited(EditFileResponse)
    case deleted(DeletePathResponse)
    case moved(MovePathResponse)
    case globbed(GlobResponse)
    case grepped(GrepResponse)
}

extension Workspace {
    /// `fs/list`.
    func list(_ path: String?) async throws -> DirectoryListing {
        guard case .listing(let answer) = try await files(.list(path: path)) else { throw Self.mismatch }
        return answer
    }

    /// `fs/edit`.
    func edit(_ request: EditFileRequest) async throws -> EditFileResponse {
        guard case .edited(let answer) = try await files(.edit(request)) else { throw Self.mismatch }
        return answer
    }

    /// `fs/delete`.
    func delete(_ request: DeletePathRequest) async throws -> DeletePathResponse {
        guard case .deleted(let answer) = try await files(.delete(request)) else { throw Self.mismatch }
        return answer
    }

    /// `fs/move`.
    func move(_ request: MovePathRequest) async throws -> MovePathResponse {
        guard case .moved(let answer) = try await files(.move(request)) else { throw Self.mismatch }
        return answer
    }

    /// `fs/glob`.
    func glob(_ query: GlobQuery) async throws -> GlobResponse {
        guard case .globbed(let answer) = try await files(.glob(query)) else { throw Self.mismatch }
        return answer
    }

    /// `fs/grep`.
    func grep(_ query: GrepQuery) async throws -> GrepResponse {
        guard case .grepped(let answer) = try await files(.grep(query)) else { throw Self.mismatch }
        return answer
    }

    private static var mismatch: APIError { APIError(.internalError, "a file tool answered with another tool's answer") }
}
