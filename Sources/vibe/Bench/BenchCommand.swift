import ArgumentParser

/// `vibe bench`: measurements whose figures go to docs/benchmarks.md.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure session-ready time, keystroke echo, scale, emulator throughput and the TUI under a flood.",
        subcommands: [
            BenchLatencyCommand.self, BenchEmulatorCommand.self, BenchTUICommand.self, BenchReattachCommand.self, BenchOpensCommand.self,
            BenchFSCommand.self, BenchReadyCommand.self, BenchEchoCommand.self, BenchScaleCommand.self,
        ],
        defaultSubcommand: BenchLatencyCommand.self)
}
