import Foundation
import VibeClient
import VibeProtocol

/// What a command names: a session id, or a folder whose session it means.
///
/// An argument with a `/`, or `.` / `..`, is a folder; any other is a session id, unless no such session
/// exists and a folder of that name does.
struct SessionTarget: Equatable {
    /// The session id.
    let id: String
    /// The folder the session works in, when the target was a folder (absolute, symlinks resolved).
    let folder: String?

    /// The current folder's session.
    static func folder(_ path: String) throws -> SessionTarget {
        let url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else {
            throw CLIError(message: "vibe: \(url.path) is not a folder", exitCode: VibeExit.usage)
        }
        return SessionTarget(id: FolderSessionID.make(for: url.path), folder: url.path)
    }

    /// Resolves a command's argument (see the type's rules); asks the server only when it is ambiguous.
    static func resolve(_ argument: String, api: VibeAPI) async throws -> SessionTarget {
        if argument.contains("/") || argument == "." || argument == ".." { return try folder(argument) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDir), isDir.boolValue,
            Identifier.isValidSessionID(argument)
        else { return SessionTarget(id: argument, folder: nil) }
        do {
            _ = try await api.status(argument)
            return SessionTarget(id: argument, folder: nil)
        } catch let error as VibeClientError where error.serverError?.code == .sessionNotFound {
            return try folder(argument)
        }
    }
}

/// The stable session id of a folder: `<name>-<hash>` from the folder's absolute path.
enum FolderSessionID {
    static func make(for path: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let base = (path as NSString).lastPathComponent
        var name = String(base.map { allowed.contains($0) ? $0 : "-" }.prefix(40))
        while name.first == "." || name.first == "-" { name.removeFirst() }
        if name.isEmpty { name = "root" }
        let id = name + "-" + String(hash, radix: 16).leftPadded(to: 16)
        return Identifier.isValidSessionID(id) ? id : "folder-" + String(hash, radix: 16)
    }

    /// A new id for another session of the same folder (`--new`): the folder id plus a random suffix.
    static func fresh(from base: String) -> String {
        String(base.prefix(57)) + "-" + String(UInt32.random(in: 0..<UInt32.max), radix: 16).leftPadded(to: 6).suffix(6)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
