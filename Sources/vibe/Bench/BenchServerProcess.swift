import Foundation

/// A `vibe serve` of the bench's own (this executable, local driver, a fresh data folder, `HOME` an empty folder so
/// every shell is a bare bash), so that its memory and CPU can be read from `/proc`.
final class BenchServerProcess {
    private let process = Process()
    private let folder: URL
    /// `http://127.0.0.1:PORT`.
    let url: String
    var pid: pid_t { process.processIdentifier }

    init(extraArguments: [String] = []) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vibe-bench-\(UUID().uuidString.prefix(8))")
        let home = folder.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "serve", "--port", "0", "--data-dir", folder.appendingPathComponent("data").path, "--log-level", "warning",
        ] + extraArguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        process.environment = environment
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let text = try stdout.firstLine()
        guard let start = text.range(of: "http://"), let port = text[start.upperBound...].split(separator: " ").first
        else {
            process.terminate()
            throw CLIError(message: "bench: vibe serve did not start (\(text))", exitCode: VibeExit.failure)
        }
        url = "http://" + port
    }

    /// Resident memory in MiB (VmRSS).
    var residentMiB: Double { ProcessGauge.residentMiB(pid) }

    /// CPU time used so far (user + system).
    var cpuSeconds: Double { ProcessGauge.cpuSeconds(pid) }

    /// Stops it (SIGTERM, a graceful shutdown) and removes its folder.
    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Figures about a process and the machine from `/proc`.
enum ProcessGauge {
    /// VmRSS of `pid` in MiB, 0 when it is gone.
    static func residentMiB(_ pid: pid_t) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return 0 }
        return kib / 1024
    }

    /// User + system CPU seconds of `pid`, 0 when it is gone.
    static func cpuSeconds(_ pid: pid_t) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name: state is field 3, utime 14 and stime 15 (1-based).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// MemAvailable of the machine in MiB.
    static func availableMiB() -> Double {
        guard let info = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
            let kib = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return 0 }
        return kib / 1024
    }

    /// Number of threads of `pid`.
    static func threads(_ pid: pid_t) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").count) ?? 0
    }
}

extension Pipe {
    /// The first line written into the pipe, without its line break (read a byte at a time: nothing after it is
    /// taken from the pipe).
    func firstLine() throws -> String {
        var line = [UInt8]()
        while let byte = try fileHandleForReading.read(upToCount: 1)?.first, byte != 0x0A { line.append(byte) }
        return String(decoding: line, as: UTF8.self)
    }
}
