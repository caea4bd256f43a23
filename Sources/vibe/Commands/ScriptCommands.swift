import ArgumentParser
import Foundation
import VibeClient
import VibeProtocol
import VibeScript

/// Options of the commands that drive a session terminal (docs/scripting.md).
struct ScriptTarget: ParsableArguments {
    @Argument(help: "Session id.") var id: String
    @Option(help: "Terminal name.") var term = Identifier.defaultTerminal

    /// Attaches a scripted terminal (an observer: it never resizes the terminal), waits until it has the
    /// terminal's output so far, runs `body`, and detaches.
    func with<T>(
        _ global: GlobalOptions, _ reconnect: ReconnectOptions, _ body: (ScriptedTerminal) async throws -> T
    ) async throws -> T {
        try await Connection.with(global) { c in
            let client = try c.client.reconnecting(reconnect, default: .seconds(60))
            try await SessionOpener.ensureReady(c, id)
            let terminal = await ScriptedTerminal.attach(client, session: id, term: term)
            do {
                do {
                    try await terminal.caughtUp(timeout: .seconds(30))
                } catch let error as ScriptError {
                    throw ScriptFailure.cliError(error, context: "attach \(id) \(term)")
                }
                let result = try await body(terminal)
                await terminal.close()
                return result
            } catch {
                await terminal.close()
                throw error
            }
        }
    }
}

/// `vibe send ID KEYS…`: keys in tmux send-keys syntax.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Type keys into a session's terminal (tmux send-keys syntax: 'make test' Enter, C-c, Up, F5).",
        discussion: """
            Each word is a key name (Enter, Tab, Escape, BSpace, Space, Up, Down, Left, Right, Home, End, PageUp, \
            PageDown, IC, DC, F1-F20, with C-, M-, S- prefixes: C-c, M-x, S-Tab) or else text typed as it is. \
            Cursor keys follow the terminal's current mode. With -l every word is text.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reconnect: ReconnectOptions
    @OptionGroup var target: ScriptTarget
    @Flag(name: .customShort("l"), help: "Send every word as text (no key names).") var literal = false
    @Argument(help: "Keys and text (after -- when one starts with '-').") var keys: [String] = []

    func run() async throws {
        guard !keys.isEmpty else { throw ValidationError("give the keys to send, e.g. vibe send ID 'ls -la' Enter") }
        try await reporting {
            try await target.with(global, reconnect) { terminal in
                let bytes = KeyNames.bytes(keys, literal: literal, modes: await terminal.modes)
                try await terminal.send(bytes: bytes)
                if global.json { Output.json(SendLine(sent: bytes.count)) }
            }
        }
    }
}

struct SendLine: Encodable { let sent: Int }

/// `vibe capture ID`: the rendered screen.
struct CaptureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Print a session terminal's screen as our emulator renders it (like tmux capture-pane -p).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reconnect: ReconnectOptions
    @OptionGroup var target: ScriptTarget
    @Option(help: "text, dump (size, cursor, rows, attribute runs) or json (runs with attributes).")
    var format: CaptureFormat = .text
    @Option(help: "Scrollback lines to include above the screen.") var scrollback = 0

    func run() async throws {
        let chosen = global.json ? CaptureFormat.json : format
        try await reporting {
            try await target.with(global, reconnect) { terminal in
                let text = await terminal.capture(chosen, scrollback: max(0, scrollback))
                print(text)
            }
        }
    }
}

extension CaptureFormat: ExpressibleByArgument {}
extension ExpectScope: ExpressibleByArgument {}

/// `vibe expect ID PATTERN`: waits until the pattern is on the screen.
struct ExpectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expect",
        abstract: "Wait until text (or a regex) appears in a session's terminal; print the match.",
        discussion: """
            Exits 0 with the match, 5 when it did not appear within --timeout, 1 when the shell exited first, \
            7 when the connection was lost for longer than --reconnect-for; on failure the screen goes to stderr.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reconnect: ReconnectOptions
    @OptionGroup var target: ScriptTarget
    @Argument(help: "Text to wait for (a regular expression with --regex).") var pattern: String
    @Flag(help: "PATTERN is a regular expression (ICU syntax).") var regex = false
    @Option(help: "Where to look: screen, line (the cursor's row) or stream (raw output, the ring's replay included).")
    var on: ExpectScope = .screen
    @Option(help: "Seconds to wait.") var timeout: Double = 10

    func run() async throws {
        try await reporting {
            let compiled: ScreenPattern
            do {
                compiled = regex ? try ScreenPattern(regex: pattern) : ScreenPattern(text: pattern)
            } catch {
                throw CLIError(message: "vibe: \(error)", exitCode: VibeExit.usage)
            }
            let limit = try Seconds.duration(timeout, "--timeout")
            try await target.with(global, reconnect) { terminal in
                do {
                    let match = try await terminal.expect(compiled, in: on, timeout: limit)
                    if global.json { Output.json(match) } else { print(match.text) }
                } catch let error as ScriptError {
                    throw ScriptFailure.cliError(error, context: "expect \(compiled)")
                }
            }
        }
    }
}

/// How a scripted step's failure ends the command.
enum ScriptFailure {
    /// The exit code and message of `error`; the screen it carries goes to stderr first.
    static func cliError(_ error: ScriptError, context: String) -> CLIError {
        if let screen = error.screen {
            Output.error("--- screen ---\n" + screen + "\n--------------")
        }
        let code: Int32
        switch error {
        case .timedOut: code = VibeExit.notReady
        case .exited: code = VibeExit.failure
        case .closed: code = VibeExit.unreachable
        case .badPattern: code = VibeExit.usage
        case .sendFailed: code = VibeExit.failure
        }
        return CLIError(message: "vibe: \(context): \(error)", exitCode: code)
    }
}

/// Seconds given on the command line, checked: a finite, non-negative number of at most a year.
enum Seconds {
    static func duration(_ value: Double, _ option: String) throws -> Duration {
        guard value.isFinite, value >= 0, value <= 366 * 86_400 else {
            throw CLIError(message: "vibe: \(option) takes seconds from 0 to a year, not \(value)", exitCode: VibeExit.usage)
        }
        return .milliseconds(Int64(value * 1000))
    }
}
