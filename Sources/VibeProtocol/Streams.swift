// Payloads of the status and logs sockets (docs/protocol.md, "Status" and "Logs").

/// Payload of `env_status`: what a session's workspace uses, every 2 s while it is ready.
public struct EnvStatus: Codable, Sendable, Equatable {
    /// CPU used over the last interval, in percent of one core (200 = two cores busy).
    public var cpu: Double
    public var memoryBytes: Int
    /// The workspace's memory limit (docker driver: the container's), when there is one.
    public var memoryLimitBytes: Int?
    /// Processes (and threads, as cgroups count them) in the workspace.
    public var pids: Int
    /// Bytes of files in the workspace (measured every 30 s; nil until first measured).
    public var diskBytes: Int?

    public init(cpu: Double, memoryBytes: Int, memoryLimitBytes: Int?, pids: Int, diskBytes: Int?) {
        self.cpu = cpu
        self.memoryBytes = memoryBytes
        self.memoryLimitBytes = memoryLimitBytes
        self.pids = pids
        self.diskBytes = diskBytes
    }
}

/// Which output a log line came from.
public enum LogStream: String, Codable, Sendable, CaseIterable {
    /// The container's own output (docker driver).
    case stdout, stderr
    /// The server's events about the session: creation steps, ready, failures, suspends, exec runs.
    case events
}

/// Payload of `log`: one line of a session's logs.
public struct LogEntry: Codable, Sendable, Equatable {
    /// ISO-8601 time with milliseconds, UTC.
    public var time: String
    public var stream: LogStream
    public var line: String

    public init(time: String, stream: LogStream, line: String) {
        self.time = time
        self.stream = stream
        self.line = line
    }
}
