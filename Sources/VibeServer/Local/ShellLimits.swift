import CPTY

/// Resource limits of the local driver's shells and `exec` commands, set in the spawned child before it
/// execs (soft and hard alike, so a shell cannot raise them again; never above what the server itself has).
public struct ShellLimits: Sendable, Equatable {
    /// `RLIMIT_NPROC`: a fork in a shell fails once the server's user has this many processes and threads
    /// (the kernel counts every task of the user, the server's own threads included; not enforced for root).
    /// 0 leaves the inherited limit.
    public var maxProcesses: Int
    /// `RLIMIT_NOFILE`: open files per process. 0 leaves the inherited limit.
    public var maxFiles: Int

    /// The defaults of `vibe serve`: 4,096 processes, 8,192 open files.
    public init(maxProcesses: Int = 4096, maxFiles: Int = 8192) {
        self.maxProcesses = maxProcesses
        self.maxFiles = maxFiles
    }

    /// The limits as the C shim takes them.
    var cLimits: cpty_limits {
        cpty_limits(max_processes: UInt(clamping: max(0, maxProcesses)), max_files: UInt(clamping: max(0, maxFiles)))
    }
}
