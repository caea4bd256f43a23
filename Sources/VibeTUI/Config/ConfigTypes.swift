/// Settings given on the command line; each one set wins over the environment, the file and the
/// defaults.
public struct ConfigFlags: Equatable, Sendable {
    public var server: String?
    public var token: String?
    public var prefix: String?
    public var theme: String?
    public var editor: String?
    public var scrollback: Int?
    public var treeWidth: Int?
    public var treeVisible: Bool?
    /// `--config PATH`: read this file instead of the default one (it must exist).
    public var configPath: String?

    /// No flags.
    public init(
        server: String? = nil, token: String? = nil, prefix: String? = nil, theme: String? = nil,
        editor: String? = nil, scrollback: Int? = nil, treeWidth: Int? = nil, treeVisible: Bool? = nil,
        configPath: String? = nil
    ) {
        self.server = server
        self.token = token
        self.prefix = prefix
        self.theme = theme
        self.editor = editor
        self.scrollback = scrollback
        self.treeWidth = treeWidth
        self.treeVisible = treeVisible
        self.configPath = configPath
    }
}

/// Something in the config file that was ignored — returned, never printed, so the TUI can show it.
public struct ConfigWarning: Equatable, Sendable, CustomStringConvertible {
    /// The key, dotted (`keys.split_sideways`).
    public var key: String
    /// Its line in the file.
    public var line: Int?
    /// What was wrong.
    public var message: String

    /// A warning.
    public init(key: String, line: Int?, message: String) {
        self.key = key
        self.line = line
        self.message = message
    }

    public var description: String {
        (line.map { "line \($0): " } ?? "") + "\(key): \(message)"
    }
}

/// Why the configuration could not be built.
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not valid TOML.
    case syntax(path: String, TOMLError)
    /// A value of the wrong type or out of range. `source` is the file path, `environment` or
    /// `flags`; `line` is set for file values.
    case invalidValue(key: String, line: Int?, value: String, expected: String, source: String)
    /// An explicitly named config file (`VIBE_CONFIG`, `--config`) does not exist.
    case notFound(path: String)
    /// The file exists but cannot be read as UTF-8 text.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .syntax(let path, let error):
            return "\(path): \(error)"
        case .invalidValue(let key, let line, let value, let expected, let source):
            let location = source + (line.map { ":\($0)" } ?? "")
            return "\(location): invalid value \(value) for '\(key)': expected \(expected)"
        case .notFound(let path):
            return "config file \(path) does not exist"
        case .unreadable(let path, let reason):
            return "cannot read config file \(path): \(reason)"
        }
    }
}

/// A configuration with where it came from and what was ignored.
public struct LoadedConfig: Equatable, Sendable {
    /// The effective settings.
    public var config: TUIConfig
    /// Unknown keys and other ignored input.
    public var warnings: [ConfigWarning]
    /// The file that was read, nil when none existed.
    public var path: String?

    /// A result.
    public init(config: TUIConfig, warnings: [ConfigWarning], path: String?) {
        self.config = config
        self.warnings = warnings
        self.path = path
    }
}
