import Foundation
import VibeProtocol

/// Keeps each session's layout document (`layouts/ID.json` under the server's data dir), for every
/// driver: it is the clients' data about a session, not part of its workspace.
public struct LayoutStore: Sendable {
    /// The folder of the documents.
    public let directory: String

    /// A store in `directory` (created on the first write).
    public init(directory: String) { self.directory = directory }

    private func path(_ id: String) -> String { directory + "/" + id + ".json" }

    /// The stored document of session `id`, nil when none.
    func load(_ id: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path(id)).map { Array($0) }
    }

    /// Replaces the document of session `id` atomically.
    func store(_ json: [UInt8], for id: String) throws(APIError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(json).write(to: URL(fileURLWithPath: path(id)), options: .atomic)
        } catch {
            throw APIError(.internalError, "cannot store the layout: \(error.localizedDescription)")
        }
    }

    /// Forgets the document of session `id`.
    func remove(_ id: String) { try? FileManager.default.removeItem(atPath: path(id)) }
}
