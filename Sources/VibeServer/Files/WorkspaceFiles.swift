import Foundation
import VibeProtocol

/// The file tools on a workspace folder of this machine (docs/protocol.md, "File tools"): every path
/// confined by ``WorkspacePath``. Blocking calls: run them off the cooperative pool.
struct WorkspaceFiles: Sendable {
    let paths: WorkspacePath

    /// Runs one tool.
    func perform(_ request: FileRequest) throws -> FileAnswer {
        switch request {
        case .list(let path): return .listing(try list(path))
        case .edit(let edit): return .edited(try self.edit(edit))
        case .delete(let delete): return .deleted(try self.delete(delete))
        case .move(let move): return .moved(try self.move(move))
        case .glob(let query): return .globbed(try FileSearch(paths: paths).glob(query))
        case .grep(let query): return .grepped(try FileSearch(paths: paths).grep(query))
        }
    }

    func list(_ path: String?) throws -> DirectoryListing {
        let folder = try paths.resolveFolder(path)
        var st = stat()
        guard stat(folder, &st) == 0 else { throw APIError(.notFound, "no such folder: \(path ?? "")") }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw APIError(.invalidRequest, "not a folder: \(path ?? "")") }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw APIError(.internalError, "cannot list \(path ?? "the workspace"): \(error.localizedDescription)")
        }
        let formatter = ISO8601DateFormatter()
        var entries: [DirectoryEntry] = []
        for name in names.prefix(DirectoryListing.maxEntries) {
            let absolute = folder + "/" + name
            var entry = stat()
            guard lstat(absolute, &entry) == 0 else { continue }
            let mtime = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(entry.st_mtim.tv_sec)))
            switch entry.st_mode & S_IFMT {
            case S_IFREG: entries.append(DirectoryEntry(name: name, type: .file, size: Int(entry.st_size), mtime: mtime))
            case S_IFDIR: entries.append(DirectoryEntry(name: name, type: .dir, mtime: mtime))
            case S_IFLNK:
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: absolute)
                entries.append(DirectoryEntry(name: name, type: .symlink, mtime: mtime, target: target))
            default: entries.append(DirectoryEntry(name: name, type: .other, mtime: mtime))
            }
        }
        return DirectoryListing(
            path: paths.relative(folder), entries: entries, truncated: names.count > DirectoryListing.maxEntries)
    }

    func edit(_ request: EditFileRequest) throws -> EditFileResponse {
        guard !request.old.isEmpty else { throw APIError(.invalidRequest, "old must not be empty") }
        guard request.old != request.new else { throw APIError(.invalidRequest, "old and new are the same text") }
        let full = try paths.resolve(request.path)
        // Through a symlink inside the workspace, the file it points to is edited (the link stays).
        let real = WorkspacePath.realPath(full) ?? full
        var st = stat()
        guard stat(real, &st) == 0 else { throw APIError(.notFound, "no such file: \(request.path)") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw APIError(.invalidRequest, "not a regular file: \(request.path)") }
        guard Int(st.st_size) <= FileContent.maxSize else {
            throw APIError(.payloadTooLarge, "file is \(st.st_size) bytes; the limit is \(FileContent.maxSize)")
        }
        guard let data = FileManager.default.contents(atPath: real) else {
            throw APIError(.notFound, "cannot read: \(request.path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw APIError(.invalidRequest, "not UTF-8 text: \(request.path)")
        }
        let (edited, count) = TextReplacement.replace(
            in: Array(data), old: Array(request.old.utf8), new: Array(request.new.utf8),
            all: request.replaceAll ?? false)
        guard count > 0 else {
            throw APIError(.editNoMatch, "the text to replace occurs nowhere in \(request.path)", occurrences: 0)
        }
        guard let edited else {
            throw APIError(
                .editAmbiguous,
                "the text to replace occurs \(count) times in \(request.path): add context to make it unique, or set replaceAll",
                occurrences: count)
        }
        guard edited.count <= FileContent.maxSize else {
            throw APIError(.payloadTooLarge, "the edited file would be \(edited.count) bytes; the limit is \(FileContent.maxSize)")
        }
        try AtomicFile.replace(real, with: edited, mode: st.st_mode & 0o7777, name: request.path)
        let diff = UnifiedDiff.make(old: text, new: String(decoding: edited, as: UTF8.self), path: request.path)
        return EditFileResponse(path: request.path, replacements: count, diff: diff)
    }

    func delete(_ request: DeletePathRequest) throws -> DeletePathResponse {
        let full = try paths.resolveEntry(request.path)
        var st = stat()
        guard lstat(full, &st) == 0 else { throw APIError(.notFound, "no such file or folder: \(request.path)") }
        var deleted = 1
        if (st.st_mode & S_IFMT) == S_IFDIR {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: full)) ?? []
            if !entries.isEmpty {
                guard request.recursive == true else {
                    throw APIError(.folderNotEmpty, "\(request.path) has \(entries.count) entries: set recursive to delete it all")
                }
                deleted += Self.countBelow(full)
            }
        }
        do {
            try FileManager.default.removeItem(atPath: full)
        } catch {
            throw APIError(.internalError, "cannot delete \(request.path): \(error.localizedDescription)")
        }
        return DeletePathResponse(path: request.path, deleted: deleted)
    }

    func move(_ request: MovePathRequest) throws -> MovePathResponse {
        let from = try paths.resolveEntry(request.from)
        var st = stat()
        guard lstat(from, &st) == 0 else { throw APIError(.notFound, "no such file or folder: \(request.from)") }
        let destination = try paths.resolveEntry(request.to)
        try paths.checkParentFolders(destination, name: request.to)
        let parent = (destination as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw APIError(.internalError, "cannot create the folders of \(request.to): \(error.localizedDescription)")
        }
        // Resolved again after creating folders: a racing symlink must not carry the move outside.
        let to = try paths.resolveEntry(request.to)
        guard from != to else { throw APIError(.invalidRequest, "from and to are the same path") }
        var existing = stat()
        if lstat(to, &existing) == 0, request.overwrite != true {
            throw APIError(.alreadyExists, "\(request.to) exists: set overwrite to replace it")
        }
        guard rename(from, to) == 0 else {
            let code = errno
            switch code {
            case ENOTEMPTY, EEXIST:
                throw APIError(.folderNotEmpty, "\(request.to) is a folder with entries; it cannot be replaced")
            case EINVAL: throw APIError(.invalidRequest, "cannot move a folder into itself: \(request.from) → \(request.to)")
            case EISDIR: throw APIError(.invalidRequest, "\(request.to) is a folder; only a folder can replace it")
            case ENOTDIR: throw APIError(.invalidRequest, "\(request.to) is not a folder; a folder cannot replace it")
            default:
                throw APIError(.internalError, "cannot move \(request.from): \(String(cString: strerror(code)))")
            }
        }
        return MovePathResponse(from: request.from, to: request.to)
    }

    /// Entries below a folder (symlinks counted, not followed).
    private static func countBelow(_ folder: String) -> Int {
        var count = 0
        _ = WorkspaceWalker(maxVisited: .max).walk(folder, descend: { _ in true }) { _ in
            count += 1
            return true
        }
        return count
    }
}

/// Byte-exact search and replace (no Unicode normalisation: what an editor's "replace" means to agents).
enum TextReplacement {
    /// The text with `old` replaced by `new` and the number of occurrences (not overlapping) of `old`. The text is
    /// nil when more than one occurrence was found and `all` is false (nothing is replaced then).
    static func replace(in text: [UInt8], old: [UInt8], new: [UInt8], all: Bool) -> (text: [UInt8]?, count: Int) {
        var starts: [Int] = []
        if let first = old.first, old.count <= text.count {
            var index = 0
            let last = text.count - old.count
            while index <= last {
                // The first byte by scan, then the rest compared.
                guard let hit = text[index...last].firstIndex(of: first) else { break }
                if text[hit..<(hit + old.count)].elementsEqual(old) {
                    starts.append(hit)
                    index = hit + old.count
                } else {
                    index = hit + 1
                }
            }
        }
        guard !starts.isEmpty, all || starts.count == 1 else { return (nil, starts.count) }
        var result: [UInt8] = []
        result.reserveCapacity(text.count + starts.count * (new.count - old.count))
        var last = 0
        for start in starts {
            result.append(contentsOf: text[last..<start])
            result.append(contentsOf: new)
            last = start + old.count
        }
        result.append(contentsOf: text[last...])
        return (result, starts.count)
    }
}

/// Replaces a file's content atomically (a new file beside it, renamed over it), with a given mode.
enum AtomicFile {
    static func replace(_ path: String, with bytes: [UInt8], mode: mode_t, name: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        var template = Array((folder + "/.vibe-edit-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw APIError(.internalError, "cannot write beside \(name): \(String(cString: strerror(errno)))")
        }
        let temporary = String(cString: template)
        var written = 0
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += n
            }
            return fchmod(fd, mode) == 0 && fsync(fd) == 0
        }
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw APIError(.internalError, "cannot write \(name): \(reason)")
        }
    }
}
