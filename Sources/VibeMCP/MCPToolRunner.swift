import Foundation
import MCP
import VibeClient
import VibeProtocol

/// Runs one tool call against the vibe API and turns the answer (or the typed error) into a tool result.
struct MCPToolRunner: Sendable {
    let api: VibeAPI
    let client: VibeClient
    let defaultSession: String?

    func call(_ name: String, arguments: MCPArguments) async -> CallTool.Result {
        do {
            return try await run(name, arguments)
        } catch let error as MCPToolError {
            return Self.failure(code: ErrorCode.invalidRequest.rawValue, message: error.message)
        } catch let error as VibeClientError {
            let server = error.serverError
            return Self.failure(
                code: server?.code.rawValue ?? error.code, message: server?.message ?? error.description,
                occurrences: server?.occurrences, exec: server?.execOutput)
        } catch {
            return Self.failure(code: ErrorCode.internalError.rawValue, message: "\(error)")
        }
    }

    private func run(_ name: String, _ a: MCPArguments) async throws -> CallTool.Result {
        let id = try session(a)
        switch name {
        case "shell_exec":
            let result = try await api.exec(id, command: try a.string("command"), timeoutMs: try a.optionalInt("timeoutMs"))
            var text = result.stdout
            if !result.stderr.isEmpty { text += (text.isEmpty ? "" : "\n") + "stderr:\n" + result.stderr }
            text += (text.isEmpty ? "" : "\n") + "exit code \(result.exitCode)"
            return try Self.success(text, result)
        case "fs_read":
            let file = try await api.readFile(id, path: try a.string("path"))
            return try Self.success(file.content, file)
        case "fs_write":
            let content = try a.string("content")
            let data: Data
            switch try a.optionalString("encoding") ?? "utf8" {
            case "utf8": data = Data(content.utf8)
            case "base64":
                guard let decoded = Data(base64Encoded: content) else { throw MCPToolError("content is not valid base64") }
                data = decoded
            default: throw MCPToolError("encoding is utf8 or base64")
            }
            let written = try await api.writeFile(id, path: try a.string("path"), data: data)
            return try Self.success("wrote \(written.size) bytes to \(written.path)", written)
        case "fs_edit":
            let edit = EditFileRequest(
                path: try a.string("path"), old: try a.string("old"), new: try a.string("new"),
                replaceAll: try a.optionalBool("replaceAll"))
            let edited = try await api.editFile(id, edit)
            return try Self.success(edited.diff, edited)
        case "fs_list":
            let listing = try await api.listFolder(id, path: try a.optionalString("path"))
            let lines = listing.entries.map { entry in
                entry.type == .dir ? entry.name + "/" : entry.name + (entry.size.map { "  \($0) bytes" } ?? "")
            }
            return try Self.success(lines.joined(separator: "\n"), listing)
        case "fs_delete":
            let deleted = try await api.deletePath(id, path: try a.string("path"), recursive: try a.optionalBool("recursive") ?? false)
            return try Self.success("deleted \(deleted.path) (\(deleted.deleted) entries)", deleted)
        case "fs_glob":
            let query = GlobQuery(
                pattern: try a.string("pattern"), path: try a.optionalString("path"),
                limit: try a.optionalInt("limit") ?? GlobQuery.defaultLimit)
            let found = try await api.glob(id, query)
            return try Self.success(found.paths.joined(separator: "\n") + (found.truncated ? "\n(truncated)" : ""), found)
        case "fs_grep":
            let query = GrepQuery(
                pattern: try a.string("pattern"), path: try a.optionalString("path"), glob: try a.optionalString("glob"),
                context: try a.optionalInt("context") ?? 0, ignoreCase: try a.optionalBool("ignoreCase") ?? false,
                limit: try a.optionalInt("limit") ?? GrepQuery.defaultLimit)
            let found = try await api.grep(id, query)
            let lines = found.matches.map { "\($0.path):\($0.line):\($0.text)" }
            return try Self.success(lines.joined(separator: "\n") + (found.truncated ? "\n(truncated)" : ""), found)
        case "session_ensure":
            let opened = try await api.open(id)
            let status = opened.ready ? opened : try await client.waitReady(id, timeout: .seconds(60))
            return try Self.success("\(id) is \(status.state.rawValue)", status)
        case "session_status":
            let status = try await api.status(id)
            return try Self.success("\(id) is \(status.state.rawValue)", status)
        case "session_suspend":
            let status = try await api.suspend(id)
            return try Self.success("\(id) is \(status.state.rawValue)", status)
        default:
            throw MCPToolError("unknown tool \(name)")
        }
    }

    private func session(_ a: MCPArguments) throws -> String {
        guard let id = try a.optionalString("session") ?? defaultSession else {
            throw MCPToolError("session is required (or start vibe mcp with --session ID)")
        }
        guard Identifier.isValidSessionID(id) else { throw MCPToolError("invalid session id: \(id)") }
        return id
    }

    private static func success<T: Codable>(_ text: String, _ answer: T) throws -> CallTool.Result {
        try CallTool.Result(content: [.text(text)], structuredContent: answer, isError: false)
    }

    private static func failure(code: String, message: String, occurrences: Int? = nil, exec: ExecOutput? = nil)
        -> CallTool.Result
    {
        var fields: [String: Value] = ["ok": false, "error": .string(code), "message": .string(message)]
        if let occurrences { fields["occurrences"] = .int(occurrences) }
        if let exec {
            fields["stdout"] = .string(exec.stdout)
            fields["stderr"] = .string(exec.stderr)
            if let code = exec.exitCode { fields["exitCode"] = .int(Int(code)) }
        }
        return CallTool.Result(content: [.text("\(code): \(message)")], structuredContent: .object(fields), isError: true)
    }
}

/// A bad argument: reported to the agent as an `INVALID_REQUEST` tool error.
struct MCPToolError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// A call's arguments, read with typed errors naming the field.
struct MCPArguments: Sendable {
    private let values: [String: Value]

    init(_ values: [String: Value]) { self.values = values }

    func string(_ name: String) throws -> String {
        guard let value = try optionalString(name) else { throw MCPToolError("\(name) is required") }
        return value
    }

    func optionalString(_ name: String) throws -> String? {
        guard let value = values[name], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw MCPToolError("\(name) must be a string") }
        return text
    }

    func optionalInt(_ name: String) throws -> Int? {
        guard let value = values[name], !value.isNull else { return nil }
        if let int = value.intValue { return int }
        if let double = value.doubleValue, double.rounded() == double, abs(double) < 1e15 { return Int(double) }
        throw MCPToolError("\(name) must be a whole number")
    }

    func optionalBool(_ name: String) throws -> Bool? {
        guard let value = values[name], !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw MCPToolError("\(name) must be true or false") }
        return flag
    }
}
