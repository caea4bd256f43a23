import Foundation

/// The TUI's settings, from `~/.config/vibe/config.toml` (or `$XDG_CONFIG_HOME/vibe/config.toml`, or
/// the file named by `VIBE_CONFIG`), the environment and the command line.
/// Precedence: flags > environment (`VIBE_SERVER`, `VIBE_TOKEN`, `VIBE_PREFIX`, `VIBE_THEME`,
/// `EDITOR`) > file > defaults.
public struct TUIConfig: Equatable, Sendable {
    /// Server URL (`server`, `VIBE_SERVER`); nil means the caller's default.
    public var server: String?
    /// Bearer token (`token`, `VIBE_TOKEN`).
    public var token: String?
    /// The prefix key (`prefix`, `VIBE_PREFIX`; default `C-b`). Kept equal to `keys.prefix`.
    public var prefix: KeySpec {
        didSet { keys.prefix = prefix }
    }
    /// Theme name or path (`theme`, `VIBE_THEME`; default `vibe-dark`). See `Theme.load`.
    public var theme: String
    /// Command that opens files from the tree (`editor`; `$EDITOR`; default `vi`).
    public var editor: String
    /// Lines of scrollback kept per pane (`scrollback`; default 10000).
    public var scrollback: Int
    /// Width of the file tree panel in columns (`tree_width`; default 30).
    public var treeWidth: Int
    /// Whether the tree shows at start (`tree_visible`; default true).
    public var treeVisible: Bool
    /// Key bindings: the defaults with the `[keys]` table applied.
    public var keys: KeyBindings

    /// The built-in defaults.
    public init() {
        server = nil
        token = nil
        prefix = KeyBindings.defaultPrefix
        theme = "vibe-dark"
        editor = "vi"
        scrollback = 10_000
        treeWidth = 30
        treeVisible = true
        keys = KeyBindings.defaults
    }

    /// Accepted range of `scrollback`.
    public static let scrollbackRange = 0...1_000_000
    /// Accepted range of `tree_width`.
    public static let treeWidthRange = 8...500
    /// The keys a config file may set at its top level.
    public static let fileKeys = ["server", "token", "prefix", "theme", "editor", "scrollback", "tree_width", "tree_visible", "keys"]

    // MARK: - Locations

    /// `$XDG_CONFIG_HOME/vibe`, else `$HOME/.config/vibe`.
    public static func configDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return (xdg as NSString).appendingPathComponent("vibe")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".config/vibe")
    }

    /// The file to read: `flags.configPath`, else `VIBE_CONFIG`, else `config.toml` in
    /// `configDirectory`. `explicit` is true in the first two cases (the file must then exist).
    public static func configPath(
        flags: ConfigFlags = ConfigFlags(), environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> (path: String, explicit: Bool) {
        if let path = flags.configPath, !path.isEmpty { return (Theme.expandingTilde(path), true) }
        if let path = environment["VIBE_CONFIG"], !path.isEmpty { return (Theme.expandingTilde(path), true) }
        return ((configDirectory(environment: environment) as NSString).appendingPathComponent("config.toml"), false)
    }

    // MARK: - Loading

    /// Reads the config file (if any) and merges environment and flags over it.
    public static func load(
        flags: ConfigFlags = ConfigFlags(), environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> LoadedConfig {
        let (path, explicit) = configPath(flags: flags, environment: environment)
        guard FileManager.default.fileExists(atPath: path) else {
            if explicit { throw .notFound(path: path) }
            return try resolve(fileText: nil, path: nil, flags: flags, environment: environment)
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return try resolve(fileText: text, path: path, flags: flags, environment: environment)
    }

    /// Builds the configuration from a file's text (nil: no file), the environment and flags.
    /// Pure: touches no file.
    public static func resolve(
        fileText: String?, path: String?, flags: ConfigFlags = ConfigFlags(), environment: [String: String] = [:]
    ) throws(ConfigError) -> LoadedConfig {
        var config = TUIConfig()
        var warnings: [ConfigWarning] = []
        if let fileText {
            let source = path ?? "config.toml"
            let document: TOMLTable
            do {
                document = try TOML.parse(fileText)
            } catch {
                throw .syntax(path: source, error)
            }
            try config.apply(file: document, source: source, warnings: &warnings)
        }
        try config.apply(environment: environment)
        try config.apply(flags: flags)
        return LoadedConfig(config: config, warnings: warnings, path: path)
    }

    private mutating func apply(file doc: TOMLTable, source: String, warnings: inout [ConfigWarning]) throws(ConfigError) {
        func invalid(_ key: String, _ value: TOMLValue, _ expected: String) -> ConfigError {
            .invalidValue(key: key, line: doc.line(of: key), value: Self.show(value), expected: expected, source: source)
        }
        func string(_ key: String) throws(ConfigError) -> String? {
            guard let value = doc[key] else { return nil }
            guard let s = value.stringValue, !s.isEmpty else { throw invalid(key, value, "a non-empty string") }
            return s
        }
        func int(_ key: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int? {
            guard let value = doc[key] else { return nil }
            guard let i = value.intValue, range.contains(i) else {
                throw invalid(key, value, "an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return i
        }
        for key in doc.keys where !Self.fileKeys.contains(key) {
            warnings.append(ConfigWarning(key: key, line: doc.line(of: key), message: "unknown key, ignored"))
        }
        if let s = try string("server") { server = s }
        if let s = try string("token") { token = s }
        if let s = try string("theme") { theme = s }
        if let s = try string("editor") { editor = s }
        if let s = try string("prefix") {
            guard let key = KeySpec.parse(s) else { throw invalid("prefix", .string(s), "a key such as \"C-b\"") }
            prefix = key
        }
        if let i = try int("scrollback", Self.scrollbackRange) { scrollback = i }
        if let i = try int("tree_width", Self.treeWidthRange) { treeWidth = i }
        if let value = doc["tree_visible"] {
            guard let b = value.boolValue else { throw invalid("tree_visible", value, "true or false") }
            treeVisible = b
        }
        if let value = doc["keys"] {
            guard let table = value.tableValue else { throw invalid("keys", value, "a [keys] table") }
            try applyKeys(table, source: source, warnings: &warnings)
        }
    }

    /// `[keys]`: `action = "key"` or `action = ["key", "key"]`; `[]` unbinds the action.
    private mutating func applyKeys(_ table: TOMLTable, source: String, warnings: inout [ConfigWarning]) throws(ConfigError) {
        for name in table.keys {
            guard let value = table[name] else { continue }
            let line = table.line(of: name)
            guard let action = TUIAction(configName: name) else {
                warnings.append(ConfigWarning(key: "keys.\(name)", line: line, message: "unknown action, ignored"))
                continue
            }
            let texts: [TOMLValue] = value.arrayValue ?? [value]
            var specs: [KeySpec] = []
            for text in texts {
                guard let s = text.stringValue, let spec = KeySpec.parse(s) else {
                    throw .invalidValue(
                        key: "keys.\(name)", line: line, value: Self.show(text),
                        expected: "a key such as \"%\", \"C-a\", \"M-x\", \"F1\" or a list of them", source: source)
                }
                specs.append(spec)
            }
            keys.rebind(action, to: specs)
        }
    }

    private mutating func apply(environment env: [String: String]) throws(ConfigError) {
        func value(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let s = value("VIBE_SERVER") { server = s }
        if let s = value("VIBE_TOKEN") { token = s }
        if let s = value("VIBE_THEME") { theme = s }
        if let s = value("EDITOR") { editor = s }
        if let s = value("VIBE_PREFIX") {
            guard let key = KeySpec.parse(s) else {
                throw .invalidValue(key: "VIBE_PREFIX", line: nil, value: "\"\(s)\"", expected: "a key such as \"C-b\"", source: "environment")
            }
            prefix = key
        }
    }

    private mutating func apply(flags: ConfigFlags) throws(ConfigError) {
        func bad(_ key: String, _ value: String, _ expected: String) -> ConfigError {
            .invalidValue(key: key, line: nil, value: value, expected: expected, source: "flags")
        }
        if let s = flags.server { server = s }
        if let s = flags.token { token = s }
        if let s = flags.theme { theme = s }
        if let s = flags.editor { editor = s }
        if let s = flags.prefix {
            guard let key = KeySpec.parse(s) else { throw bad("prefix", "\"\(s)\"", "a key such as \"C-b\"") }
            prefix = key
        }
        if let i = flags.scrollback {
            guard Self.scrollbackRange.contains(i) else { throw bad("scrollback", String(i), "0...1000000") }
            scrollback = i
        }
        if let i = flags.treeWidth {
            guard Self.treeWidthRange.contains(i) else { throw bad("tree_width", String(i), "8...500") }
            treeWidth = i
        }
        if let b = flags.treeVisible { treeVisible = b }
    }

    /// A value as it would be written in TOML, for messages.
    static func show(_ value: TOMLValue) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        case .integer(let i): return String(i)
        case .float(let d): return String(d)
        case .boolean(let b): return String(b)
        case .array(let a): return "[" + a.map(show).joined(separator: ", ") + "]"
        case .table: return "a table"
        }
    }
}
