import ArgumentParser
import Foundation
import VibeClient
import VibeProtocol

/// `vibe fs …`: the workspace's files (docs/protocol.md, "File tools").
struct FSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fs",
        abstract: "Work with a session's files: ls, cat, put, edit, rm, mv, glob, grep.",
        discussion: "Paths are relative to the workspace; none may leave it.",
        subcommands: [
            FSListCommand.self, FSCatCommand.self, FSPutCommand.self, FSEditCommand.self, FSRemoveCommand.self,
            FSMoveCommand.self, FSGlobCommand.self, FSGrepCommand.self,
        ])
}

/// Runs `body` against a ready session.
private func withSession<T>(_ global: GlobalOptions, _ id: String, _ body: (VibeAPI) async throws -> T) async throws -> T {
    try await Connection.with(global) { c in
        try await SessionOpener.ensureReady(c, id)
        return try await body(c.client.api)
    }
}

/// `vibe fs ls ID [PATH]`.
struct FSListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List one folder (type, size, mtime, name).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id.") var id: String
    @Argument(help: "Folder (default: the workspace).") var path: String?

    func run() async throws {
        try await reporting {
            let listing = try await withSession(global, id) { try await $0.listFolder(id, path: path) }
            if global.json { return Output.json(listing) }
            for entry in listing.entries {
                let mark = switch entry.type { case .dir: "d" case .symlink: "l" case .file: "-" case .other: "?" }
                let size = entry.size.map(String.init) ?? "-"
                let name = entry.type == .dir ? entry.name + "/" : entry.name
                let target = entry.target.map { " -> \($0)" } ?? ""
                print("\(mark) \(size.leftAligned(10)) \(entry.mtime ?? "-") \(name)\(target)")
            }
            if listing.truncated { Output.error("vibe: only the first \(listing.entries.count) entries are listed") }
        }
    }
}

/// `vibe fs cat ID PATH`.
struct FSCatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cat", abstract: "Print a file's bytes.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id.") var id: String
    @Argument(help: "File.") var path: String

    func run() async throws {
        try await reporting {
            if global.json {
                return Output.json(try await withSession(global, id) { try await $0.readFile(id, path: path) })
            }
            FileHandle.standardOutput.write(try await withSession(global, id) { try await $0.readFileData(id, path: path) })
        }
    }
}

/// `vibe fs put ID PATH [FILE]`.
struct FSPutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put", abstract: "Write a file from a local file or stdin (atomic; creates folders).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id.") var id: String
    @Argument(help: "File in the workspace.") var path: String
    @Argument(help: "Local file to upload (default: stdin, also '-').") var source: String?

    func run() async throws {
        let data: Data
        if let source, source != "-" {
            guard let contents = FileManager.default.contents(atPath: source) else {
                throw CLIError(message: "vibe: cannot read \(source)", exitCode: VibeExit.usage)
            }
            data = contents
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        try await reporting {
            let written = try await withSession(global, id) { try await $0.writeFile(id, path: path, data: data) }
            if global.json { return Output.json(written) }
            print("\(written.path): \(written.size) bytes")
        }
    }
}

/// `vibe fs edit ID PATH --old TEXT --new TEXT`.
struct FSEditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Replace exact text in a file and print the diff.",
        discussion: """
            The text must occur exactly once unless --all; otherwise nothing changes and vibe exits 10 saying how \
            many times it occurs.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id.") var id: String
    @Argument(help: "File.") var path: String
    @Option(help: "The exact text to replace.") var old: String
    @Option(help: "The text to put in its place.") var new: String
    @Flag(name: .customLong("all"), help: "Replace every occurrence.") var replaceAll = false

    func run() async throws {
        try await reporting {
            let request = EditFileRequest(path: path, old: old, new: new, replaceAll: replaceAll)
            let edited = try await withSession(global, id) { try await $0.editFile(id, request) }
            if global.json { return Output.json(edited) }
            print(edited.diff, terminator: "")
        }
    }
}

/// `vibe fs rm ID PATH [-r]`.
struct FSRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a file, a symlink or a folder.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id.") var id: String
    @Argument(help: "Path.") var path: String
    @Flag(name: [.customShort("r"), .long], help: "Delete a folder with everything in it.") var recursive = false

    func run() async throws {
        try await reporting {
            let deleted = try await withSession(global, id) { try await $0.deletePath(id, path: path, recursive: recursive) }
            if global.json { return Output.json(deleted) }
            print("deleted \(deleted.path) (\(deleted.deleted) \(deleted.deleted == 1 ? "entry" : "entries"))")
        }
    }
}

/// `vibe fs mv ID FROM TO [--force]`.
struct FSMoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mv", abstract: "Move or rename a file, symlink or folder (creates the destination's folders).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id.") var id: String
    @Argument(help: "Path to move.") var from: String
    @Argument(help: "New path.") var to: String
    @Flag(name: [.customShort("f"), .long], help: "Replace an existing destination.") var force = false

    func run() async throws {
        try await reporting {
            let moved = try await withSession(global, id) { try await $0.movePath(id, from: from, to: to, overwrite: force) }
            if global.json { return Output.json(moved) }
            print("\(moved.from) -> \(moved.to)")
        }
    }
}

/// `vibe fs glob ID PATTERN`.
struct FSGlobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glob", abstract: "List files matching a glob (** for any depth; *.c matches at any depth).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id.") var id: String
    @Argument(help: "Glob, e.g. 'src/**/*.swift'.") var pattern: String
    @Option(help: "Folder to search (default: the workspace).") var path: String?
    @Option(help: "Most paths (1…\(GlobQuery.maxLimit)).") var limit = GlobQuery.defaultLimit

    func run() async throws {
        try await reporting {
            let query = GlobQuery(pattern: pattern, path: path, limit: limit)
            let found = try await withSession(global, id) { try await $0.glob(id, query) }
            if global.json { return Output.json(found) }
            for path in found.paths { print(path) }
            if found.truncated { Output.error("vibe: more paths match; only \(found.paths.count) are listed") }
        }
    }
}

/// `vibe fs grep ID PATTERN`.
struct FSGrepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grep",
        abstract: "Search file contents with a regular expression (skips .git, binary files and symlinks).",
        discussion: "Prints PATH:LINE:TEXT (context lines PATH-LINE-TEXT); exits 1 when nothing matches, as grep does.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id.") var id: String
    @Argument(help: "Regular expression (ICU syntax).") var pattern: String
    @Option(help: "Folder or file to search (default: the workspace).") var path: String?
    @Option(help: "Only files whose path matches this glob.") var glob: String?
    @Option(name: [.customShort("C"), .long], help: "Lines of context (0…\(GrepQuery.maxContext)).") var context = 0
    @Flag(name: [.customShort("i"), .long], help: "Ignore case.") var ignoreCase = false
    @Option(help: "Most matching lines (1…\(GrepQuery.maxLimit)).") var limit = GrepQuery.defaultLimit

    func run() async throws {
        try await reporting {
            let query = GrepQuery(
                pattern: pattern, path: path, glob: glob, context: context, ignoreCase: ignoreCase, limit: limit)
            let found = try await withSession(global, id) { try await $0.grep(id, query) }
            if global.json {
                Output.json(found)
            } else {
                print(Self.render(found.matches), terminator: "")
                if found.truncated { Output.error("vibe: the search stopped at a limit; more lines may match") }
            }
            if found.matches.isEmpty { throw ArgumentParser.ExitCode(1) }
        }
    }
}

extension FSGrepCommand {
    /// Lines as `grep -n` prints them: `PATH:LINE:TEXT` for matches, `PATH-LINE-TEXT` for context, each line once
    /// (overlapping context merged), `--` between groups that are not adjacent.
    static func render(_ matches: [GrepMatch]) -> String {
        var order: [String] = []
        var files: [String: [Int: (text: String, isMatch: Bool)]] = [:]
        for match in matches {
            if files[match.path] == nil { order.append(match.path) }
            let before = match.before ?? []
            for (offset, text) in before.enumerated() {
                let line = match.line - before.count + offset
                if files[match.path]?[line] == nil { files[match.path, default: [:]][line] = (text, false) }
            }
            files[match.path, default: [:]][match.line] = (match.text, true)
            for (offset, text) in (match.after ?? []).enumerated() where files[match.path]?[match.line + 1 + offset] == nil {
                files[match.path, default: [:]][match.line + 1 + offset] = (text, false)
            }
        }
        var out = ""
        var previous: (path: String, line: Int)?
        for path in order {
            for (line, entry) in (files[path] ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let previous, previous.path != path || previous.line + 1 != line { out += "--\n" }
                out += "\(path)\(entry.isMatch ? ":" : "-")\(line)\(entry.isMatch ? ":" : "-")\(entry.text)\n"
                previous = (path, line)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftAligned(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
