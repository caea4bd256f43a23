import ArgumentParser
import Foundation
import VibeClient
import VibeProtocol

/// `vibe exec ID -- CMD…`: runs a command in the workspace, streaming its output.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command in a session's workspace; exits with the command's code (124 on timeout).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Kill the command after this many seconds.") var timeout: Double = 30
    @Argument(help: "Session id.") var id: String
    @Argument(parsing: .postTerminator, help: "The command and its arguments (after --).") var command: [String]

    func run() async throws {
        guard !command.isEmpty else { throw ValidationError("give the command after --, e.g. vibe exec ID -- ls -la") }
        let line = command.count == 1 ? command[0] : command.map(ShellQuote.quote).joined(separator: " ")
        try await reporting {
            let code = try await Connection.with(global) { c -> Int32 in
                try await SessionOpener.ensureReady(c, id)
                return try await stream(c.client, line)
            }
            if code != 0 { throw ArgumentParser.ExitCode(code) }
        }
    }

    private func stream(_ client: VibeClient, _ line: String) async throws -> Int32 {
        let timeoutMs = Int(timeout * 1000)
        for try await event in client.api.execStream(id, command: line, timeoutMs: timeoutMs) {
            if global.json {
                Output.json(event)
                if event.type == "exit" { return event.exitCode ?? 0 }
                if event.type == "error" { return Output.exitCode(event.error ?? .internalError) }
                continue
            }
            switch event.type {
            case "stdout": FileHandle.standardOutput.write(Data((event.data ?? "").utf8))
            case "stderr": FileHandle.standardError.write(Data((event.data ?? "").utf8))
            case "exit": return event.exitCode ?? 0
            case "error":
                let code = event.error ?? .internalError
                Output.error("vibe: \(code.rawValue): \(event.message ?? "")")
                return Output.exitCode(code)
            default: continue
            }
        }
        throw CLIError(message: "vibe: the exec stream ended without an exit line", exitCode: VibeExit.unreachable)
    }
}

/// POSIX shell quoting for argv joined into one command line.
enum ShellQuote {
    static func quote(_ arg: String) -> String {
        let safe = arg.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_./=:,+@%".unicodeScalars.contains($0)
        }
        if safe && !arg.isEmpty { return arg }
        return "'" + arg.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Makes sure a session is usable: opens it (resume or create) and waits for ready.
enum SessionOpener {
    static func ensureReady(_ c: Connection, _ id: String, timeout: Duration = .seconds(30)) async throws {
        try await ensureReady(c, SessionTarget(id: id, folder: nil), timeout: timeout)
    }

    /// Opens (resumes or creates) the target's session, on its folder when the server is the user's own.
    static func ensureReady(_ c: Connection, _ target: SessionTarget, timeout: Duration = .seconds(30)) async throws {
        let status = try await c.client.api.open(target.id, folder: c.opensHostFolders ? target.folder : nil)
        if status.ready { return }
        _ = try await ReadyProgressPrinter.wait(c.client, target.id, timeout: timeout)
    }
}
