import MCP

/// The tools `vibe mcp` offers, with their JSON schemas (docs/mcp.md).
enum MCPToolCatalog {
    /// Every tool, in the order `tools/list` gives them.
    static let tools: [Tool] = [
        tool(
            "shell_exec", "Run a shell command (/bin/sh -c) in the session's workspace; answers exit code, stdout and stderr.",
            ["command": string("The command line."), "timeoutMs": integer("Kill the command after this many ms (default 30000, max 600000).", min: 1, max: 600_000)],
            required: ["command"], destructive: true),
        tool(
            "fs_read", "Read a file of the workspace (UTF-8 text, or base64 for other bytes; at most 8 MiB).",
            ["path": string("Path relative to the workspace.")], required: ["path"], readOnly: true),
        tool(
            "fs_write", "Write a whole file atomically, creating its folders.",
            [
                "path": string("Path relative to the workspace."), "content": string("The new content."),
                "encoding": .object(["type": "string", "enum": ["utf8", "base64"], "description": "How content is given (default utf8)."]),
            ], required: ["path", "content"], destructive: true),
        tool(
            "fs_edit",
            "Replace exact text in a file. Unless replaceAll, old must occur exactly once (else an error says how often it occurs). Answers a unified diff.",
            [
                "path": string("Path relative to the workspace."), "old": string("The exact text to replace."),
                "new": string("The replacement."), "replaceAll": boolean("Replace every occurrence."),
            ], required: ["path", "old", "new"], destructive: true),
        tool(
            "fs_list", "List one folder: name, type (file, dir, symlink, other), size, mtime.",
            ["path": string("Folder relative to the workspace (default: the workspace).")], required: [], readOnly: true),
        tool(
            "fs_delete", "Delete a file, a symlink or a folder (a folder with entries needs recursive).",
            ["path": string("Path relative to the workspace."), "recursive": boolean("Delete a folder with everything in it.")],
            required: ["path"], destructive: true),
        tool(
            "fs_glob", "Find files by glob: * ? [..] within a segment, ** across folders; a pattern without / matches at any depth.",
            [
                "pattern": string("The glob, e.g. src/**/*.swift."), "path": string("Folder to search (default: the workspace)."),
                "limit": integer("Most paths (default 1000).", min: 1, max: 10_000),
            ], required: ["pattern"], readOnly: true),
        tool(
            "fs_grep", "Search file contents with a regular expression; skips .git, binary files and symlinks.",
            [
                "pattern": string("Regular expression (ICU syntax)."), "path": string("Folder or file (default: the workspace)."),
                "glob": string("Only files whose path matches this glob."),
                "context": integer("Lines of context before and after (0-10).", min: 0, max: 10),
                "ignoreCase": boolean("Ignore case."), "limit": integer("Most matching lines (default 200).", min: 1, max: 2_000),
            ], required: ["pattern"], readOnly: true),
        tool(
            "session_ensure", "Open the session (create it, or resume it when suspended) and wait until it is ready.",
            [:], required: []),
        tool("session_status", "The session's state (creating, ready, failed, suspended, stopped) and timings.", [:], required: [], readOnly: true),
        tool("session_suspend", "Suspend a ready session now (files stay; the next use resumes it).", [:], required: []),
    ]

    private static func tool(
        _ name: String, _ description: String, _ properties: [String: Value], required: [String], readOnly: Bool = false,
        destructive: Bool = false
    ) -> Tool {
        var all = properties
        all["session"] = string("Session id (optional when vibe mcp was started with --session).")
        let schema: Value = .object([
            "type": "object", "properties": .object(all), "required": .array(required.map { .string($0) }),
            "additionalProperties": false,
        ])
        return Tool(
            name: name, description: description, inputSchema: schema,
            annotations: .init(readOnlyHint: readOnly, destructiveHint: destructive))
    }

    private static func string(_ description: String) -> Value {
        .object(["type": "string", "description": .string(description)])
    }

    private static func boolean(_ description: String) -> Value {
        .object(["type": "boolean", "description": .string(description)])
    }

    private static func integer(_ description: String, min: Int, max: Int) -> Value {
        .object(["type": "integer", "description": .string(description), "minimum": .int(min), "maximum": .int(max)])
    }
}
