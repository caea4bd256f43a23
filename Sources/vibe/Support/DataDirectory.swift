import Foundation

/// Where vibe keeps its data: `$VIBE_DATA_DIR`, else `$XDG_DATA_HOME/vibe`, else `~/.local/share/vibe`.
enum DataDirectory {
    /// The base folder; the user's server keeps its sessions in `sessions/` here.
    static var base: String {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["VIBE_DATA_DIR"], !dir.isEmpty { return dir }
        if let xdg = env["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/vibe" }
        return NSHomeDirectory() + "/.local/share/vibe"
    }

    /// `vibe serve`'s default data dir.
    static var server: String { base + "/server" }
}
