import Foundation

/// What a workspace uses at one moment (cumulative CPU time; the status socket turns deltas into percent).
public struct ResourceUsage: Codable, Sendable, Equatable {
    /// CPU time used so far, in nanoseconds.
    public var cpuNanos: UInt64
    public var memoryBytes: Int
    public var memoryLimitBytes: Int?
    public var pids: Int
    /// Bytes of files in the workspace, when asked for.
    public var diskBytes: Int?

    public init(cpuNanos: UInt64, memoryBytes: Int, memoryLimitBytes: Int?, pids: Int, diskBytes: Int? = nil) {
        self.cpuNanos = cpuNanos
        self.memoryBytes = memoryBytes
        self.memoryLimitBytes = memoryLimitBytes
        self.pids = pids
        self.diskBytes = diskBytes
    }
}

/// A session's processes on this machine: every process whose environment names the session
/// (`VIBE_SESSION=ID`, set for its shells and commands and inherited by their children), read from `/proc`.
enum SessionProcesses {
    static func usage(session: String) -> ResourceUsage {
        let marker = Array("VIBE_SESSION=\(session)".utf8) + [0]
        let ticks = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
        let page = max(1, sysconf(Int32(_SC_PAGESIZE)))
        var cpu: UInt64 = 0
        var memory = 0
        var pids = 0
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in names where name.first?.isNumber == true {
            guard let environ = FileManager.default.contents(atPath: "/proc/\(name)/environ"),
                Self.contains(Array(environ), marker),
                let stat = FileManager.default.contents(atPath: "/proc/\(name)/stat"),
                let fields = Self.statFields(stat)
            else { continue }
            pids += 1
            // Fields after the command: state is [0]; utime [11], stime [12], rss [21] (pages).
            if fields.count > 21 {
                cpu += ((UInt64(fields[11]) ?? 0) + (UInt64(fields[12]) ?? 0)) * 1_000_000_000 / ticks
                memory += (Int(fields[21]) ?? 0) * page
            }
        }
        return ResourceUsage(cpuNanos: cpu, memoryBytes: memory, memoryLimitBytes: nil, pids: pids)
    }

    /// `environ` holds `NAME=VALUE\0` entries: true when one equals the marker (which ends in NUL).
    private static func contains(_ environ: [UInt8], _ marker: [UInt8]) -> Bool {
        var start = 0
        while start < environ.count {
            let end = environ[start...].firstIndex(of: 0).map { $0 + 1 } ?? environ.count
            if environ[start..<end].elementsEqual(marker) { return true }
            start = end
        }
        return false
    }

    /// The fields of `/proc/PID/stat` after `(command)` (which may itself hold spaces and parentheses).
    private static func statFields(_ data: Data) -> [Substring]? {
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }
}

/// The usage of the cgroup this process runs in (a container's, seen from inside it): cgroup v2 or v1.
enum CgroupUsage {
    /// Nil when no cgroup files can be read.
    static func read(root: String = "/sys/fs/cgroup") -> ResourceUsage? {
        if let memory = number(root + "/memory.current") {
            // cgroup v2: cpu.stat's usage_usec, memory.max ("max" when unlimited), pids.current.
            let usec = value(in: text(root + "/cpu.stat"), key: "usage_usec") ?? 0
            return ResourceUsage(
                cpuNanos: usec * 1000, memoryBytes: memory, memoryLimitBytes: number(root + "/memory.max"),
                pids: number(root + "/pids.current") ?? 0)
        }
        if let memory = number(root + "/memory/memory.usage_in_bytes") {
            // cgroup v1: an unlimited memory limit reads as a huge number.
            let limit = number(root + "/memory/memory.limit_in_bytes").flatMap { $0 < 1 << 60 ? $0 : nil }
            let cpu = number(root + "/cpuacct/cpuacct.usage") ?? number(root + "/cpu,cpuacct/cpuacct.usage") ?? 0
            return ResourceUsage(
                cpuNanos: UInt64(max(0, cpu)), memoryBytes: memory, memoryLimitBytes: limit,
                pids: number(root + "/pids/pids.current") ?? 0)
        }
        return nil
    }

    private static func text(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    private static func number(_ path: String) -> Int? {
        text(path).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    private static func value(in text: String?, key: String) -> UInt64? {
        text?.split(separator: "\n").lazy.compactMap { line -> UInt64? in
            let parts = line.split(separator: " ")
            return parts.count == 2 && parts[0] == key ? UInt64(parts[1]) : nil
        }.first
    }
}

/// The bytes of the files under a folder (symlinks not followed, `.git` included), bounded by a walk limit.
enum DiskUsage {
    static func bytes(of folder: String) -> Int {
        var total = 0
        var walker = WorkspaceWalker(maxVisited: 200_000)
        walker.entersGit = true
        _ = walker.walk(folder, descend: { _ in true }) { entry in
            if entry.isRegular { total += entry.size }
            return true
        }
        return total
    }
}
