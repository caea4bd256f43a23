import Foundation

/// The process's open-file limit (RLIMIT_NOFILE).
enum OpenFileLimit {
    /// Raises the soft limit to the hard one (a server holds a socket and a PTY per terminal, a bench a socket per
    /// terminal; the usual soft limit of 1,024 runs out first) and returns the soft limit now in effect.
    @discardableResult
    static func raise() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return UInt64(limit.rlim_cur)
    }
}
