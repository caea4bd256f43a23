import Foundation

/// What `vibe bench scale` prints.
struct ScaleReport: Encodable {
    var machine: MachineFacts
    var sessions: Int
    var activePercent: Int
    var createSeconds = 0.0
    var attachSeconds = 0.0
    var serverEmptyMiB = 0.0
    var serverSessionsMiB = 0.0
    var serverIdleMiB = 0.0
    var serverBusyMiB = 0.0
    var serverThreads = 0
    /// How much less memory the machine had available with every terminal open (server, shells, kernel).
    var machineUsedMiB = 0.0
    var serverIdleCPUPercent = 0.0
    var serverBusyCPUPercent = 0.0
    var busyOutputKiBPerSecond = 0.0
    var echo: Percentiles?
    var lostEchoes = 0

    init(machine: MachineFacts, sessions: Int, activePercent: Int) {
        self.machine = machine
        self.sessions = sessions
        self.activePercent = activePercent
    }

    var markdown: String {
        let n = Double(sessions)
        func mib(_ v: Double) -> String { String(format: "%.1f MiB", v) }
        func kib(_ v: Double) -> String { String(format: "%.0f KiB", v * 1024) }
        func pct(_ v: Double) -> String { String(format: "%.1f %%", v) }
        var lines = [
            "Machine: \(machine.line); \(sessions) sessions, one attached terminal each, \(activePercent) % busy", "",
            "| measurement | value | per session |", "|---|---|---|",
            "| create \(sessions) sessions (8 at a time, each until ready) | \(String(format: "%.1f s", createSeconds)) | \(String(format: "%.1f ms", createSeconds / n * 1000)) |",
            "| attach a terminal to each (socket, shell, first prompt) | \(String(format: "%.1f s", attachSeconds)) | \(String(format: "%.1f ms", attachSeconds / n * 1000)) |",
            "| server resident, no sessions | \(mib(serverEmptyMiB)) | |",
            "| server resident, sessions created | \(mib(serverSessionsMiB)) | \(kib((serverSessionsMiB - serverEmptyMiB) / n)) |",
            "| server resident, every terminal attached and idle | \(mib(serverIdleMiB)) | \(kib((serverIdleMiB - serverEmptyMiB) / n)) |",
            "| server resident after the busy phase | \(mib(serverBusyMiB)) | \(kib((serverBusyMiB - serverEmptyMiB) / n)) |",
            "| machine memory used by it all (server, shells, kernel) | \(mib(machineUsedMiB)) | \(kib(machineUsedMiB / n)) |",
            "| server threads, every terminal attached | \(serverThreads) | |",
            "| server CPU, every terminal idle (10 s) | \(pct(serverIdleCPUPercent)) | |",
            "| server CPU, \(activePercent) % busy | \(pct(serverBusyCPUPercent)) | |",
            "| output of the busy terminals | \(String(format: "%.0f KiB/s", busyOutputKiBPerSecond)) | |",
        ]
        if let e = echo {
            lines += [
                "", "| echo on idle terminals while \(activePercent) % are busy | n | p50 ms | p95 ms | p99 ms | max ms | lost (> 2 s) |",
                "|---|---|---|---|---|---|---|",
                "| vibe serve | \(e.count) | \(Percentiles.ms(e.p50)) | \(Percentiles.ms(e.p95)) | \(Percentiles.ms(e.p99)) | \(Percentiles.ms(e.max)) | \(lostEchoes) |",
            ]
        }
        return lines.joined(separator: "\n")
    }
}
