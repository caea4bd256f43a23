import Foundation
import VibeProtocol

/// `fs/glob` and `fs/grep` over a workspace folder of this machine (bounded walks, symlinks never followed).
struct FileSearch: Sendable {
    let paths: WorkspacePath

    func glob(_ query: GlobQuery) throws -> GlobResponse {
        guard (1...GlobQuery.maxLimit).contains(query.limit) else {
            throw APIError(.invalidRequest, "limit must be 1…\(GlobQuery.maxLimit)")
        }
        let pattern = try GlobPattern(query.pattern)
        let folder = try searchedFolder(query.path)
        var found: [String] = []
        var truncated = WorkspaceWalker(maxVisited: GlobQuery.maxVisited).walk(
            folder, descend: { pattern.mayMatch(below: $0) }
        ) { entry in
            if !entry.isDirectory, pattern.matches(entry.segments) {
                found.append(paths.relative(entry.absolute))
                if found.count > query.limit { return false }
            }
            return true
        }
        if found.count > query.limit {
            truncated = true
            found.removeLast(found.count - query.limit)
        }
        return GlobResponse(pattern: query.pattern, paths: found.sorted(), truncated: truncated)
    }

    func grep(_ query: GrepQuery) throws -> GrepResponse {
        guard (1...GrepQuery.maxLimit).contains(query.limit) else {
            throw APIError(.invalidRequest, "limit must be 1…\(GrepQuery.maxLimit)")
        }
        guard (0...GrepQuery.maxContext).contains(query.context) else {
            throw APIError(.invalidRequest, "context must be 0…\(GrepQuery.maxContext)")
        }
        guard !query.pattern.isEmpty, query.pattern.utf8.count <= 4096 else {
            throw APIError(.invalidRequest, "pattern must be a non-empty regular expression of at most 4096 bytes")
        }
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: query.pattern, options: query.ignoreCase ? [.caseInsensitive] : [])
        } catch {
            throw APIError(.invalidRequest, "not a valid regular expression: \(query.pattern)")
        }
        let filter = try query.glob.map { try GlobPattern($0) }
        var state = GrepCollector(query: query, regex: regex)
        let start = try paths.resolveFolder(query.path)
        var st = stat()
        guard stat(start, &st) == 0 else { throw APIError(.notFound, "no such file or folder: \(query.path ?? "")") }
        if (st.st_mode & S_IFMT) == S_IFREG {
            _ = state.search(start, relative: paths.relative(start), size: Int(st.st_size))
        } else {
            let stopped = WorkspaceWalker(maxVisited: GlobQuery.maxVisited).walk(start, descend: { _ in true }) { entry in
                guard entry.isRegular, filter?.matches(entry.segments) ?? true else { return true }
                return state.search(entry.absolute, relative: paths.relative(entry.absolute), size: entry.size)
            }
            if stopped { state.truncated = true }
        }
        let matches = state.matches.sorted { ($0.path, $0.line) < ($1.path, $1.line) }
        return GrepResponse(pattern: query.pattern, matches: matches, files: state.files, truncated: state.truncated)
    }

    private func searchedFolder(_ path: String?) throws -> String {
        let folder = try paths.resolveFolder(path)
        var st = stat()
        guard stat(folder, &st) == 0 else { throw APIError(.notFound, "no such folder: \(path ?? "")") }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw APIError(.invalidRequest, "not a folder: \(path ?? "")") }
        return folder
    }
}

/// Searches files one by one, keeping the matches within the answer's bounds.
private struct GrepCollector {
    let query: GrepQuery
    let regex: NSRegularExpression
    var matches: [GrepMatch] = []
    var files = 0
    var truncated = false
    private var bytes = 0

    init(query: GrepQuery, regex: NSRegularExpression) {
        self.query = query
        self.regex = regex
    }

    /// Searches one file; false once a bound is reached (the walk stops).
    mutating func search(_ absolute: String, relative: String, size: Int) -> Bool {
        guard size <= GrepQuery.maxFileBytes, let data = FileManager.default.contents(atPath: absolute) else { return true }
        // Binary: a NUL byte in the first 8 KiB.
        guard !data.prefix(8192).contains(0) else { return true }
        files += 1
        let lines = Self.lines(data)
        for (index, line) in lines.enumerated() {
            let range = NSRange(line.startIndex..<line.endIndex, in: line)
            guard regex.firstMatch(in: line, range: range) != nil else { continue }
            var match = GrepMatch(path: relative, line: index + 1, text: Self.cut(line))
            var cost = match.text.utf8.count
            if query.context > 0 {
                let before = lines[max(0, index - query.context)..<index].map(Self.cut)
                let after = lines[(index + 1)..<min(lines.count, index + 1 + query.context)].map(Self.cut)
                match.before = before
                match.after = after
                cost += (before + after).reduce(0) { $0 + $1.utf8.count }
            }
            guard matches.count < query.limit, bytes + cost <= GrepQuery.maxAnswerBytes else {
                truncated = true
                return false
            }
            bytes += cost
            matches.append(match)
        }
        return true
    }

    /// Lines without their `\n` (or `\r\n`), split on bytes (`"\r\n"` is one `Character`); bytes that are
    /// not UTF-8 become U+FFFD.
    private static func lines(_ data: Data) -> [String] {
        var result = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        if data.last == 0x0A { result.removeLast() }
        return result
    }

    /// A line cut to the longest whole characters within the byte bound.
    private static func cut(_ line: String) -> String {
        guard line.utf8.count > GrepQuery.maxLineBytes else { return line }
        var kept = 0
        var end = line.startIndex
        for index in line.unicodeScalars.indices {
            let size = line.unicodeScalars[index].utf8.count
            if kept + size > GrepQuery.maxLineBytes { break }
            kept += size
            end = line.unicodeScalars.index(after: index)
        }
        return String(line.unicodeScalars[..<end])
    }
}
