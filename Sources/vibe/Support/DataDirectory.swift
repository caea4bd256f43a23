import Foundation

/// Where vibe keeps its data: `$VIBE_DATA_DIR`, else `$XDG_DATA_HOME/vibe`, else `~/.local/share/vibe`.
enum DataDirectory {
    static var base: String {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["VIBE_DATA_DIR"], !dir.isEmpty { return dir }
        if let xdg = env["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/vibe" }
        return NSHomeDirectory() + "/.local/share/vibe"
    }

    /// The embedded server's data dir.
    static var embedded: String { base + "/embedded" }
    /// `vibe serve`'s default data dir.
    static var server: String { base + "/server" }
}
