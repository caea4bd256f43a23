import ArgumentParser
import VibeProtocol

/// The `vibe` executable: TUI, headless commands and the server.
@main
struct VibeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vibe",
        abstract: "Work inside cloud dev sessions from a terminal.",
        discussion: VibeExit.helpText,
        version: VibeVersion.current,
        subcommands: [
            OpenCommand.self, AttachCommand.self, ListCommand.self, KillSessionCommand.self, KillServerCommand.self,
            SessionCommand.self, StatusCommand.self, WaitCommand.self, ExecCommand.self, WatchCommand.self,
            ServeCommand.self, TokenCommand.self, RenderCommand.self, EmulateCommand.self, BenchCommand.self,
            SendCommand.self, CaptureCommand.self, ExpectCommand.self, RunCommand.self, RecordCommand.self, PlayCommand.self,
            ControlCommand.self, FSCommand.self, MCPCommand.self, LogsCommand.self, StatsCommand.self,
            DaemonCommand.self, DockerDaemonCommand.self, AgentCommand.self,
        ],
        defaultSubcommand: OpenCommand.self
    )
}
