import ArgumentParser
import Foundation
import VibeClient
import VibeProtocol
import VibeServer

/// `vibe session create|list|delete`.
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "Create, list, suspend and delete sessions.",
        subcommands: [Create.self, List.self, Suspend.self, Delete.self])

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suspend a ready session now: its shells end (docker: its container stops), its files stay.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session id.") var id: String

        func run() async throws {
            try await reporting {
                try await Connection.with(global) { c in
                    let status = try await c.client.api.suspend(id)
                    if global.json { Output.json(status) } else { print("\(status.id) \(status.state.rawValue)") }
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a session and print its id.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Session id (default: a new one).") var id: String?
        @Option(help: "Workspace template.") var template: String?

        func run() async throws {
            try await reporting {
                try await Connection.with(global) { c in
                    let status = try await c.client.api.create(id: id, template: template)
                    if global.json { Output.json(status) } else { print(status.id) }
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sessions.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await reporting {
                try await Connection.with(global) { c in
                    let sessions = try await c.client.api.list()
                    if global.json {
                        Output.json(SessionList(sessions: sessions))
                    } else {
                        for s in sessions { print(Output.describe(s)) }
                    }
                }
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop and delete a session.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session id.") var id: String

        func run() async throws {
            try await reporting {
                try await Connection.with(global) { c in
                    let answer = try await c.client.api.delete(id)
                    if global.json { Output.json(answer) } else { print("deleted \(id)") }
                }
            }
        }
    }
}

/// `vibe status ID`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a session's status.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id.") var id: String

    func run() async throws {
        try await reporting {
            try await Connection.with(global) { c in
                let status = try await c.client.api.status(id)
                if global.json { Output.json(status) } else { print(Output.describe(status)) }
            }
        }
    }
}

/// `vibe wait ID`: waits until ready, showing progress on stderr.
struct WaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until a session is ready (exit 0), failed (6) or timed out (5); progress on stderr.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Session id.") var id: String
    @Option(help: "Seconds to wait.") var timeout: Double = 30
    @Flag(help: "Open (resume or create) the session first.") var open = false

    func run() async throws {
        try await reporting {
            try await Connection.with(global) { c in
                let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
                if open || c.isUserServer { try await openRetrying(c.client.api, until: deadline) }
                let status = try await ReadyProgressPrinter.wait(c.client, id, timeout: deadline - .now)
                if global.json { Output.json(status) } else { print(Output.describe(status)) }
            }
        }
    }
}

extension WaitCommand {
    /// Opens the session, waiting through passing trouble (a proxy's 502 while the server restarts, a refused
    /// connection) until `deadline`, as the ready wait does; other errors end the wait at once.
    private func openRetrying(_ api: VibeAPI, until deadline: ContinuousClock.Instant) async throws {
        while true {
            do {
                _ = try await api.open(id)
                return
            } catch let error as VibeClientError where error.isRetryable && ContinuousClock.now < deadline {
                Output.error("vibe: \(id): opening: \(error.briefly(url: api.baseURL)); trying again")
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }
}

/// Waits for ready, printing each state change of the wait on stderr.
enum ReadyProgressPrinter {
    static func wait(_ client: VibeClient, _ id: String, timeout: Duration) async throws -> SessionStatus {
        let printer = Task {
            // A failure is said once, by the error the wait throws, not also as a progress line.
            for await p in await client.watchReady(id, timeout: timeout) where p.state != .idle {
                if case .failed = p.state { continue }
                var line = "vibe: \(id): \(p.state) after \(p.elapsedMs) ms (\(p.attempts) polls)"
                if let steps = p.lastStatus?.steps, !steps.isEmpty {
                    line += " steps: " + steps.map { "\($0.name)=\($0.ms)ms" }.joined(separator: " ")
                }
                if let error = p.lastError { line += " last error: \(error)" }
                Output.error(line)
            }
        }
        defer { printer.cancel() }
        let status = try await client.waitReady(id, timeout: timeout)
        _ = await printer.value
        return status
    }
}

/// `vibe token`: signs a bearer token for a subject.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print an HS256 bearer token for a subject (for servers run with auth on).")
    @Option(help: "The subject (sub claim).") var sub: String
    @Option(help: "The secret (env VIBE_AUTH_SECRET), at least 32 bytes.") var secret: String?
    @Option(help: "A file holding the secret (as for vibe serve --auth-secret-file).") var secretFile: String?
    @Option(help: "Lifetime in seconds (default 86400, one day; 0: no expiry).") var ttl = 86_400

    func run() async throws {
        try await reporting {
            guard ttl >= 0 else { throw CLIError(message: "vibe: --ttl must be 0 or more seconds", exitCode: VibeExit.usage) }
            let expires = ttl == 0 ? nil : Date().addingTimeInterval(TimeInterval(ttl))
            do {
                let fromFile = try secretFile.map(AuthSecret.load(file:))
                guard let secret = fromFile ?? secret ?? ProcessInfo.processInfo.environment[AuthSecret.environmentName] else {
                    throw CLIError(
                        message: "vibe: --secret-file, --secret or VIBE_AUTH_SECRET is required", exitCode: VibeExit.usage)
                }
                print(try await Authenticator.sign(subject: sub, secret: secret, expires: expires))
            } catch let error as APIError {
                throw CLIError(message: "vibe: \(error.message)", exitCode: VibeExit.usage)
            }
        }
    }
}

