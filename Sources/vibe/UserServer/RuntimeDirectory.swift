import Foundation

/// The user's private runtime folder, where the user's server publishes how to reach it:
/// `$XDG_RUNTIME_DIR/vibe`, else `/tmp/vibe-UID`. It must be a real folder owned by the user with
/// no access for anyone else (0700); anything else is refused rather than trusted.
struct RuntimeDirectory {
    let path: String

    /// Which of the user's servers: `local` (the default) or `docker`; their files differ by a suffix.
    var driver = UserServerDriver.local

    private var suffix: String { driver == .local ? "" : "-" + driver.rawValue }
    /// `server.json`: version, pid, port and token of the running server (0600).
    var serverFile: String { path + "/server\(suffix).json" }
    /// Held by the running server for its whole life.
    var serverLock: String { path + "/server\(suffix).lock" }
    /// Held by a client while it starts a server.
    var startLock: String { path + "/start\(suffix).lock" }

    /// The same folder, for the server of `driver`.
    func forDriver(_ driver: UserServerDriver) -> RuntimeDirectory {
        var copy = self
        copy.driver = driver
        return copy
    }

    /// Where the folder is for this user and environment.
    static var location: String {
        if let xdg = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], xdg.hasPrefix("/") {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: xdg, isDirectory: &isDir), isDir.boolValue { return xdg + "/vibe" }
        }
        return "/tmp/vibe-\(getuid())"
    }

    /// The folder, created 0700 when missing and checked to be private to this user.
    static func prepare() throws -> RuntimeDirectory {
        let path = location
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw CLIError(
                message: "vibe: cannot create \(path): \(String(cString: strerror(errno)))", exitCode: VibeExit.failure)
        }
        var st = stat()
        guard lstat(path, &st) == 0 else {
            throw CLIError(message: "vibe: cannot read \(path)", exitCode: VibeExit.failure)
        }
        let isDir = (st.st_mode & S_IFMT) == S_IFDIR
        guard isDir, st.st_uid == getuid(), st.st_mode & 0o077 == 0 else {
            throw CLIError(
                message: "vibe: \(path) is not a private folder of yours (it must be a folder you own with mode 0700); "
                    + "remove it or set XDG_RUNTIME_DIR",
                exitCode: VibeExit.failure)
        }
        return RuntimeDirectory(path: path)
    }
}

/// The drivers a user's own server can run: one server each.
enum UserServerDriver: String, CaseIterable, Sendable {
    /// Folders and PTYs on this machine (host folders open as themselves).
    case local
    /// A container per session (`vibe serve --driver docker`'s driver, with the default image).
    case docker
}

/// Where the user's server writes its log: `$XDG_STATE_HOME/vibe`, else `~/.local/state/vibe`.
enum StateDirectory {
    static var path: String {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/vibe" }
        return NSHomeDirectory() + "/.local/state/vibe"
    }

    /// The server's log file.
    static var serverLog: String { path + "/server.log" }

    /// The log of the server of `driver`.
    static func serverLog(_ driver: UserServerDriver) -> String {
        driver == .local ? serverLog : path + "/server-\(driver.rawValue).log"
    }
}
