import ArgumentParser

/// `vibe bench`: measurements whose figures go to docs/benchmarks.md.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure session-ready time, keystroke echo and emulator throughput.",
        subcommands: [BenchLatencyCommand.self, BenchEmulatorCommand.self],
        defaultSubcommand: BenchLatencyCommand.self)
}
