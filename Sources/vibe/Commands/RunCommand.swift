import ArgumentParser
import Foundation
import VibeProtocol
import VibeScript

/// `vibe run ID SCRIPT`: a line-based script of sends, expects and captures (docs/scripting.md).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Drive a session's terminal with a script of send/expect/capture steps (- reads stdin).",
        discussion: """
            Steps, one per line (shell quoting; # comments): send [-l] KEYS…, expect [--regex] [--on screen|line|stream] \
            [--timeout S] PATTERN, capture [--format text|dump|json] [--scrollback N], sleep S, wait-quiet MS \
            [--timeout S], wait-exit [--timeout S]. Waiting steps time out after 10 s unless --timeout says otherwise. \
            Stops at the first step that fails, naming it (step and line) on stderr with the screen, and exits 5 \
            (timed out), 1 (the shell exited), 7 (connection lost) or 2 (the script is wrong); --json prints one \
            line for the outcome.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reconnect: ReconnectOptions
    @OptionGroup var target: ScriptTarget
    @Argument(help: "The script file (- for stdin).") var script: String

    func run() async throws {
        try await reporting {
            let text = try readScript()
            let steps: [ScriptStep]
            switch ScriptStep.parse(text) {
            case .success(let parsed): steps = parsed
            case .failure(let error):
                if global.json { Output.json(RunOutcome(ok: false, steps: 0, failedStep: nil, line: error.line, error: error.message)) }
                throw CLIError(message: "vibe: \(script): \(error)", exitCode: VibeExit.usage)
            }
            try await target.with(global, reconnect) { terminal in
                do {
                    try await ScriptRunner.run(steps, on: terminal) { captured in
                        print(captured)
                        fflush(nil)
                    }
                    if global.json { Output.json(RunOutcome(ok: true, steps: steps.count, failedStep: nil, line: nil, error: nil)) }
                } catch let error as ScriptRunner.Failure {
                    if global.json {
                        Output.json(RunOutcome(
                            ok: false, steps: steps.count, failedStep: error.index, line: error.step.line,
                            error: error.error.description))
                    }
                    throw ScriptFailure.cliError(error.error, context: "step \(error.index), line \(error.step.line) (\(error.step.text))")
                }
            }
        }
    }

    private func readScript() throws -> String {
        let data: Data?
        if script == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: script)
        }
        guard let data, let text = String(data: data, encoding: .utf8) else {
            throw CLIError(message: "vibe: cannot read the script \(script)", exitCode: VibeExit.usage)
        }
        return text
    }
}

/// The `--json` line of `vibe run`.
struct RunOutcome: Encodable {
    let ok: Bool
    let steps: Int
    let failedStep: Int?
    let line: Int?
    let error: String?
}
