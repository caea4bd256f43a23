import ArgumentParser

/// The `vibe` executable: TUI, headless commands and the server.
@main
struct VibeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vibe",
        abstract: "Work inside cloud dev sessions from a terminal.",
        discussion: VibeExit.helpText,
        version: "0.1.0",
        subcommands: [
            OpenCommand.self, AttachCommand.self, SessionCommand.self, StatusCommand.self, WaitCommand.self, ExecCommand.self,
            WatchCommand.self, ServeCommand.self, TokenCommand.self, RenderCommand.self, EmulateCommand.self,
            BenchCommand.self,
        ],
        defaultSubcommand: OpenCommand.self
    )
}
